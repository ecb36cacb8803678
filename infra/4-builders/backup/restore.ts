import { namespaceOf, type StackSettings, type Unit, vmNamespaceOf } from "../../1-model";
import { platformScheduleName, scheduleName } from "./schedules";

/** Suffix of the namespaces a side-by-side restore writes to (`<namespace>-restore`). */
export const RESTORE_SUFFIX = "-restore";

/**
 * The one command that restores a unit from its newest backup, side by side: every namespace of the unit
 * mapped to `<namespace>-restore`, so nothing live is overwritten (docs/backup-and-monitoring.md). Without
 * backup settings, undefined.
 */
export function restoreCommand(
  unit: Pick<Unit, "id" | "services">,
  settings: Pick<StackSettings, "backup" | "namespacePrefix">,
): string | undefined {
  if (!settings.backup) return undefined;
  const namespaces = [namespaceOf(unit, settings)];
  if (unit.services.servers?.vms.length) namespaces.push(vmNamespaceOf(unit, settings));
  const mappings = namespaces.map((ns) => `${ns}:${ns}${RESTORE_SUFFIX}`).join(",");
  return (
    `velero restore create --namespace ${settings.backup.namespace} --from-schedule ${scheduleName(unit.id)}` +
    ` --namespace-mappings ${mappings} --wait`
  );
}

/** The command that restores the platform's mail namespace (every unit's mailboxes) next to the live one. */
export function mailRestoreCommand(settings: Pick<StackSettings, "backup" | "platform">): string | undefined {
  if (!settings.backup) return undefined;
  const ns = settings.platform.mail.namespace;
  return (
    `velero restore create --namespace ${settings.backup.namespace} --from-schedule ${platformScheduleName("mail")}` +
    ` --namespace-mappings ${ns}:${ns}${RESTORE_SUFFIX} --wait`
  );
}
