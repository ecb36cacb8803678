import { existsSync, readFileSync } from "node:fs";
import { checkLedger, LEDGER_LIMITS, type Ledger, readLedger } from "./ledger";
import { parseYaml } from "./yaml-source";

/** Which parts of a ledger to read. */
export interface LedgerPart {
  /** A unit's entry `units.<id>`. */
  unit?: string;
  /** The top-level `platform:` record. */
  platform?: boolean;
}

/**
 * The part of a stack's ledger that one Pulumi stack needs (a unit's entry, the platform's record), read
 * without parsing the whole file: the cost of a unit stack's program must not grow with the city's size,
 * and a 10,000-unit ledger takes ~150 ms to parse and may pass the 1 MiB YAML limit.
 *
 * The ledger is written by `muni ledger --write` in block style (`units:` then `  <id>:` and its indented
 * fields); those lines are kept in place and every other line blanked, so the YAML parsed is small and every
 * diagnostic keeps its real line and column. A file in any other shape (flow style, anchors, quoted keys)
 * is read whole, as readLedger reads it. The returned ledger holds only the parts asked for.
 */
export function readLedgerPart(file: string, part: LedgerPart): ReturnType<typeof readLedger> {
  if (!existsSync(file)) return { ledger: { file, exists: false, units: {} }, diagnostics: [] };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return narrowed(readLedger(file), part);
  }
  // Native searches only (indexOf, one regex each): no pass of JavaScript over every line of a large ledger.
  const units = /^units:[ \t]*(#.*)?\r?$/m.exec(text);
  if (!units) return narrowed(readLedger(file), part);
  const blocks: Array<{ at: number; text: string }> = [];
  let entry: { at: number; text: string } | undefined;
  if (part.unit !== undefined && text.includes(part.unit)) {
    const end = topLevelEnd(text, units.index + units[0].length);
    const at = findKey(text, `\n  ${part.unit}:`, units.index, end);
    if (at === -1) return narrowed(readLedger(file), part);
    entry = { at: at + 1, text: blockFrom(text, at + 1, end, 2) };
    blocks.push(entry);
  }
  blocks.push({ at: units.index, text: entry ? units[0] : "units: {}" });
  if (part.platform) {
    const platform = /^platform:/m.exec(text);
    if (platform) blocks.push({ at: platform.index, text: blockFrom(text, platform.index, text.length, 0) });
  }
  // Each block at its own line, the lines between left empty: every position the parser reports is the file's.
  blocks.sort((a, b) => a.at - b.at);
  let kept = "";
  let line = 0;
  for (const b of blocks) {
    const at = lineOf(text, b.at);
    kept += "\n".repeat(at - line) + b.text;
    line = at + (b.text.match(/\n/g)?.length ?? 0);
  }
  const parsed = parseYaml(file, Buffer.from(kept, "utf8"), LEDGER_LIMITS);
  // A shape the scan does not understand (an alias to an anchor elsewhere, say): read it whole.
  if (!parsed.ok) return narrowed(readLedger(file), part);
  return narrowed(checkLedger(file, parsed.source, parsed.value), part);
}

/** The offset of the first top-level key after `from` (a line starting with neither space nor `#`), or the end. */
function topLevelEnd(text: string, from: number): number {
  const re = /\n[^\s#]/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : text.length;
}

/** The offset of `needle` (a newline and a two-space key) between `from` and `to`, the rest of its line blank or a comment; -1 if none. */
function findKey(text: string, needle: string, from: number, to: number): number {
  for (let at = text.indexOf(needle, from); at !== -1 && at < to; at = text.indexOf(needle, at + 1)) {
    const eol = text.indexOf("\n", at + 1);
    if (/^[ \t]*(#.*)?\r?$/.test(text.slice(at + needle.length, eol === -1 ? text.length : eol))) return at;
  }
  return -1;
}

/** The block starting at the line at `start`: that line and the following ones indented more than `indent` (or blank). */
function blockFrom(text: string, start: number, limit: number, indent: number): string {
  let end = text.indexOf("\n", start);
  while (end !== -1 && end < limit) {
    const next = text.indexOf("\n", end + 1);
    const l = text.slice(end + 1, next === -1 ? text.length : next);
    if (!(/^\s*(#.*)?\r?$/.test(l) || l.length - l.trimStart().length > indent)) break;
    end = next;
  }
  return text.slice(start, end === -1 || end > limit ? limit : end);
}

/** The 0-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Only the asked-for parts of a ledger. */
function narrowed(r: ReturnType<typeof readLedger>, part: LedgerPart): ReturnType<typeof readLedger> {
  if (!r.ledger) return r;
  const l: Ledger = r.ledger;
  const entry = part.unit !== undefined ? l.units[part.unit] : undefined;
  return {
    ledger: {
      file: l.file,
      exists: l.exists,
      units: entry && part.unit !== undefined ? { [part.unit]: entry } : {},
      ...(part.platform && l.platform ? { platform: l.platform } : {}),
      ...(l.source ? { source: l.source } : {}),
    },
    diagnostics: r.diagnostics,
  };
}
