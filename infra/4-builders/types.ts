import type { DataHistory, SecretSource, ServiceName, StackSettings, Unit } from "../1-model";

/** Metadata every object muni emits carries: an explicit name, labels, annotations. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Kubernetes object as plain data, exactly as it is sent to the API server. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** One object a unit needs, with what the registering side must know about it. */
export interface Desired {
  /** Stable key within the unit; the Pulumi resource is named `<unit id>-<key>`. Never change a key. */
  key: string;
  /** The service that needs the object, or "baseline" for the namespace, quota, isolation and RBAC. */
  service: ServiceName | "baseline" | "platform";
  object: K8sObject;
  /** Holds the unit's records (mail, site content, VM disks): kept when removed from the program. */
  dataBearing?: boolean;
  /** Built from generated secrets (see SecretRequest): the registering side supplies the real values. */
  usesSecrets?: boolean;
}

/** What every builder receives: the validated unit and stack, and the names derived from them. */
export interface BuildContext {
  unit: Unit;
  settings: StackSettings;
  /** The unit's namespace. */
  namespace: string;
  /** Labels every object of the unit carries. */
  labels: Record<string, string>;
  secrets: SecretSource;
  /** What the stack's ledger knows of the unit's data (retired VMs and sites stay rendered; mailbox incarnations). */
  history: DataHistory;
}

/** A pure function from a unit to its objects. No Pulumi, no I/O. */
export type UnitBuilder = (ctx: BuildContext) => Desired[];

/** `Kind/namespace/name` of an object. */
export function objectName(d: Desired): string {
  const m = d.object.metadata;
  return [d.object.kind, m.namespace, m.name].filter(Boolean).join("/");
}
