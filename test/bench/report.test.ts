import { incrementalMs, perUnitMs, type Row, type TenantSyncRow, verdicts } from "../../bench/report";
import { tenantSyncTable, tenantSyncVerdicts } from "../../bench/tenant-sync-report";

/** A row where the city commands took `t(n)` seconds, and one unit stack `u` seconds of CPU and `mib` MiB. */
function row(units: number, t: (n: number) => number, extra: Partial<Row> = {}, u = 1.2, mib = 220): Row {
  const cell = { wallS: t(units), peakMiB: 100 + units / 10, cpuS: t(units) };
  return {
    units,
    validate: cell,
    plan: cell,
    cdk8s: cell,
    unitStack: { wallS: u + 0.1, peakMiB: mib, cpuS: u },
    unitBare: { wallS: 1.1, peakMiB: 180, cpuS: 1 },
    unitResources: 94,
    platform: { wallS: 1 + units / 2000, peakMiB: 200, cpuS: 1 },
    platformLargest: {
      type: "kubernetes:core/v1:ConfigMap",
      name: "platform-print-config",
      bytes: 100 * units,
    },
    operator: cell,
    operatorBytes: 3000 * units,
    objects: units * 50,
    planWarned: false,
    ...extra,
  };
}

describe("the benchmark's targets", () => {
  it("GIVEN a start-up of 0.5 s and 0.3 ms per unit WHEN costs per unit are taken THEN the incremental one leaves start-up out", () => {
    const rows = [10, 100, 1000, 10000].map((n) => row(n, (x) => 0.5 + 0.0003 * x));
    expect(perUnitMs(rows, (r) => r.validate, 100)).toBeCloseTo(5.3, 9);
    expect(perUnitMs(rows, (r) => r.validate, 10000)).toBeCloseTo(0.35, 9);
    expect(incrementalMs(rows, (r) => r.validate, 100)).toBeCloseTo(0.3, 9);
    expect(incrementalMs(rows, (r) => r.validate, 10000)).toBeCloseTo(0.3, 9);
    expect(incrementalMs(rows, (r) => r.validate, 10)).toBeUndefined();
  });

  it("GIVEN linear city costs and a unit stack that does not grow with the city WHEN judged THEN every target holds", () => {
    const rows = [10, 100, 1000, 10000].map((n) => row(n, (x) => 0.5 + 0.0003 * x));
    const v = verdicts(rows);
    expect(v.map((x) => [x.target, x.holds])).toStrictEqual([
      ["validate 10,000 units ≤ 5 s", true],
      ["plan 10,000 units ≤ 20 s", true],
      ["plan 10,000 units ≤ 1.5 GiB peak", true],
      ["validate: per-unit cost at 10,000 ≤ 1.5× that at 100", true],
      ["plan: per-unit cost at 10,000 ≤ 1.5× that at 100", true],
      ["one unit stack's CPU time in a city of 10,000 ≤ 1.2× in a city of 10", true],
      ["one unit stack's wall time in a city of 10,000 ≤ 1.2× in a city of 10", true],
      ["one unit stack's peak memory in a city of 10,000 ≤ 1.2× in a city of 10", true],
      ["one unit stack ≤ 300 MiB", true],
      [
        "one unit stack ≤ 1.3× the bare registration of the same resources (CPU time, median over the sizes)",
        true,
      ],
      ["the platform stack's largest object ≤ 1.5 MiB (the API server's limit)", true],
      ["the plan warns when one Pulumi stack would exceed 1,000 resources", true],
    ]);
    expect(v[0]).toStrictEqual({
      target: "validate 10,000 units ≤ 5 s",
      measured: "3.50 s (0.70× the limit)",
      holds: true,
    });
    expect(v[9]!.measured).toBe(
      "1.20×; 1.20× at 10, 1.20× at 100, 1.20× at 1,000, 1.20× at 10,000 (worst 1.20×)",
    );
  });

  it("GIVEN a unit stack that loads the whole city (its cost grows with N) and a slow one THEN exactly those targets miss", () => {
    const rows = [10, 100, 1000, 10000].map((n) =>
      row(n, (x) => 0.5 + 0.0003 * x, {}, 1.5 + n / 5000, 200 + n / 50),
    );
    const v = verdicts(rows);
    expect(v.filter((x) => x.holds === false).map((x) => x.target)).toStrictEqual([
      "one unit stack's CPU time in a city of 10,000 ≤ 1.2× in a city of 10",
      "one unit stack's wall time in a city of 10,000 ≤ 1.2× in a city of 10",
      "one unit stack's peak memory in a city of 10,000 ≤ 1.2× in a city of 10",
      "one unit stack ≤ 300 MiB",
      "one unit stack ≤ 1.3× the bare registration of the same resources (CPU time, median over the sizes)",
    ]);
    expect(v[5]!.measured).toBe("2.33×; medians 3.50 s vs 1.50 s");
  });

  it("GIVEN a unit stack measured only at 10 units and a plan not run at 10,000 THEN those targets are not measured rather than held", () => {
    const rows = [10, 100].map((n) => row(n, (x) => 1 + x / 1000));
    const v = verdicts(rows);
    expect(v.find((x) => x.target.startsWith("validate 10,000"))).toStrictEqual({
      target: "validate 10,000 units ≤ 5 s",
      measured: "not run at 10,000 units",
      holds: undefined,
    });
    expect(v.find((x) => x.target.startsWith("one unit stack's CPU"))!.holds).toBeUndefined();
  });

  it("GIVEN alternated runs against the smallest city THEN their median ratio judges the flatness, not the medians of separate runs", () => {
    const rows = [10, 10000].map((n) =>
      row(
        n,
        (x) => 0.5 + 0.0003 * x,
        n === 10000 ? { unitOverSmallest: { cpu: 1.04, wall: 1.03, memory: 1.01 } } : {},
        n === 10 ? 1 : 1.4,
      ),
    );
    expect(verdicts(rows).find((x) => x.target.startsWith("one unit stack's CPU"))).toStrictEqual({
      target: "one unit stack's CPU time in a city of 10,000 ≤ 1.2× in a city of 10",
      measured: "1.04× (median of alternated runs); medians 1.40 s vs 1.00 s",
      holds: true,
    });
  });

  it("GIVEN one noisy size among steady ones THEN the median ratio counts, the worst is shown", () => {
    const rows = [10, 100, 1000, 10000].map((n) =>
      row(n, (x) => 0.5 + 0.0003 * x, {}, n === 100 ? 1.45 : 1.2),
    );
    const v = verdicts(rows).find((x) => x.target.startsWith("one unit stack ≤ 1.3×"))!;
    expect([v.holds, v.measured]).toStrictEqual([
      true,
      "1.20×; 1.20× at 10, 1.45× at 100, 1.20× at 1,000, 1.20× at 10,000 (worst 1.45×)",
    ]);
  });

  it("GIVEN a platform object over 1.5 MiB, or a unit stack over 1,000 resources the plan did not warn about THEN those miss", () => {
    const rows = [10, 10000].map((n) =>
      row(n, (x) => 0.5 + 0.0003 * x, {
        unitResources: 1200,
        platformLargest: {
          type: "kubernetes:core/v1:Secret",
          name: "platform-mail-tenants",
          bytes: 2 * 2 ** 20,
        },
      }),
    );
    expect(
      verdicts(rows)
        .filter((x) => x.holds === false)
        .map((x) => x.target),
    ).toStrictEqual([
      "the platform stack's largest object ≤ 1.5 MiB (the API server's limit)",
      "the plan warns when one Pulumi stack would exceed 1,000 resources",
    ]);
  });
});

