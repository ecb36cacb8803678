import type { StackSettings } from "./stack.generated";
import type { Unit } from "./unit.generated";

/** Names of the eight services of the council resolution, in the resolution's order. */
export const SERVICE_NAMES = [
  "finance",
  "internet",
  "antivirus",
  "networkProtection",
  "mail",
  "servers",
  "print",
  "web",
] as const satisfies readonly (keyof Unit["services"])[];
export type ServiceName = (typeof SERVICE_NAMES)[number];

export type MailService = NonNullable<Unit["services"]["mail"]>;
export type ServersService = NonNullable<Unit["services"]["servers"]>;
export type PrintService = NonNullable<Unit["services"]["print"]>;
export type WebService = NonNullable<Unit["services"]["web"]>;
export type FinanceService = NonNullable<Unit["services"]["finance"]>;
export type AntivirusService = NonNullable<Unit["services"]["antivirus"]>;
export type LifecycleState = Unit["lifecycle"]["state"];
/** One virtual machine of a unit. */
export type Vm = ServersService["vms"][number];
/** One web or BIP site of a unit. */
export type Site = WebService["sites"][number];
/** One image of the stack's VM catalogue. */
export type VmImage = NonNullable<StackSettings["vm"]["images"][string]>;

/** Services a unit is enrolled in, in the resolution's order. */
export function enrolledServices(unit: Unit): ServiceName[] {
  return SERVICE_NAMES.filter((s) => unit.services[s] !== undefined);
}
