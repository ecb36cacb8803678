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
const BLOCK_SAFE =
  /^[^\s\u0000-\u001f\u007f-\u009f\ufeff\u2028\u2029](?:[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029])*$/;

// Keys and label values repeat across thousands of objects: remember how each short string is written.
const SCALARS = new Map<string, string>();
const MAX_CACHED = 100_000;

function scalar(s: string): string {
  if (s.length > 64) return plain(s) ? s : JSON.stringify(s);
  const hit = SCALARS.get(s);
  if (hit !== undefined) return hit;
  const out = plain(s) ? s : JSON.stringify(s);
  if (SCALARS.size < MAX_CACHED) SCALARS.set(s, out);
  return out;
}

/** Whether `s` may be written plain: PLAIN and not RESERVED, by a character loop for ASCII text (the regex for the rest). */
function plain(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return PLAIN.test(s) && !RESERVED.has(s.toLowerCase());
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 /* _ */ || c === 47; /* / */
    if (i === 0) {
      if (!letter) return false;
      continue;
    }
    // digits . ( ) + , - and, inside only, a space
    if (!(
      letter ||
      (c >= 48 && c <= 57) ||
      c === 46 ||
      c === 40 ||
      c === 41 ||
      c === 43 ||
      c === 44 ||
      c === 45 ||
      (c === 32 && i < n - 1)
    ))
      return false;
  }
  return n > 5 || !RESERVED.has(s.toLowerCase());
}

/** A literal block (`|`) for readable multi-line text, when it round-trips exactly; undefined otherwise. */
function literalBlock(s: string, indent: string): string | undefined {
  if (!s.includes("\n") || !BLOCK_SAFE.test(s)) return undefined;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 10) end--;
  const trailing = s.length - end;
  // Line by line: no line may end in a space or tab, nor start with a tab; empty lines stay empty.
  let out = `|${trailing === 0 ? "-" : trailing === 1 ? "" : "+"}\n`;
  let start = 0;
  for (;;) {
    let nl = s.indexOf("\n", start);
    if (nl === -1 || nl > end) nl = end;
    if (nl > start) {
      const last = s.charCodeAt(nl - 1);
      if (last === 32 || last === 9 || s.charCodeAt(start) === 9) return undefined;
      out += indent + s.slice(start, nl);
    }
    if (nl >= end) break;
    out += "\n";
    start = nl + 1;
  }
  return trailing > 1 ? out + "\n".repeat(trailing - 1) : out;
}

// The emitter appends to one string (V8 joins the pieces once, when the text is written).

function emit(value: unknown, indent: string): string {
  // Called for a value that follows "key:" or "- " (the caller wrote those); gives the rest of the line onward.
  if (value === null || value === undefined) return " null\n";
  if (typeof value === "string") return ` ${literalBlock(value, indent) ?? scalar(value)}\n`;
  if (typeof value === "number" || typeof value === "boolean") return ` ${JSON.stringify(value)}\n`;
  if (Array.isArray(value)) {
    if (value.length === 0) return " []\n";
    let out = "\n";
    for (const v of value) out += item(v, indent);
    return out;
  }
  if (typeof value === "object") {
    for (const _ in value) return `\n${mapping(value as Record<string, unknown>, indent, indent)}`;
    return " {}\n";
  }
  throw new Error(`cannot write ${typeof value} as YAML`);
}

function mapping(obj: Record<string, unknown>, indent: string, first: string): string {
  let out = "";
  let lead = first;
  const inner = `${indent}  `;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${lead}${scalar(k)}:${emit(v, inner)}`;
    lead = indent;
  }
  return out;
}

function item(v: unknown, indent: string): string {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
    // "- key: value" with the following keys aligned under the first.
    return mapping(v as Record<string, unknown>, `${indent}  `, `${indent}- `);
  }
  return `${indent}-${emit(v, `${indent}  `)}`;
}

/** One YAML document (a mapping) for `value`, ending in a newline. */
export function toYaml(value: Record<string, unknown>): string {
  return mapping(value, "", "");
}
