import type { DataHistory, ItemKind, RetiredItem, SiteRecord, VmRecord } from "../1-model";
import { ITEM_KINDS } from "../1-model";
import type { Diagnostic, PathSegment } from "./diagnostics";
import type { YamlSource } from "./yaml-source";

const HINT =
  "the ledger is written by `muni ledger --stack <stack> --write`: restore it from git rather than editing it";
const DATA_FIELDS = ["namespaces", "vms", "sites", "mailboxes", "retired"];
const RETIRED_FIELDS = ["kind", "name", "retiredOn", "kept", "vm", "site", "incarnation"];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A unit entry's `data:` record (what holds the unit's data, what was retired from it), or undefined with
 * its problems appended to `out`. Every part may be left out (empty).
 */
export function checkData(
  source: YamlSource,
  at: readonly PathSegment[],
  raw: unknown,
  out: Diagnostic[],
): DataHistory | undefined {
  const here = [...at, "data"];
  if (!isMap(raw)) {
    out.push(
      source.diagnostic(here, "must be a mapping of namespaces, vms, sites, mailboxes, retired", HINT),
    );
    return undefined;
  }
  const before = out.length;
  for (const k of Object.keys(raw))
    if (!DATA_FIELDS.includes(k))
      out.push(
        source.diagnostic(
          [...here, k],
          `unknown field "${k}" (allowed: ${DATA_FIELDS.join(", ")})`,
          HINT,
          true,
        ),
      );
  const namespaces: string[] = [];
  if (raw.namespaces !== undefined) {
    const v = raw.namespaces;
    if (Array.isArray(v) && v.every((x) => typeof x === "string" && x.length > 0)) namespaces.push(...v);
    else out.push(source.diagnostic([...here, "namespaces"], "must be a list of namespace names", HINT));
  }
  const records = <T>(k: string, ok: (v: unknown) => v is T, shape: string): Record<string, T> => {
    const v = raw[k];
    const got: Record<string, T> = {};
    if (v === undefined) return got;
    if (!isMap(v)) out.push(source.diagnostic([...here, k], `must map each name to ${shape}`, HINT));
    else
      for (const [name, r] of Object.entries(v)) {
        if (ok(r)) got[name] = r;
        else out.push(source.diagnostic([...here, k, name], `must be ${shape}`, HINT));
      }
    return got;
  };
  const vms = records("vms", isVmRecord, "{ cpu, memory, disk, image }");
  const sites = records("sites", isSiteRecord, "{ kind, storage }");
  const mailboxes: Record<string, number> = {};
  if (raw.mailboxes !== undefined) {
    if (!isMap(raw.mailboxes))
      out.push(
        source.diagnostic([...here, "mailboxes"], "must map each local part to its incarnation", HINT),
      );
    else
      for (const [local, n] of Object.entries(raw.mailboxes)) {
        if (isIncarnation(n)) mailboxes[local] = n;
        else
          out.push(
            source.diagnostic(
              [...here, "mailboxes", local],
              `${JSON.stringify(n)} is not an incarnation (1, 2, ...)`,
              HINT,
            ),
          );
      }
  }
  const retired: RetiredItem[] = [];
  if (raw.retired !== undefined) {
    if (!Array.isArray(raw.retired))
      out.push(source.diagnostic([...here, "retired"], "must be a list of retired items", HINT));
    else
      raw.retired.forEach((r, i) => {
        const item = checkRetired(source, [...here, "retired", i], r, out);
        if (item) retired.push(item);
      });
  }
  const history = { namespaces, vms, sites, mailboxes, retired };
  return out.length === before ? history : undefined;
}

