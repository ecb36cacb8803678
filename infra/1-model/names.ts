import type { Unit } from "./";
import type { StackSettings } from "./stack";

/** Label and annotation keys muni owns. */
export const LABEL = {
  unit: "muni.lodz.pl/unit",
  costCentre: "muni.lodz.pl/cost-centre",
  wave: "muni.lodz.pl/wave",
  service: "muni.lodz.pl/service",
  managedBy: "app.kubernetes.io/managed-by",
  /** Prefix of the unit's own labels (manifest `labels`) on its namespace. */
  unitLabelPrefix: "label.muni.lodz.pl/",
} as const;

export const ANNOTATION = {
  name: "muni.lodz.pl/name",
  shortName: "muni.lodz.pl/short-name",
} as const;

export const MANAGED_BY = "muni";

/** The unit's namespace: `<namespacePrefix><id>`. */
export function namespaceOf(
  unit: Pick<Unit, "id">,
  settings: Pick<StackSettings, "namespacePrefix">,
): string {
  return `${settings.namespacePrefix}${unit.id}`;
}

/**
 * The namespace of a unit's virtual machines: `<namespace>-vm`. KubeVirt's virt-launcher pods need the
 * Pod Security `privileged` level, so VMs live apart from the unit's `restricted` namespace, where its
 * administrators cannot create pods (see builders/vm/vm-namespace.ts).
 */
export function vmNamespaceOf(
  unit: Pick<Unit, "id">,
  settings: Pick<StackSettings, "namespacePrefix">,
): string {
  return `${namespaceOf(unit, settings)}-vm`;
}

/** Labels on every object of a unit. */
export function unitLabels(unit: Unit): Record<string, string> {
  return { [LABEL.managedBy]: MANAGED_BY, [LABEL.unit]: unit.id };
}
