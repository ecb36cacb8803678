/** Pulumi property paths, as `pulumi preview --json` names the properties that differ. */

/**
 * A Pulumi property path (`spec.hard["requests.cpu"]`, `subjects[1]`, `metadata.labels["a/b"]`) as
 * segments; undefined when it is not one (then no value is shown, only the path).
 */
export function parsePropertyPath(path: string): Array<string | number> | undefined {
  const out: Array<string | number> = [];
  let pos = 0;
  while (pos < path.length) {
    if (path[pos] === "[") {
      const close = path[pos + 1] === '"' ? closingQuote(path, pos + 1) : path.indexOf("]", pos);
      if (close < 0) return undefined;
      if (path[pos + 1] === '"') {
        try {
          out.push(JSON.parse(path.slice(pos + 1, close + 1)) as string);
        } catch {
          return undefined;
        }
        if (path[close + 1] !== "]") return undefined;
        pos = close + 2;
      } else {
        const n = Number(path.slice(pos + 1, close));
        if (!Number.isInteger(n) || n < 0) return undefined;
        out.push(n);
        pos = close + 1;
      }
    } else {
      if (path[pos] === ".") {
        if (out.length === 0) return undefined;
        pos++;
      }
      const m = /^[^.[\]"]+/.exec(path.slice(pos));
      if (!m) return undefined;
      out.push(m[0]);
      pos += m[0].length;
    }
  }
  return out;
}

/** The index of the quote closing the JSON string that starts at `open`, or -1. */
function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/** The value at `segments` under `root`, and whether there is one. */
export function valueAt(
  root: unknown,
  segments: ReadonlyArray<string | number>,
): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const seg of segments) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, seg)) return { found: false };
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return { found: true, value: cur };
}
