import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadProject } from "../../../infra/3-rules";
import { buildContext, monitoring } from "../../../infra/4-builders";
import { tempDir } from "../../helpers/manifests";

const REPO = join(__dirname, "..", "..", "..");
const FIX = "install Prometheus' promtool: .ci/install-system-packages (Debian package prometheus)";

/** Runs promtool; a missing binary fails the test with the fix. */
function promtool(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync("promtool", args, { cwd, encoding: "utf8" });
  if (r.error) throw new Error(`promtool: ${r.error.message}: ${FIX}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const p = loadProject(REPO, "lodz-prod");
const settings = p.stack!.settings;
const units = p.units.map((u) => u.unit);
const css = units.find((u) => u.id === "css")!;

/** The rule file Prometheus loads, generated from the builders' PrometheusRules of every unit and the platform. */
function ruleFile(): { groups: monitoring.RuleGroup[] } {
  return {
    groups: [
      ...units.flatMap((u) => monitoring.unitRuleGroups(buildContext(u, settings))),
      ...monitoring.platformRuleGroups(settings),
    ],
  };
}

const cssLabels = {
  muni_route: "unit",
  unit: "css",
  cost_centre: "MPK-CSS-01",
  service_class: "extended",
  hours: "always",
};
const cssAnnotations = {
  operations_leads: "group:css-koordynatorzy-it",
  central_administrators: "group:uml-administratorzy-techniczni",
  runbook: "docs/backup-and-monitoring.md#alerts",
};

/** css's rules and the platform's: what the synthetic series exercise. */
function cssAndPlatform(): { groups: monitoring.RuleGroup[] } {
  return {
    groups: [
      ...monitoring.unitRuleGroups(buildContext(css, settings)),
      ...monitoring.platformRuleGroups(settings),
    ],
  };
}

/** The annotations promtool renders for an alert of css. */
const ann = (summary: string, description: string) => ({ ...cssAnnotations, summary, description });
const BACKUP_FAILED = ann(
  "Velero backup of schedule unit-css failed",
  "A backup of unit-css failed since its previous run; see velero backup describe.",
);
const NOT_PROBED = ann(
  "No probe results for the sites of css",
  "Prometheus has no probe_success series of the unit's sites: is the Probe selected?",
);

describe("alert rules of lodz-prod, checked and unit-tested by Prometheus' promtool", () => {
  const dir = tempDir("muni-promtool-");
  writeFileSync(join(dir, "rules.yml"), stringify(ruleFile()));
  writeFileSync(join(dir, "css.yml"), stringify(cssAndPlatform()));

  it("GIVEN every unit's and the platform's rule groups WHEN promtool check rules parses them THEN every PromQL expression and template is valid", () => {
    // GIVEN
    const count = ruleFile().groups.reduce((n, g) => n + g.rules.length, 0);
    // WHEN
    const r = promtool(["check", "rules", "rules.yml"], dir);
    // THEN
    expect(r).toStrictEqual({
      status: 0,
      out: `Checking rules.yml\n  SUCCESS: ${count} rules found\n\n`,
    });
    expect(count).toBeGreaterThanOrEqual(3 * 6 + 7);
  });

  it("GIVEN a rule with a broken expression WHEN checked THEN promtool refuses it (the check can fail)", () => {
    const broken = ruleFile();
    broken.groups[0]!.rules[0]!.expr = "max by (unit (probe_success == 0";
    writeFileSync(join(dir, "broken.yml"), stringify(broken));
    expect(promtool(["check", "rules", "broken.yml"], dir).status).toBe(1);
  });

  it("GIVEN synthetic probe series WHEN promtool test rules evaluates css's and the platform's alerts every minute THEN each fires when it should, with the unit's routing labels and annotations, and not before", () => {
    // GIVEN: css is extended (24/7): a site down for 3m is critical.
    const day = 86400;
    const tests = {
      rule_files: ["css.yml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [
            { series: 'probe_success{unit="css",site="bip.css.lodz.pl",check="http"}', values: "1 1 0x10" },
            { series: 'probe_success{unit="css",site="css.lodz.pl",check="http"}', values: "1x12" },
          ],
          alert_rule_test: [
            { eval_time: "4m", alertname: "MuniSiteDown", exp_alerts: [] },
            {
              eval_time: "6m",
              alertname: "MuniSiteDown",
              exp_alerts: [
                {
                  exp_labels: { ...cssLabels, severity: "critical", site: "bip.css.lodz.pl" },
                  exp_annotations: ann(
                    "Site bip.css.lodz.pl of css does not answer with HTTP 2xx",
                    "The blackbox probe of https://bip.css.lodz.pl/ has failed for 3m.",
                  ),
                },
              ],
            },
            { eval_time: "10m", alertname: "MuniSiteNotProbed", exp_alerts: [] },
          ],
        },
        {
          interval: "1m",
          input_series: [
            // Certificates expiring 10 and 60 days after the start of the test; no HTTP probe series at all.
            {
              series: 'probe_ssl_earliest_cert_expiry{unit="css",site="bip.css.lodz.pl",check="tls"}',
              values: `${10 * day}x70`,
            },
            {
              series: 'probe_ssl_earliest_cert_expiry{unit="css",site="css.lodz.pl",check="tls"}',
              values: `${60 * day}x70`,
            },
          ],
          alert_rule_test: [
            { eval_time: "30m", alertname: "MuniSiteCertificateExpiring", exp_alerts: [] },
            {
              eval_time: "61m",
              alertname: "MuniSiteCertificateExpiring",
              exp_alerts: [
                {
                  exp_labels: { ...cssLabels, severity: "warning", site: "bip.css.lodz.pl" },
                  exp_annotations: ann(
                    "The certificate of bip.css.lodz.pl expires in under 21 days",
                    "cert-manager renews 30 days ahead: check the Certificate and its ACME challenge.",
                  ),
                },
              ],
            },
            { eval_time: "10m", alertname: "MuniSiteNotProbed", exp_alerts: [] },
            {
              eval_time: "16m",
              alertname: "MuniSiteNotProbed",
              exp_alerts: [
                {
                  exp_labels: { ...cssLabels, severity: "warning", check: "http" },
                  exp_annotations: NOT_PROBED,
                },
              ],
            },
          ],
        },
        {
          interval: "1m",
          input_series: [
            {
              series: 'probe_success{service="mail",check="port",instance="mail.platform-mail.svc:25"}',
              values: "0x10",
            },
            {
              series: 'probe_success{service="print",check="port",instance="cups.platform-print.svc:631"}',
              values: "1x10",
            },
          ],
          alert_rule_test: [
            { eval_time: "4m", alertname: "MuniPlatformPortDown", exp_alerts: [] },
            {
              eval_time: "6m",
              alertname: "MuniPlatformPortDown",
              exp_alerts: [
                {
                  exp_labels: {
                    muni_route: "platform",
                    hours: "always",
                    severity: "critical",
                    service: "mail",
                    instance: "mail.platform-mail.svc:25",
                  },
                  exp_annotations: {
                    central_administrators: "group:uml-administratorzy-techniczni",
                    runbook: "docs/backup-and-monitoring.md#alerts",
                    summary:
                      "The shared mail server does not accept connections on mail.platform-mail.svc:25",
                    description: "Every unit's mail or printing depends on it.",
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, "probes.test.yml"), stringify(tests));
    // WHEN
    const r = promtool(["test", "rules", "probes.test.yml"], dir);
    // THEN
    expect(r).toStrictEqual({ status: 0, out: "Unit Testing:  probes.test.yml\n  SUCCESS\n\n" });
  });

  it("GIVEN synthetic Velero series WHEN promtool test rules evaluates css's backup alerts every 15 minutes THEN a failure, a backup older than 1.5 days (its daily schedule) and a schedule that never succeeded each alert", () => {
    // GIVEN: css's backup class daily-vm runs daily at 02:00 (longest gap 1 day: stale after 36h).
    const q = (n: number) => `${n}x${Math.ceil((40 * 60) / 15)}`;
    const schedule = { schedule: "unit-css" };
    const tests = {
      rule_files: ["css.yml"],
      evaluation_interval: "15m",
      tests: [
        {
          interval: "15m",
          input_series: [
            // The last success at t=0, never again; one failure counted at 2h.
            { series: 'velero_backup_last_successful_timestamp{schedule="unit-css"}', values: q(0) },
            { series: 'velero_backup_failure_total{schedule="unit-css"}', values: `0x8 1x${40 * 4}` },
          ],
          alert_rule_test: [
            { eval_time: "1h", alertname: "MuniUnitBackupFailed", exp_alerts: [] },
            {
              eval_time: "3h",
              alertname: "MuniUnitBackupFailed",
              exp_alerts: [
                {
                  exp_labels: { ...cssLabels, severity: "warning", ...schedule },
                  exp_annotations: BACKUP_FAILED,
                },
              ],
            },
            { eval_time: "35h", alertname: "MuniUnitBackupStale", exp_alerts: [] },
            {
              eval_time: "38h",
              alertname: "MuniUnitBackupStale",
              exp_alerts: [
                {
                  exp_labels: { ...cssLabels, severity: "critical", ...schedule },
                  exp_annotations: ann(
                    "No successful backup of unit-css for over 1d12h",
                    "The newest successful backup of unit-css is older than 1.5 times its schedule's longest gap.",
                  ),
                },
              ],
            },
            { eval_time: "38h", alertname: "MuniUnitBackupMissing", exp_alerts: [] },
          ],
        },
        {
          interval: "15m",
          input_series: [
            { series: 'velero_backup_last_successful_timestamp{schedule="unit-mpu"}', values: q(0) },
          ],
          alert_rule_test: [
            { eval_time: "35h", alertname: "MuniUnitBackupMissing", exp_alerts: [] },
            {
              eval_time: "38h",
              alertname: "MuniUnitBackupMissing",
              exp_alerts: [
                {
                  exp_labels: { ...cssLabels, severity: "critical", ...schedule },
                  exp_annotations: ann(
                    "Schedule unit-css has never completed a backup",
                    "Velero reports no successful backup of unit-css at all for 1d12h.",
                  ),
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, "backups.test.yml"), stringify(tests));
    // WHEN
    const r = promtool(["test", "rules", "backups.test.yml"], dir);
    // THEN
    expect(r).toStrictEqual({ status: 0, out: "Unit Testing:  backups.test.yml\n  SUCCESS\n\n" });
  });

  it("GIVEN css's PrometheusRule object WHEN rendered THEN it sits in the monitoring namespace with the stack's selector labels and the unit's groups", () => {
    const [rule] = monitoring.buildUnitRules(buildContext(css, settings));
    expect(rule!.object.metadata).toStrictEqual({
      name: "css-alerts",
      namespace: "monitoring",
      labels: {
        release: "kube-prometheus-stack",
        "app.kubernetes.io/managed-by": "muni",
        "muni.lodz.pl/unit": "css",
        "muni.lodz.pl/cost-centre": "MPK-CSS-01",
      },
    });
    expect(
      (rule!.object.spec as { groups: monitoring.RuleGroup[] }).groups.map((g) => [
        g.name,
        g.rules.map((x) => x.alert),
      ]),
    ).toStrictEqual([
      [
        "muni-unit-css",
        [
          "MuniSiteDown",
          "MuniSiteNotProbed",
          "MuniSiteCertificateExpiring",
          "MuniUnitBackupFailed",
          "MuniUnitBackupStale",
          "MuniUnitBackupMissing",
        ],
      ],
    ]);
  });
});
