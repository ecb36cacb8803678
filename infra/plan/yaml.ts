/**
 * A small, fast YAML emitter for plain JSON data (what builders emit): block style, keys in object order,
 * strings plain only when no YAML 1.1 or 1.2 parser could read them as anything else, multi-line
 * strings as literal blocks, everything else JSON-quoted (JSON strings are valid YAML double-quoted
 * scalars). The `yaml` package's stringify is an order of magnitude slower on 10,000 units.
 */
// Starts with a letter, `_` or `/`; then letters, digits, spaces and `_./()+,` or dashes; never ends in a space.
const PLAIN = /^[\p{L}_/](?:[\p{L}\p{N}_./()+, \p{Pd}]*[\p{L}\p{N}_./()+\p{Pd}])?$/u;
const RESERVED = new Set(["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]);
// Printable text plus tab and newline, no carriage return, no BOM or other specials.
const BLOCK_SAFE = /^[^\s\u0000-\u001f\u007f-\u009f\ufeff\u2028\u2029](?:[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029])*$/;

// Keys and label values repeat across thousands of objects: remember how each short string is written.
const SCALARS = new Map<string, string>();
const MAX_CACHED = 100_000;

function scalar(s: string): string {
  const hit = SCALARS.get(s);
  if (hit !== undefined) return hit;
  const out = PLAIN.test(s) && !RESERVED.has(s.toLowerCase()) ? s : JSON.stringify(s);
  if (s.length <= 64 && SCALARS.size < MAX_CACHED) SCALARS.set(s, out);
  return out;
}

/** A literal block (`|`) for readable multi-line text, when it round-trips exactly; undefined otherwise. */
function literalBlock(s: string, indent: string): string | undefined {
  if (!s.includes("\n") || !BLOCK_SAFE.test(s)) return undefined;
  const body = s.replace(/\n+$/, "");
  const trailing = s.length - body.length;
  const lines = body.split("\n");
  if (lines.some((l) => /[ \t]$/.test(l) || l.startsWith("\t"))) return undefined;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const extra = trailing > 1 ? "\n".repeat(trailing - 1) : "";
  return `|${chomp}\n${lines.map((l) => (l ? indent + l : "")).join("\n")}${extra}`;
}

function emit(value: unknown, indent: string, out: string[]): void {
  // Called for a value that follows "key:" or "- " (the caller wrote those); writes the rest of the line onward.
  if (value === null || value === undefined) out.push(" null\n");
  else if (typeof value === "string") out.push(" ", literalBlock(value, indent) ?? scalar(value), "\n");
  else if (typeof value === "number" || typeof value === "boolean") out.push(" ", JSON.stringify(value), "\n");
  else if (Array.isArray(value)) {
    if (value.length === 0) out.push(" []\n");
    else {
      out.push("\n");
      for (const v of value) item(v, indent, out);
    }
  } else if (typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) out.push(" {}\n");
    else {
      out.push("\n");
      mapping(value as Record<string, unknown>, indent, out);
    }
  } else throw new Error(`cannot write ${typeof value} as YAML`);
}

function mapping(obj: Record<string, unknown>, indent: string, out: string[], first = indent): void {
  let lead = first;
  for (const k of Object.keys(obj)) {
    if (obj[k] === undefined) continue;
    out.push(lead, scalar(k), ":");
    emit(obj[k], `${indent}  `, out);
    lead = indent;
  }
}

function item(v: unknown, indent: string, out: string[]): void {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
    // "- key: value" with the following keys aligned under the first.
    mapping(v as Record<string, unknown>, `${indent}  `, out, `${indent}- `);
    return;
  }
  out.push(indent, "-");
  emit(v, `${indent}  `, out);
}

/** One YAML document (a mapping) for `value`, ending in a newline. */
export function toYaml(value: Record<string, unknown>): string {
  const out: string[] = [];
  mapping(value, "", out);
  return out.join("");
}
