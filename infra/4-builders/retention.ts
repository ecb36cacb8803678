import { renderUnit } from "./render";
import type { Desired, K8sObject } from "./types";
import { type DataHistory, EMPTY_HISTORY, maildirOf, type StackSettings, type Unit } from "../1-model";
import { REDACTED_SECRETS } from "./secrets";

/**
 * Whether an object holds a unit's records by its kind, whatever its builder said: deleting it loses
 * data. PersistentVolumeClaims (mail storage, site content, VM disks) and CDI DataVolumes hold data;
 * a KubeVirt VirtualMachine owns the DataVolumes of its dataVolumeTemplates (deleting the VM deletes
 * its disks); a StatefulSet with volumeClaimTemplates may delete its claims with it.
 */
export function holdsData(o: Pick<K8sObject, "apiVersion" | "kind"> & { spec?: unknown }): boolean {
  const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
  if (group === "" && o.kind === "PersistentVolumeClaim") return true;
  if (group === "cdi.kubevirt.io" && o.kind === "DataVolume") return true;
  if (group === "kubevirt.io" && o.kind === "VirtualMachine") return true;
  if (group === "apps" && o.kind === "StatefulSet")
    return Boolean(
      (o.spec as { volumeClaimTemplates?: unknown[] } | undefined)?.volumeClaimTemplates?.length,
    );
  return false;
}

/** Whether a rendered object must be retained: its builder marked it dataBearing, or its kind holds data. */
export function isDataBearing(d: Pick<Desired, "dataBearing" | "object">): boolean {
  return d.dataBearing === true || holdsData(d.object);
}

/**
 * Names of the namespaces that hold data-bearing objects: they are retained with them, since deleting
 * a namespace deletes everything in it.
 */
export function namespacesHoldingData(
  desired: readonly Pick<Desired, "dataBearing" | "object">[],
): Set<string> {
  return new Set(
    desired
      .filter(isDataBearing)
      .flatMap((d) => (d.object.metadata.namespace ? [d.object.metadata.namespace] : [])),
  );
}

/** The Pulumi options of a data-bearing resource (and of the namespace that holds such resources). */
export interface RetentionOptions {
  retainOnDelete: true;
  protect?: true;
}

/**
 * Options of a unit's data-bearing resources: always `retainOnDelete` (removed from the program, the
 * object stays in the cluster); `protect` too while the unit is active in a stack with
 * `lifecycle.protectData`, so no deployment can delete it. Decommissioning lifts `protect`, so the
 * decommissioned step can let go of the resources without an error.
 */
export function retentionOptions(
  unit: Pick<Unit, "lifecycle">,
  settings: Pick<StackSettings, "lifecycle">,
): RetentionOptions {
  return settings.lifecycle?.protectData && unit.lifecycle.state === "active"
    ? { retainOnDelete: true, protect: true }
    : { retainOnDelete: true };
}

/** One object muni no longer manages but kept in the cluster, with the unit's records in it. */
export interface RetainedObject {
  unit: string;
  namespace: string;
  kind: string;
  name: string;
}

/**
 * The unit's retained data: what its retired VMs, sites and mailboxes keep (from its ledger record
 * `history`, in any state: a retired VM stays halted, a retired site's content volume and a retired
 * mailbox's directory stay), and for a decommissioned unit also what it left in the cluster: the
 * data-bearing objects of its last render (decommissioning), the namespaces that hold them (per the
 * render or the record), and the directories of the mailboxes it still had on the mail volume (`Maildir
 * <mail namespace>/<maildir>`, from its ledger record). Each object once, in that order.
 */
export function retainedData(
  unit: Unit,
  settings: StackSettings,
  history: DataHistory = EMPTY_HISTORY,
): RetainedObject[] {
  const out = new Map<string, RetainedObject>();
  const add = (o: RetainedObject) => out.set(`${o.kind} ${o.namespace}/${o.name}`, o);
  for (const r of history.retired) for (const k of r.kept) add(parseKept(unit.id, k));
  if (unit.lifecycle.state !== "decommissioned") return [...out.values()];
  const last: Unit = { ...unit, lifecycle: { ...unit.lifecycle, state: "decommissioning" } };
  const desired = renderUnit(last, settings, REDACTED_SECRETS, history);
  const kept = desired.filter(isDataBearing);
  // Every namespace holding data now or per the record (the VM namespace too): deleting it deletes its data.
  const holding = new Set([...namespacesHoldingData(desired), ...history.namespaces]);
  const ns = desired.filter((d) => d.object.kind === "Namespace" && holding.has(d.object.metadata.name));
  const left = [...ns, ...kept].map((d) => ({
    unit: unit.id,
    namespace: d.object.metadata.namespace ?? d.object.metadata.name,
    kind: d.object.kind,
    name: d.object.metadata.name,
  }));
  for (const [address, incarnation] of Object.entries(history.mailboxes)) {
    const at = address.lastIndexOf("@");
    const dir = maildirOf(address.slice(at + 1), address.slice(0, at), incarnation);
    left.push({ unit: unit.id, namespace: settings.platform.mail.namespace, kind: "Maildir", name: dir });
  }
  return [
    ...new Map([...left, ...out.values()].map((o) => [`${o.kind} ${o.namespace}/${o.name}`, o])).values(),
  ];
}

/** `Kind namespace/name` (as the ledger writes it) as a RetainedObject; the name may hold slashes (a maildir). */
export function parseKept(unit: string, kept: string): RetainedObject {
  const space = kept.indexOf(" ");
  const rest = kept.slice(space + 1);
  const slash = rest.indexOf("/");
  return { unit, kind: kept.slice(0, space), namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}
