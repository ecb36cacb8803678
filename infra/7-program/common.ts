import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../1-model";
import { type Diagnostic, formatDiagnostic } from "../2-manifest/diagnostics";
import { loadStack } from "../2-manifest/stack";
import type { RetainedObject } from "../4-builders/retention";
import type { DnsRecord } from "../4-builders/mail/dns";
import type { BipEntry } from "../4-builders/web/bip-registry";

/** The outputs of a stack that provisions units (a unit stack holds one). */
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

/** The city's settings (stacks/Pulumi.<city>.yaml), validated; throws UnknownStackError for an unknown city. */
export function loadCity(root: string, city: string): ReturnType<typeof loadStack> {
  return loadStack(root, city);
}

/** Fails the Pulumi run before anything is registered, printing each problem as file:line:col. */
export function refuse(stack: string, diagnostics: readonly Diagnostic[]): never {
  for (const d of diagnostics) void pulumi.log.error(formatDiagnostic(d));
  throw new pulumi.RunError(
    `muni: ${diagnostics.length} problem(s) in the manifests, stack settings or ledger of stack ${stack}; nothing was registered.\n` +
      diagnostics.map(formatDiagnostic).join("\n"),
  );
}

/** The one explicit Kubernetes provider of a stack, `cluster`, for the settings' cluster. */
export function clusterProvider(settings: StackSettings): k8s.Provider {
  const c = settings.cluster;
  return new k8s.Provider("cluster", {
    ...(c.context ? { context: c.context } : {}),
    ...(c.kubeconfigPath ? { kubeconfig: c.kubeconfigPath } : {}),
    enableServerSideApply: c.serverSideApply,
  });
}
