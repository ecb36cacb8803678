/** A copy of the repository's project whose ledgers record the city-wide stacks as moved (what `muni migrate --run` leaves). */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { tempDir } from "../helpers/manifests";

export const REPO_ROOT = join(__dirname, "..", "..");

/** Pulumi.yaml, stacks/ and units/ of the repository in a fresh folder, as they are committed. */
export function copyOfRepo(prefix = `muni-stacks-${process.pid}-`): string {
  const root = tempDir(prefix);
  for (const f of ["Pulumi.yaml", "stacks", "units"])
    cpSync(join(REPO_ROOT, f), join(root, f), { recursive: true });
  return root;
}

/** The ledger text after every move: `stack: <city>` becomes `movedFrom: <city>` (units and platform). */
export function migratedLedger(text: string): string {
  return text.replace(/^(\s+)stack: (\S+)$/gm, "$1movedFrom: $2");
}

/** A copy of the repository where lodz-prod and lodz-staging have been moved into one stack per unit. */
export function migratedRepo(): string {
  const root = copyOfRepo();
  for (const city of ["lodz-prod", "lodz-staging"]) {
    const f = join(root, "stacks", `${city}.units.yaml`);
    writeFileSync(f, migratedLedger(readFileSync(f, "utf8")));
  }
  return root;
}

/** stacks/Pulumi.<city>.yaml's muni:settings. */
export function settingsOf(root: string, city: string): Record<string, unknown> {
  return (
    parse(readFileSync(join(root, "stacks", `Pulumi.${city}.yaml`), "utf8")) as {
      config: Record<string, Record<string, unknown>>;
    }
  ).config["muni:settings"]!;
}
