import { acceptsNewData, type Unit } from "../1-model";
import type { Desired, K8sObject } from "./types";

/** Label every object of a unit in decommissioning carries, so platform services can see it. */
export const LIFECYCLE_LABEL = "muni.lodz.pl/lifecycle";

/**
 * Annotation a builder sets (value "true") on a workload that only serves existing records and must
 * keep running while its unit is decommissioned (a BIP site serving published content read-only).
 * Every other workload is stopped.
 */
export const KEEP_SERVING_ANNOTATION = "muni.lodz.pl/keep-serving-while-decommissioning";

/**
 * The objects of a unit as its lifecycle state wants them. Active and planned units: unchanged. A unit
 * leaving (decommissioning, and the last render of a decommissioned one) keeps every object and all its
 * data, but stops taking new data:
 * - every object is labelled `muni.lodz.pl/lifecycle: decommissioning`;
 * - Deployments and StatefulSets scale to 0 replicas, except those annotated keep-serving;
 * - StatefulSets keep the claims of their volume templates (persistentVolumeClaimRetentionPolicy Retain);
 * - KubeVirt VirtualMachines are halted (runStrategy Halted): disks kept, nothing running;
 * - the ResourceQuota admits no new persistent volume claim nor storage.
 * Pure: objects are copied, never changed in place.
 */
export function applyLifecycle(unit: Pick<Unit, "lifecycle">, desired: readonly Desired[]): Desired[] {
  if (acceptsNewData(unit)) return [...desired];
  return desired.map((d) => ({ ...d, object: freeze(copy(d.object)) }));
}

/** A deep copy of plain JSON data, built from literals (structuredClone's arrays come from another realm under jest's vm and fail `instanceof Array` checks). */
function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) as T;
  return v;
}

function freeze(o: K8sObject): K8sObject {
  o.metadata.labels = { ...o.metadata.labels, [LIFECYCLE_LABEL]: "decommissioning" };
  const spec = o.spec as Record<string, unknown> | undefined;
  const keepServing = o.metadata.annotations?.[KEEP_SERVING_ANNOTATION] === "true";
  if (spec && o.apiVersion === "apps/v1" && (o.kind === "Deployment" || o.kind === "StatefulSet")) {
    if (!keepServing) spec.replicas = 0;
    if (o.kind === "StatefulSet" && spec.volumeClaimTemplates)
      spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: "Retain", whenScaled: "Retain" };
  }
  if (spec && o.kind === "VirtualMachine" && o.apiVersion.startsWith("kubevirt.io/")) {
    delete spec.running;
    spec.runStrategy = "Halted";
  }
  if (spec && o.kind === "ResourceQuota" && o.apiVersion === "v1") {
    const hard = (spec.hard ?? {}) as Record<string, string>;
    spec.hard = { ...hard, persistentvolumeclaims: "0", "requests.storage": "0" };
  }
  return o;
}
