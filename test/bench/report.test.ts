import { incrementalMs, perUnitMs, type Row, verdicts } from "../../bench/report";

/** A row where every command took `t(n)` seconds and 100 MiB per 1,000 units. */
function row(units: number, t: (n: number) => number, extra: Partial<Row> = {}): Row {
  const cell = { wallS: t(units), peakMiB: 100 + units / 10 };
  return {
    units,
    validate: cell,
    plan: cell,
    cdk8s: cell,
    program: cell,
    bare: cell,
    objects: units * 40,
    resources: units * 60,
    planWarned: units * 60 > 1000,
    ...extra,
  };
}

describe("the benchmark's targets", () => {
  it("GIVEN a start-up of 0.5 s and 0.3 ms per unit WHEN costs per unit are taken THEN the incremental one leaves start-up out", () => {
    // GIVEN
    const rows = [10, 100, 1000, 10000].map((n) => row(n, (x) => 0.5 + 0.0003 * x));
    // WHEN / THEN
    expect(perUnitMs(rows, (r) => r.validate, 100)).toBeCloseTo(5.3, 9);
    expect(perUnitMs(rows, (r) => r.validate, 10000)).toBeCloseTo(0.35, 9);
    expect(incrementalMs(rows, (r) => r.validate, 100)).toBeCloseTo(0.3, 9);
    expect(incrementalMs(rows, (r) => r.validate, 10000)).toBeCloseTo(0.3, 9);
    expect(incrementalMs(rows, (r) => r.validate, 10)).toBeUndefined();
  });

  it("GIVEN linear costs within every limit WHEN judged THEN every target holds", () => {
    // GIVEN
    const rows = [10, 100, 1000, 10000].map((n) => row(n, (x) => 0.5 + 0.0003 * x));
    // WHEN
    const v = verdicts(rows);
    // THEN
    expect(v.map((x) => x.holds)).toStrictEqual([true, true, true, true, true, true, true, true]);
    expect(v[0]).toStrictEqual({
      target: "validate 10,000 units ≤ 5 s",
      measured: "3.50 s (0.70× the limit)",
      holds: true,
    });
  });

  it("GIVEN quadratic validation, a slow program and a silent plan WHEN judged THEN exactly those targets miss", () => {
    // GIVEN validate grows with n², the program takes twice the bare reference, the plan never warns
    const rows = [10, 100, 1000, 10000].map((n) => {
      const r = row(n, (x) => 0.5 + 0.0003 * x, { planWarned: false });
      return {
        ...r,
        validate: { wallS: 0.5 + 1e-7 * n * n, peakMiB: 100 },
        program: { wallS: 2 * (0.5 + 0.0003 * n), peakMiB: 100 },
      };
    });
    // WHEN
    const v = verdicts(rows);
    // THEN
    expect(v.map((x) => [x.target, x.holds])).toStrictEqual([
      ["validate 10,000 units ≤ 5 s", false],
      ["plan 10,000 units ≤ 20 s", true],
      ["plan 10,000 units ≤ 1.5 GiB peak", true],
      ["validate: per-unit cost at 10,000 ≤ 1.5× that at 100", false],
      ["plan: per-unit cost at 10,000 ≤ 1.5× that at 100", true],
      ["program: per-unit cost at 10,000 ≤ 1.5× that at 100", true],
      ["program ≤ 1.3× the bare-registration reference", false],
      ["the plan warns when one stack would exceed 1,000 resources", false],
    ]);
  });

  it("GIVEN the program skipped past 100 units WHEN judged THEN its targets are not measured rather than held", () => {
    // GIVEN
    const rows = [10, 100, 1000].map((n) =>
      n > 100
        ? row(n, (x) => 1 + x / 1000, {
            program: { skipped: "budget" },
            bare: { skipped: "budget" },
            resources: undefined,
          })
        : row(n, (x) => 1 + x / 1000),
    );
    // WHEN
    const v = verdicts(rows);
    // THEN
    expect(v.find((x) => x.target.startsWith("program:"))).toStrictEqual({
      target: "program: per-unit cost at 10,000 ≤ 1.5× that at 100",
      measured: "not measured beyond 100 units",
      holds: undefined,
    });
    expect(v.find((x) => x.target.startsWith("validate 10,000"))).toStrictEqual({
      target: "validate 10,000 units ≤ 5 s",
      measured: "not run at 10,000 units",
      holds: undefined,
    });
  });
});
