import { readFileSync, statSync } from "node:fs";
import {
  Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Node as YamlNode,
} from "yaml";
import { type Diagnostic, type PathSegment, fieldPath } from "./diagnostics";

/** Hard limits that keep a hostile or mistaken file from exhausting the validator. */
export interface YamlLimits {
  /** Largest accepted file, in bytes. Default 1 MiB: a unit manifest is a few KB. */
  maxBytes: number;
  /** Most alias nodes (`*name`) in one file, and most alias expansions when read. Default 50. */
  maxAliases: number;
  /** Deepest nesting of collections. Default 32. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxAliases: 50, maxDepth: 32 };

const CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** A parsed YAML file that can say where any field of it stands. */
export class YamlSource {
  constructor(
    readonly file: string,
    readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /**
   * Location of the value at `path`, or of its key when `key` is true. Where the path leaves the
   * document (a missing field), the deepest node that exists is used.
   */
  locate(path: readonly PathSegment[], key = false): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let at: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && scalarKey(p.key) === String(seg));
        if (!pair) break;
        if (key && i === path.length - 1) {
          at = pair.key;
          break;
        }
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
        node = node.items[seg];
      } else break;
      if (node) at = node;
    }
    return this.position(at);
  }

  /** A diagnostic located at `path` in this file. */
  diagnostic(path: readonly PathSegment[], message: string, hint?: string, key = false): Diagnostic {
    const { line, col } = this.locate(path, key);
    return { file: this.file, line, col, field: fieldPath(path), message, ...(hint ? { hint } : {}) };
  }

  /** Location of a node of this document (1:1 when it has none). */
  position(node: unknown): { line: number; col: number } {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? this.lines.linePos(range[0]) : { line: 1, col: 1 };
  }
}

function scalarKey(k: unknown): string | undefined {
  return isScalar(k) ? String(k.value) : undefined;
}

export type ParseResult = { ok: true; source: YamlSource; value: unknown } | { ok: false; diagnostics: Diagnostic[] };

/** Reads a file and parses it as exactly one YAML document under the limits. Never throws. */
export function readYamlFile(file: string, limits: YamlLimits = DEFAULT_LIMITS): ParseResult {
  const whole = (message: string, hint?: string): ParseResult => ({
    ok: false,
    diagnostics: [{ file, line: 1, col: 1, field: "", message, ...(hint ? { hint } : {}) }],
  });
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return whole("is a directory, not a manifest file");
    if (st.size > limits.maxBytes) return whole(tooLarge(st.size, limits.maxBytes), TOO_LARGE_HINT);
    bytes = readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return whole("no such file", "check the path");
    return whole(`cannot be read: ${err.code ?? err.message}`, "check the file's permissions");
  }
  return parseYaml(file, bytes, limits);
}

const TOO_LARGE_HINT = "a unit manifest is a few kilobytes: is this the right file?";
function tooLarge(size: number, max: number): string {
  return `file is ${size} bytes, over the ${max}-byte limit`;
}

/** Parses bytes as exactly one YAML document under the limits. Never throws. */
export function parseYaml(file: string, bytes: Uint8Array, limits: YamlLimits = DEFAULT_LIMITS): ParseResult {
  const fail = (line: number, col: number, message: string, hint?: string, field = ""): ParseResult => ({
    ok: false,
    diagnostics: [{ file, line, col, field, message, ...(hint ? { hint } : {}) }],
  });
  if (bytes.length > limits.maxBytes) return fail(1, 1, tooLarge(bytes.length, limits.maxBytes), TOO_LARGE_HINT);
  const enc = sniffEncoding(bytes);
  if (enc) return fail(1, 1, `file is ${enc} encoded`, "save it as UTF-8");
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    const { line, col } = byteLineCol(bytes, bad);
    return fail(line, col, `invalid UTF-8 byte 0x${bytes[bad]!.toString(16).padStart(2, "0")}`, "save the file as UTF-8");
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, col } = byteLineCol(bytes, nul);
    return fail(line, col, "binary content (NUL byte)", "a manifest is a YAML text file");
  }
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const lines = new LineCounter();
  let docs: Document[];
  try {
    const parsed = parseAllDocuments(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
      schema: "core",
      strict: true,
      merge: false,
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    if (e instanceof RangeError) {
      const at = deepestFlowOpening(text, limits.maxDepth);
      const pos = lines.linePos(at);
      return fail(pos.line, pos.col, `nested deeper than ${limits.maxDepth} levels`, "flatten the structure");
    }
    return fail(1, 1, `cannot be parsed: ${(e as Error).message}`);
  }
  if (docs.length === 0 || (docs.length === 1 && docs[0]!.contents === null && docs[0]!.errors.length === 0)) {
    return fail(1, 1, "file is empty", "a manifest needs at least id, name, shortName, address, costCentre, roles and lifecycle");
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    const pos = lines.linePos(second.range?.[0] ?? 0);
    return fail(pos.line, pos.col, `holds ${docs.length} YAML documents, not one`, "one file holds one unit: remove the '---' separator or split the file");
  }
  const doc = docs[0]!;
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(e.pos[0]);
    diagnostics.push({ file, line: pos.line, col: pos.col, field: "", message: yamlMessage(e.message), ...yamlHint(e.code) });
  }
  if (diagnostics.length) return { ok: false, diagnostics };

  const source = new YamlSource(file, doc, lines);
  const structural = checkStructure(source, doc, limits);
  if (structural.length) return { ok: false, diagnostics: structural };
  try {
    return { ok: true, source, value: doc.toJS({ maxAliasCount: limits.maxAliases }) };
  } catch (e) {
    return fail(1, 1, `cannot be read: ${(e as Error).message}`, "remove the aliases (*name) and write the values out");
  }
}

