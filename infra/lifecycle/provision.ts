import type { Unit } from "../model";
import type { StackSettings } from "../model/stack";

/**
 * Whether the stack provisions a unit's objects now. `planned` units are validated and reported only;
 * `decommissioned` units keep nothing but their retained data.
 */
export function shouldProvision(unit: Unit, _settings: StackSettings): boolean {
  return unit.lifecycle.state === "active" || unit.lifecycle.state === "decommissioning";
}
