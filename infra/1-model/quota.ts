import type { StackSettings } from "./stack.generated";
import type { Unit } from "./unit.generated";

/** The unit's effective quota: `services.servers.quota`, or the stack's defaultQuota when not enrolled. */
export interface EffectiveQuota {
  cpu: string;
  memory: string;
  storage: string;
  pods: number;
  volumes: number;
  vms: number;
}

export function effectiveQuota(unit: Unit, settings: Pick<StackSettings, "defaultQuota">): EffectiveQuota {
  const servers = unit.services.servers;
  const q = servers?.quota ?? settings.defaultQuota;
  return {
    cpu: q.cpu,
    memory: q.memory,
    storage: q.storage,
    pods: q.pods,
    volumes: q.volumes,
    vms: servers?.vms.length ?? 0,
  };
}
