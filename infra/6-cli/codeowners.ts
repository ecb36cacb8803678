/**
 * The repository's CODEOWNERS: who reviews a unit's manifest. The unit lines are `/units/<id>.yaml`
 * followed by the owners, their owners starting in one column; they stand before the `/stacks/` line
 * (central IT alone reviews the stacks), and after the catch-all `*` line (the last matching line wins).
 */

/** `/units/<id>.yaml` as CODEOWNERS names it: the path from the repository root, with a leading slash. */
export function codeownersPath(relativeFile: string): string {
  return `/${relativeFile.split("\\").join("/").replace(/^\/+/, "")}`;
}

/** Owners of the catch-all `*` line: central IT, who review everything and so every unit too. */
export function catchAllOwners(text: string): string[] {
  for (const line of text.split("\n")) {
    const [pattern, ...owners] = line.trim().split(/\s+/);
    if (pattern === "*") return owners.filter((o) => !o.startsWith("#"));
  }
  return [];
}

/** The suggested reviewers of a new unit: `@<org>/<id>-administratorzy`, the org of the catch-all owners. */
export function suggestedOwner(text: string, id: string): string {
  const org = catchAllOwners(text)
    .map((o) => /^(@[A-Za-z0-9-]+)\//.exec(o)?.[1])
    .find(Boolean);
  return `${org ?? "@org"}/${id}-administratorzy`;
}

/**
 * CODEOWNERS with the unit's line added, in the file's own style: among the other `/units/` lines in
 * path order, owners aligned with theirs, central IT (the catch-all owners) after the unit's own; with no
 * unit line yet, just before the `/stacks/` line (and the comment above it); else at the end. Unchanged
 * (`added: false`) when the path has a line already.
 */
export function withUnitLine(
  text: string,
  path: string,
  owners: readonly string[],
): { text: string; line: string; added: boolean } {
  const lines = text.split("\n");
  const patternOf = (l: string) => (l.trim().startsWith("#") ? undefined : l.trim().split(/\s+/)[0]);
  const existing = lines.find((l) => patternOf(l) === path);
  if (existing !== undefined) return { text, line: existing, added: false };
  const central = catchAllOwners(text).filter((o) => !owners.includes(o));
  const unitLines = lines.map((l, i) => [l, i] as const).filter(([l]) => patternOf(l)?.startsWith("/units/"));
  const column = ownersColumn(
    unitLines.length ? unitLines.map(([l]) => l) : lines.filter((l) => patternOf(l)),
  );
  const line = `${path.padEnd(Math.max(column, path.length + 1))}${[...owners, ...central].join(" ")}`;
  let at: number;
  if (unitLines.length) {
    const after = unitLines.filter(([l]) => patternOf(l)! < path);
    at = after.length ? after[after.length - 1]![1] + 1 : unitLines[0]![1];
  } else {
    const stacks = lines.findIndex((l) => patternOf(l)?.startsWith("/stacks"));
    at = stacks < 0 ? lines.length - (lines.at(-1) === "" ? 1 : 0) : stacks;
    while (at > 0 && stacks >= 0 && lines[at - 1]!.trim().startsWith("#")) at--;
  }
  lines.splice(at, 0, line);
  return { text: lines.join("\n"), line, added: true };
}

/** The column where the owners of these lines start (the most common), 0 for none. */
function ownersColumn(lines: readonly string[]): number {
  const counts = new Map<number, number>();
  for (const l of lines) {
    const m = /^(\S+\s+)\S/.exec(l);
    if (m) counts.set(m[1]!.length, (counts.get(m[1]!.length) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0;
}
