import { join } from "node:path";
import { SETTINGS_PATH } from "../../infra/2-manifest/stack";
import { readYamlFile } from "../../infra/2-manifest/yaml-source";
import { at, tempProject, validateStack } from "../4-builders/vm/temp-project";

const PROD = "stacks/Pulumi.lodz-prod.yaml";

/** `stacks/Pulumi.lodz-prod.yaml:L:C` of a setting in the committed file (the edits below keep its lines). */
function prodSetting(path: ReadonlyArray<string | number>): string {
  const parsed = readYamlFile(join(__dirname, "..", "..", PROD));
  if (!parsed.ok) throw new Error(`${PROD} does not parse`);
  const { line, col } = parsed.source.locate([...SETTINGS_PATH, ...path]);
  return `${PROD}:${line}:${col}`;
}

describe("validation-time quota and capacity checks (loadProject, as muni validate and the program load)", () => {
  it("GIVEN the Łódź units and stacks as committed WHEN validated THEN both stacks are valid", () => {
    const dir = tempProject();
    expect(validateStack(dir, "lodz-prod")).toStrictEqual([]);
    expect(validateStack(dir, "lodz-staging")).toStrictEqual([]);
  });

  it("GIVEN a VM whose memory takes mpu over its 48Gi quota WHEN validated THEN the error is located at that VM's memory, with the arithmetic", () => {
    // GIVEN: archiwum-planow grows from 4Gi to 40Gi.
    const dir = tempProject([
      {
        file: "units/mpu.yaml",
        from: "        memory: 4Gi\n        disk: 800Gi",
        to: "        memory: 40Gi\n        disk: 800Gi",
      },
    ]);
    // WHEN
    const got = validateStack(dir);
    // THEN: sites 4 × 128Mi = 512Mi; gis 16Gi + 321Mi overhead (256Mi + 4 × 8Mi + ⌈0.002 × 16Gi⌉ = 32.8Mi);
    // archiwum-planow 40Gi + 354Mi (256Mi + 2 × 8Mi + 81.9Mi) → 512 + 16705 + 41314 = 58531Mi > 49152Mi.
    // Requests: 4 × 64Mi + 16705Mi + 41314Mi = 58275Mi.
    expect(got).toStrictEqual([
      `${at(dir, "units/mpu.yaml", "memory: 40Gi", 8)}: services.servers.vms[1].memory: virtual machine "archiwum-planow" (2 vCPU, 40Gi + 354Mi overhead, disk 800Gi) brings the unit's memory (limits) to 58531Mi, over its quota 48Gi (services.servers.quota.memory at ${at(dir, "units/mpu.yaml", "memory: 48Gi", 8)}); its sites and VMs need 58531Mi in all; requests 58275Mi (raise services.servers.quota.memory to at least 58531Mi, or make the unit's sites or VMs smaller)`,
    ]);
  });

  it("GIVEN a fractional CPU quota (2.5) below a VM plus sites WHEN validated THEN the VM's cpu is blamed with limits and requests", () => {
    // GIVEN: zzm's quota cpu "8" → "2.5"; its two 1-replica sites take 2 × 500m limits, its VM 2 vCPU.
    const dir = tempProject([{ file: "units/zzm.yaml", from: 'cpu: "8"', to: 'cpu: "2.5"' }]);
    // WHEN / THEN
    expect(validateStack(dir)).toStrictEqual([
      `${at(dir, "units/zzm.yaml", "cpu: 2", 5)}: services.servers.vms[0].cpu: virtual machine "ewidencja-drzew" (2 vCPU, 8Gi + 289Mi overhead, disk 200Gi) brings the unit's CPU (limits) to 3, over its quota 2500m (services.servers.quota.cpu at ${at(dir, "units/zzm.yaml", 'cpu: "2.5"', 5)}); its sites and VMs need 3 in all; requests 2100m (raise services.servers.quota.cpu to at least 3, or make the unit's sites or VMs smaller)`,
    ]);
  });

  it("GIVEN a quota of exactly what the VM and sites need WHEN validated THEN it fits (the edge is inclusive)", () => {
    // GIVEN: zzm needs 3 CPU (limits) and, with sites 2 × 128Mi and the VM 8Gi + 289Mi, 8737Mi of memory.
    const dir = tempProject([
      { file: "units/zzm.yaml", from: 'cpu: "8"', to: "cpu: 3000m" },
      { file: "units/zzm.yaml", from: "memory: 24Gi", to: "memory: 8737Mi" },
    ]);
    expect(validateStack(dir)).toStrictEqual([]);
    // AND one MiB less is over.
    const tight = tempProject([{ file: "units/zzm.yaml", from: "memory: 24Gi", to: "memory: 8736Mi" }]);
    expect(validateStack(tight)).toHaveLength(1);
    expect(validateStack(tight)[0]).toContain(
      "brings the unit's memory (limits) to 8737Mi, over its quota 8736Mi",
    );
  });

  it("GIVEN a site whose content volume alone overflows the storage quota WHEN validated THEN the site's storage is blamed, before the VM", () => {
    // GIVEN: zzm's BIP content 5Gi → 1020Gi; quota 1Ti; the www site has 5Gi.
    const dir = tempProject([
      {
        file: "units/zzm.yaml",
        from: "kind: bip\n        title: Biuletyn Informacji Publicznej ZZM w Łodzi\n        storage: 5Gi",
        to: "kind: bip\n        title: Biuletyn Informacji Publicznej ZZM w Łodzi\n        storage: 1020Gi",
      },
    ]);
    expect(validateStack(dir)).toStrictEqual([
      `${at(dir, "units/zzm.yaml", "storage: 1020Gi", 9)}: services.web.sites[1].storage: site "bip.zzm.lodz.pl" (1 replica × web.resources of stack lodz-prod, content 1020Gi) brings the unit's storage to 1025Gi, over its quota 1Ti (services.servers.quota.storage at ${at(dir, "units/zzm.yaml", "storage: 1Ti", 9)}); its sites and VMs need 1225Gi in all (raise services.servers.quota.storage to at least 1225Gi, or make the unit's sites or VMs smaller)`,
    ]);
  });

  it("GIVEN a unit with sites but no servers enrolment WHEN its sites exceed the stack's defaultQuota THEN each dimension is reported against defaultQuota", () => {
    // GIVEN: a unit with 6 sites of 2 replicas: 12 pods, 6 volumes, 6 CPU limits, 1536Mi memory limits, 6Gi storage.
    const sites = Array.from(
      { length: 6 },
      (_, i) => `    - { hostname: s${i}.portal.lodz.pl, kind: www, replicas: 2 }`,
    ).join("\n");
    const dir = tempProject([
      { file: PROD, from: "ids: [mpu, zzm, css]", to: "ids: [mpu, zzm, css, portal]" },
    ]);
    require("node:fs").writeFileSync(
      `${dir}/units/portal.yaml`,
      `id: portal
name: Portal miejski
shortName: PM
address: { street: ul. Piotrkowska 104, postalCode: 90-926, city: Łódź }
costCentre: MPK-PM
roles:
  localAdministrators: [{ kind: user, name: admin@portal.lodz.pl }]
  operationsLeads: [{ kind: user, name: admin@portal.lodz.pl }]
lifecycle: { state: active, wave: 1 }
services:
  web:
   sites:
${sites}
`,
    );
    // WHEN
    const got = validateStack(dir);
    // THEN: defaultQuota is cpu 1, memory 2Gi, storage 10Gi, pods 10, volumes 5 (schema defaults; the stack file sets none).
    // The stack file sets no defaultQuota: the location is the settings themselves.
    const dq = at(dir, PROD, "cluster:", 0);
    const site = (i: number, field: string) =>
      `${at(dir, "units/portal.yaml", `s${i}.portal`, field === "replicas" ? 40 : 0)}: services.web.sites[${i}].${field}`;
    expect(got).toStrictEqual([
      `${site(1, "replicas")}: site "s1.portal.lodz.pl" (2 replicas × web.resources of stack lodz-prod, content 1Gi) brings the unit's CPU (limits) to 2, over its quota 1 (defaultQuota.cpu of stack lodz-prod at ${dq}); its sites and VMs need 6 in all; requests 600m (enrol the unit in servers with services.servers.quota.cpu of at least 6, or make its sites smaller)`,
      `${site(5, "hostname")}: site "s5.portal.lodz.pl" (2 replicas × web.resources of stack lodz-prod, content 1Gi) brings the unit's persistent volume claims to 6, over its quota 5 (defaultQuota.volumes of stack lodz-prod at ${dq}); its sites and VMs need 6 in all (enrol the unit in servers with services.servers.quota.volumes of at least 6, or make its sites smaller)`,
      `${site(5, "replicas")}: site "s5.portal.lodz.pl" (2 replicas × web.resources of stack lodz-prod, content 1Gi) brings the unit's pods to 12, over its quota 10 (defaultQuota.pods of stack lodz-prod at ${dq}); its sites and VMs need 12 in all (enrol the unit in servers with services.servers.quota.pods of at least 12, or make its sites smaller)`,
    ]);
  });

  it("GIVEN unit quotas summing over the central CPU capacity × over-commit WHEN validated THEN the stack's capacity.cpu is blamed, naming the largest units", () => {
    // GIVEN: capacity 20 CPU × 1.5 = 30 < 16 + 12 + 8 = 36.
    const dir = tempProject([{ file: PROD, from: 'cpu: "256"', to: 'cpu: "20"' }]);
    expect(validateStack(dir)).toStrictEqual([
      `<root>/${prodSetting(["capacity", "cpu"])}: config["muni:settings"].capacity.cpu: the cpu quotas of the 3 provisioned units sum to 36, over the central capacity 20 × over-commit 1.5 = 30; largest: css 16 (${at(dir, "units/css.yaml", 'cpu: "16"', 5)}), mpu 12 (${at(dir, "units/mpu.yaml", 'cpu: "12"', 5)}), zzm 8 (${at(dir, "units/zzm.yaml", 'cpu: "8"', 5)}) (raise capacity.cpu to at least 24 (at over-commit 1.5) or capacity.overcommit, or lower the largest units' quotas)`,
    ]);
  });

  it("GIVEN memory and storage capacity exactly at the sum / over-commit WHEN validated THEN it fits; one step less is over", () => {
    // GIVEN: quotas sum to 64 + 48 + 24 = 136Gi memory and 3 + 2 + 1 = 6Ti storage; 1.5 × 90.67Gi ≥ 136Gi needs 92843Mi (1.5 × 92843Mi = 139264.5Mi ≥ 139264Mi).
    const fits = tempProject([
      { file: PROD, from: "memory: 1Ti\n      storage: 100Ti", to: "memory: 92843Mi\n      storage: 4Ti" },
    ]);
    expect(validateStack(fits)).toStrictEqual([]);
    const over = tempProject([
      {
        file: PROD,
        from: "memory: 1Ti\n      storage: 100Ti\n      vms: 200\n      overcommit: 1.5",
        to: "memory: 92842Mi\n      storage: 4Ti\n      vms: 200\n      overcommit: 1.499",
      },
    ]);
    const got = validateStack(over);
    expect(got.map((l) => l.split(": the ")[0])).toStrictEqual([
      `<root>/${prodSetting(["capacity", "memory"])}: config["muni:settings"].capacity.memory`,
      `<root>/${prodSetting(["capacity", "storage"])}: config["muni:settings"].capacity.storage`,
    ]);
    expect(got[0]).toContain("sum to 136Gi, over the central capacity 92842Mi × over-commit 1.499 =");
    expect(got[1]).toContain("sum to 6Ti, over the central capacity 4Ti × over-commit 1.499 =");
  });

  it("GIVEN more VMs than capacity.vms WHEN validated THEN the VM count is blamed without over-commit", () => {
    const dir = tempProject([{ file: PROD, from: "vms: 200", to: "vms: 4" }]);
    expect(validateStack(dir)).toStrictEqual([
      `<root>/${prodSetting(["capacity", "vms"])}: config["muni:settings"].capacity.vms: the virtual machines of the 3 provisioned units sum to 5, over the central capacity 4; largest: css 2 (${at(dir, "units/css.yaml", "- name: swiadczenia-db")}), mpu 2 (${at(dir, "units/mpu.yaml", "- name: gis")}), zzm 1 (${at(dir, "units/zzm.yaml", "- name: ewidencja-drzew")}) (raise capacity.vms to at least 5, or remove virtual machines)`,
    ]);
  });

  it("GIVEN a VM image missing from the catalogue WHEN validated THEN the VM's image is blamed, naming the catalogue and its images", () => {
    const dir = tempProject([{ file: "units/zzm.yaml", from: "image: debian-12", to: "image: debian-11" }]);
    expect(validateStack(dir)).toStrictEqual([
      `${at(dir, "units/zzm.yaml", "image: debian-11", 7)}: services.servers.vms[0].image: image "debian-11" is not in the VM image catalogue of stack lodz-prod (vm.images at ${at(dir, PROD, "debian-12:", 0)}) (use one of: debian-12, windows-server-2022; or add "debian-11" to the catalogue)`,
    ]);
  });

  it("GIVEN a catalogue image with two sources or none WHEN validated THEN the stack file is blamed", () => {
    const dir = tempProject([
      {
        file: PROD,
        from: "          registry: docker://quay.io/containerdisks/debian:12\n",
        to: "          registry: docker://quay.io/containerdisks/debian:12\n          http: https://images.lodz.pl/debian-12.qcow2\n",
      },
      {
        file: PROD,
        from: "          dataSource: { namespace: os-images, name: windows-server-2022 }\n",
        to: "",
      },
    ]);
    expect(validateStack(dir)).toStrictEqual([
      `${at(dir, PROD, "registry: docker", 0)}: config["muni:settings"].vm.images.debian-12: image "debian-12" has 2 sources (registry, http) (give exactly one of registry, http or dataSource)`,
      `${at(dir, PROD, "os: windows", 0)}: config["muni:settings"].vm.images.windows-server-2022: image "windows-server-2022" has no source (give exactly one of registry, http or dataSource)`,
    ]);
  });

  it("GIVEN web container limits below the requests WHEN validated THEN the stack's limit is blamed", () => {
    const dir = tempProject([
      { file: PROD, from: "limits: { cpu: 500m, memory: 128Mi }", to: "limits: { cpu: 40m, memory: 128Mi }" },
    ]);
    expect(validateStack(dir)).toStrictEqual([
      `${at(dir, PROD, "cpu: 40m", 5)}: config["muni:settings"].web.resources.limits.cpu: limit 40m is below the request 50m (raise web.resources.limits.cpu to at least 50m)`,
    ]);
  });

  it("GIVEN two sites of one unit whose names differ only in dots and dashes WHEN validated THEN the second is blamed", () => {
    const dir = tempProject([
      { file: "units/zzm.yaml", from: "hostname: bip.zzm.lodz.pl", to: "hostname: a-bip.zzm.lodz.pl" },
      { file: "units/zzm.yaml", from: "hostname: zzm.lodz.pl", to: "hostname: a.bip.zzm.lodz.pl" },
    ]);
    expect(validateStack(dir)).toStrictEqual([
      `${at(dir, "units/zzm.yaml", "hostname: a-bip.zzm.lodz.pl", 10)}: services.web.sites[1].hostname: "a-bip.zzm.lodz.pl" gives the same object name "a-bip-zzm-lodz-pl" as site "a.bip.zzm.lodz.pl" (dots become dashes) (choose hostnames that differ in more than dots and dashes)`,
    ]);
  });

  it("GIVEN a hostname another unit claims and one outside the allowed suffixes WHEN validated THEN both are located errors", () => {
    const dir = tempProject([
      { file: "units/zzm.yaml", from: "hostname: bip.zzm.lodz.pl", to: "hostname: bip.mpu.lodz.pl" },
      { file: "units/css.yaml", from: "hostname: css.lodz.pl", to: "hostname: css.example.com" },
    ]);
    expect(validateStack(dir)).toStrictEqual([
      `${at(dir, "units/css.yaml", "hostname: css.example.com", 10)}: services.web.sites[0].hostname: "css.example.com" is not under an allowed site suffix of stack lodz-prod (use a hostname ending in lodz.pl)`,
      `${at(dir, "units/zzm.yaml", "hostname: bip.mpu.lodz.pl", 10)}: services.web.sites[1].hostname: site hostname "bip.mpu.lodz.pl" is already claimed by unit mpu (<root>/units/mpu.yaml:${at(dir, "units/mpu.yaml", "hostname: bip.mpu.lodz.pl", 10).split(":").slice(1).join(":")}) (a hostname belongs to one site: choose another)`,
      // And it lies in unit mpu's DNS zone (3-rules/dns-zones.ts).
      `${at(dir, "units/zzm.yaml", "hostname: bip.mpu.lodz.pl", 10)}: services.web.sites[1].hostname: site hostname "bip.mpu.lodz.pl" lies in zone "mpu.lodz.pl" of unit mpu (<root>/units/mpu.yaml:3:5) (use a name under zzm.lodz.pl, or ask the central administrators to delegate the zone in the stack's tenancy.zones.zzm)`,
    ]);
  });
});
