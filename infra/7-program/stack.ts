import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { notProvisionedReason } from "../1-model";
import { formatDiagnostic } from "../2-manifest/diagnostics";
import { loadProject } from "../3-rules/project";
import { withLedgerGuards } from "../3-rules/lifecycle/ledger-guards";
import { retainedData, type RetainedObject } from "../4-builders/retention";
import type { DnsRecord } from "../4-builders/mail/dns";
import { type BipEntry, bipRegistry } from "../4-builders/web/bip-registry";
import { Platform } from "../5-components/platform";
import { Unit } from "../5-components/unit";

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
  /** What decommissioned units left in the cluster (namespace and data-bearing objects), no longer managed. */
  retainedData: RetainedObject[];
  /** The BIP sites of the provisioned units (unit, unit name, hostname, https URL, title): the list the city registers in the national BIP index. */
  bipRegistry: BipEntry[];
  /** Unit id → the DNS records the city must publish for its mail domain (MX, SPF, DKIM, DMARC), for units enrolled in mail. */
  mailDns: Record<string, pulumi.Output<DnsRecord[]>>;
}

/**
 * The Pulumi program of a stack: validate the settings and every unit first, and register nothing if
 * anything is invalid (each problem printed as file:line:col); then one `Unit` component per unit,
 * all through one explicit Kubernetes provider.
 */
export function defineStack(args: StackArgs): StackOutputs {
  const project = loadProject(args.root, args.stack, args.settings);
  // The lifecycle guards against the stack's ledger (docs/lifecycle.md): refused like invalid input.
  withLedgerGuards(project);
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
  const provisioned = project.units
    .map(({ unit }) => unit)
    .filter((unit) => {
      const reason = notProvisionedReason(unit, settings);
      if (reason !== undefined) notProvisioned[unit.id] = reason;
      return reason === undefined;
    });
  // The shared mail and print servers; units' tenant objects live in their namespaces (docs/mail-and-print.md).
  const platform = new Platform("platform", { settings, units: provisioned }, { providers: [provider] });
  const mailDns: Record<string, pulumi.Output<DnsRecord[]>> = {};
  for (const unit of provisioned) {
    const component = new Unit(
      unit.id,
      { unit, settings, platformNamespaces: platform.namespaces },
      { providers: [provider] },
    );
    namespaces[unit.id] = component.namespace;
    if (unit.services.mail) mailDns[unit.id] = component.mailDns;
  }
  return {
    namespaces,
    notProvisioned,
    retainedData: project.units.flatMap(({ unit }) => retainedData(unit, settings)),
    bipRegistry: bipRegistry(
      project.units.filter(({ unit }) => namespaces[unit.id] !== undefined).map(({ unit }) => unit),
    ),
    mailDns,
  };
}
