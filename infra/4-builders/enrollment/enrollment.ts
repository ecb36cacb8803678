import { LABEL, type StackSettings, tenantNames, type Unit } from "../../1-model";
import type { BuildContext, Desired, K8sObject } from "../types";

type Platform = StackSettings["platform"]["finance"];
/** The central services a unit is enrolled in as a tenant. */
export type TenantService = "finance" | "antivirus";

/** Label on tenant records: which central service the record belongs to. */
export const TENANT_OF_LABEL = "muni.lodz.pl/tenant-of";

/** Who the tenant is, in every record. */
function identity(unit: Unit, namespace: string): Record<string, string> {
  return {
    unit: unit.id,
    name: unit.name,
    shortName: unit.shortName,
    costCentre: unit.costCentre,
    namespace,
    ...(unit.nip ? { nip: unit.nip } : {}),
    ...(unit.regon ? { regon: unit.regon } : {}),
  };
}

/**
 * A unit's tenancy in one central platform service: its tenant record (a ConfigMap in the platform
 * namespace, which the platform's operators or controller read) and a NetworkPolicy there that admits
 * the unit's namespace on the platform's ports (the unit's own egress allowance is in network-policies).
 */
function tenancy(
  ctx: BuildContext,
  service: TenantService,
  platform: Platform,
  data: Record<string, string>,
): Desired[] {
  const names = tenantNames(ctx.unit.id);
  const labels = { ...ctx.labels, [LABEL.service]: service, [TENANT_OF_LABEL]: service };
  const podLabels = Object.fromEntries(
    Object.entries(platform.podLabels).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const record: K8sObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: names.record, namespace: platform.namespace, labels },
    data: { ...identity(ctx.unit, ctx.namespace), ...data },
  };
  const allowance: K8sObject = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: names.allowance, namespace: platform.namespace, labels },
    spec: {
      podSelector: { matchLabels: podLabels },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ctx.namespace } } }],
          ports: platform.ports.map((port) => ({ protocol: "TCP", port })),
        },
      ],
    },
  };
  return [
    { key: `${service}-tenant`, service, object: record },
    { key: `${service}-allow-from-unit`, service, object: allowance },
  ];
}

/** Tenant records and allowances for the central finance-accounting system and antivirus console. */
export function buildEnrollment(ctx: BuildContext): Desired[] {
  const { finance, antivirus } = ctx.unit.services;
  const p = ctx.settings.platform;
  return [
    ...(finance
      ? tenancy(ctx, "finance", p.finance, {
          modules: finance.modules.join(","),
          users: String(finance.users),
        })
      : []),
    ...(antivirus
      ? tenancy(ctx, "antivirus", p.antivirus, { seats: String(antivirus.seats), policy: antivirus.policy })
      : []),
  ];
}
