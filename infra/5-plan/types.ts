import type { Desired, K8sObject } from "../4-builders/types";
import type { LifecycleState } from "../1-model";
import type { PlatformProtection, Protection } from "./protection";

/** A path into an object: field names and array indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** One object the stack would register, as the plan shows it (secrets redacted). */
export interface PlannedObject {
  /** The builder's stable key within the unit. */
  key: string;
  /** The Pulumi resource name, `<unit id>-<key>`. */
  resource: string;
  service: Desired["service"];
  /** The object exactly as sent to the API server, except values derived from secrets (see `redacted`). */
  object: K8sObject;
  dataBearing: boolean;
  usesSecrets: boolean;
  /** Paths whose values were replaced by REDACTED (Secret data and values built from generated secrets). */
  redacted: FieldPath[];
}

/** What the stack does with one unit. */
export interface PlannedUnit {
  id: string;
  name: string;
  /** The manifest, as the loader named it. */
  file: string;
  state: LifecycleState;
  wave: number;
  /** Whether the stack provisions the unit's objects now (1-model shouldProvision). */
  provisioned: boolean;
  /** Why the stack takes the unit but provisions nothing of it (1-model notProvisionedReason); absent when provisioned. */
  notProvisioned?: string;
  namespace: string;
  objects: PlannedObject[];
  /** Ids of generated secrets (@pulumi/random resources) the unit's objects need. */
  secrets: string[];
  /** The unit's quota (the effective one: services.servers.quota or the stack default). */
  quota: { cpu: string; memory: string; storage: string; pods: number; volumes: number; vms: number };
  hostnames: string[];
  mailDomains: string[];
  /** CUPS queue names, `<unit id>-<queue>`. */
  queues: string[];
  /** Service class, backup schedule, probes and alerts (protection.ts); absent when the stack sets none. */
  protection?: Protection;
}

/** The whole desired state of one stack. */
export interface PlannedStack {
  stack: string;
  /** The stack file, as the loader named it. */
  file: string;
  units: PlannedUnit[];
  /** The shared platform's objects (mail and print servers: infra/platform), named `platform-<key>`. */
  platform: PlannedObject[];
  /** The platform's backups, probes and alerts (protection.ts); absent when the stack sets none. */
  platformProtection?: PlatformProtection;
  /** Pulumi resources the city's stacks would hold in all: per stack (the platform's, one per provisioned unit) its root, provider and component, then its objects and secrets. */
  resources: number;
  warnings: string[];
}

/**
 * What the summary, the diff listing and plan.json keep of an object once its YAML is written: its
 * identity and flags, not its body. Streaming keeps only these, so memory does not grow with the objects' size.
 */
export interface ObjectRef {
  key: string;
  resource: string;
  service: Desired["service"];
  apiVersion: string;
  kind: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
  dataBearing: boolean;
  usesSecrets: boolean;
  /** Paths whose values were redacted. */
  redacted: FieldPath[];
}

/** A planned unit without its object bodies (see ObjectRef). */
export interface UnitSummary extends Omit<PlannedUnit, "objects"> {
  objects: ObjectRef[];
}

/** The plan of a stack as the report prints it: summaries, object identities, counts and warnings. */
export interface PlanSummary extends Omit<PlannedStack, "units" | "platform"> {
  units: UnitSummary[];
  platform: ObjectRef[];
}

/** The identity and flags of a planned object. */
export function objectRef(o: PlannedObject): ObjectRef {
  const m = o.object.metadata;
  return {
    key: o.key,
    resource: o.resource,
    service: o.service,
    apiVersion: o.object.apiVersion,
    kind: o.object.kind,
    ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
    name: m.name,
    dataBearing: o.dataBearing,
    usesSecrets: o.usesSecrets,
    redacted: o.redacted,
  };
}

export function unitSummary(u: PlannedUnit): UnitSummary {
  return { ...u, objects: u.objects.map(objectRef) };
}

export function planSummary(p: PlannedStack): PlanSummary {
  return { ...p, units: p.units.map(unitSummary), platform: p.platform.map(objectRef) };
}
