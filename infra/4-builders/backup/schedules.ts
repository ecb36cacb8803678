import {
  acceptsNewData,
  type BackupData,
  backupClassOf,
  LABEL,
  parseGoDuration,
  type StackSettings,
  vmNamespaceOf,
} from "../../1-model";
import { platformLabels } from "../platform-objects";
import type { BuildContext, Desired, K8sObject } from "../types";

/** Label of every Schedule (and, through its template, every Backup) with the backup class it follows. */
export const BACKUP_CLASS_LABEL = "muni.lodz.pl/backup-class";

/** Name of a unit's Schedule in Velero's namespace, `unit-<id>` (Velero labels each Backup with it: short). */
export function scheduleName(unitId: string): string {
  return `unit-${unitId}`;
}

/** Name of the ConfigMap in Velero's namespace with a unit's volume policy (what happens to which volume). */
export function volumePolicyName(unitId: string): string {
  return `unit-${unitId}-volumes`;
}

/** Name of the platform's Schedule of one platform namespace (mail, print). */
export function platformScheduleName(component: "mail" | "print"): string {
  return `platform-${component}`;
}

/** The longer of two Go durations (the text of the longer one). */
function longer(a: string, b: string | undefined): string {
  if (b === undefined) return a;
  return (parseGoDuration(b) ?? 0) > (parseGoDuration(a) ?? 0) ? b : a;
}

interface ScheduleArgs {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  schedule: string;
  ttl: string;
  storageLocation: string;
  /** The backup's selection and volume handling (Velero BackupSpec fields). */
  selection: Record<string, unknown>;
}

function schedule(a: ScheduleArgs): K8sObject {
  return {
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: { name: a.name, namespace: a.namespace, labels: a.labels },
    spec: {
      schedule: a.schedule,
      // Backups never belong to their Schedule: removing a unit (or its Schedule) leaves its backups to
      // expire at their ttl, never with the Schedule (Velero deletes owned backups with it).
      useOwnerReferencesInBackup: false,
      template: {
        ...a.selection,
        storageLocation: a.storageLocation,
        ttl: a.ttl,
        metadata: { labels: a.labels },
      },
    },
  };
}

/** The resources each kind of data brings when a class does not take every object. */
const RESOURCES: Record<Exclude<BackupData, "mail" | "objects">, string[]> = {
  sites: ["pods", "persistentvolumeclaims", "persistentvolumes"],
  vmDisks: [
    "virtualmachines.kubevirt.io",
    "datavolumes.cdi.kubevirt.io",
    "persistentvolumeclaims",
    "persistentvolumes",
  ],
};
const SERVICE_OF = { sites: "web", vmDisks: "servers" } as const;

/**
 * The Velero volume policy of a unit (Velero ≥ 1.14 resource policies): site content (the web storage
 * class, CephFS) is copied file by file through the pods that mount it, VM disks (the VM storage class,
 * RBD block) are CSI snapshots; a kind of data the class does not take is skipped.
 */
export function volumePolicy(settings: StackSettings, data: readonly BackupData[]): string {
  const rules: string[] = [];
  const rule = (storageClass: string | undefined, action: string) => {
    if (storageClass)
      rules.push(
        `  - conditions:\n      storageClass: [${JSON.stringify(storageClass)}]\n    action:\n      type: ${action}\n`,
      );
  };
  rule(settings.web.storageClass, data.includes("sites") ? "fs-backup" : "skip");
  rule(settings.vm.storageClass, data.includes("vmDisks") ? "snapshot" : "skip");
  return `version: v1\nvolumePolicies:\n${rules.join("") || "  []\n"}`;
}

/**
 * A unit's backup: one Velero Schedule in Velero's namespace, selecting exactly the unit's namespaces (the
 * unit's and its VM namespace) and, unless its class takes every object, only the resources and labels of
 * the kinds of data the class names; with a volume policy ConfigMap next to it. Its mail lives on the
 * platform's shared mail volume, which the platform's Schedule takes. A unit leaving keeps being backed up
 * until it is removed; those backups (its last ones) are kept for the stack's decommissionedRetention when
 * that is longer than the class's retention. Nothing without backup settings.
 */
export function buildBackup(ctx: BuildContext): Desired[] {
  const b = ctx.settings.backup;
  const chosen = backupClassOf(ctx.unit, ctx.settings);
  if (!b || !chosen) return [];
  const { unit } = ctx;
  const data = chosen.cls.data;
  const vmNs = unit.services.servers?.vms.length ? vmNamespaceOf(unit, ctx.settings) : undefined;
  const ttl = acceptsNewData(unit)
    ? chosen.cls.retention
    : longer(chosen.cls.retention, b.decommissionedRetention);
  const labels = {
    ...ctx.labels,
    [LABEL.costCentre]: unit.costCentre,
    [BACKUP_CLASS_LABEL]: chosen.name,
  };
  const kinds = (["sites", "vmDisks"] as const).filter((k) => data.includes(k));
  const selection: Record<string, unknown> = {
    includedNamespaces: vmNs ? [ctx.namespace, vmNs] : [ctx.namespace],
    ...(data.includes("objects")
      ? {}
      : {
          includedResources: [...new Set(kinds.flatMap((k) => RESOURCES[k]))],
          orLabelSelectors: kinds.map((k) => ({ matchLabels: { [LABEL.service]: SERVICE_OF[k] } })),
        }),
    snapshotVolumes: data.includes("vmDisks"),
    defaultVolumesToFsBackup: false,
    resourcePolicy: { kind: "configmap", name: volumePolicyName(unit.id) },
  };
  return [
    {
      key: "backup-volume-policy",
      service: "baseline",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: volumePolicyName(unit.id), namespace: b.namespace, labels },
        data: { "policies.yaml": volumePolicy(ctx.settings, data) },
      },
    },
    {
      key: "backup-schedule",
      service: "baseline",
      object: schedule({
        name: scheduleName(unit.id),
        namespace: b.namespace,
        labels,
        schedule: chosen.cls.schedule,
        ttl,
        storageLocation: b.storageLocation,
        selection,
      }),
    },
  ];
}

/**
 * The platform's backups, always rendered when the stack has backup settings: the mail namespace (with the
 * shared mail volume that holds every unit's mailboxes) and the print namespace, every object and every
 * mounted volume (file-system backup).
 */
export function buildPlatformBackup(settings: StackSettings): Desired[] {
  const b = settings.backup;
  if (!b) return [];
  return (["mail", "print"] as const).map((component) => {
    const labels = { ...platformLabels("backup"), [BACKUP_CLASS_LABEL]: "platform" };
    return {
      key: `backup-${component}`,
      service: "platform",
      object: schedule({
        name: platformScheduleName(component),
        namespace: b.namespace,
        labels,
        schedule: b.platform.schedule,
        ttl: b.platform.retention,
        storageLocation: b.storageLocation,
        selection: {
          includedNamespaces: [settings.platform[component].namespace],
          includeClusterResources: false,
          snapshotVolumes: false,
          defaultVolumesToFsBackup: true,
        },
      }),
    };
  });
}
