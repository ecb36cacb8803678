import {
  type Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node as YamlNode,
  type YAMLMap,
} from "yaml";
import type { Diagnostic, PathSegment } from "./diagnostics";

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

/** What the structure checks need of a parsed file (a YamlSource): located diagnostics and node positions. */
interface Locating {
  diagnostic(path: readonly PathSegment[], message: string, hint?: string): Diagnostic;
  position(node: unknown): { line: number; col: number };
}

const CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** Most values all aliases of one file may expand to when read: an alias bomb stops here, located. */
export const MAX_ALIAS_EXPANSION = 10_000;

/** Tags beyond the core schema, alias counts and nesting depth, each located. */
export function checkStructure(source: Locating, doc: Document, limits: YamlLimits): Diagnostic[] {
  const out: Diagnostic[] = [];
  let aliases = 0;
  let expanded = 0;
  const sizeOf = expansionSizes(doc);
  // Paths are computed only for a node that gets a diagnostic: on valid input this walk must stay cheap.
  const at = (node: YamlNode, path: () => PathSegment[], message: string, hint: string): Diagnostic => {
    return { ...source.diagnostic(path(), message, hint), ...source.position(node) };
  };
  walk(doc.contents, [doc], (n, ancestors) => {
    const path = () => pathOf(ancestors, n);
    if (isAlias(n)) {
      aliases++;
      if (aliases === limits.maxAliases + 1) {
        out.push(
          at(n, path, `more than ${limits.maxAliases} aliases`, "write the values out instead of *aliases"),
        );
        return BREAK;
      }
      const target = n.resolve(doc);
      if (!target) {
        out.push(
          at(
            n,
            path,
            `alias *${n.source} refers to no anchor`,
            `define &${n.source} before using *${n.source}, or write the value out`,
          ),
        );
        return undefined;
      }
      if (ancestors.includes(target as never)) {
        out.push(
          at(
            n,
            path,
            `alias *${n.source} is inside its own anchor &${n.source}`,
            "a value cannot contain itself: write the value out",
          ),
        );
        return BREAK;
      }
      expanded += sizeOf(target);
      if (expanded > MAX_ALIAS_EXPANSION) {
        out.push(
          at(
            n,
            path,
            `aliases expand to more than ${MAX_ALIAS_EXPANSION} values (at *${n.source})`,
            "write the values out instead of nesting *aliases",
          ),
        );
        return BREAK;
      }
      return undefined;
    }
    if (isMap(n) && n.items.length > 1) duplicateKeys(source, n, path, out);
    if (n.tag && !CORE_TAGS.has(n.tag)) {
      out.push(
        at(
          n,
          path,
          `tag ${shortTag(n.tag)} is not allowed`,
          "manifests use plain YAML values: remove the tag",
        ),
      );
    }
    if (isCollection(n) && ancestors.length >= limits.maxDepth && depthOf(ancestors) >= limits.maxDepth) {
      out.push(at(n, path, `nested deeper than ${limits.maxDepth} levels`, "flatten the structure"));
      return BREAK;
    }
    return undefined;
  });
  return out;
}

/** Each key of a mapping once: `uniqueKeys` is off in the parser so that this can name the field and both lines. */
function duplicateKeys(source: Locating, map: YAMLMap, path: () => PathSegment[], out: Diagnostic[]): void {
  const first = new Map<string, unknown>();
  for (const pair of map.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (k === undefined) continue;
    const prior = first.get(k);
    if (prior === undefined) {
      first.set(k, pair.key);
      continue;
    }
    const { line } = source.position(prior);
    out.push({
      ...source.diagnostic(
        [...path(), k],
        `field "${k}" appears twice (first on line ${line})`,
        "each field may appear once: remove or merge the repeated one",
      ),
      ...source.position(pair.key),
    });
  }
}

/** Number of values a node stands for once its aliases are expanded (memoized; a cycle counts 0, reported elsewhere). */
function expansionSizes(doc: Document): (node: unknown) => number {
  const memo = new Map<unknown, number>();
  const active = new Set<unknown>();
  const size = (node: unknown): number => {
    if (isAlias(node)) return size(node.resolve(doc));
    if (!isCollection(node)) return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (active.has(node)) return 0;
    active.add(node);
    let n = 1;
    for (const item of node.items as unknown[]) {
      n += isPair(item) ? size(item.key) + size(item.value) : size(item);
      if (n > MAX_ALIAS_EXPANSION) break;
    }
    active.delete(node);
    memo.set(node, n);
    return n;
  };
  return size;
}

