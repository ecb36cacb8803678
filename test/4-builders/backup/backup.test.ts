import fc from "fast-check";
import { join } from "node:path";
import { cronMaxGapMs, cronProblem, parseGoDuration, type Unit } from "../../../infra/1-model";
import { loadProject } from "../../../infra/3-rules";
import { backup, renderPlatform, renderUnit } from "../../../infra/4-builders";
import { strictSchemaErrors } from "../../helpers/k8s-schemas";

const REPO = join(__dirname, "..", "..", "..");

function lodz(stack: "lodz-prod" | "lodz-staging") {
  const p = loadProject(REPO, stack);
  expect(p.diagnostics).toStrictEqual([]);
  const settings = p.stack!.settings;
  const units = new Map(p.units.map((u) => [u.unit.id, u.unit]));
  return { settings, units, unit: (id: string) => units.get(id)! };
}

const objectsOf = (unit: Unit, settings: Parameters<typeof renderUnit>[1], kind: string) =>
  renderUnit(unit, settings)
    .filter((d) => d.object.kind === kind)
    .map((d) => d.object);

describe("backups: Velero Schedules per unit and for the platform", () => {
  it("GIVEN lodz-prod WHEN unit css (service class extended → backup class daily-vm) renders THEN one Schedule in Velero's namespace selects exactly its two namespaces, with the stack's storage location, and never owns its backups", () => {
    // GIVEN
    const { settings, unit } = lodz("lodz-prod");
    // WHEN
    const schedules = objectsOf(unit("css"), settings, "Schedule");
    // THEN
    const labels = {
      "app.kubernetes.io/managed-by": "muni",
      "muni.lodz.pl/unit": "css",
      "muni.lodz.pl/cost-centre": "MPK-CSS-01",
      "muni.lodz.pl/backup-class": "daily-vm",
    };
    expect(schedules).toStrictEqual([
      {
        apiVersion: "velero.io/v1",
        kind: "Schedule",
        metadata: { name: "unit-css", namespace: "velero", labels },
        spec: {
          schedule: "0 2 * * *",
          useOwnerReferencesInBackup: false,
          template: {
            includedNamespaces: ["unit-css", "unit-css-vm"],
            snapshotVolumes: true,
            defaultVolumesToFsBackup: false,
            resourcePolicy: { kind: "configmap", name: "unit-css-volumes" },
            storageLocation: "lodz-s3",
            ttl: "1440h",
            metadata: { labels },
          },
        },
      },
    ]);
    expect(
      objectsOf(unit("css"), settings, "ConfigMap").filter((o) => o.metadata.namespace === "velero"),
    ).toStrictEqual([
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "unit-css-volumes", namespace: "velero", labels },
        data: {
          "policies.yaml":
            'version: v1\nvolumePolicies:\n  - conditions:\n      storageClass: ["ceph-cephfs"]\n    action:\n      type: fs-backup\n' +
            '  - conditions:\n      storageClass: ["ceph-rbd-block"]\n    action:\n      type: snapshot\n',
        },
      },
    ]);
  });

  it("GIVEN zzm (the default class standard → daily, no VM disks) WHEN rendered THEN its VM disks are skipped by the volume policy and not snapshotted, and the restore command maps both its namespaces", () => {
    const { settings, unit } = lodz("lodz-prod");
    const [s] = objectsOf(unit("zzm"), settings, "Schedule");
    const t = (s!.spec as { template: Record<string, unknown> }).template;
    expect([t.includedNamespaces, t.snapshotVolumes, t.ttl]).toStrictEqual([
      ["unit-zzm", "unit-zzm-vm"],
      false,
      "720h",
    ]);
    expect(backup.volumePolicy(settings, ["objects", "sites", "mail"])).toContain(
      'storageClass: ["ceph-rbd-block"]\n    action:\n      type: skip\n',
    );
    expect(backup.restoreCommand(unit("zzm"), settings)).toBe(
      "velero restore create --namespace velero --from-schedule unit-zzm --namespace-mappings unit-zzm:unit-zzm-restore,unit-zzm-vm:unit-zzm-vm-restore --wait",
    );
  });

  it("GIVEN a class that takes only site content WHEN rendered THEN the Schedule includes only the site resources, by the web service label", () => {
    const { settings, unit } = lodz("lodz-prod");
    const only = {
      ...settings,
      backup: {
        ...settings.backup!,
        classes: { sites: { schedule: "15 3 * * 1-5", retention: "336h", data: ["sites"] as ["sites"] } },
      },
    };
    const [s] = objectsOf({ ...unit("css"), backupClass: "sites" }, only, "Schedule");
    const t = (s!.spec as { template: Record<string, unknown> }).template;
    expect([t.includedResources, t.orLabelSelectors, t.snapshotVolumes]).toStrictEqual([
      ["pods", "persistentvolumeclaims", "persistentvolumes"],
      [{ matchLabels: { "muni.lodz.pl/service": "web" } }],
      false,
    ]);
  });

  it("GIVEN css decommissioning WHEN rendered THEN its Schedule keeps running and its last backups are kept for the stack's decommissionedRetention", () => {
    const { settings, unit } = lodz("lodz-prod");
    const leaving = {
      ...unit("css"),
      lifecycle: { ...unit("css").lifecycle, state: "decommissioning" as const },
    };
    const [s] = objectsOf(leaving, settings, "Schedule");
    const spec = s!.spec as { useOwnerReferencesInBackup: boolean; template: { ttl: string } };
    expect([spec.useOwnerReferencesInBackup, spec.template.ttl]).toStrictEqual([false, "8760h"]);
  });

  it("GIVEN the platform of lodz-prod WHEN rendered THEN the mail and print namespaces each have a Schedule with a file-system backup of their volumes", () => {
    const { settings, units } = lodz("lodz-prod");
    const platform = renderPlatform(settings)
      .filter((d) => d.object.kind === "Schedule")
      .map((d) => {
        const spec = d.object.spec as { schedule: string; template: Record<string, unknown> };
        return [
          d.object.metadata.name,
          spec.schedule,
          spec.template.includedNamespaces,
          spec.template.defaultVolumesToFsBackup,
        ];
      });
    expect(platform).toStrictEqual([
      ["platform-mail", "30 0 * * *", ["platform-mail"], true],
      ["platform-print", "30 0 * * *", ["platform-print"], true],
    ]);
  });

  it("GIVEN both Łódź stacks, every unit active and decommissioning WHEN every object is rendered THEN each Schedule, ConfigMap, Probe and PrometheusRule is valid against the vendored strict schemas", () => {
    for (const stack of ["lodz-prod", "lodz-staging"] as const) {
      const { settings, units } = lodz(stack);
      const all = [...units.values()].flatMap((u) => [
        ...renderUnit(u, settings),
        ...renderUnit({ ...u, lifecycle: { ...u.lifecycle, state: "decommissioning" } }, settings),
      ]);
      const ours = [...all, ...renderPlatform(settings)]
        .map((d) => d.object)
        .filter(
          (o) =>
            ["Schedule", "Probe", "PrometheusRule"].includes(o.kind) || o.metadata.namespace === "velero",
        );
      expect(ours.length).toBeGreaterThan(20);
      expect(ours.flatMap(strictSchemaErrors)).toStrictEqual([]);
    }
  });

  it("GIVEN the vendored Schedule schema WHEN a Schedule has a typo THEN it is refused (the strict check can fail)", () => {
    const { settings, unit } = lodz("lodz-prod");
    const [s] = objectsOf(unit("css"), settings, "Schedule");
    const bad = { ...s!, spec: { ...(s!.spec as object), schedul: "0 1 * * *" } };
    expect(strictSchemaErrors(bad).length).toBeGreaterThan(0);
  });
});

