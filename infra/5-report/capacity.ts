import { bytes, cpuMillis } from "../1-model";
import { effectiveQuota } from "../1-model";
import { shouldProvision } from "../1-model";
import type { Unit } from "../1-model";
import { orderedUnits, type ReportInput } from "./units";

/** What a unit takes or is entitled to, in exact integer units. */
export interface CapacityFigures {
  cpuMillis: number;
  memoryBytes: number;
  storageBytes: number;
  vms: number;
  mailboxes: number;
  mailboxLimit: number;
  sites: number;
  queues: number;
}

export interface UnitCapacity extends CapacityFigures {
  id: string;
  shortName: string;
  state: Unit["lifecycle"]["state"];
  /** Provisioned units count against the central capacity; planned and decommissioned ones do not. */
  counted: boolean;
}

export interface CapacityReport {
  units: UnitCapacity[];
  /** Sums over the counted units. */
  allocated: CapacityFigures;
  /** The stack's central capacity (settings.capacity). */
  capacity: { cpuMillis: number; memoryBytes: number; storageBytes: number; vms: number };
  /** Factor by which the allocated quotas may exceed the capacity. */
  overcommit: number;
}

export const CAPACITY_RESOURCES = ["cpuMillis", "memoryBytes", "storageBytes", "vms"] as const;
export type CapacityResource = (typeof CAPACITY_RESOURCES)[number];

/** Each unit's effective quota (1-model effectiveQuota) and service counts, and the totals against capacity. */
export function capacityReport(input: ReportInput): CapacityReport {
  const units = orderedUnits(input).map((unit): UnitCapacity => {
    const q = effectiveQuota(unit, input.settings);
    const mail = unit.services.mail;
    return {
      id: unit.id,
      shortName: unit.shortName,
      state: unit.lifecycle.state,
      counted: shouldProvision(unit, input.settings),
      cpuMillis: cpuMillis(q.cpu),
      memoryBytes: bytes(q.memory),
      storageBytes: bytes(q.storage),
      vms: q.vms,
      mailboxes: mail?.mailboxes.length ?? 0,
      mailboxLimit: mail?.mailboxLimit ?? 0,
      sites: unit.services.web?.sites.length ?? 0,
      queues: unit.services.print?.queues.length ?? 0,
    };
  });
  const keys = [
    "cpuMillis",
    "memoryBytes",
    "storageBytes",
    "vms",
    "mailboxes",
    "mailboxLimit",
    "sites",
    "queues",
  ] as const;
  const allocated = Object.fromEntries(
    keys.map((k) => [k, units.filter((u) => u.counted).reduce((s, u) => s + u[k], 0)]),
  ) as unknown as CapacityFigures;
  const c = input.settings.capacity;
  return {
    units,
    allocated,
    capacity: {
      cpuMillis: cpuMillis(c.cpu),
      memoryBytes: bytes(c.memory),
      storageBytes: bytes(c.storage),
      vms: c.vms,
    },
    overcommit: c.overcommit,
  };
}
