import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDiagnostic } from "../../infra/2-manifest";
import { loadProject } from "../../infra/3-rules";

const FIXTURE = join(__dirname, "..", "fixtures", "stacks", "basic");

/** A project with the basic fixture's stack and exactly these unit manifests (file name = id). */
function project(units: Record<string, string>): { root: string; diagnostics: string[] } {
  const root = mkdtempSync(join(tmpdir(), "muni-mail-checks-"));
  cpSync(join(FIXTURE, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  cpSync(join(FIXTURE, "stacks"), join(root, "stacks"), { recursive: true });
  cpSync(join(FIXTURE, "units"), join(root, "units"), { recursive: true });
  rmSync(join(root, "units", "open.yaml"));
  rmSync(join(root, "units", "bare.yaml"));
  for (const [id, body] of Object.entries(units)) writeFileSync(join(root, "units", `${id}.yaml`), body);
  const cwd = process.cwd();
  process.chdir(root);
  try {
    return { root, diagnostics: loadProject(root, "test").diagnostics.map(formatDiagnostic) };
  } finally {
    process.chdir(cwd);
    rmSync(root, { recursive: true, force: true });
  }
}

const unit = (id: string, services: string) => `id: ${id}
name: Jednostka ${id}
shortName: ${id.toUpperCase()}
address: { street: ul. Piotrkowska 104, postalCode: 90-926, city: Łódź }
costCentre: MPK-${id.toUpperCase()}
roles:
  localAdministrators: [{ kind: group, name: ${id}-administratorzy }]
lifecycle: { state: active, wave: 1 }
services:
${services}`;

describe("mail rules across a stack's units", () => {
  it("GIVEN valid tenants that alias into each other WHEN loaded THEN there is no problem", () => {
    const { diagnostics } = project({
      aaa: unit(
        "aaa",
        `  mail:
    domain: aaa.lodz.pl
    mailboxLimit: 3
    mailboxes: [{ localPart: sekretariat, displayName: S }]
    aliases: [{ name: biuro, to: [sekretariat, kadry@bbb.lodz.pl, iod@uml.lodz.pl] }]
`,
      ),
      bbb: unit(
        "bbb",
        `  mail:
    domain: bbb.lodz.pl
    mailboxLimit: 3
    mailboxes: [{ localPart: kadry, displayName: K }]
`,
      ),
    });
    expect(diagnostics).toStrictEqual([]);
  });

  it("GIVEN an alias loop across two units WHEN loaded THEN the loop is reported once, located, with its path", () => {
    const { diagnostics } = project({
      aaa: unit(
        "aaa",
        `  mail:
    domain: aaa.lodz.pl
    mailboxLimit: 3
    mailboxes: [{ localPart: sekretariat, displayName: S }]
    aliases:
      - name: biuro
        to: [info@bbb.lodz.pl]
`,
      ),
      bbb: unit(
        "bbb",
        `  mail:
    domain: bbb.lodz.pl
    mailboxLimit: 3
    aliases:
      - name: info
        to: [biuro@aaa.lodz.pl]
      - name: self
        to: [self]
`,
      ),
    });
    expect(diagnostics).toStrictEqual([
      "units/aaa.yaml:16:13: services.mail.aliases[0].to: alias biuro@aaa.lodz.pl loops: biuro@aaa.lodz.pl → info@bbb.lodz.pl → biuro@aaa.lodz.pl (make one of the aliases deliver to a mailbox instead)",
      "units/bbb.yaml:17:13: services.mail.aliases[1].to: alias self@bbb.lodz.pl loops: self@bbb.lodz.pl → self@bbb.lodz.pl (make one of the aliases deliver to a mailbox instead)",
    ]);
  });

  it("GIVEN alias targets that are no address of a tenant domain WHEN loaded THEN each is located at the target", () => {
    const { diagnostics } = project({
      aaa: unit(
        "aaa",
        `  mail:
    domain: aaa.lodz.pl
    mailboxLimit: 3
    mailboxes: [{ localPart: sekretariat, displayName: S }]
    aliases:
      - name: biuro
        to: [sekretariatt, nikt@bbb.lodz.pl, ktos@zewnetrzna.pl]
`,
      ),
      bbb: unit(
        "bbb",
        `  mail:
    domain: bbb.lodz.pl
    mailboxLimit: 3
`,
      ),
    });
    expect(diagnostics).toStrictEqual([
      'units/aaa.yaml:16:14: services.mail.aliases[0].to[0]: "sekretariatt" resolves to sekretariatt@aaa.lodz.pl, which is no mailbox or alias of aaa.lodz.pl (add the mailbox to unit aaa, or fix the target of alias biuro@aaa.lodz.pl)',
      'units/aaa.yaml:16:28: services.mail.aliases[0].to[1]: "nikt@bbb.lodz.pl" resolves to nikt@bbb.lodz.pl, which is no mailbox or alias of bbb.lodz.pl (add the mailbox to unit bbb, or fix the target of alias biuro@aaa.lodz.pl)',
    ]);
  });

  it("GIVEN quotas over quotaLimit, or over mailboxLimit × defaultQuota, WHEN loaded THEN the limit is named and located", () => {
    const { diagnostics } = project({
      aaa: unit(
        "aaa",
        `  mail:
    domain: aaa.lodz.pl
    mailboxLimit: 10
    quotaLimit: 10Gi
    mailboxes:
      - { localPart: a, displayName: A, quota: 5Gi }
      - { localPart: b, displayName: B, quota: 4Gi }
`,
      ),
      bbb: unit(
        "bbb",
        `  mail:
    domain: bbb.lodz.pl
    mailboxLimit: 2
    defaultQuota: 1Gi
    mailboxes:
      - { localPart: a, displayName: A, quota: 2Gi }
`,
      ),
    });
    expect(diagnostics).toStrictEqual([
      "units/aaa.yaml:13:17: services.mail.quotaLimit: the mailboxes' quotas add up to 11Gi (postmaster's 2Gi included), over quotaLimit 10Gi (raise quotaLimit or lower mailbox quotas)",
      "units/bbb.yaml:15:7: services.mail.mailboxes: the mailboxes' quotas add up to 3Gi (postmaster's 1Gi included), over mailboxLimit × defaultQuota (2 × 1Gi = 2Gi) (raise quotaLimit or lower mailbox quotas)",
    ]);
  });

  it("GIVEN a mailbox or alias named postmaster WHEN loaded THEN it clashes with the account muni creates", () => {
    const { diagnostics } = project({
      aaa: unit(
        "aaa",
        `  mail:
    domain: aaa.lodz.pl
    mailboxLimit: 3
    mailboxes: [{ localPart: postmaster, displayName: P }, { localPart: s, displayName: S }]
    aliases: [{ name: postmaster, to: [s] }]
`,
      ),
    });
    expect(diagnostics).toStrictEqual([
      `units/aaa.yaml:13:30: services.mail.mailboxes[0].localPart: "postmaster" is the account muni creates in every mail domain (remove it; its password is in the unit's mail-initial-passwords Secret)`,
      `units/aaa.yaml:14:23: services.mail.aliases[0].name: "postmaster" is the account muni creates in every mail domain (remove the alias; forward postmaster's mail from the mailbox itself)`,
      `units/aaa.yaml:14:23: services.mail.aliases[0].name: alias "postmaster" has the name of a mailbox (an address is either a mailbox or an alias: rename one)`,
    ]);
  });

  it("GIVEN two units claiming one mail domain WHEN loaded THEN the second is located and names the first", () => {
    const mail = `  mail: { domain: aaa.lodz.pl, mailboxLimit: 3 }\n`;
    const { diagnostics } = project({ aaa: unit("aaa", mail), bbb: unit("bbb", mail) });
    expect(diagnostics).toStrictEqual([
      'units/bbb.yaml:10:19: services.mail.domain: mail domain "aaa.lodz.pl" is already claimed by unit aaa (units/aaa.yaml:10:19) (a domain belongs to one unit: remove it from one of them)',
      // And the domain lies in unit aaa's DNS zone, not in bbb's (3-rules/dns-zones.ts).
      `units/bbb.yaml:10:19: services.mail.domain: mail domain "aaa.lodz.pl" lies in zone "aaa.lodz.pl" of unit aaa (units/aaa.yaml:1:5) (use a name under bbb.lodz.pl, or ask the central administrators to delegate the zone in the stack's tenancy.zones.bbb)`,
    ]);
  });
});

describe("print rules", () => {
  const queue = (uri: string, extra = "") =>
    `  print:\n    queues:\n      - { name: q, location: pok. 1, deviceUri: "${uri}"${extra} }\n`;
  it.each([
    [
      "socket://drukarka.aaa.lodz.pl:9100",
      "",
      '"socket://drukarka.aaa.lodz.pl:9100" uses socket://, but driverless (IPP Everywhere) queues need ipp:// or ipps:// (use the printer\'s ipps://host/ipp/print URI, or set driverless: false and give model)',
    ],
    [
      "ipps://localhost/ipp/print",
      "",
      '"ipps://localhost/ipp/print" names "localhost", which the print server would resolve inside the cluster (single-label names get the cluster\'s search domains) (name the printer by its full host name under aaa.lodz.pl)',
    ],
    [
      "ipps://127.0.0.1/ipp/print",
      "",
      '"ipps://127.0.0.1/ipp/print" points at 127.0.0.1, in 127.0.0.0/8 (loopback, link-local, metadata or other addresses no printer has) (use the printer\'s own address in a printer network of the stack)',
    ],
    [
      "ipp://drukarka.aaa.lodz.pl:70000/ipp/print",
      "",
      '"ipp://drukarka.aaa.lodz.pl:70000/ipp/print" has port 70000, outside 1-65535 (use the printer\'s port, e.g. 631 for IPP or 9100 for socket)',
    ],
    [
      "ipps://drukarka.aaa.lodz.pl",
      "",
      '"ipps://drukarka.aaa.lodz.pl" has no resource path; IPP printers are reached at a path such as /ipp/print (use ipps://drukarka.aaa.lodz.pl/ipp/print)',
    ],
    [
      "lpd://drukarka.aaa.lodz.pl",
      ", driverless: false, model: HP",
      '"lpd://drukarka.aaa.lodz.pl" names no LPD queue (use lpd://drukarka.aaa.lodz.pl/<queue>)',
    ],
  ])("GIVEN device URI %s WHEN loaded THEN it is a located error", (uri, extra, message) => {
    const { diagnostics } = project({ aaa: unit("aaa", queue(uri, extra)) });
    expect(diagnostics).toStrictEqual([
      `units/aaa.yaml:12:49: services.print.queues[0].deviceUri: ${message}`,
    ]);
  });

  it("GIVEN a socket printer with a model (not driverless) WHEN loaded THEN it is fine", () => {
    expect(
      project({
        aaa: unit(
          "aaa",
          queue("socket://ploter.aaa.lodz.pl:9100", ", driverless: false, model: HP DesignJet T830"),
        ),
      }).diagnostics,
    ).toStrictEqual([]);
  });

  it("GIVEN two units whose queues get the same CUPS name WHEN loaded THEN the clash is located", () => {
    const { diagnostics } = project({
      aaa: unit(
        "aaa",
        `  print:\n    queues: [{ name: b-sekretariat, location: x, deviceUri: "ipps://d.aaa.lodz.pl/ipp/print" }]\n`,
      ),
      "aaa-b": unit(
        "aaa-b",
        `  print:\n    queues: [{ name: sekretariat, location: x, deviceUri: "ipps://d.aaa-b.lodz.pl/ipp/print" }]\n`,
      ),
    });
    expect(diagnostics).toStrictEqual([
      'units/aaa.yaml:11:22: services.print.queues[0].name: queue "b-sekretariat" has the CUPS name "aaa-b-sekretariat", which is already claimed by unit aaa-b (units/aaa-b.yaml:11:22) (CUPS queue names are <id>-<name> and must be unique across units: rename the queue)',
    ]);
  });
});