describe("cron schedules and Go durations", () => {
  const field = (lo: number, hi: number) =>
    fc.oneof(
      fc.constant("*"),
      fc.integer({ min: lo, max: hi }).map(String),
      fc
        .tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi }))
        .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 1, max: hi - lo + 1 }).map((n) => `*/${n}`),
    );

  it("GIVEN any 5-field expression of in-range values WHEN checked THEN it is valid and has a gap between runs", () => {
    fc.assert(
      fc.property(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6), (...f) => {
        const expr = f.join(" ");
        expect(cronProblem(expr)).toBeUndefined();
        expect(cronMaxGapMs(expr)).toBeGreaterThan(0);
      }),
    );
  });

  it("GIVEN a field out of its range WHEN checked THEN the expression is refused", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 60, max: 999 }), (pos, v) => {
        const f = ["0", "1", "*", "*", "*"];
        f[pos] = String(v);
        expect(cronProblem(f.join(" "))).toEqual(expect.any(String));
      }),
    );
  });

  it("GIVEN what Velero's parser does not run WHEN checked THEN each is refused with why", () => {
    const problems = [
      "0 1 * * * *",
      "@daily",
      "0 0 L * *",
      "0 0 * * 1#2",
      "0 1 30 2 *",
      "*/0 * * * *",
      "0 1 * *",
    ].map(cronProblem);
    expect(problems.every((p) => typeof p === "string")).toBe(true);
    expect(problems[0]).toBe("has 6 fields, not 5 (minute hour day-of-month month day-of-week)");
    expect(["0 1 * * *", "30 0 * * MON-FRI", "0 */6 * * *"].map(cronProblem)).toStrictEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("GIVEN daily, weekday and 6-hourly schedules WHEN their longest gap is computed THEN it is one day, three days (over the weekend) and six hours", () => {
    const h = 3_600_000;
    expect(["0 1 * * *", "0 1 * * 1-5", "0 */6 * * *"].map(cronMaxGapMs)).toStrictEqual([
      24 * h,
      72 * h,
      6 * h,
    ]);
  });

  it("GIVEN Go durations WHEN parsed THEN hours, minutes and fractions count, days and signs do not parse", () => {
    expect(["720h", "1h30m", "1.5h", "90s", "7d", "-1h", "h"].map(parseGoDuration)).toStrictEqual([
      720 * 3_600_000,
      5_400_000,
      5_400_000,
      90_000,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