/** Tags beyond the core schema, alias counts and nesting depth, each located. */
function checkStructure(source: YamlSource, doc: Document, limits: YamlLimits): Diagnostic[] {
  const out: Diagnostic[] = [];
  let aliases = 0;
  const at = (node: YamlNode, path: PathSegment[], message: string, hint: string): Diagnostic => {
    return { ...source.diagnostic(path, message, hint), ...source.position(node) };
  };
  visit(doc, (_key, node, ancestors) => {
    if (isPair(node)) return undefined;
    const n = node as YamlNode;
    const path = pathOf(ancestors, n);
    if (isAlias(n)) {
      aliases++;
      if (aliases === limits.maxAliases + 1) {
        out.push(at(n, path, `more than ${limits.maxAliases} aliases`, "write the values out instead of *aliases"));
        return visit.BREAK;
      }
      return undefined;
    }
    if (n.tag && !CORE_TAGS.has(n.tag)) {
      out.push(at(n, path, `tag ${shortTag(n.tag)} is not allowed`, "manifests use plain YAML values: remove the tag"));
    }
    if (isCollection(n) && depthOf(ancestors) >= limits.maxDepth) {
      out.push(at(n, path, `nested deeper than ${limits.maxDepth} levels`, "flatten the structure"));
      return visit.BREAK;
    }
    return undefined;
  });
  return out;
}

function depthOf(ancestors: readonly unknown[]): number {
  return ancestors.filter((a) => isCollection(a)).length;
}

function pathOf(ancestors: readonly unknown[], node: unknown): PathSegment[] {
  const chain = [...ancestors.slice(1), node];
  const path: PathSegment[] = [];
  for (let i = 0; i < chain.length; i++) {
    const c = chain[i];
    const next = chain[i + 1];
    if (isMap(c) && isPair(next)) path.push(scalarKey(next.key) ?? "?");
    else if (isSeq(c) && next !== undefined) path.push(c.items.indexOf(next as never));
  }
  return path;
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice(18)}` : tag;
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
function yamlHint(code: string): { hint?: string } {
  const hint = YAML_HINTS[code] ?? "fix the YAML syntax";
  return { hint };
}

function sniffEncoding(b: Uint8Array): string | undefined {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return "UTF-32";
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return "UTF-32";
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return "UTF-16";
  // UTF-16 without a byte-order mark: ASCII text with every other byte NUL.
  if (b.length >= 4 && ((b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) || (b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0)))
    return "UTF-16";
  return undefined;
}

/** Offset of the first byte that breaks UTF-8, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let min = 0;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    if (i + n >= b.length) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

function byteLineCol(b: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) if (b[i] === 0x0a) (line++, (start = i + 1));
  const col = Buffer.from(b.subarray(start, offset)).toString("utf8").length + 1;
  return { line, col };
}

/** Where flow nesting first exceeds `max`: used to locate a document too deep for the parser. */
function deepestFlowOpening(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "[" || ch === "{") {
      if (++depth > max) return i;
    } else if (ch === "]" || ch === "}") depth--;
  }
  return 0;
}
