import { parseStackName, platformStackName, unitStackName } from "../1-model";
import { SETTINGS_PATH } from "../2-manifest/stack";
import { refuse } from "./common";
import type { PlatformStackOutputs } from "./platform-stack";
import type { UnitStackOutputs } from "./unit-stack";

export interface ProgramArgs {
  /** Project root (the folder of Pulumi.yaml). */
  root: string;
  /** The Pulumi stack being run: `<city>.platform` or `<city>.<unit id>` (possibly `org/project/`-qualified). */
  stack: string;
  /**
   * `muni:settings` as the Pulumi engine holds it for this stack (from stacks/Pulumi.<stack>.yaml): must be
   * unset, since a platform or unit stack takes the city's settings from stacks/Pulumi.<city>.yaml only.
   */
  engineSettings?: unknown;
}

/**
 * The program of any muni Pulumi stack: it needs nothing but the stack name and the repository. It reads the
 * city's settings file itself and provisions only that unit (`<city>.<unit id>`) or only the shared
 * platform (`<city>.platform`). The city-wide stack of before (a bare `<city>`) is refused: its resources move
 * into the new stacks with `muni migrate`.
 */
export function defineProgram(args: ProgramArgs): UnitStackOutputs | PlatformStackOutputs {
  const name = parseStackName(args.stack);
  const file = `stacks/Pulumi.${name.name}.yaml`;
  const at = (message: string, hint: string) => [
    { file, line: 1, col: 1, field: SETTINGS_PATH.join("."), message, hint },
  ];
  if (name.kind === "invalid")
    refuse(
      name.name,
      at(
        `"${name.name}" is not a muni stack name: ${name.reason}`,
        "use <city>.platform or <city>.<unit id>",
      ),
    );
  if (name.kind === "city")
    refuse(
      name.name,
      at(
        `stack ${name.city} is the city's settings, not a Pulumi stack: muni runs ${platformStackName(name.city)} and ${unitStackName(name.city, "<unit id>")}`,
        `select one of those (pulumi up --stack ${platformStackName(name.city)}); the resources of a city-wide stack move into them with npx muni migrate --stack ${name.city}`,
      ),
    );
  if (args.engineSettings !== undefined)
    refuse(
      name.name,
      at(
        `stack ${name.name} sets muni:settings in ${file}, which would be ignored`,
        `remove it: every stack of the city takes its settings from stacks/Pulumi.${name.city}.yaml`,
      ),
    );
  // Each kind of stack loads only its own modules: a unit stack never loads the platform's or the city's loaders.
  if (name.kind === "platform")
    return (require("./platform-stack") as typeof import("./platform-stack")).definePlatformStack({
      root: args.root,
      city: name.city,
    });
  if (name.kind === "unit")
    return (require("./unit-stack") as typeof import("./unit-stack")).defineUnitStack({
      root: args.root,
      city: name.city,
      unit: name.unit,
    });
  throw new Error("unreachable");
}
