import type { PathSegment } from "../2-manifest/diagnostics";
import { type Finding, finding, type UnitInput } from "./finding";

/**
 * What a manifest's text may hold (issue 13, point 6). Its strings reach server configurations (CUPS's
 * printers.conf takes queue descriptions, locations and models; nginx.conf and the mail tables take names),
 * reports and spreadsheets, plan output and the terminal. A line break would start a new configuration
 * directive, an escape sequence would drive the terminal, and bidirectional controls make text read
 * differently from what it is ("Trojan Source"). Such characters are refused in every string of a manifest;
 * the characters a configuration treats specially but that are ordinary text (`#` in cupsd) are escaped by
 * the renderer of that configuration.
 */

/** C0 controls (tab, CR, LF among them), DEL, C1 controls, line and paragraph separators, bidi controls. */
const CLASS = "[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]";
const FORBIDDEN = new RegExp(CLASS, "u");
const FORBIDDEN_ALL = new RegExp(CLASS, "gu");

/** The string with every forbidden character shown as `\u{…}`, safe to print in a message. */
export function visible(s: string): string {
  return s.replace(FORBIDDEN_ALL, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** `U+000A` for the first forbidden character of a string, or undefined. */
export function forbiddenCharacter(s: string): string | undefined {
  const m = FORBIDDEN.exec(s);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

function walk(
  value: unknown,
  path: PathSegment[],
  visit: (s: string, path: PathSegment[], key: boolean) => void,
) {
  if (typeof value === "string") visit(value, path, false);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      visit(k, [...path, k], true);
      walk(v, [...path, k], visit);
    }
}

/**
 * The manifest as JSON holds a forbidden character only if this matches: JSON.stringify escapes every C0
 * control (`\n`, `\u001b`...) and leaves the others as they are. A false alarm (an escaped backslash
 * before an `n`) only sends the manifest through the full walk.
 */
const MAYBE_FORBIDDEN =
  /\\[bfnrt]|\\u00[01]|[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** No control, separator or bidi-control character in any string (or key) of a manifest. */
export function checkText({ file, unit }: UnitInput): Finding[] {
  if (!MAYBE_FORBIDDEN.test(JSON.stringify(unit))) return [];
  const out: Finding[] = [];
  walk(unit, [], (s, path, key) => {
    const c = forbiddenCharacter(s);
    if (c)
      out.push(
        finding(
          file,
          path,
          `${key ? "key" : "text"} "${visible(s.length > 60 ? `${s.slice(0, 60)}…` : s)}" holds the control character ${c}, which configuration files, reports and terminals would interpret`,
          "write it on one line, without tabs, control or direction-override characters",
          key,
        ),
      );
  });
  return out;
}
