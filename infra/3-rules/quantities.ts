import stackSchema from "../../schemas/stack.schema.json";
import unitSchema from "../../schemas/unit.schema.json";
import type { PathSegment } from "../2-manifest/diagnostics";
import { SETTINGS_PATH } from "../2-manifest/stack";
import { type Finding, finding, type StackInput, type UnitInput } from "./finding";

/**
 * Quantities within what Kubernetes and muni hold exactly (issue 13, point 6). The schemas accept any
 * number of digits in a byte or CPU quantity; muni counts bytes and millicores as exact integers up to
 * 2^53 - 1 (8 PiB of bytes, about 9 × 10^12 cores), below Kubernetes' own 2^63 - 1, so anything larger is
 * refused here, located, before any rule or builder does arithmetic on it. Every field the schemas title
 * "byte quantity" or "CPU quantity" is checked, so a new quantity field is covered without a change here.
 */

/** The largest count of bytes or millicores muni holds exactly. */
export const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

const BYTE_SUFFIX: Record<string, bigint> = {
  "": 1n,
  k: 10n ** 3n,
  M: 10n ** 6n,
  G: 10n ** 9n,
  T: 10n ** 12n,
  P: 10n ** 15n,
  Ki: 2n ** 10n,
  Mi: 2n ** 20n,
  Gi: 2n ** 30n,
  Ti: 2n ** 40n,
  Pi: 2n ** 50n,
};

/** A byte quantity in whole bytes (rounded up), or undefined for a form the schemas refuse. */
export function exactBytes(q: string): bigint | undefined {
  const m = /^([0-9]+)(?:\.([0-9]+))?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(q);
  if (!m) return undefined;
  const scale = 10n ** BigInt((m[2] ?? "").length);
  const num = (BigInt(m[1]!) * scale + BigInt(m[2] || "0")) * BYTE_SUFFIX[m[3] ?? ""]!;
  return (num + scale - 1n) / scale;
}

/** A CPU quantity in millicores, or undefined for a form the schemas refuse. */
export function exactMillis(q: string): bigint | undefined {
  const m = /^([0-9]+)m$/.exec(q);
  if (m) return BigInt(m[1]!);
  const c = /^([0-9]+)(?:\.([0-9]{1,3}))?$/.exec(q);
  return c ? BigInt(c[1]!) * 1000n + BigInt((c[2] ?? "").padEnd(3, "0")) : undefined;
}

type Schema = { [k: string]: unknown };

/** Where a checked field stands: property names, `*` for any array item or map value. */
interface Selector {
  steps: string[];
  kind: "bytes" | "cpu" | "integer";
}

/**
 * The fields to check, read off a schema once: every string titled "byte quantity" or "CPU quantity",
 * and every integer the schema does not bound within MAX_EXACT.
 */
function selectorsOf(root: Schema): Selector[] {
  const out: Selector[] = [];
  const visit = (schema: Schema | undefined, steps: string[], depth: number) => {
    if (!schema || depth > 20) return;
    const ref = schema.$ref;
    if (typeof ref === "string" && ref.startsWith("#/")) {
      const target = ref
        .slice(2)
        .split("/")
        .reduce<unknown>((n, k) => (n as Schema | undefined)?.[k], root) as Schema | undefined;
      visit(target, steps, depth + 1);
      return;
    }
    if (schema.title === "byte quantity") out.push({ steps, kind: "bytes" });
    else if (schema.title === "CPU quantity") out.push({ steps, kind: "cpu" });
    const types = ([] as unknown[]).concat(schema.type ?? []);
    if (
      types.includes("integer") &&
      !(typeof schema.maximum === "number" && schema.maximum <= Number.MAX_SAFE_INTEGER)
    )
      out.push({ steps, kind: "integer" });
    for (const [k, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
      visit(sub, [...steps, k], depth + 1);
    if (typeof schema.items === "object") visit(schema.items as Schema, [...steps, "*"], depth + 1);
    if (typeof schema.additionalProperties === "object")
      visit(schema.additionalProperties as Schema, [...steps, "*"], depth + 1);
  };
  visit(root, [], 0);
  return out;
}

/** Every value a selector picks out of a document, with its path. */
function pick(
  value: unknown,
  steps: readonly string[],
  path: PathSegment[],
  found: (v: unknown, p: PathSegment[]) => void,
) {
  if (steps.length === 0) return found(value, path);
  if (value === null || typeof value !== "object") return;
  const [step, ...rest] = steps as [string, ...string[]];
  if (step !== "*") return pick((value as Record<string, unknown>)[step], rest, [...path, step], found);
  if (Array.isArray(value)) value.forEach((v, i) => pick(v, rest, [...path, i], found));
  else for (const [k, v] of Object.entries(value)) pick(v, rest, [...path, k], found);
}

const UNIT_SELECTORS = selectorsOf(unitSchema as Schema);
const STACK_SELECTORS = selectorsOf(stackSchema as Schema);

/** Reports the quantities and integers of a document beyond MAX_EXACT. */
function check(
  selectors: readonly Selector[],
  doc: unknown,
  report: (path: PathSegment[], message: string, hint: string) => void,
): void {
  for (const { steps, kind } of selectors)
    pick(doc, steps, [], (value, path) => {
      if (kind === "integer") {
        if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value))
          report(
            path,
            `${value} is larger than the largest count muni holds exactly (${MAX_EXACT})`,
            "give a smaller number",
          );
        return;
      }
      if (typeof value !== "string") return;
      const n = kind === "cpu" ? exactMillis(value) : exactBytes(value);
      if (n === undefined || n <= MAX_EXACT) return;
      report(
        path,
        kind === "cpu"
          ? `CPU quantity "${value}" is ${n} millicores, more than Kubernetes and muni hold exactly (${MAX_EXACT} millicores)`
          : `byte quantity "${value}" is ${n} bytes, more than Kubernetes and muni hold exactly (8Pi, ${MAX_EXACT} bytes)`,
        kind === "cpu" ? "give at most 9007199254740 cores" : "give at most 7Pi",
      );
    });
}

/** A unit's quantities within MAX_EXACT. */
export function checkUnitQuantities({ file, unit }: UnitInput): Finding[] {
  const out: Finding[] = [];
  check(UNIT_SELECTORS, unit, (path, message, hint) => out.push(finding(file, path, message, hint)));
  return out;
}

/**
 * The stack settings' quantities within MAX_EXACT, and the over-commit factor with at most 3 decimals
 * (capacity sums are multiplied by it in exact integer arithmetic).
 */
export function checkStackQuantities(stack: StackInput): Finding[] {
  const out: Finding[] = [];
  const factor = stack.settings.capacity.overcommit;
  if (Math.abs(Math.round(factor * 1000) - factor * 1000) > 1e-6)
    out.push(
      finding(
        stack.file,
        [...SETTINGS_PATH, "capacity", "overcommit"],
        `over-commit factor ${factor} has more than 3 decimals`,
        `write it with at most 3 decimals, e.g. ${Math.round(factor * 1000) / 1000}`,
      ),
    );
  check(STACK_SELECTORS, stack.settings, (path, message, hint) =>
    out.push(finding(stack.file, [...SETTINGS_PATH, ...path], message, hint)),
  );
  return out;
}
