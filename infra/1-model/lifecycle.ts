import type { Unit } from "./unit.generated";
import type { StackSettings } from "./stack.generated";

/** Every wave a unit can be in (unit schema: lifecycle.wave 1..12). */
export const ALL_WAVES: readonly number[] = Array.from({ length: 12 }, (_, i) => i + 1);

/** The stack's live waves (default: all). */
export function liveWaves(settings: Pick<StackSettings, "lifecycle">): readonly number[] {
  return settings.lifecycle?.liveWaves ?? ALL_WAVES;
}

/**
 * Why a unit is not provisioned now, or undefined when it is: `planned` units are validated and
 * reported only; units of a wave that is not live wait for their wave; `decommissioned` units keep
 * nothing but their retained data. Active and decommissioning units of a live wave are provisioned.
 */
export function notProvisionedReason(
  unit: Unit,
  settings: Pick<StackSettings, "lifecycle">,
): string | undefined {
  const { state, wave } = unit.lifecycle;
  if (state === "planned") return "planned";
  if (state === "decommissioned") return "decommissioned";
  const live = liveWaves(settings);
  if (!live.includes(wave))
    return `wave ${wave} is not live (live waves: ${[...live].sort((a, b) => a - b).join(", ")})`;
  return undefined;
}

/** Whether the stack provisions a unit's objects now (see notProvisionedReason). */
export function shouldProvision(unit: Unit, settings: Pick<StackSettings, "lifecycle">): boolean {
  return notProvisionedReason(unit, settings) === undefined;
}

/**
 * Whether the unit's services take new data. False from decommissioning on: builders of services that
 * receive records (mail delivery, uploads) check it and render the service receive-nothing.
 */
export function acceptsNewData(unit: Pick<Unit, "lifecycle">): boolean {
  return unit.lifecycle.state === "active" || unit.lifecycle.state === "planned";
}
