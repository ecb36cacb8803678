import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCliIn } from "../helpers/manifests";
import { copyOfRepo } from "../5-plan/project";

const STACK = join("stacks", "Pulumi.lodz-prod.yaml");

/** Replaces the first `from` after `after` in a file of `root`; returns `line:col` of the replacement. */
function edit(root: string, file: string, after: string, from: string, to: string): string {
  const path = join(root, file);
  const text = readFileSync(path, "utf8");
  const at = text.indexOf(from, text.indexOf(after));
  expect(at).toBeGreaterThan(-1);
  writeFileSync(path, text.slice(0, at) + to + text.slice(at + from.length));
  const before = text.slice(0, at).split("\n");
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

describe("muni validate and plan: backup and service classes of lodz-prod", () => {
  it("GIVEN an invalid cron, a retention below the minimum, an unknown default class and units naming unknown classes WHEN `muni validate --stack` and `muni plan --stack` run THEN each problem is a located error with its fix, exit 1", async () => {
    // GIVEN
    const root = copyOfRepo();
    const cron = edit(root, STACK, "daily-vm:", '"0 2 * * *"', '"0 2 * *"');
    const retention = edit(root, STACK, "    backup:", "720h", "24h");
    const unknown = edit(root, STACK, "serviceClasses:\n      default: ", "standard", "basic");
    const css = edit(root, join("units", "css.yaml"), "serviceClass: ", "extended", "gold");
    const mpu = edit(root, join("units", "mpu.yaml"), "backupClass: ", "daily-vm", "hourly");
    const expected = [
      `${STACK}:${retention}: config["muni:settings"].backup.platform.retention: retention 24h is shorter than the stack's minimumRetention 168h (keep backups at least 168h, or lower backup.minimumRetention)`,
      `${STACK}:${cron}: config["muni:settings"].backup.classes.daily-vm.schedule: "0 2 * *" is not a cron expression Velero runs: has 4 fields, not 5 (minute hour day-of-month month day-of-week) (write 5 fields, minute hour day-of-month month day-of-week, e.g. "0 1 * * *" (daily at 01:00))`,
      `${STACK}:${unknown}: config["muni:settings"].serviceClasses.default: unknown service class "basic" (use one of serviceClasses.classes: standard, extended)`,
      `units/css.yaml:${css}: serviceClass: unknown service class "gold" in stack lodz-prod (use one of the stack's service classes: standard, extended)`,
      `units/mpu.yaml:${mpu}: backupClass: unknown backup class "hourly" in stack lodz-prod (use one of the stack's backup classes: daily, daily-vm)`,
    ];
    // WHEN
    const validate = await runCliIn(root, ["validate", "--stack", "lodz-prod"]);
    const plan = await runCliIn(root, ["plan", "--stack", "lodz-prod", "--out", join(root, "out")]);
    // THEN
    expect([validate.code, [...validate.err].sort()]).toStrictEqual([
      1,
      [
        ...expected,
        "5 problems in 3 of 3 files; checked against stack lodz-prod (3 units: css, mpu, zzm)",
      ].sort(),
    ]);
    expect(plan.code).toBe(1);
    for (const e of expected) expect(plan.err).toContain(e);
  });

  it("GIVEN the repository WHEN `muni plan --stack lodz-prod` runs THEN each unit shows its service class, backup schedule with the restore command, probes and alerts, and the platform its backups", async () => {
    // GIVEN
    const root = copyOfRepo();
    // WHEN
    const r = await runCliIn(root, ["plan", "--stack", "lodz-prod", "--out", join(root, "out")]);
    // THEN
    expect([r.code, r.err]).toStrictEqual([0, []]);
    const css = r.out.indexOf("css: Centrum Świadczeń Socjalnych w Łodzi (units/css.yaml)");
    const from = r.out.indexOf("  service class: extended (24/7, availability 99.9%)", css);
    expect([css > -1, from - css]).toStrictEqual([true, 8]);
    const lines = r.out.slice(from, from + 5);
    expect(lines).toStrictEqual([
      "  service class: extended (24/7, availability 99.9%)",
      '  backup: class daily-vm, Schedule velero/unit-css "0 2 * * *", kept 1440h: objects, sites, vmDisks; mail on the shared mail volume, in Schedule velero/platform-mail',
      "  restore: velero restore create --namespace velero --from-schedule unit-css --namespace-mappings unit-css:unit-css-restore,unit-css-vm:unit-css-vm-restore --wait",
      "  probes: https://css.lodz.pl/ (http_2xx), css.lodz.pl:443 (tls_connect), https://bip.css.lodz.pl/ (http_2xx), bip.css.lodz.pl:443 (tls_connect)",
      "  alerts: MuniSiteDown, MuniSiteNotProbed, MuniSiteCertificateExpiring, MuniUnitBackupFailed, MuniUnitBackupStale, MuniUnitBackupMissing",
    ]);
    expect(r.out).toContain("  service class: standard (business hours, availability 99%)");
    expect(r.out).toContain(
      '  backup: class daily, Schedule velero/unit-zzm "0 1 * * *", kept 720h: objects, sites; mail on the shared mail volume, in Schedule velero/platform-mail',
    );
    expect(r.out).toContain('  backup: Schedule velero/platform-mail "30 0 * * *", kept 720h: platform-mail');
    expect(r.out).toContain(
      '  backup: Schedule velero/platform-print "30 0 * * *", kept 720h: platform-print',
    );
  });
});