const BREAK = Symbol("break");
type Visitor = (node: YamlNode, ancestors: readonly unknown[]) => typeof BREAK | undefined;

/**
 * Calls `fn` on every node (keys and values, not pairs) with its ancestors (the document, collections and pairs),
 * depth first; `BREAK` stops the walk. A plain recursion: yaml's `visit` copies the ancestor list at every node.
 */
function walk(node: unknown, ancestors: unknown[], fn: Visitor): boolean {
  if (node === null || node === undefined) return false;
  if (isPair(node)) {
    ancestors.push(node);
    const stop = walk(node.key, ancestors, fn) || walk(node.value, ancestors, fn);
    ancestors.pop();
    return stop;
  }
  if (fn(node as YamlNode, ancestors) === BREAK) return true;
  if (!isCollection(node)) return false;
  ancestors.push(node);
  let stop = false;
  for (const item of node.items as unknown[]) if ((stop = walk(item, ancestors, fn))) break;
  ancestors.pop();
  return stop;
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

function scalarKey(k: unknown): string | undefined {
  return isScalar(k) ? String(k.value) : undefined;
}

/**
 * Where nesting first goes deeper than `max`, and under which top-level field, by a scan of the text run before
 * parsing: the parser recurses, and a deep enough document overflows its stack (where depends on the stack size). Counts block levels by indentation and `- ` items, and flow levels by brackets.
 */
export function tooDeepOffset(text: string, max: number): { offset: number; field: string } | undefined {
  return shallow(text, max) ? undefined : scanDepth(text, max);
}

/** The scan of `tooDeepOffset`, line by line (exported for the test that `shallow` never hides a finding). */
export function scanDepth(text: string, max: number): { offset: number; field: string } | undefined {
  const indents: number[] = [];
  let field = "";
  let flow = 0;
  let offset = 0;
  for (const line of text.split("\n")) {
    const start = offset;
    offset += line.length + 1;
    const indent = line.length - line.trimStart().length;
    const body = line.slice(indent);
    if (!body || body.startsWith("#")) continue;
    if (indent === 0 && flow === 0) field = /^([A-Za-z_][\w-]*)\s*:/.exec(body)?.[1] ?? field;
    let depth: number;
    if (flow === 0) {
      while (indents.length && indents.at(-1)! >= indent) indents.pop();
      indents.push(indent);
      depth = indents.length;
    } else depth = indents.length;
    if (depth + flow > max) return { offset: start + indent, field };
    if (flow === 0 && !body.startsWith("- ") && !/[[{]/.test(body)) continue;
    let quote = "";
    for (let i = indent; i < line.length; i++) {
      const ch = line[i]!;
      if (quote) {
        if (ch === quote) quote = "";
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "#" && /\s/.test(line[i - 1] ?? " ")) break;
      else if (
        flow === 0 &&
        ch === "-" &&
        /\s/.test(line[i + 1] ?? " ") &&
        line.slice(indent, i).replace(/- /g, "").trim() === ""
      )
        depth++;
      else if (ch === "[" || ch === "{") flow++;
      else if (ch === "]" || ch === "}") flow = Math.max(0, flow - 1);
      else continue;
      if (depth + flow > max) return { offset: start + i, field };
    }
  }
  return undefined;
}

/**
 * A cheap proof that `tooDeepOffset` finds nothing. On a line the scan counts at most indent + 1 block levels
 * (the indents it stacks rise strictly) plus one per leading `- `, both within the line's leading run of
 * whitespace and dashes; and flow levels never exceed the number of `[` and `{` in the text. So when no line
 * starts with a run of `max - brackets` whitespace or dash characters, no line goes deeper than `max`.
 */
export function shallow(text: string, max: number): boolean {
  let brackets = 0;
  for (let i = text.indexOf("["); i !== -1; i = text.indexOf("[", i + 1)) brackets++;
  for (let i = text.indexOf("{"); i !== -1; i = text.indexOf("{", i + 1)) brackets++;
  const run = max - brackets;
  return run > 0 && !new RegExp(`^[\\s-]{${run}}`, "m").test(text);
}
