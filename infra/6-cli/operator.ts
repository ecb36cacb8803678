import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { credentialVariables } from "../1-model";
import { SETTINGS_PATH } from "../2-manifest/stack";
import {
  MAX_STACK_OBJECT_NAME,
  type OperatorObjects,
  operatorObjects,
  stackObjectName,
} from "../4-builders/operator";
import type { K8sObject } from "../4-builders/types";
import { toYaml } from "../5-plan/yaml";
import { loadCity, refuseCity } from "./city-stacks";
import { type CliIO, EXIT, UsageError } from "./io";
import { projectRootOf } from "./project";
import { pinnedPulumiVersion } from "./pulumi-settings";

export interface OperatorOptions {
  stack: string;
  out: string;
  root?: string;
}

/** Marks a directory `muni operator` wrote, so a later run may clear it (and never clears anything else). */
export const OPERATOR_MARKER = ".muni-operator";

/**
 * `muni operator --stack <city> --out <dir>`: the Pulumi Kubernetes Operator (v2) objects of a city as YAML,
 * to apply with `kubectl apply --server-side -R -f <dir>` or from Git by Flux or Argo CD (docs/operator.md):
 * `00-namespace.yaml`, `01-rbac.yaml` (the provisioner's ServiceAccount and RBAC), `02-kubeconfig.yaml`, and
 * `stacks/<stack>.yaml` per Pulumi stack. The city is validated first, every manifest with every rule (the
 * cross-unit checks the unit stacks leave to validation); nothing is written when anything is invalid.
 * Exit 0 written, 1 invalid input, 2 unknown stack, missing .pulumi.version or an --out that is not its own.
 */
export function runOperator(io: CliIO, opts: OperatorOptions): number {
  const root = projectRootOf(opts.root);
  const city = loadCity(root, opts.stack, { repository: true });
  const diagnostics = [...city.diagnostics];
  const stack = city.project.stack;
  if (stack && city.settings) {
    if (stack.settings.cluster.kubeconfigPath)
      diagnostics.push(
        stack.source.diagnostic(
          [...SETTINGS_PATH, "cluster", "kubeconfigPath"],
          `"${stack.settings.cluster.kubeconfigPath}" is a file on an engineer's machine: the operator's workspaces reach the cluster from inside it, through the kubeconfig muni writes (context "${stack.settings.cluster.context ?? "muni"}")`,
          "remove cluster.kubeconfigPath and name the cluster by cluster.context",
        ),
      );
    for (const s of city.stacks)
      if (stackObjectName(s.name).length > MAX_STACK_OBJECT_NAME)
        diagnostics.push(
          stack.source.diagnostic(
            [...SETTINGS_PATH, "units"],
            `the Stack object of Pulumi stack ${s.name} would be named "${stackObjectName(s.name)}", over ${MAX_STACK_OBJECT_NAME} characters (the operator names its workspace Service <name>-workspace, a 63-character DNS label)`,
            "shorten the stack's name or the unit id",
          ),
        );
  }
  if (!stack || !city.settings || diagnostics.length)
    return refuseCity(io, "operator", opts.stack, diagnostics);
  const objects = operatorObjects({
    city: opts.stack,
    settings: city.settings as Parameters<typeof operatorObjects>[0]["settings"],
    units: city.stacks.flatMap((s) => (s.unit ? [s.unit] : [])),
    pulumiVersion: pinnedPulumiVersion(root),
  });
  const bytes = writeOperator(opts.out, objects);
  const ledger = city.ledger;
  const notMoved = [
    ...(ledger?.platform?.stack !== undefined ? ["the platform"] : []),
    ...Object.entries(ledger?.units ?? {})
      .filter(([, e]) => e.stack !== undefined)
      .map(([id]) => id),
  ];
  if (notMoved.length)
    io.err(
      `warning: ${notMoved.join(", ")} ${notMoved.length === 1 ? "is" : "are"} still in a city-wide Pulumi stack (ledger ${ledger!.file}): their Stacks fail, changing nothing, until npx muni migrate --stack ${opts.stack} --run has moved them`,
    );
  const p = city.settings.pulumi;
  io.out(
    `wrote ${objects.stacks.length} Stacks (${city.stacks[0]!.name} and ${objects.stacks.length - 1} unit stack${objects.stacks.length === 2 ? "" : "s"}), the provisioner's ServiceAccount ${p.operator.serviceAccount} and its RBAC to ${opts.out} (${bytes} bytes)`,
  );
  io.out(
    `before applying, create Secret ${p.credentials.secretName} in namespace ${p.operator.namespace} with the keys ${credentialVariables(p).join(", ")} (docs/operator.md)`,
  );
  return EXIT.ok;
}

/** Writes the objects into `dir` (cleared first when an earlier run wrote it; refused when it holds anything else); returns the bytes written. */
export function writeOperator(dir: string, objects: OperatorObjects): number {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is a file: give a directory`);
    const entries = readdirSync(dir);
    if (entries.length && !entries.includes(OPERATOR_MARKER))
      throw new UsageError(
        `--out ${dir} is not empty and was not written by muni operator: give a new or empty directory`,
      );
    for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
  }
  mkdirSync(join(dir, "stacks"), { recursive: true });
  let bytes = 0;
  const write = (file: string, docs: readonly K8sObject[]) => {
    const text = docs.map((d) => `---\n${toYaml(d)}`).join("");
    writeFileSync(join(dir, file), text);
    bytes += Buffer.byteLength(text);
  };
  writeFileSync(join(dir, OPERATOR_MARKER), "written by muni operator: rewritten by every run\n");
  write("00-namespace.yaml", [objects.namespace]);
  write("01-rbac.yaml", objects.rbac);
  write("02-kubeconfig.yaml", [objects.kubeconfig]);
  for (const s of objects.stacks) write(join("stacks", `${s.metadata.name}.yaml`), [s]);
  return bytes;
}

export function registerOperator(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("operator")
    .description(
      "write the Pulumi Kubernetes Operator objects of a city (one Stack per Pulumi stack, the provisioner's RBAC) as YAML",
    )
    .requiredOption("--stack <stack>", "the city's settings (stacks/Pulumi.<stack>.yaml)")
    .requiredOption("--out <dir>", "directory for the YAML (cleared if an earlier muni operator wrote it)")
    .option("--root <dir>", "project root (the folder of Pulumi.yaml); default: found upwards")
    .action((opts: OperatorOptions) => done(runOperator(io, opts)));
}
