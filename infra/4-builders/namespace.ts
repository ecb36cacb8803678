import {
  ANNOTATION,
  LABEL,
  serviceUseLabels,
  UNIT_NAMESPACE_LABEL,
  stackDnsName,
  ZONES_ANNOTATION,
  zonesOf,
} from "../1-model";
import type { BuildContext, Desired } from "./types";

/**
 * The unit's namespace: explicit name, unit/cost-centre/wave labels, the unit's own labels, and Pod
 * Security Admission `restricted` enforced (and audited and warned, so violations show up everywhere).
 * Tenant isolation (docs/security.md) reads three more things from it, which the unit's administrators
 * cannot change (they may only read the namespace): the `unit-namespace` label the admission policies
 * select, the `uses-<platform>` labels the platforms' NetworkPolicies admit, and the unit's DNS zones, which
 * the admission policy checks Ingress and Certificate hosts against.
 */
export function buildNamespace(ctx: BuildContext): Desired[] {
  const { unit } = ctx;
  const own = Object.fromEntries(
    Object.entries(unit.labels).map(([k, v]) => [`${LABEL.unitLabelPrefix}${k}`, v]),
  );
  return [
    {
      key: "namespace",
      service: "baseline",
      object: {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name: ctx.namespace,
          labels: {
            ...own,
            ...ctx.labels,
            ...serviceUseLabels(unit),
            [UNIT_NAMESPACE_LABEL]: "true",
            [LABEL.costCentre]: unit.costCentre,
            [LABEL.wave]: String(unit.lifecycle.wave),
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
          },
          annotations: {
            [ANNOTATION.name]: unit.name,
            [ANNOTATION.shortName]: unit.shortName,
            // The zones as this stack serves them (a staging stack renames them: dnsRewrite), so the admission
            // policies admit the host names the unit's own objects carry on this stack.
            [ZONES_ANNOTATION]: zonesOf(unit.id, ctx.settings)
              .zones.map((z) => stackDnsName(z, ctx.settings))
              .join(","),
          },
        },
      },
    },
  ];
}
