import { expectAccepted, expectRefused, settingAt, unitYaml, hostileSuite } from "./hostile";

// Issue 13, point 2: a unit's DNS names lie in the zones the stack delegates to it. The mock runtime is
// installed before the program is imported.
const { program, project } = hostileSuite();

const site = (hostname: string) => `  web:\n    sites: [{ hostname: ${hostname}, kind: www }]`;
const mail = (domain: string) => `  mail: { domain: ${domain}, mailboxLimit: 5 }`;

describe("GIVEN a hostile unit claiming DNS names it was not given", () => {
  it("WHEN it claims the city hall's mail domain (to receive mail other units send there) THEN all three refuse it", async () => {
    const root = project({ units: { wrogi: unitYaml("wrogi", mail("uml.lodz.pl")) } });
    await expectRefused(root, program, [
      `units/wrogi.yaml:11:19: services.mail.domain: mail domain "uml.lodz.pl" is a name the stack reserves (the city hall's own) "uml.lodz.pl" (${settingAt(["tenancy", "reservedNames", 0])}): no unit may hold it (use a name under the unit's zone wrogi.lodz.pl)`,
    ]);
  });

  it("WHEN it claims the apex, the MX host and a name under the city hall's domain for sites (each with a public TLS certificate) THEN each is refused", async () => {
    const root = project({
      units: {
        wrogi: unitYaml(
          "wrogi",
          `  servers: { quota: { cpu: "4", memory: 8Gi, storage: 100Gi } }\n  web:\n    sites:\n      - { hostname: lodz.pl, kind: www }\n      - { hostname: mail.lodz.pl, kind: www }\n      - { hostname: bip.uml.lodz.pl, kind: bip }`,
        ),
      },
    });
    await expectRefused(root, program, [
      `units/wrogi.yaml:14:21: services.web.sites[0].hostname: site hostname "lodz.pl" is the apex of the city's DNS suffix "lodz.pl" (${settingAt(["dnsSuffixes", "sites", 0])}): no unit may hold it (use a name under the unit's zone wrogi.lodz.pl)`,
      `units/wrogi.yaml:15:21: services.web.sites[1].hostname: site hostname "mail.lodz.pl" is the mail platform's host (MX, IMAP and submission) "mail.lodz.pl": no unit may hold it (use a name under the unit's zone wrogi.lodz.pl)`,
      `units/wrogi.yaml:16:21: services.web.sites[2].hostname: site hostname "bip.uml.lodz.pl" is under a name the stack reserves (the city hall's own) "uml.lodz.pl" (${settingAt(["tenancy", "reservedNames", 0])}): no unit may hold it (use a name under the unit's zone wrogi.lodz.pl)`,
    ]);
  });

  it("WHEN it claims another unit's subdomains for a site and its mail THEN both are refused, naming the other unit's file", async () => {
    const root = project({
      units: {
        wrogi: unitYaml("wrogi", `${mail("kadry.mpu.lodz.pl")}\n${site("www.zzm.lodz.pl")}`),
      },
    });
    await expectRefused(root, program, [
      `units/wrogi.yaml:11:19: services.mail.domain: mail domain "kadry.mpu.lodz.pl" lies in zone "mpu.lodz.pl" of unit mpu (units/mpu.yaml:3:5) (use a name under wrogi.lodz.pl, or ask the central administrators to delegate the zone in the stack's tenancy.zones.wrogi)`,
      `units/wrogi.yaml:13:25: services.web.sites[0].hostname: site hostname "www.zzm.lodz.pl" lies in zone "zzm.lodz.pl" of unit zzm (units/zzm.yaml:3:5) (use a name under wrogi.lodz.pl, or ask the central administrators to delegate the zone in the stack's tenancy.zones.wrogi)`,
    ]);
  });

  it("WHEN its id makes its default zone hold the MX host (id mail) or the city hall's domain (id uml) THEN the id is refused", async () => {
    const root = project({ units: { mail: unitYaml("mail"), uml: unitYaml("uml") } });
    await expectRefused(root, program, [
      `units/mail.yaml:1:5: id: zone "mail.lodz.pl" of unit mail (the default zone <id>.<first suffix>: no tenancy.zones.mail in the stack) is "mail.lodz.pl", the mail platform's host (MX, IMAP and submission) (choose another unit id, or have the central administrators delegate the unit's zones in tenancy.zones)`,
      `units/uml.yaml:1:5: id: zone "uml.lodz.pl" of unit uml (the default zone <id>.<first suffix>: no tenancy.zones.uml in the stack) is "uml.lodz.pl", a name the stack reserves (the city hall's own) (${settingAt(["tenancy", "reservedNames", 0])}) (choose another unit id, or have the central administrators delegate the unit's zones in tenancy.zones)`,
    ]);
  });

  it("WHEN it names a host outside every zone (a free name under the city suffix) THEN it is refused", async () => {
    const root = project({ units: { wrogi: unitYaml("wrogi", site("urzad-miasta.lodz.pl")) } });
    await expectRefused(root, program, [
      `units/wrogi.yaml:12:25: services.web.sites[0].hostname: site hostname "urzad-miasta.lodz.pl" is outside the unit's zone wrogi.lodz.pl (the default zone; the stack sets no tenancy.zones.wrogi) (use a name under wrogi.lodz.pl, or ask the central administrators to delegate the zone in the stack's tenancy.zones.wrogi)`,
    ]);
  });

  it("WHEN the print server's and the ingress controller's hosts are claimed THEN both are refused as reserved", async () => {
    const root = project({
      units: {
        wrogi: unitYaml(
          "wrogi",
          `  web:\n    sites:\n      - { hostname: druk.lodz.pl, kind: www }\n      - { hostname: lb.ingress.lodz.pl, kind: www }`,
        ),
      },
      settings: (s) => {
        s.platform.print.hostname = "druk.lodz.pl";
        s.tenancy.ingressHosts = ["ingress.lodz.pl"];
      },
    });
    await expectRefused(root, program, [
      expect.stringMatching(
        /^units\/wrogi\.yaml:13:21: services\.web\.sites\[0\]\.hostname: site hostname "druk\.lodz\.pl" is the print server's host "druk\.lodz\.pl" \(stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+\): no unit may hold it/,
      ),
      expect.stringMatching(
        /^units\/wrogi\.yaml:14:21: services\.web\.sites\[1\]\.hostname: site hostname "lb\.ingress\.lodz\.pl" is under a host of the ingress controller "ingress\.lodz\.pl" \(stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+\): no unit may hold it/,
      ),
    ] as never);
  });
});

