import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCliIn } from "../helpers/manifests";
import { copyOfRepo } from "../5-plan/project";

/** MOPS, wave `wave`, with the given services block. */
function mops(wave: number, services: string): string {
  return [
    "id: mops",
    "name: Miejski Ośrodek Pomocy Społecznej w Łodzi",
    "shortName: MOPS",
    "address: { street: ul. Próchnika 7, postalCode: 90-408, city: Łódź }",
    "costCentre: MPK-MOPS-01",
    "roles:",
    "  localAdministrators: [{ kind: group, name: mops-administratorzy }]",
    "  operationsLeads: [{ kind: user, name: jan.kowalski@mops.lodz.pl }]",
    `lifecycle: { state: active, wave: ${wave} }`,
    services,
    "",
  ].join("\n");
}

describe("muni validate without --stack: every manifest against every stack that takes it", () => {
  it("GIVEN MOPS with a host name outside the city's suffix, a VM larger than its quota and a quota over the central capacity WHEN plain `muni validate` runs from a subfolder THEN all three are found, located, per stack, exit 1", async () => {
    // GIVEN
    const root = copyOfRepo();
    writeFileSync(
      join(root, "units", "mops.yaml"),
      mops(
        1,
        [
          "services:",
          "  web: { sites: [{ hostname: mops.example.org, kind: www }] }",
          '  servers: { quota: { cpu: "4", memory: 2Ti, storage: 100Gi }, vms: [{ name: app, cpu: 8, memory: 4Gi, disk: 50Gi, image: debian-12 }] }',
        ].join("\n"),
      ),
    );
    mkdirSync(join(root, "docs"));
    // WHEN
    const r = await runCliIn(join(root, "docs"), ["validate"]);
    // THEN
    const at = (s: string) => s.split(`${root}/`).join("");
    expect(r.code).toBe(1);
    expect(r.out).toStrictEqual([]);
    const err = r.err.map(at).map((l) => l.replace(/:\d+:\d+:/, ":L:C:"));
    expect(err).toStrictEqual([
      'stacks/Pulumi.lodz-prod.yaml:L:C: config["muni:settings"].capacity.memory: the memory quotas of the 4 provisioned units sum to 2184Gi, over the central capacity 1Ti × over-commit 1.5 = 1536Gi; largest: mops 2Ti (units/mops.yaml:12:41), css 64Gi (units/css.yaml:61:15), mpu 48Gi (units/mpu.yaml:64:15) (raise capacity.memory to at least 1456Gi (at over-commit 1.5) or capacity.overcommit, or lower the largest units\' quotas)',
      'stacks/Pulumi.lodz-staging.yaml:L:C: config["muni:settings"].capacity.memory: the memory quotas of the 4 provisioned units sum to 2184Gi, over the central capacity 256Gi × over-commit 2 = 512Gi; largest: mops 2Ti (units/mops.yaml:12:41), css 64Gi (units/css.yaml:61:15), mpu 48Gi (units/mpu.yaml:64:15) (raise capacity.memory to at least 1092Gi (at over-commit 2) or capacity.overcommit, or lower the largest units\' quotas)',
      'units/mops.yaml:L:C: services.web.sites[0].hostname: "mops.example.org" is not under an allowed site suffix of stack lodz-prod (use a hostname ending in lodz.pl)',
      'units/mops.yaml:L:C: services.web.sites[0].hostname: "mops.example.org" is not under an allowed site suffix of stack lodz-staging (use a hostname ending in lodz.pl)',
      "units/mops.yaml:L:C: services.servers.vms[0].cpu: virtual machine \"app\" (8 vCPU, 4Gi + 329Mi overhead, disk 50Gi) brings the unit's CPU (limits) to 8500m, over its quota 4 (services.servers.quota.cpu at units/mops.yaml:12:28); its sites and VMs need 8500m in all; requests 8050m (raise services.servers.quota.cpu to at least 8500m, or make the unit's sites or VMs smaller)",
      "5 problems in 3 of 4 files; checked against stacks lodz-prod (4 units: css, mops, mpu, zzm), lodz-staging (4 units: css, mops, mpu, zzm)",
    ]);
  });

  it("GIVEN MOPS of wave 2, which lodz-prod does not take WHEN validated THEN it is checked against lodz-staging only, valid, and lodz-prod is named as not taking it", async () => {
    // GIVEN
    const root = copyOfRepo();
    writeFileSync(join(root, "units", "mops.yaml"), mops(2, "services:\n  internet: { bandwidthMbps: 50 }"));
    // WHEN
    const r = await runCliIn(root, ["validate", "units/mops.yaml"]);
    // THEN
    expect(r).toStrictEqual({
      code: 0,
      out: [
        "1 manifest valid: mops",
        "checked against stacks lodz-prod (0 units), lodz-staging (1 unit: mops)",
      ],
      err: [],
    });
  });

  it("GIVEN a unit no stack takes WHEN validated THEN it is valid, with a warning that it is never deployed and why", async () => {
    // GIVEN: staging narrowed to labels, prod to wave 1
    const root = copyOfRepo();
    const staging = join(root, "stacks", "Pulumi.lodz-staging.yaml");
    const text = require("node:fs").readFileSync(staging, "utf8") as string;
    writeFileSync(
      staging,
      text.replace(
        "      directories: [units]\n",
        "      directories: [units]\n      ids: [mpu, zzm, css]\n",
      ),
    );
    writeFileSync(join(root, "units", "mops.yaml"), mops(3, "services:\n  internet: { bandwidthMbps: 50 }"));
    // WHEN
    const r = await runCliIn(root, ["validate"]);
    // THEN
    expect(r).toStrictEqual({
      code: 0,
      out: [
        "4 manifests valid: css, mops, mpu, zzm",
        "checked against stacks lodz-prod (3 units: css, mpu, zzm), lodz-staging (3 units: css, mpu, zzm)",
      ],
      err: [
        "warning: units/mops.yaml: unit mops is taken by no stack, so it is never deployed (lodz-prod: units.ids [mpu, zzm, css] does not list mops; its wave 3 is not in units.waves [1]; lodz-staging: units.ids [mpu, zzm, css] does not list mops): give it a wave a stack takes (units.waves), or add it to a stack's units.ids",
      ],
    });
  });
});
