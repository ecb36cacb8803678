import fc from "fast-check";
import { join } from "node:path";
import { type DataHistory, dataItemsOf, type Unit } from "../../../infra/1-model";
import { loadProject } from "../../../infra/3-rules/project";
import { checkRetirements, unknownRetirements } from "../../../infra/3-rules/lifecycle";
import { nextHistory, retireRef } from "../../../infra/5-plan/data-record";
import { renderUnit } from "../../../infra/4-builders/render";
import { buildMailServer } from "../../../infra/4-builders/mail/server";
import { retainedData } from "../../../infra/4-builders/retention";
import { readLedger } from "../../../infra/2-manifest/ledger";
import { readLedgerPart } from "../../../infra/2-manifest/ledger-entry";
import { writeTempFile } from "../../helpers/manifests";
import { stringify } from "yaml";

// The retirement guard and the ledger's data record, pure, over the Łódź units as lodz-prod serves them.
const project = loadProject(join(__dirname, "..", "..", ".."), "lodz-prod");
const settings = project.stack!.settings;
const units = new Map(project.units.map((u) => [u.unit.id, u]));
const TODAY = "2027-02-15";
const STACK = { name: "lodz-prod" };

/** A unit's data record as the ledger holds it before any change. */
function recorded(unit: Unit): DataHistory {
  return nextHistory({ namespaces: [], vms: {}, sites: {}, mailboxes: {}, retired: [] }, unit, settings, {
    today: TODAY,
  });
}

/** The unit without the items `drop` names (`kind/name`), as a careless or hostile edit of its manifest. */
function without(unit: Unit, drop: ReadonlySet<string>): Unit {
  const s = unit.services;
  const keep = (kind: string, name: string) => !drop.has(`${kind}/${name}`);
  return {
    ...unit,
    services: {
      ...s,
      ...(s.servers
        ? { servers: { ...s.servers, vms: s.servers.vms.filter((v) => keep("vm", v.name)) } }
        : {}),
      ...(s.web
        ? {
            web: {
              ...s.web,
              sites: s.web.sites.filter((x) => keep("site", x.hostname)) as typeof s.web.sites,
            },
          }
        : {}),
      ...(s.mail
        ? {
            mail: {
              ...s.mail,
              mailboxes: s.mail.mailboxes.filter((m) => keep("mailbox", `${m.localPart}@${s.mail!.domain}`)),
            },
          }
        : {}),
    },
  };
}

/** Every `kind/name` that holds data in a unit now (the implicit postmaster is not removable by editing mailboxes). */
function removable(unit: Unit): string[] {
  const items = dataItemsOf(unit);
  return [
    ...items.vm.map((n) => `vm/${n}`),
    ...items.site.map((n) => `site/${n}`),
    ...items.mailbox.filter((a) => !a.startsWith("postmaster@")).map((a) => `mailbox/${a}`),
  ];
}

