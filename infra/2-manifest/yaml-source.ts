import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, statSync } from "node:fs";
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from "yaml";
import { type Diagnostic, type PathSegment, fieldPath } from "./diagnostics";
import { byteLineCol, firstInvalidUtf8, sniffEncoding } from "./text-encoding";
import { fastParse } from "./yaml-fast";
import { checkStructure, DEFAULT_LIMITS, tooDeepOffset, type YamlLimits } from "./yaml-structure";

export { type YamlLimits, DEFAULT_LIMITS } from "./yaml-structure";

/** The `yaml` Document of a file, with the line counter that turns its node ranges into lines and columns. */
interface Composed {
  doc: Document;
  lines: LineCounter;
}

const PARSE_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: false, // duplicates are reported by checkStructure, with the field path and both lines
  schema: "core",
  strict: true,
  merge: false,
} as const;

/**
 * A parsed YAML file that can say where any field of it stands. A file read by the fast path (yaml-fast.ts)
 * has no `yaml` Document until something asks where a field stands: it is composed then, once, from the
 * same text and with the same options as the full path, so every location is the same as if it had been.
 */
export class YamlSource {
  private composed?: Composed;

  constructor(
    readonly file: string,
    private readonly text: string,
    composed?: Composed,
  ) {
    this.composed = composed;
  }

  /** The `yaml` Document (composed on first use for a file read by the fast path). */
  get doc(): Document {
    return this.compose().doc;
  }

  private compose(): Composed {
    if (!this.composed) {
      const lines = new LineCounter();
      const docs = parseAllDocuments(this.text, { ...PARSE_OPTIONS, lineCounter: lines });
      this.composed = { doc: (Array.isArray(docs) ? docs : [])[0]!, lines };
    }
    return this.composed;
  }

  /**
   * Location of the value at `path`, or of its key when `key` is true. Where the path leaves the
   * document (a missing field), the deepest node that exists is used.
   */
  locate(path: readonly PathSegment[], key = false): { line: number; col: number } {
    return this.position(this.walk(path, key).at);
  }

  /** Whether the file itself holds a value at `path` (false for a value only a schema default filled in). */
  has(path: readonly PathSegment[]): boolean {
    return this.walk(path, false).found;
  }

