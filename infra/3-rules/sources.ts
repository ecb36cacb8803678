import type { LoadedStack } from "../2-manifest/stack";
import type { LoadedUnit } from "../2-manifest/units";
import type { Positions } from "./finding";

/** The sources of a stack file and manifests, by file name: what locates the findings about them. */
export function sourcesOf(
  stack: Pick<LoadedStack, "file" | "source"> | undefined,
  units: readonly Pick<LoadedUnit, "file" | "source">[],
): Map<string, Positions> {
  const out = new Map<string, Positions>(units.map((u) => [u.file, u.source]));
  if (stack) out.set(stack.file, stack.source);
  return out;
}