describe("checkRetirements: whatever a unit's staff remove, each removal needs its retirement", () => {
  it("GIVEN any subset of a Łódź unit's VMs, sites and mailboxes removed, some of them being retired in this run WHEN checked THEN exactly the others are refused, each naming its own --retire command", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...units.keys()),
        fc.infiniteStream(fc.tuple(fc.boolean(), fc.boolean())),
        (id, coins) => {
          const u = units.get(id)!;
          const all = removable(u.unit);
          const picks = all.map(() => coins.next().value as [boolean, boolean]);
          const removed = all.filter((_, i) => picks[i]![0]);
          const retiring = new Set(removed.filter((_, i) => picks[i]![1]).map((r) => `${id}/${r}`));
          const findings = checkRetirements(
            { [id]: { provisioned: true, data: recorded(u.unit) } },
            [{ file: u.file, unit: without(u.unit, new Set(removed)) }],
            settings,
            { previousSource: "ledger L", stack: STACK, retiring },
          );
          const expected = removed.filter((r) => !retiring.has(`${id}/${r}`));
          expect(findings.map((f) => /--retire (\S+) --write/.exec(f.hint!)![1])).toStrictEqual(
            // in the guard's order: VMs, sites, mailboxes, each as the ledger lists them
            ["vm", "site", "mailbox"]
              .flatMap((k) => expected.filter((r) => r.startsWith(`${k}/`)))
              .map((r) => `${id}/${r}`),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("GIVEN a unit not provisioned per the ledger, or whose entry records no data yet WHEN its VMs are removed THEN the guard has nothing to compare with (a ledger from before data records: `muni ledger --write` adds them, and CI's ledger check keeps them up to date)", () => {
    const u = units.get("mpu")!;
    const gone = without(u.unit, new Set(["vm/gis", "vm/archiwum-planow"]));
    const opts = { previousSource: "ledger L", stack: STACK };
    expect(
      checkRetirements(
        { mpu: { provisioned: false, data: recorded(u.unit) } },
        [{ file: u.file, unit: gone }],
        settings,
        opts,
      ),
    ).toStrictEqual([]);
    expect(
      checkRetirements({ mpu: { provisioned: true } }, [{ file: u.file, unit: gone }], settings, opts),
    ).toStrictEqual([]);
  });

  it("GIVEN --retire requests WHEN they name nothing removed THEN each is refused with why", () => {
    const u = units.get("mpu")!;
    const rec = { mpu: { provisioned: true, data: recorded(u.unit) } };
    const current = [{ file: u.file, unit: without(u.unit, new Set(["vm/gis"])) }];
    expect(
      unknownRetirements(
        ["mpu/vm/gis", "mpu/vm/archiwum-planow", "mpu/disk/x", "mpu/vm", "nope/vm/gis", "mpu/site/x.lodz.pl"],
        rec,
        current,
      ),
    ).toStrictEqual([
      `mpu/vm/archiwum-planow: unit "mpu"'s manifest still declares it: remove it from ${u.file} first`,
      "mpu/disk/x: expected <unit>/<kind>/<name> with kind one of vm, site, mailbox",
      "mpu/vm: expected <unit>/<kind>/<name> with kind one of vm, site, mailbox",
      'nope/vm/gis: the ledger records no data of a unit "nope" among the stack\'s units',
      'mpu/site/x.lodz.pl: the ledger records no site "x.lodz.pl" held by unit "mpu"',
    ]);
  });
});

describe("nextHistory and the renders that follow it", () => {
  const mpu = units.get("mpu")!.unit;
  const before = recorded(mpu);

  it("GIVEN the Łódź units THEN the record lists their VMs, sites, mailboxes (incarnation 1) and both data namespaces", () => {
    expect(before).toStrictEqual({
      namespaces: ["unit-mpu", "unit-mpu-vm"],
      vms: {
        gis: { cpu: 4, memory: "16Gi", disk: "500Gi", image: "windows-server-2022" },
        "archiwum-planow": { cpu: 2, memory: "4Gi", disk: "800Gi", image: "debian-12" },
      },
      sites: {
        "mpu.lodz.pl": { kind: "www", storage: "5Gi" },
        "bip.mpu.lodz.pl": { kind: "bip", storage: "10Gi" },
      },
      mailboxes: {
        "sekretariat@mpu.lodz.pl": 1,
        "dyrektor@mpu.lodz.pl": 1,
        "anna.wisniewska@mpu.lodz.pl": 1,
        "piotr.zielinski@mpu.lodz.pl": 1,
        "postmaster@mpu.lodz.pl": 1,
      },
      retired: [],
    });
  });

  it("GIVEN every VM and site retired WHEN rendered with the record THEN the same data-bearing objects, under the same keys and names, remain (the VMs halted), and no namespace goes", () => {
    const gone = without(
      mpu,
      new Set(["vm/gis", "vm/archiwum-planow", "site/mpu.lodz.pl", "site/bip.mpu.lodz.pl"]),
    );
    const retiring = new Set(
      ["vm/gis", "vm/archiwum-planow", "site/mpu.lodz.pl", "site/bip.mpu.lodz.pl"].map((r) => `mpu/${r}`),
    );
    const after = nextHistory(before, gone, settings, { today: TODAY, retiring });
    const kept = (objects: ReturnType<typeof renderUnit>) =>
      objects
        .filter((d) => d.dataBearing || d.object.kind === "Namespace")
        .map((d) => [d.key, d.object.kind, d.object.metadata.namespace ?? "", d.object.metadata.name]);
    expect(kept(renderUnit(gone, settings, undefined, after))).toStrictEqual(kept(renderUnit(mpu, settings)));
    const vms = renderUnit(gone, settings, undefined, after).filter(
      (d) => d.object.kind === "VirtualMachine",
    );
    expect(vms.map((d) => (d.object.spec as { runStrategy: string }).runStrategy)).toStrictEqual([
      "Halted",
      "Halted",
    ]);
    expect(after.namespaces).toStrictEqual(["unit-mpu", "unit-mpu-vm"]);
    expect(retireRef("mpu", "vm", "gis")).toBe("mpu/vm/gis");
  });

  it("GIVEN a re-created address WHEN the unit renders THEN its tenant Secret moves the mailbox to a new maildir (the tenant sync reloads the server); the mail server's pod is the same whatever the records", () => {
    const tables = (h: DataHistory) => {
      const secret = renderUnit(mpu, settings, undefined, h).find((d) => d.key === "mail-tenant")!
        .object as unknown as {
        stringData: Record<string, string>;
      };
      const line = (file: string) =>
        secret.stringData[file]!.split("\n").find((l) => l.startsWith("dyrektor@mpu.lodz.pl"));
      return { users: line("users"), vmailbox: line("vmailbox") };
    };
    const first = tables(before);
    expect(first.vmailbox).toBe("dyrektor@mpu.lodz.pl mpu.lodz.pl/dyrektor/");
    const again: DataHistory = {
      ...before,
      mailboxes: { ...before.mailboxes, "dyrektor@mpu.lodz.pl": 2 },
      retired: [{ kind: "mailbox", name: "dyrektor@mpu.lodz.pl", on: TODAY, kept: [], incarnation: 1 }],
    };
    const second = tables(again);
    expect(second.vmailbox).toBe("dyrektor@mpu.lodz.pl mpu.lodz.pl/dyrektor~2/");
    expect(second.users).toContain("::/srv/mail/mpu.lodz.pl/dyrektor~2::");
    // The server reads its tenants at run time: nothing of a unit's records reaches its pod template.
    expect(buildMailServer(settings)).toStrictEqual(buildMailServer(settings));
  });

  it("GIVEN a VM retired earlier WHEN the unit is later decommissioned THEN retainedData lists both namespaces, every VM with its disk (the halted retired VM's too), every site volume and every mailbox directory", () => {
    const gone = without(mpu, new Set(["vm/archiwum-planow"]));
    const after = nextHistory(before, gone, settings, {
      today: TODAY,
      retiring: new Set(["mpu/vm/archiwum-planow"]),
    });
    const approval = {
      approvedBy: "Jan Kowalski",
      approvedOn: "2027-01-10",
      reference: "DI.1",
      expiresOn: "2027-12-31",
    };
    const decommissioned = {
      ...gone,
      lifecycle: { ...gone.lifecycle, state: "decommissioned" as const, approval },
    };
    const listed = retainedData(decommissioned, settings, after).map(
      (r) => `${r.kind} ${r.namespace}/${r.name}`,
    );
    expect(listed).toStrictEqual([
      "Namespace unit-mpu/unit-mpu",
      "Namespace unit-mpu-vm/unit-mpu-vm",
      "PersistentVolumeClaim unit-mpu/mpu-lodz-pl-content",
      "PersistentVolumeClaim unit-mpu/bip-mpu-lodz-pl-content",
      "VirtualMachine unit-mpu-vm/gis",
      "VirtualMachine unit-mpu-vm/archiwum-planow",
      "Maildir platform-mail/mpu.lodz.pl/sekretariat",
      "Maildir platform-mail/mpu.lodz.pl/dyrektor",
      "Maildir platform-mail/mpu.lodz.pl/anna.wisniewska",
      "Maildir platform-mail/mpu.lodz.pl/piotr.zielinski",
      "Maildir platform-mail/mpu.lodz.pl/postmaster",
      "PersistentVolumeClaim unit-mpu-vm/archiwum-planow-system",
    ]);
  });

  it("GIVEN a city whose ledger passes a unit manifest's 1 MiB (data records of thousands of units) WHEN read whole or one entry THEN it reads", () => {
    const units = Object.fromEntries(
      Array.from({ length: 2500 }, (_, i) => [
        `u${i}`,
        {
          state: "active",
          wave: 1,
          provisioned: true,
          file: `units/u${i}.yaml`,
          data: JSON.parse(JSON.stringify({ ...before, retired: [] })) as unknown,
        },
      ]),
    );
    const text = stringify({ units }, { lineWidth: 0 });
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const file = writeTempFile("big.units.yaml", text);
    const whole = readLedger(file);
    expect([whole.diagnostics, Object.keys(whole.ledger!.units).length]).toStrictEqual([[], 2500]);
    const part = readLedgerPart(file, { unit: "u2499" });
    expect([part.diagnostics, part.ledger!.units.u2499!.data!.vms]).toStrictEqual([[], before.vms]);
  });
});
