import {
  type DataHistory,
  dataItemsOf,
  heldItems,
  type ItemKind,
  ITEM_KINDS,
  type StackSettings,
} from "../../1-model";
import type { PathSegment } from "../../2-manifest/diagnostics";
import { type Finding, finding, type StackInput, type UnitInput } from "../finding";

/** What the retirement guard needs of a unit's ledger entry. */
export interface RecordedUnit {
  provisioned: boolean;
  data?: DataHistory;
}

export interface RetirementOptions {
  /** Items this run retires, `<unit>/<kind>/<name>` (`muni ledger --retire`): their removal is accepted. */
  retiring?: ReadonlySet<string>;
  /** Where the record came from, for messages: "ledger stacks/lodz-prod.units.yaml". */
  previousSource: string;
  /** The stack: its name goes into the command printed as the fix. */
  stack: Pick<StackInput, "name">;
}

const LABEL: Record<ItemKind, string> = { vm: "VM", site: "site", mailbox: "mailbox" };
/** Where each kind of item is declared in a unit manifest (the finding points at the list, or its service). */
const LIST: Record<ItemKind, readonly PathSegment[]> = {
  vm: ["services", "servers", "vms"],
  site: ["services", "web", "sites"],
  mailbox: ["services", "mail", "mailboxes"],
};
const KEPT: Record<ItemKind, string> = {
  vm: "the VM is halted and its disk kept",
  site: "its content volume is kept, the site's workload and Ingress go",
  mailbox: "its mail is moved aside, kept on the mail volume; the address may be re-created empty",
};

/**
 * Removing a VM, a site or a mailbox from a provisioned unit is a retirement the ledger records (what,
 * when, where the data is kept): a removal the unit's ledger entry does not record as retired (nor `retiring`
 * accepts for this run) is refused at the manifest's list, naming the exact `muni ledger --retire` command;
 * where the stack protects data, the message says `pulumi up` would otherwise fail halfway on the protected
 * resource. A VM name or site hostname retired before cannot come back (its kept disk or volume has that
 * name). Pure.
 */
export function checkRetirements(
  recorded: Readonly<Record<string, RecordedUnit>>,
  current: readonly UnitInput[],
  settings: Pick<StackSettings, "lifecycle">,
  opts: RetirementOptions,
): Finding[] {
  const out: Finding[] = [];
  for (const u of current) {
    const e = recorded[u.unit.id];
    if (!e?.provisioned || !e.data) continue;
    const held = heldItems(e.data);
    const now = dataItemsOf(u.unit);
    const protectedNow = settings.lifecycle?.protectData === true && u.unit.lifecycle.state === "active";
    for (const kind of ITEM_KINDS) {
      const declared = new Set(now[kind]);
      for (const name of held[kind]) {
        const ref = `${u.unit.id}/${kind}/${name}`;
        if (declared.has(name) || opts.retiring?.has(ref)) continue;
        const fix = `npx muni ledger --stack ${opts.stack.name} --retire ${ref} --write`;
        out.push(
          finding(
            u.file,
            pathIn(u, LIST[kind]),
            `${LABEL[kind]} "${name}" of unit "${u.unit.id}" holds data (per ${opts.previousSource}) and is no longer in the manifest: removing it is a retirement the ledger must record (${KEPT[kind]})` +
              (protectedNow
                ? `; the stack protects data (lifecycle.protectData), so without the retirement step \`pulumi up\` would fail halfway on the protected resource`
                : ""),
            `to retire it run \`${fix}\` and commit the ledger with this change; or put the ${LABEL[kind]} back`,
          ),
        );
      }
      if (kind === "mailbox") continue; // a re-created address gets a new, empty maildir
      for (const r of e.data.retired)
        if (r.kind === kind && declared.has(r.name) && !held[kind].includes(r.name))
          out.push(
            finding(
              u.file,
              pathIn(u, LIST[kind]),
              `${LABEL[kind]} "${r.name}" of unit "${u.unit.id}" was retired on ${r.on} (per ${opts.previousSource}) and its data is kept under that name (${r.kept.join(", ")}): it cannot be declared again`,
              `give the new ${LABEL[kind]} another ${kind === "site" ? "hostname" : "name"}`,
            ),
          );
    }
  }
  return out;
}

/**
 * The `--retire` requests that name nothing this run can retire: an unknown unit, kind or item, or an item
 * the manifest still declares. Returned as messages (the CLI refuses them as usage errors).
 */
export function unknownRetirements(
  requests: readonly string[],
  recorded: Readonly<Record<string, RecordedUnit>>,
  current: readonly UnitInput[],
): string[] {
  const units = new Map(current.map((u) => [u.unit.id, u]));
  return requests.flatMap((ref) => {
    const [id = "", kind = "", ...rest] = ref.split("/");
    const name = rest.join("/");
    if (!ITEM_KINDS.includes(kind as ItemKind) || !name)
      return [`${ref}: expected <unit>/<kind>/<name> with kind one of ${ITEM_KINDS.join(", ")}`];
    const u = units.get(id);
    const data = recorded[id]?.data;
    if (!u || !data) return [`${ref}: the ledger records no data of a unit "${id}" among the stack's units`];
    if (!heldItems(data)[kind as ItemKind].includes(name))
      return [`${ref}: the ledger records no ${LABEL[kind as ItemKind]} "${name}" held by unit "${id}"`];
    if (dataItemsOf(u.unit)[kind as ItemKind].includes(name))
      return [`${ref}: unit "${id}"'s manifest still declares it: remove it from ${u.file} first`];
    return [];
  });
}

/** `path` in the unit's manifest, or its longest prefix the manifest has (a whole service may be gone). */
function pathIn(u: UnitInput, path: readonly PathSegment[]): readonly PathSegment[] {
  let node: unknown = u.unit;
  let i = 0;
  for (; i < path.length; i++) {
    const next = (node as Record<string, unknown> | undefined)?.[path[i] as string];
    if (next === undefined) break;
    node = next;
  }
  return i === 0 ? [] : path.slice(0, i);
}