  private walk(path: readonly PathSegment[], key: boolean): { at: unknown; found: boolean } {
    let node: unknown = this.doc.contents;
    let at: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && scalarKey(p.key) === String(seg));
        if (!pair) return { at, found: false };
        if (key && i === path.length - 1) return { at: pair.key, found: true };
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
        node = node.items[seg];
      } else return { at, found: false };
      if (node) at = node;
    }
    return { at, found: true };
  }

  /** A diagnostic located at `path` in this file. */
  diagnostic(path: readonly PathSegment[], message: string, hint?: string, key = false): Diagnostic {
    const { line, col } = this.locate(path, key);
    return { file: this.file, line, col, field: fieldPath(path), message, ...(hint ? { hint } : {}) };
  }

  /** Location of a node of this document (1:1 when it has none). */
  position(node: unknown): { line: number; col: number } {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? this.compose().lines.linePos(range[0]) : { line: 1, col: 1 };
  }
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, "0")}`;
}

function scalarKey(k: unknown): string | undefined {
  return isScalar(k) ? String(k.value) : undefined;
}

export type ParseResult =
  { ok: true; source: YamlSource; value: unknown } | { ok: false; diagnostics: Diagnostic[] };

/** The refusal of a symbolic link where a manifest is expected (its target is never opened). */
export const SYMLINK_MESSAGE = "is a symbolic link, not a manifest file";
export const SYMLINK_HINT =
  "a unit's manifest is a regular file in units/: replace the link with the file itself (a link could make muni read a file outside the repository)";

/**
 * Reads a file and parses it as exactly one YAML document under the limits. Never throws. With
 * `noFollow`, a symbolic link is refused without opening its target (O_NOFOLLOW): unit manifests.
 */
export function readYamlFile(
  file: string,
  limits: YamlLimits = DEFAULT_LIMITS,
  { noFollow = false } = {},
): ParseResult {
  const whole = (message: string, hint?: string): ParseResult => ({
    ok: false,
    diagnostics: [{ file, line: 1, col: 1, field: "", message, ...(hint ? { hint } : {}) }],
  });
  let bytes: Buffer;
  // Opened once and checked through the descriptor (one path lookup per file); where it cannot be opened,
  // the path is stat'ed and read as before, so that every error is the same.
  let fd: number | undefined;
  try {
    fd = openSync(file, noFollow ? constants.O_RDONLY | constants.O_NOFOLLOW : "r");
  } catch (e) {
    if (noFollow && (e as NodeJS.ErrnoException).code === "ELOOP")
      return whole(SYMLINK_MESSAGE, SYMLINK_HINT);
    fd = undefined;
  }
  if (noFollow && fd === undefined && isSymlink(file)) return whole(SYMLINK_MESSAGE, SYMLINK_HINT);
  try {
    const st = fd === undefined ? statSync(file) : fstatSync(fd);
    if (st.isDirectory()) return whole("is a directory, not a manifest file");
    if (st.size > limits.maxBytes) return whole(tooLarge(st.size, limits.maxBytes), TOO_LARGE_HINT);
    bytes = readFileSync(fd ?? file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return whole("no such file", "check the path");
    return whole(`cannot be read: ${err.code ?? err.message}`, "check the file's permissions");
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return parseYaml(file, bytes, limits);
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

const TOO_LARGE_HINT = "a unit manifest is a few kilobytes: is this the right file?";
function tooLarge(size: number, max: number): string {
  return `file is ${size} bytes, over the ${max}-byte limit`;
}

/**
 * Parses bytes as exactly one YAML document under the limits. Never throws. A valid file in the fast subset
 * is read by js-yaml (yaml-fast.ts); `fast: false` forces the full `yaml` path (the equivalence tests compare both).
 */
export function parseYaml(
  file: string,
  bytes: Uint8Array,
  limits: YamlLimits = DEFAULT_LIMITS,
  { fast = true } = {},
): ParseResult {
  const fail = (line: number, col: number, message: string, hint?: string, field = ""): ParseResult => ({
    ok: false,
    diagnostics: [{ file, line, col, field, message, ...(hint ? { hint } : {}) }],
  });
  if (bytes.length > limits.maxBytes)
    return fail(1, 1, tooLarge(bytes.length, limits.maxBytes), TOO_LARGE_HINT);
  const enc = sniffEncoding(bytes);
  if (enc) return fail(1, 1, `file is ${enc} encoded`, "save it as UTF-8");
  const bad = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes); // the native check first: most files are valid
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    // A NUL byte never occurs in text: report the first byte that is not text, as binary content.
    const first = bad !== -1 && bad < nul ? bad : nul;
    const { line, col } = byteLineCol(bytes, first);
    return fail(
      line,
      col,
      `binary content (byte ${hex(bytes[first]!)}), not a text file`,
      "a manifest is a YAML text file: is this the right file?",
    );
  }
  if (bad !== -1) {
    const { line, col } = byteLineCol(bytes, bad);
    return fail(line, col, `invalid UTF-8 byte ${hex(bytes[bad]!)}`, "save the file as UTF-8");
  }
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const lines = new LineCounter();
  const tooDeep = (fallback: number): ParseResult => {
    const deep = tooDeepOffset(text, limits.maxDepth) ?? { offset: fallback, field: "" };
    const before = text.slice(0, deep.offset);
    const line = before.split("\n").length;
    const col = deep.offset - before.lastIndexOf("\n");
    return fail(
      line,
      col,
      `nested deeper than ${limits.maxDepth} levels`,
      "flatten the structure",
      deep.field,
    );
  };
  if (tooDeepOffset(text, limits.maxDepth)) return tooDeep(0);
  const quick = fast ? fastParse(text, limits.maxDepth) : undefined;
  if (quick !== undefined) return { ok: true, source: new YamlSource(file, text), value: quick };
  let docs: Document[];
  try {
    const parsed = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    if (e instanceof RangeError) return tooDeep(0);
    return fail(1, 1, `cannot be parsed: ${(e as Error).message}`, "fix the YAML syntax");
  }
  // The parser reports a document nested too deep for it as a stack overflow: say what it is, and where.
  const overflow = docs.flatMap((d) => d.errors).find((e) => /call stack/i.test(e.message));
  if (overflow) return tooDeep(overflow.pos[0]);
  if (
    docs.length === 0 ||
    (docs.length === 1 && docs[0]!.contents === null && docs[0]!.errors.length === 0)
  ) {
    return fail(
      1,
      1,
      "file is empty",
      "a manifest needs at least id, name, shortName, address, costCentre, roles and lifecycle",
    );
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    const pos = lines.linePos(second.range?.[0] ?? 0);
    return fail(
      pos.line,
      pos.col,
      `holds ${docs.length} YAML documents, not one`,
      "one file holds one unit: remove the '---' separator or split the file",
    );
  }
  const doc = docs[0]!;
  const diagnostics: Diagnostic[] = [];
  const seenLines = new Set<number>();
  // An unknown tag is reported by checkStructure, with its field; after the first error on a line the rest are its echoes.
  for (const e of [...doc.errors, ...doc.warnings.filter((w) => w.code !== "TAG_RESOLVE_FAILED")]) {
    const offset = unclosedFlowOpening(text, e.message, e.pos[0]);
    const pos = lines.linePos(offset);
    if (seenLines.has(pos.line)) continue;
    seenLines.add(pos.line);
    diagnostics.push({
      file,
      line: pos.line,
      col: pos.col,
      field: "",
      message: yamlMessage(e.message),
      ...yamlHint(e.code, e.message),
    });
  }
  if (diagnostics.length) return { ok: false, diagnostics };

  const source = new YamlSource(file, text, { doc, lines });
  const structural = checkStructure(source, doc, limits);
  if (structural.length) return { ok: false, diagnostics: structural };
  try {
    return { ok: true, source, value: doc.toJS({ maxAliasCount: limits.maxAliases }) };
  } catch (e) {
    // checkStructure bounds aliases and depth first, so this is a safety net only.
    return fail(1, 1, `cannot be read: ${(e as Error).message}`, "write the values out instead of *aliases");
  }
}

function yamlMessage(message: string): string {
  const first = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return first.charAt(0).toLowerCase() + first.slice(1);
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: "each field may appear once: remove or merge the repeated one",
  TAB_AS_INDENT: "indent with spaces, not tabs",
  BAD_INDENT: "align the field with its siblings",
  MISSING_CHAR: "close the bracket or quote",
  BLOCK_AS_IMPLICIT_KEY: "put a space after the colon, or quote the value",
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line: quote it or add the missing colon",
  TAG_RESOLVE_FAILED: "manifests use plain YAML values: remove the tag",
  BAD_ALIAS: "define the anchor (&name) before using *name",
  UNEXPECTED_TOKEN: "check the indentation and punctuation",
};
function yamlHint(code: string, message: string): { hint?: string } {
  if (/must be sufficiently indented and end with a ([\]}])/.test(message))
    return { hint: `close it with ${message.includes("end with a ]") ? "]" : "}"}` };
  if (/implicit map keys need to be followed by map values/i.test(message))
    return { hint: "write key: value, with a space after the colon" };
  if (/missing closing "?'?quote/i.test(message)) return { hint: "close the quote on the same value" };
  if (
    /nested mappings are not allowed in compact mappings|implicit keys need to be on a single line/i.test(
      message,
    )
  )
    return {
      hint: "the next line is indented deeper than this one: align it with its siblings, or quote a value holding ': '",
    };
  const hint = YAML_HINTS[code] ?? "fix the YAML syntax";
  return { hint };
}

/** For "flow sequence ... must end with a ]": the offset of the bracket left open, which is where the fix goes. */
function unclosedFlowOpening(text: string, message: string, offset: number): number {
  if (!/must be sufficiently indented and end with a [\]}]/.test(message)) return offset;
  const open: number[] = [];
  let quote = "";
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = "";
      else if (ch === "\n") quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]!))) while (i < offset && text[i] !== "\n") i++;
    else if (ch === "[" || ch === "{") open.push(i);
    else if (ch === "]" || ch === "}") open.pop();
  }
  return open.at(-1) ?? offset;
}
