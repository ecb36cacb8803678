import { enrolledServices, SERVICE_NAMES, type ServiceName, type Unit } from "../1-model";
import type { StackSettings } from "../1-model";
import { shouldProvision } from "../1-model";

/** What every report takes: the stack's name and settings, and its units (validated). */
export interface ReportInput {
  stack: string;
  settings: StackSettings;
  units: readonly Unit[];
}

/** One row of the Annex 1 matrix. */
export interface MatrixRow {
  /** L.p.: the row number, from 1. */
  lp: number;
  id: string;
  name: string;
  shortName: string;
  /** "ul. Urzędnicza 45, 91-304 Łódź". */
  address: string;
  state: Unit["lifecycle"]["state"];
  /** Whether the stack provisions the unit now (lifecycle). */
  provisioned: boolean;
  /** Enrollment in each of the eight services, in the resolution's order. */
  services: Record<ServiceName, boolean>;
}

/**
 * The stack's units in the report's order: first those its `units.ids` lists, in that order (the
 * resolution's item numbers), then the others (taken by wave or labels) by wave, then by id.
 */
export function orderedUnits(input: ReportInput): Unit[] {
  const ids = input.settings.units.ids ?? [];
  const rank = (u: Unit) => {
    const i = ids.indexOf(u.id);
    return i < 0 ? ids.length : i;
  };
  return [...input.units].sort(
    (a, b) =>
      rank(a) - rank(b) || a.lifecycle.wave - b.lifecycle.wave || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export function seatAddress(unit: Unit): string {
  return `${unit.address.street}, ${unit.address.postalCode} ${unit.address.city}`;
}

/** The Annex 1 matrix: every unit of the stack (planned and decommissioned ones too, with their state). */
export function serviceMatrix(input: ReportInput): MatrixRow[] {
  return orderedUnits(input).map((unit, i) => {
    const enrolled = new Set(enrolledServices(unit));
    return {
      lp: i + 1,
      id: unit.id,
      name: unit.name,
      shortName: unit.shortName,
      address: seatAddress(unit),
      state: unit.lifecycle.state,
      provisioned: shouldProvision(unit, input.settings),
      services: Object.fromEntries(SERVICE_NAMES.map((s) => [s, enrolled.has(s)])) as Record<
        ServiceName,
        boolean
      >,
    };
  });
}