describe("the tenant sync's targets", () => {
  const cell = (wallS: number, peakMiB = 60, cpuS = wallS / 2) => ({ wallS, peakMiB, cpuS });
  /** A row whose tenant sync took `syncS` seconds and `mib` MiB per server, its unchanged poll `pollS` seconds. */
  function synced(
    units: number,
    syncS: number,
    mib: number,
    pollS: number,
    extra: Partial<TenantSyncRow> = {},
  ) {
    const pages = Math.ceil(units / 500);
    const read = { sync: cell(syncS, mib), tenants: units, bytes: 5000 * units, requests: pages };
    const tenantSync: TenantSyncRow = {
      mail: read,
      print: { ...read, bytes: 1000 * units },
      hook: cell(syncS / 2, 2),
      poll: cell(pollS),
      interval: 15,
      pollRequests: pages,
      pollChanged: 0,
      ...extra,
    };
    return row(units, (x) => 0.5 + 0.0003 * x, { tenantSync });
  }

  it("GIVEN a sync of 10,000 tenants in 12 s and 200 MiB and an unchanged poll of 4 s THEN every target holds", () => {
    const v = tenantSyncVerdicts([synced(10, 0.5, 20, 0.4), synced(10_000, 12, 200, 4)]);
    expect(v.map((x) => [x.target, x.holds])).toStrictEqual([
      [
        "tenant sync of the mail server (Secrets, assemble.sh hook included) reads 10,000 tenants ≤ 60 s",
        true,
      ],
      [
        "tenant sync of the mail server (Secrets, assemble.sh hook included) at 10,000 tenants ≤ 512 MiB peak",
        true,
      ],
      ["tenant sync of the print server (ConfigMaps) reads 10,000 tenants ≤ 60 s", true],
      ["tenant sync of the print server (ConfigMaps) at 10,000 tenants ≤ 512 MiB peak", true],
      ["an unchanged poll of the mail sidecar at 10,000 tenants ≤ its interval (15 s)", true],
      ["an unchanged poll reads every page and writes nothing (no new tree, no hook), at every size", true],
      [
        "the sync writes every tenant of the city (both servers, at every size): the bench's tenants are valid",
        true,
      ],
    ]);
    expect(v[0]!.measured).toBe("12.00 s (0.20× the limit)");
    expect(v[5]!.measured).toBe(
      "1 of 1 pages, 0 files changed at 10; 20 of 20 pages, 0 files changed at 10,000",
    );
  });

  it("GIVEN a slow sync, a poll longer than its interval that rewrote the tree, and a skipped tenant THEN exactly those miss", () => {
    const slow = synced(10_000, 90, 700, 16, { pollChanged: 3 });
    slow.tenantSync!.print = { ...slow.tenantSync!.print, tenants: 9_999 };
    const v = tenantSyncVerdicts([slow]);
    expect(v.filter((x) => x.holds === false).map((x) => x.target)).toStrictEqual([
      "tenant sync of the mail server (Secrets, assemble.sh hook included) reads 10,000 tenants ≤ 60 s",
      "tenant sync of the mail server (Secrets, assemble.sh hook included) at 10,000 tenants ≤ 512 MiB peak",
      "tenant sync of the print server (ConfigMaps) reads 10,000 tenants ≤ 60 s",
      "tenant sync of the print server (ConfigMaps) at 10,000 tenants ≤ 512 MiB peak",
      "an unchanged poll of the mail sidecar at 10,000 tenants ≤ its interval (15 s)",
      "an unchanged poll reads every page and writes nothing (no new tree, no hook), at every size",
      "the sync writes every tenant of the city (both servers, at every size): the bench's tenants are valid",
    ]);
    expect(v.at(-1)!.measured).toBe("10000 mail, 9999 print of 10,000");
  });

  it("GIVEN the sync measured only at 10 units, or failing at 10,000 THEN the 10,000 targets are not measured, and the table names the failure", () => {
    const small = tenantSyncVerdicts([synced(10, 0.5, 20, 0.4)]);
    expect(small[0]).toStrictEqual({
      target:
        "tenant sync of the mail server (Secrets, assemble.sh hook included) reads 10,000 tenants ≤ 60 s",
      measured: "not run at 10,000 units",
      holds: undefined,
    });
    const failed = synced(10_000, 1, 1, 1);
    failed.tenantSync!.mail = { ...failed.tenantSync!.mail, sync: { skipped: "FAILED with exit code 1" } };
    expect(tenantSyncVerdicts([failed])[0]!.holds).toBeUndefined();
    expect(tenantSyncTable([failed])).toContain("- mail sync at 10,000 units: FAILED with exit code 1");
    expect(tenantSyncTable([row(10, (x) => x)])).toBe("");
  });
});