describe("GIVEN zones the stack delegates", () => {
  it("WHEN a delegation holds the apex THEN the stack file is refused at the delegation, and no unit is blamed for it", async () => {
    const root = project({
      settings: (s) => {
        s.tenancy.zones = { inna: ["lodz.pl"] };
      },
    });
    await expectRefused(root, program, [
      expect.stringMatching(
        /^stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+: config\["muni:settings"\]\.tenancy\.zones\.inna\[0\]: zone "lodz\.pl" of unit inna is "lodz\.pl", the apex of the city's DNS suffix \(stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+\) \(delegate a zone under the unit's own name, e\.g\. <id>\.<suffix>\)$/,
      ),
    ] as never);
  });

  it("WHEN a delegation overlaps another unit's default zone (the delegated unit sorts first) THEN the delegation is refused, naming the other unit's file", async () => {
    const root = project({
      units: { aaa: unitYaml("aaa") },
      settings: (s) => {
        s.tenancy.zones = { aaa: ["aaa.lodz.pl", "bip.mpu.lodz.pl"] };
      },
    });
    await expectRefused(root, program, [
      expect.stringMatching(
        /^stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+: config\["muni:settings"\]\.tenancy\.zones\.aaa\[1\]: zone "bip\.mpu\.lodz\.pl" of unit aaa overlaps zone "mpu\.lodz\.pl" of unit mpu \(units\/mpu\.yaml:3:5\) \(a name belongs to one unit: delegate zones that do not nest\)$/,
      ),
    ] as never);
  });

  it("WHEN a unit uses a zone delegated to it (osir.lodz.pl for unit osrodek) and mail aliases pointing outside THEN all three accept it", async () => {
    const root = project({
      units: {
        osrodek: unitYaml(
          "osrodek",
          `  mail:\n    domain: osir.lodz.pl\n    mailboxLimit: 5\n    mailboxes: [{ localPart: biuro, displayName: Biuro }]\n    aliases: [{ name: iod, to: [iod@uml.lodz.pl] }]\n${site("bip.osir.lodz.pl")}`,
        ),
      },
      settings: (s) => {
        s.tenancy.zones = { osrodek: ["osrodek.lodz.pl", "osir.lodz.pl"] };
      },
    });
    await expectAccepted(root, program);
  });
});
