import { ANNOTATION, LABEL } from "../1-model";
import type { BuildContext, Desired } from "./types";

/**
 * The unit's namespace: explicit name, unit/cost-centre/wave labels, the unit's own labels, and Pod
 * Security Admission `restricted` enforced (and audited and warned, so violations show up everywhere).
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
            [LABEL.costCentre]: unit.costCentre,
            [LABEL.wave]: String(unit.lifecycle.wave),
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
          },
          annotations: { [ANNOTATION.name]: unit.name, [ANNOTATION.shortName]: unit.shortName },
        },
      },
    },
  ];
}
