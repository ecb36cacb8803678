import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type PulumiSettings, type StackSettings } from "../1-model";
import type { Diagnostic } from "../2-manifest/diagnostics";
import { type LoadedStack, SETTINGS_PATH } from "../2-manifest/stack";
import { UsageError } from "./io";

/** The file that pins the Pulumi CLI version, in one place for CI, the operator's workspaces and `muni preview`/`up`. */
export const PULUMI_VERSION_FILE = ".pulumi.version";

/** The Pulumi CLI version pinned in `<root>/.pulumi.version` (e.g. `3.270.0`); a usage error when it is missing or malformed. */
export function pinnedPulumiVersion(root: string): string {
  const file = join(root, PULUMI_VERSION_FILE);
  if (!existsSync(file))
    throw new UsageError(
      `no ${PULUMI_VERSION_FILE} in ${root}: it pins the Pulumi CLI version (README, "Deploying")`,
    );
  const v = readFileSync(file, "utf8").trim().replace(/^v/, "");
  if (!/^\d+\.\d+\.\d+$/.test(v))
    throw new UsageError(`${PULUMI_VERSION_FILE} holds "${v}", not a version like 3.270.0`);
  return v;
}

/** The city's `pulumi` settings, or the located problem of their absence. */
export function pulumiSettingsOf(
  stack: LoadedStack,
  need: { repository?: boolean } = {},
): { pulumi?: PulumiSettings; diagnostics: Diagnostic[] } {
  const p = stack.settings.pulumi;
  const example =
    "pulumi: { backend: 's3://muni-state?endpoint=...', secretsProvider: 'hashivault://muni-<city>', repository: { url: ... } }";
  if (!p)
    return {
      diagnostics: [
        stack.source.diagnostic(
          [...SETTINGS_PATH],
          `stack ${stack.name} has no "pulumi" settings: the state backend, secrets provider and repository its Pulumi stacks use`,
          `add ${example} (schemas/stack.schema.json, docs/operator.md)`,
          true,
        ),
      ],
    };
  if (need.repository && !p.repository)
    return {
      diagnostics: [
        stack.source.diagnostic(
          [...SETTINGS_PATH, "pulumi"],
          `stack ${stack.name} has no pulumi.repository: the operator clones the project from it`,
          "add repository: { url: https://..., branch: main }",
          true,
        ),
      ],
    };
  return { pulumi: p, diagnostics: [] };
}

/** Settings with `pulumi` present (after pulumiSettingsOf found them). */
export type SettingsWithPulumi = StackSettings & { pulumi: PulumiSettings };
