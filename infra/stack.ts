import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Unit } from "./components/unit";
import { shouldProvision } from "./lifecycle/provision";
import { formatDiagnostic } from "./manifest/diagnostics";
import { loadProject } from "./manifest/stack";

export interface StackArgs {
  /** Project root (the folder of Pulumi.yaml). */
  root: string;
  /** Stack name; its settings file is stacks/Pulumi.<stack>.yaml. */
  stack: string;
  /** The `muni:settings` value the Pulumi engine holds (validated; the file only locates errors). */
  settings: unknown;
}

/** The stack's outputs. */
export interface StackOutputs {
  /** Unit id → namespace, for every provisioned unit. */
  namespaces: Record<string, pulumi.Output<string>>;
  /** Units validated but not provisioned (planned, later waves, decommissioned), by id → reason. */
  notProvisioned: Record<string, string>;
}

/**
 * The Pulumi program of a stack: validate the settings and every unit first, and register nothing if
 * anything is invalid (each problem printed as file:line:col); then one `Unit` component per unit,
 * all through one explicit Kubernetes provider.
 */
export function defineStack(args: StackArgs): StackOutputs {
  const project = loadProject(args.root, args.stack, args.settings);
  if (!project.stack || project.diagnostics.length) {
    for (const d of project.diagnostics) void pulumi.log.error(formatDiagnostic(d));
    throw new pulumi.RunError(
      `muni: ${project.diagnostics.length} problem(s) in the manifests or stack settings; nothing was registered.\n` +
        project.diagnostics.map(formatDiagnostic).join("\n"),
    );
  }
  const { settings } = project.stack;
  const c = settings.cluster;
  const provider = new k8s.Provider("cluster", {
    ...(c.context ? { context: c.context } : {}),
    ...(c.kubeconfigPath ? { kubeconfig: c.kubeconfigPath } : {}),
    enableServerSideApply: c.serverSideApply,
  });
  const namespaces: Record<string, pulumi.Output<string>> = {};
  const notProvisioned: Record<string, string> = {};
  for (const { unit } of project.units) {
    if (!shouldProvision(unit, settings)) {
      notProvisioned[unit.id] = unit.lifecycle.state;
      continue;
    }
    namespaces[unit.id] = new Unit(unit.id, { unit, settings }, { providers: [provider] }).namespace;
  }
  return { namespaces, notProvisioned };
}
