import type { Desired, K8sObject } from "../builders/types";
import type { LifecycleState } from "../model";

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
  /** Whether the stack provisions the unit's objects now (lifecycle/shouldProvision). */
  provisioned: boolean;
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
}

/** The whole desired state of one stack. */
export interface PlannedStack {
  stack: string;
  /** The stack file, as the loader named it. */
  file: string;
  units: PlannedUnit[];
  /** The shared platform's objects (mail and print servers: infra/platform), named `platform-<key>`. */
  platform: PlannedObject[];
  /** Pulumi resources the program would register: the stack, the provider, and per unit its component, objects and secrets. */
  resources: number;
  warnings: string[];
}
