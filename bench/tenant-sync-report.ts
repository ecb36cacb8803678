/**
 * The tenant sync's table and targets (bench/tenant-sync.ts measures): pure functions from the rows to
 * markdown and verdicts, beside the city's in report.ts.
 */
import { type Cell, measured, type Row, type TenantSyncRow, type Verdict } from "./report";

/** Issue 14.7: reading the tenants costs the servers seconds, not minutes. */
export const SYNC_TARGETS = {
  /** One init container reading 10,000 tenants (the pod waits for it before its daemons start). */
  sync10kS: 60,
  sync10kMiB: 512,
} as const;

const s = (c: Cell) => (measured(c) ? c.wallS.toFixed(2) : "–");
const cpu = (c: Cell) => (measured(c) && c.cpuS !== undefined ? c.cpuS.toFixed(2) : "–");
const mib = (c: Cell) => (measured(c) ? c.peakMiB.toFixed(0) : "–");

/** The tenant sync's table (rows without a tenant sync are left out). */
export function tenantSyncTable(rows: readonly Row[]): string {
  const synced = rows.filter((r): r is Row & { tenantSync: TenantSyncRow } => r.tenantSync !== undefined);
  if (!synced.length) return "";
  const lines = synced.map(({ units, tenantSync: t }) =>
    [
      units.toLocaleString("en-US"),
      s(t.mail.sync),
      cpu(t.mail.sync),
      mib(t.mail.sync),
      t.mail.tenants,
      (t.mail.bytes / 2 ** 20).toFixed(1),
      t.mail.requests,
      s(t.hook),
      cpu(t.hook),
      s(t.print.sync),
      cpu(t.print.sync),
      mib(t.print.sync),
      t.print.tenants,
      (t.print.bytes / 2 ** 20).toFixed(1),
      s(t.poll),
      cpu(t.poll),
      mib(t.poll),
      t.pollChanged,
    ].join(" | "),
  );
  const skipped = synced.flatMap(({ units, tenantSync: t }) =>
    (
      [
        ["mail sync", t.mail.sync],
        ["mail hook", t.hook],
        ["print sync", t.print.sync],
        ["unchanged poll", t.poll],
      ] as const
    ).flatMap(([k, c]) =>
      measured(c) ? [] : [`- ${k} at ${units.toLocaleString("en-US")} units: ${c.skipped}`],
    ),
  );
  return [
    "### The tenant sync: the shared servers reading their tenants from the Kubernetes API",
    "",
    "| units | mail sync s | CPU s | MiB | tenants written | MiB read | pages | hook alone s | CPU s | print sync s | CPU s | MiB | tenants written | MiB read | unchanged poll s | CPU s | MiB | files changed |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...lines.map((l) => `| ${l} |`),
    "",
    ...(skipped.length ? ["Not measured:", ...skipped, ""] : []),
  ].join("\n");
}

/** The tenant sync's targets against the rows (undefined: not measured at the N it needs). */
export function tenantSyncVerdicts(rows: readonly Row[]): Verdict[] {
  const synced = rows.filter((r) => r.tenantSync);
  const big = rows.find((r) => r.units === 10_000)?.tenantSync;
  const out: Verdict[] = [];
  const limit = (
    c: Cell | undefined,
    value: (m: { wallS: number; peakMiB: number }) => number,
    max: number,
    unit: string,
    target: string,
  ) => {
    if (!c || !measured(c))
      out.push({ target, measured: c ? c.skipped : "not run at 10,000 units", holds: undefined });
    else {
      const v = value(c);
      out.push({
        target,
        measured: `${v.toFixed(2)} ${unit} (${(v / max).toFixed(2)}× the limit)`,
        holds: v <= max,
      });
    }
  };
  for (const [k, what] of [
    ["mail", "mail server (Secrets, assemble.sh hook included)"],
    ["print", "print server (ConfigMaps)"],
  ] as const) {
    limit(
      big?.[k].sync,
      (m) => m.wallS,
      SYNC_TARGETS.sync10kS,
      "s",
      `tenant sync of the ${what} reads 10,000 tenants ≤ ${SYNC_TARGETS.sync10kS} s`,
    );
    limit(
      big?.[k].sync,
      (m) => m.peakMiB,
      SYNC_TARGETS.sync10kMiB,
      "MiB",
      `tenant sync of the ${what} at 10,000 tenants ≤ ${SYNC_TARGETS.sync10kMiB} MiB peak`,
    );
  }
  limit(
    big?.poll,
    (m) => m.wallS,
    big?.interval ?? Number.NaN,
    "s",
    `an unchanged poll of the mail sidecar at 10,000 tenants ≤ its interval (${big?.interval ?? "–"} s)`,
  );
  const unchanged = `an unchanged poll reads every page and writes nothing (no new tree, no hook), at every size`;
  const polled = synced.filter((r) => measured(r.tenantSync!.poll));
  out.push({
    target: unchanged,
    measured: polled.length
      ? polled
          .map(
            ({ units, tenantSync: t }) =>
              `${t!.pollRequests} of ${t!.mail.requests} pages, ${t!.pollChanged} files changed at ${units.toLocaleString("en-US")}`,
          )
          .join("; ")
      : "not measured",
    holds: polled.length
      ? polled.every(({ tenantSync: t }) => t!.pollChanged === 0 && t!.pollRequests === t!.mail.requests)
      : undefined,
  });
  const every =
    "the sync writes every tenant of the city (both servers, at every size): the bench's tenants are valid";
  out.push({
    target: every,
    measured: synced.length
      ? synced
          .map(
            ({ units, tenantSync: t }) =>
              `${t!.mail.tenants} mail, ${t!.print.tenants} print of ${units.toLocaleString("en-US")}`,
          )
          .join("; ")
      : "not measured",
    holds: synced.length
      ? synced.every(({ units, tenantSync: t }) => t!.mail.tenants === units && t!.print.tenants === units)
      : undefined,
  });
  return out;
}
