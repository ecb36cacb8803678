import { formatDiagnostic } from "../../infra/2-manifest";
import { loadUnitSet as loadUnits } from "../../infra/3-rules";
import { runCli } from "../helpers/manifests";

/** Fixture sets (one directory each) whose units are each valid alone but clash with each other. */
const SETS = "test/fixtures/units-invalid/sets";

const CASES: ReadonlyArray<[set: string, units: string[], lines: string[]]> = [
  [
    "duplicate-ids",
    ["hr", "hr"],
    [
      `${SETS}/duplicate-ids/hr.yml:2:5: id: unit id "hr" is already claimed by unit hr (${SETS}/duplicate-ids/hr.yaml:2:5) (ids are stable and unique: choose another id)`,
    ],
  ],
  [
    "duplicate-mail-domains",
    ["ab", "cd"],
    [
      `${SETS}/duplicate-mail-domains/cd.yaml:30:13: services.mail.domain: mail domain "shared.lodz.pl" is already claimed by unit ab (${SETS}/duplicate-mail-domains/ab.yaml:30:13) (a domain belongs to one unit: remove it from one of them)`,
    ],
  ],
  [
    "duplicate-site-hostnames",
    ["ab", "cd"],
    [
      `${SETS}/duplicate-site-hostnames/cd.yaml:57:19: services.web.sites[0].hostname: site hostname "bip.lodz.pl" is already claimed by unit ab (${SETS}/duplicate-site-hostnames/ab.yaml:59:19) (a hostname belongs to one site: choose another)`,
    ],
  ],
  [
    "print-queue-clash",
    ["ab-cd", "ab"],
    [
      `${SETS}/print-queue-clash/ab.yaml:54:15: services.print.queues[1].name: queue "cd-ef" has the CUPS name "ab-cd-ef", which is already claimed by unit ab-cd (${SETS}/print-queue-clash/ab-cd.yaml:54:15) (CUPS queue names are <id>-<name> and must be unique across units: rename the queue)`,
    ],
  ],
];

describe("cross-unit rules over a set of manifests", () => {
  it.each(CASES)(
    "GIVEN the set %s WHEN loaded THEN each unit loads and the clash is reported once, located",
    (set, units, lines) => {
      // WHEN
      const result = loadUnits([`${SETS}/${set}`]);
      // THEN
      expect(result.units.map((u) => u.unit.id)).toStrictEqual(units);
      expect(result.diagnostics.map(formatDiagnostic)).toStrictEqual(lines);
    },
  );

  it.each(CASES)(
    "GIVEN the set %s WHEN muni validate runs on the directory THEN exit 1 with the same lines",
    async (set, _units, lines) => {
      // WHEN
      const cli = await runCli(["validate", `${SETS}/${set}`]);
      // THEN
      expect(cli).toStrictEqual({ code: 1, out: [], err: [...lines, "1 problem in 1 of 2 files"] });
    },
  );

  it.each(CASES)(
    "GIVEN one file of the set %s WHEN validated alone THEN it is valid (the clash needs both)",
    async (set) => {
      // GIVEN
      const first = loadUnits([`${SETS}/${set}`]).files[0]!;
      // WHEN
      const cli = await runCli(["validate", first]);
      // THEN
      expect(cli.code).toBe(0);
      expect(cli.err).toStrictEqual([]);
    },
  );

  it("GIVEN the same directory named twice WHEN validated THEN files are read once and nothing clashes with itself", async () => {
    // WHEN
    const cli = await runCli(["validate", "units", "units/", "units/mpu.yaml"]);
    // THEN
    expect(cli).toStrictEqual({
      code: 0,
      out: [
        "3 manifests valid: css, mpu, zzm",
        "checked against stacks lodz-prod (3 units: css, mpu, zzm), lodz-staging (3 units: css, mpu, zzm)",
      ],
      err: [],
    });
  });
});
