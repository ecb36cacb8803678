import { existsSync, readdirSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import stackSchema from "../../schemas/stack.schema.json";
import type { StackSettings } from "../1-model";
import type { Diagnostic, PathSegment } from "./diagnostics";
import type { ValidateFunction } from "ajv/dist/2020";
import { SchemaValidator } from "./schema-validator";
import { readYamlFile, type YamlSource } from "./yaml-source";

/** Where the settings live in a stack file: `config: { "muni:settings": {...} }`. */
export const SETTINGS_PATH: readonly PathSegment[] = ["config", "muni:settings"];

export interface LoadedStack {
  /** Stack name, e.g. `lodz-prod`. */
  name: string;
  /** The stack file, relative to the working directory. */
  file: string;
  source: YamlSource;
  settings: StackSettings;
}

/** Raised for a stack that does not exist: a usage error, not invalid input. */
export class UnknownStackError extends Error {
  override name = "UnknownStackError";
}

let validator: SchemaValidator<StackSettings> | undefined;
function stackValidator(): SchemaValidator<StackSettings> {
  // Precompiled from the schema by scripts/gen-types.mjs (npm run gen:types): ajv compiles nothing at run time.
  return (validator ??= new SchemaValidator<StackSettings>(
    require("./stack-schema.generated") as ValidateFunction,
    stackSchema,
    SETTINGS_PATH,
  ));
}

/**
 * Names of the stacks in `<root>/stacks`: the cities' settings files. A Pulumi stack's own file
 * `Pulumi.<city>.<unit id>.yaml` or `Pulumi.<city>.platform.yaml` (what `pulumi stack init` writes there:
 * secrets provider, encrypted key) is not a city, and is left out.
 */
export function listStacks(root: string): string[] {
  const dir = join(root, "stacks");
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => Boolean(s));
  const all = new Set(names);
  return names.filter((n) => !(n.includes(".") && all.has(n.slice(0, n.lastIndexOf("."))))).sort();
}

/** Display path: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : p;
}

/**
 * Reads `stacks/Pulumi.<stack>.yaml` and validates its `muni:settings` (defaults filled in).
 * `settings`, when given, is the value the Pulumi engine holds (validated instead of the file's, which
 * is then used only to locate errors). Throws UnknownStackError when the stack file does not exist.
 */
export function loadStack(
  root: string,
  stack: string,
  settings?: unknown,
): { stack?: LoadedStack; diagnostics: Diagnostic[] } {
  const path = join(root, "stacks", `Pulumi.${stack}.yaml`);
  if (!/^[A-Za-z0-9._-]+$/.test(stack) || !existsSync(path)) {
    const known = listStacks(root);
    throw new UnknownStackError(
      `unknown stack "${stack}": no stacks/Pulumi.${stack}.yaml (known stacks: ${known.join(", ") || "none"})`,
    );
  }
  const file = displayPath(path);
  const parsed = readYamlFile(file === path ? path : file);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const fromFile = (parsed.value as { config?: Record<string, unknown> } | null)?.config?.["muni:settings"];
  // A JSON copy: validation fills defaults in place, and the value is plain JSON (Pulumi config) anyway.
  const chosen = settings ?? fromFile;
  const value: unknown = chosen === undefined ? undefined : JSON.parse(JSON.stringify(chosen));
  if (value === undefined)
    return {
      diagnostics: [
        parsed.source.diagnostic(
          ["config"],
          'missing "muni:settings"',
          "add config: muni:settings: with the stack's settings (see schemas/stack.schema.json)",
        ),
      ],
    };
  const { value: valid, diagnostics } = stackValidator().validate(parsed.source, value);
  if (!valid) return { diagnostics };
  return { stack: { name: stack, file, source: parsed.source, settings: valid }, diagnostics: [] };
}
