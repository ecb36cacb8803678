/**
 * The fast path for the common case, a valid manifest: js-yaml reads the text about ten times faster than
 * the `yaml` library composes a Document with node ranges. It is taken only for text in a conservative
 * subset where both parsers provably read the same value (test/2-manifest/yaml-fast.test.ts): no anchors,
 * aliases, tags, merge keys, directives, document markers, block scalars, complex keys, tabs, or flow
 * collections spanning lines; and with a js-yaml schema that resolves plain scalars exactly as `yaml`'s
 * YAML 1.2 core schema does. Anything else, and anything js-yaml rejects, returns undefined and takes the
 * full `yaml` path, which produces every located diagnostic.
 */
import { FAILSAFE_SCHEMA, load, type Schema, Type } from "js-yaml";

// Plain-scalar resolution copied from yaml 2.x `schema/core` (null, bool, int, intOct, intHex, float, floatExp,
// floatNaN), as one implicit type: js-yaml asks every implicit type about every plain scalar, and most are strings.
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const BOOLS = new Map([
  ["true", true],
  ["True", true],
  ["TRUE", true],
  ["false", false],
  ["False", false],
  ["FALSE", false],
]);
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** What a plain scalar means in YAML 1.2 core as `yaml` reads it, or NOT_CORE for a string. */
const NOT_CORE = Symbol("string");
function coreValue(s: string): unknown {
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    // a digit, a sign or a dot: perhaps a number
    if (INT_DEC.test(s)) return parseInt(s, 10);
    if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
    if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
    if (FLOAT_NAN.test(s))
      return s.slice(-3).toLowerCase() === "nan"
        ? NaN
        : s[0] === "-"
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY;
    if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
    return NOT_CORE;
  }
  if (c === 126 || c === 110 || c === 78 || s === "") return NULLS.has(s) ? null : NOT_CORE; // ~ n N
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOLS.get(s) ?? NOT_CORE; // t T f F
  return NOT_CORE;
}

/** The null, bool, int and float of YAML 1.2 core in one (its tag only names it: values are all that is read). */
const coreScalar = new Type("tag:yaml.org,2002:core-scalar", {
  kind: "scalar",
  resolve: (s: string) => coreValue(s) !== NOT_CORE,
  construct: (s: string) => coreValue(s),
});

/** YAML 1.2 core as the `yaml` library resolves it (js-yaml's own core schema also takes `1_000`, `0b1`, `-0x1`...). */
export const YAML12_CORE: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [coreScalar],
});

/**
 * Whether the text stays inside the subset where js-yaml and `yaml` agree, by one cheap scan. Conservative:
 * a character that could start an anchor, alias, tag, block scalar, directive or complex key anywhere
 * sends the file to the full path, even inside a quoted string or comment.
 */
export function inFastSubset(text: string): boolean {
  if (/[&*!|>%?`\t\\{}]/.test(text) || text.includes("<<") || text.includes("__proto__")) return false;
  if (text.includes("\r") && /\r(?!\n)/.test(text)) return false;
  if (text.startsWith("---") || text.startsWith("...") || text.includes("\n---") || text.includes("\n..."))
    return false;
  // A flow sequence opens and closes on one line, with no quote inside it.
  for (let i = text.indexOf("["); i !== -1; i = text.indexOf("[", i + 1)) {
    const eol = text.indexOf("\n", i);
    const line = text.slice(i, eol === -1 ? undefined : eol);
    const close = line.indexOf("]");
    if (close === -1 || /["'[]/.test(line.slice(1, close)) || line.indexOf("[", close) !== -1) return false;
    // ...and is a value (`key: [a, b]`, `- [a]`), never a key.
    if (!/[:-]\s*$/.test(text.slice(text.lastIndexOf("\n", i) + 1, i)) || /^\s*:/.test(line.slice(close + 1)))
      return false;
  }
  // A quoted scalar opens where a value starts and closes on the same line: no multi-line quoted scalars.
  for (let q = text.search(/["']/); q !== -1;) {
    const start = text.lastIndexOf("\n", q) + 1;
    const eol = text.indexOf("\n", q);
    const end = eol === -1 ? text.length : eol;
    if (!quotesClosed(text.slice(start, end))) return false;
    if (eol === -1) break;
    QUOTE.lastIndex = end;
    q = QUOTE.exec(text)?.index ?? -1;
  }
  return true;
}

const QUOTE = /["']/g;

/**
 * Whether every quote on a line opens a scalar where a value may start (line start, after `- `, `: `, `[`, `,`)
 * and closes on the same line. A quote anywhere else (inside a plain scalar) is outside the subset.
 */
function quotesClosed(line: string): boolean {
  let start = true;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const next = line[i + 1];
    if (c === " " || c === "\r") continue;
    if (c === "#" && (i === 0 || line[i - 1] === " ")) return true;
    if (c === '"' || c === "'") {
      if (!start) return false;
      let j = i;
      for (;;) {
        j = line.indexOf(c, j + 1);
        if (j === -1) return false;
        if (c === "'" && line[j + 1] === "'") j++;
        else break;
      }
      i = j;
      start = false;
      // After the closing quote: a space, `:`, `,`, `]` or the end (`"x"#c` is an error in yaml).
      if (!/^(?:[ :,\]\r]|$)/.test(line.slice(j + 1, j + 2))) return false;
    } else if (
      (c === "-" && start) ||
      ((c === ":" || c === "-") && (next === " " || next === undefined || next === "\r"))
    )
      start = true;
    else if (c === "[" || c === ",") start = true;
    else start = false;
  }
  return true;
}

/**
 * Whether a plain value nests `limit` levels or deeper (1 for a scalar), or has a key that reads differently
 * in the two parsers (`yaml` turns a null key into "", js-yaml into "null"): then the full path reads it.
 */
function unusual(v: unknown, limit: number, d = 1): boolean {
  if (d >= limit) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === "object" && unusual(x, limit, d + 1)) return true;
    return false;
  }
  for (const k in v as Record<string, unknown>) {
    if (k === "null" || k === "") return true;
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === "object" && unusual(x, limit, d + 1)) return true;
  }
  return false;
}

/**
 * The value of a manifest that is one YAML mapping in the fast subset, read by js-yaml; undefined when the
 * full path must read it (anything outside the subset, any js-yaml error, a top level that is not a mapping,
 * nesting near the limit).
 */
export function fastParse(text: string, maxDepth: number): Record<string, unknown> | undefined {
  if (!inFastSubset(text)) return undefined;
  let value: unknown;
  try {
    value = load(text, { schema: YAML12_CORE, json: false });
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  if (unusual(value, maxDepth)) return undefined;
  return value as Record<string, unknown>;
}
