import { writeFileSync } from "node:fs";
import { dirname, relative, sep } from "node:path";
import { stringify } from "yaml";
import {
  type DataHistory,
  EMPTY_HISTORY,
  notProvisionedReason,
  type StackSettings,
  todayOf,
} from "../1-model";
import { dataRecord } from "../2-manifest/ledger-data";
import type { Ledger, LedgerEntry } from "../2-manifest/ledger";
import type { LoadedUnit } from "../2-manifest/units";
import { retainedData } from "../4-builders/retention";
import { newlyRetired, nextHistory, type RecordOptions } from "./data-record";

/**
 * The ledger after this change: every unit the stack takes now with its state, plus every earlier entry
 * of a unit once provisioned or decommissioned (never forgotten, so its vanishing stays visible); an
 * entry only ever planned whose manifest is gone is dropped. Decommissioned units list what they left.
 * Provisioned units record their data (`data:`, nextHistory): what holds it, what this run retires
 * (`opts.retiring`, dated `opts.today`, default the stack's today) and what was retired before.
 */
export function nextLedger(
  previous: Ledger,
  current: readonly LoadedUnit[],
  settings: StackSettings,
  opts: Partial<RecordOptions> = {},
): Ledger {
  const record: RecordOptions = {
    today: opts.today ?? todayOf(settings),
    ...(opts.retiring ? { retiring: opts.retiring } : {}),
  };
  const units: Record<string, LedgerEntry> = {};
  const now = new Set(current.map((u) => u.unit.id));
  const root = dirname(dirname(previous.file));
  for (const [id, e] of Object.entries(previous.units))
    if (!now.has(id) && (e.provisioned || e.state === "decommissioned")) units[id] = e;
  for (const u of current) {
    // Where the unit's resources live and where they came from (muni migrate) stay as recorded.
    const was = previous.units[u.unit.id];
    const provisioned = notProvisionedReason(u.unit, settings) === undefined;
    const data = provisioned ? nextHistory(was?.data ?? EMPTY_HISTORY, u.unit, settings, record) : was?.data;
    const retained =
      u.unit.lifecycle.state === "decommissioned"
        ? retainedData(u.unit, settings, data ?? EMPTY_HISTORY).map(
            (r) => `${r.kind} ${r.namespace}/${r.name}`,
          )
        : [];
    units[u.unit.id] = {
      state: u.unit.lifecycle.state,
      wave: u.unit.lifecycle.wave,
      provisioned,
      file: relative(root, u.file).split(sep).join("/"),
      ...(retained.length ? { retained } : {}),
      ...(was?.stack !== undefined ? { stack: was.stack } : {}),
      ...(was?.movedFrom !== undefined ? { movedFrom: was.movedFrom } : {}),
      ...(data && dataRecord(data) ? { data } : {}),
    };
  }
  const sorted = Object.fromEntries(Object.entries(units).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    file: previous.file,
    exists: previous.exists,
    units: sorted,
    ...(previous.platform ? { platform: previous.platform } : {}),
  };
}

/** The ledger file's text: a header saying what it is, then the entries, stable order. */
export function ledgerText(ledger: Ledger, stackName: string): string {
  return (
    `# muni ledger of stack ${stackName}: every unit this stack takes or has provisioned, with its last recorded state.\n` +
    `# Written by \`muni ledger --stack ${stackName} --write\` with each change; muni refuses to deploy a change\n` +
    "# that drops a provisioned unit from here without decommissioning. Never delete an entry by hand.\n" +
    stringify(
      {
        ...(ledger.platform ? { platform: ledger.platform } : {}),
        units: Object.fromEntries(
          Object.entries(ledger.units).map(([id, { data, ...e }]) => [
            id,
            { ...e, ...(data && dataRecord(data) ? { data: dataRecord(data) } : {}) },
          ]),
        ),
      },
      { lineWidth: 0 },
    )
  );
}

/** Writes the ledger file. */
export function writeLedger(ledger: Ledger, stackName: string): void {
  writeFileSync(ledger.file, ledgerText(ledger, stackName));
}

/** What a unit's data record says holds data, in a few words: `2 VMs (a, b), 1 site, 3 mailboxes; namespaces x, y`. */
function holdings(d: DataHistory): string {
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? "" : "s"}`;
  const vms = Object.keys(d.vms);
  return (
    [
      `${n(vms.length, "VM")}${vms.length ? ` (${vms.join(", ")})` : ""}`,
      n(Object.keys(d.sites).length, "site"),
      n(Object.keys(d.mailboxes).length, "mailbox"),
    ]
      .join(", ")
      .replace(/mailboxs/, "mailboxes") + (d.namespaces.length ? `; data in ${d.namespaces.join(", ")}` : "")
  );
}

/** One line per unit whose entry changes from `before` to `after`: new, state/wave/provisioning changed, dropped. */
export function ledgerChanges(before: Ledger, after: Ledger): string[] {
  const out: string[] = [];
  const prov = (p: boolean) => (p ? "provisioned" : "not provisioned");
  for (const [id, a] of Object.entries(after.units)) {
    const b = before.units[id];
    if (!b) out.push(`${id}: new, ${a.state}, wave ${a.wave}, ${prov(a.provisioned)}`);
    else if (b.state !== a.state || b.wave !== a.wave || b.provisioned !== a.provisioned || b.file !== a.file)
      out.push(
        `${id}: ${b.state} → ${a.state}, wave ${b.wave} → ${a.wave}, ${prov(b.provisioned)} → ${prov(a.provisioned)}`,
      );
  }
  for (const id of Object.keys(before.units))
    if (!after.units[id]) out.push(`${id}: dropped (only ever planned, manifest gone)`);
  for (const [id, a] of Object.entries(after.units)) {
    const was = before.units[id]?.data;
    const held = (d: typeof was) => JSON.stringify(d ? { ...d, retired: [] } : undefined);
    if (a.data && held(was) !== held(a.data)) out.push(`${id}: holds ${holdings(a.data)}`);
  }
  for (const [id, a] of Object.entries(after.units))
    for (const r of newlyRetired(before.units[id]?.data, a.data))
      out.push(
        `${id}: retires ${r.kind} ${r.name} on ${r.on}${r.kind === "vm" ? " (halted)" : ""}, its data kept: ${r.kept.join(", ")}`,
      );
  return out;
}
