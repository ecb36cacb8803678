import { notProvisionedReason, PLATFORM_STACK_SUFFIX, platformStackName, unitStackName } from "../1-model";
import type { Diagnostic } from "../2-manifest/diagnostics";
import { ledgerPath, readLedger, type Ledger } from "../2-manifest/ledger";
import { withLedgerGuards } from "../3-rules/lifecycle/ledger-guards";
import type { LoadedProject } from "../3-rules/project";
import { type CliIO, EXIT, paint, printDiagnostics } from "./io";
import { loadStackProject } from "./project";
import { pulumiSettingsOf, type SettingsWithPulumi } from "./pulumi-settings";

/** One Pulumi stack of a city. */
export interface CityStack {
  /** `<city>.platform` or `<city>.<unit id>`. */
  name: string;
  /** The unit id, or undefined for the platform. */
  unit?: string;
  /**
   * Whether the stack has something to do: the platform always; a unit that is provisioned now, or was
   * (per the ledger) and is leaving. A unit that never was and is not now (planned, a later wave) has none.
   */
  active: boolean;
}

/** A city loaded for its Pulumi stacks: every manifest validated (the cross-unit checks the unit stacks skip). */
export interface LoadedCity {
  project: LoadedProject;
  settings?: SettingsWithPulumi;
  ledger?: Ledger;
  /** The platform's stack first, then one per unit the city takes, by id. */
  stacks: CityStack[];
  diagnostics: Diagnostic[];
}

/**
 * Loads a city for `muni operator`, `preview`, `up` and `migrate`: the settings and every manifest with every
 * rule and the ledger guards (as `muni validate --stack`), its `pulumi` settings, and its Pulumi stacks.
 * An unknown city is a usage error.
 */
export function loadCity(root: string, city: string, need: { repository?: boolean } = {}): LoadedCity {
  const project = withLedgerGuards(loadStackProject(root, city));
  const out: LoadedCity = { project, stacks: [], diagnostics: [...project.diagnostics] };
  if (!project.stack) return out;
  const { pulumi, diagnostics } = pulumiSettingsOf(project.stack, need);
  out.diagnostics.push(...diagnostics);
  for (const u of project.units)
    if (u.unit.id === PLATFORM_STACK_SUFFIX)
      out.diagnostics.push({
        file: u.file,
        line: u.source.locate(["id"]).line,
        col: u.source.locate(["id"]).col,
        field: "id",
        message: `unit id "${PLATFORM_STACK_SUFFIX}" is reserved: Pulumi stack ${platformStackName(city)} is the shared platform's`,
        hint: "give the unit another id",
      });
  if (!pulumi) return out;
  out.settings = { ...project.stack.settings, pulumi };
  const read = readLedger(ledgerPath(project.stack.file, city));
  if (read.ledger) out.ledger = read.ledger;
  const ledger = read.ledger?.units ?? {};
  out.stacks = [
    { name: platformStackName(city), active: true },
    ...project.units
      .map((u) => u.unit)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((u) => ({
        name: unitStackName(city, u.id),
        unit: u.id,
        active:
          notProvisionedReason(u, project.stack!.settings) === undefined ||
          ledger[u.id]?.provisioned === true,
      })),
  ];
  return out;
}

/** Prints a city's problems and the line saying nothing was done; returns exit 1. */
export function refuseCity(
  io: CliIO,
  command: string,
  city: string,
  diagnostics: readonly Diagnostic[],
): number {
  printDiagnostics(io, diagnostics);
  io.err(
    paint(io, "red", `muni ${command}: ${diagnostics.length} problem(s) in stack ${city}; nothing was done`),
  );
  return EXIT.invalid;
}