function checkRetired(
  source: YamlSource,
  at: PathSegment[],
  raw: unknown,
  out: Diagnostic[],
): RetiredItem | undefined {
  if (!isMap(raw)) {
    out.push(source.diagnostic(at, "must be a mapping with kind, name, retiredOn and kept", HINT));
    return undefined;
  }
  const before = out.length;
  const bad = (k: string, message: string) => out.push(source.diagnostic([...at, k], message, HINT));
  for (const k of Object.keys(raw))
    if (!RETIRED_FIELDS.includes(k)) bad(k, `unknown field "${k}" (allowed: ${RETIRED_FIELDS.join(", ")})`);
  if (!ITEM_KINDS.includes(raw.kind as ItemKind))
    bad("kind", `${JSON.stringify(raw.kind)} is not one of: ${ITEM_KINDS.join(", ")}`);
  if (typeof raw.name !== "string" || !raw.name) bad("name", `${JSON.stringify(raw.name)} is not a name`);
  if (typeof raw.retiredOn !== "string" || !DAY.test(raw.retiredOn))
    bad("retiredOn", `${JSON.stringify(raw.retiredOn)} is not a date YYYY-MM-DD`);
  if (!(
    Array.isArray(raw.kept) && raw.kept.every((k) => typeof k === "string" && /^\S+ [^/\s]+\/\S+$/.test(k))
  ))
    bad("kept", "must be a list of `Kind namespace/name` strings");
  const vm = raw.vm;
  if ((raw.kind === "vm" || vm !== undefined) && !(raw.kind === "vm" && isVmRecord(vm)))
    bad("vm", "a retired VM keeps `vm: { cpu, memory, disk, image }` as it was (and only a VM has one)");
  const site = raw.site;
  if ((raw.kind === "site" || site !== undefined) && !(raw.kind === "site" && isSiteRecord(site)))
    bad("site", "a retired site keeps `site: { kind, storage }` as it was (and only a site has one)");
  if (raw.incarnation !== undefined && (raw.kind !== "mailbox" || !isIncarnation(raw.incarnation)))
    bad("incarnation", "only a retired mailbox has an incarnation (1, 2, ...)");
  if (out.length !== before) return undefined;
  return {
    kind: raw.kind as ItemKind,
    name: raw.name as string,
    on: raw.retiredOn as string,
    kept: raw.kept as string[],
    ...(vm !== undefined ? { vm: vm as NonNullable<RetiredItem["vm"]> } : {}),
    ...(site !== undefined ? { site: site as NonNullable<RetiredItem["site"]> } : {}),
    ...(raw.incarnation !== undefined ? { incarnation: raw.incarnation as number } : {}),
  };
}

/** The `data:` record as the ledger file writes it: empty parts left out; undefined when all are empty. */
export function dataRecord(h: DataHistory): Record<string, unknown> | undefined {
  const r: Record<string, unknown> = {};
  if (h.namespaces.length) r.namespaces = h.namespaces;
  if (Object.keys(h.vms).length) r.vms = h.vms;
  if (Object.keys(h.sites).length) r.sites = h.sites;
  if (Object.keys(h.mailboxes).length) r.mailboxes = h.mailboxes;
  if (h.retired.length)
    r.retired = h.retired.map(({ on, ...rest }) => ({
      kind: rest.kind,
      name: rest.name,
      retiredOn: on,
      kept: rest.kept,
      ...(rest.vm ? { vm: rest.vm } : {}),
      ...(rest.site ? { site: rest.site } : {}),
      ...(rest.incarnation !== undefined ? { incarnation: rest.incarnation } : {}),
    }));
  return Object.keys(r).length ? r : undefined;
}

function isVmRecord(v: unknown): v is VmRecord {
  return (
    isMap(v) &&
    Number.isInteger(v.cpu) &&
    (v.cpu as number) > 0 &&
    typeof v.memory === "string" &&
    typeof v.disk === "string" &&
    typeof v.image === "string" &&
    Object.keys(v).every((k) => ["cpu", "memory", "disk", "image"].includes(k))
  );
}

function isSiteRecord(v: unknown): v is SiteRecord {
  return (
    isMap(v) &&
    (v.kind === "www" || v.kind === "bip") &&
    typeof v.storage === "string" &&
    Object.keys(v).every((k) => ["kind", "storage"].includes(k))
  );
}

function isIncarnation(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 1;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
