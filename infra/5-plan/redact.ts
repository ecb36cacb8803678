import type { SecretRequest, SecretSource } from "../1-model";
import type { K8sObject } from "../4-builders/types";
import type { FieldPath } from "./types";

/** What the plan shows instead of a secret value. */
export const REDACTED = "<redacted>";

/**
 * A second placeholder source: rendering a unit with this and with REDACTED_SECRETS, the values that
 * differ are exactly those derived from generated secrets (copied, hashed or embedded), whatever the kind.
 * It keeps the `<secret:` form so builders treat it as the placeholder it is.
 */
export const PROBE_SECRETS: SecretSource = { get: (r: SecretRequest) => `<secret:${r.id}:probe>` };

/**
 * When a builder cannot render the probe, the conservative mask: every Secret-like payload (`data`,
 * `stringData`, `binaryData`) and every string anywhere that carries a placeholder.
 */
export function placeholderPaths(
  object: unknown,
  path: Array<string | number> = [],
  out: FieldPath[] = [],
): FieldPath[] {
  if (typeof object === "string") {
    if (object.includes("<secret:")) out.push(path);
  } else if (Array.isArray(object)) object.forEach((v, i) => placeholderPaths(v, [...path, i], out));
  else if (isPlainObject(object))
    for (const [k, v] of Object.entries(object)) {
      if (path.length === 0 && (k === "data" || k === "stringData" || k === "binaryData") && isPlainObject(v))
        for (const dk of Object.keys(v)) out.push([k, dk]);
      else placeholderPaths(v, [...path, k], out);
    }
  return out;
}

/**
 * Paths where `a` and `b` differ: differing scalars, and whole subtrees whose shape differs (a different
 * type, array length or key set), so a value built from a secret is masked however it was built.
 */
export function differingPaths(
  a: unknown,
  b: unknown,
  path: Array<string | number> = [],
  out: FieldPath[] = [],
): FieldPath[] {
  if (a === b) return out;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => differingPaths(v, b[i], [...path, i], out));
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of Object.keys(a)) {
      if (Object.hasOwn(b, k)) differingPaths(a[k], b[k], [...path, k], out);
      else out.push([...path, k]);
    }
    return out;
  }
  out.push(path);
  return out;
}

/** Paths of a Kubernetes Secret's values (`data` and `stringData` entries): never shown, whoever built them. */
export function secretDataPaths(object: K8sObject): FieldPath[] {
  if (object.kind !== "Secret" || object.apiVersion !== "v1") return [];
  const out: FieldPath[] = [];
  for (const field of ["data", "stringData"]) {
    const values = object[field];
    if (isPlainObject(values)) for (const k of Object.keys(values)) out.push([field, k]);
  }
  return out;
}

/**
 * A copy of `object` with the values at `paths` and every Secret value replaced by REDACTED. Applied alike
 * to the plan and (in the consistency test) to what the program registers. Paths missing in `object` are skipped.
 */
export function redactObject<T extends K8sObject>(
  object: T,
  paths: readonly FieldPath[],
): { object: T; redacted: FieldPath[] } {
  const all = dedupe([...paths, ...secretDataPaths(object)]);
  if (all.length === 0) return { object, redacted: [] };
  // A JSON copy (objects are plain JSON): structuredClone hands back arrays of another realm under jest's vm.
  const copy = JSON.parse(JSON.stringify(object)) as T;
  const done: FieldPath[] = [];
  for (const p of all) if (setAt(copy, p, REDACTED)) done.push(p);
  return { object: copy, redacted: done };
}

function setAt(root: unknown, path: FieldPath, value: unknown): boolean {
  if (path.length === 0) return false;
  let node: unknown = root;
  for (const seg of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string | number, unknown>)[seg];
  }
  const last = path[path.length - 1]!;
  if (node === null || typeof node !== "object" || !Object.hasOwn(node, last)) return false;
  (node as Record<string | number, unknown>)[last] = value;
  return true;
}

function dedupe(paths: FieldPath[]): FieldPath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const k = JSON.stringify(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
