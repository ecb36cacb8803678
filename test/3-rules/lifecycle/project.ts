/** Temporary muni projects for lifecycle tests: lodz-prod's settings, chosen units, an optional ledger. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { formatDiagnostic, type Diagnostic, sortDiagnostics } from "../../../infra/2-manifest/diagnostics";
import { checkLedger } from "../../../infra/3-rules/lifecycle/ledger-guards";
import { type LoadedProject, loadProject } from "../../../infra/3-rules/project";

const ROOT = join(__dirname, "..", "..", "..");

/** lodz-prod's settings, taking every unit of units/ (no id list), with `lifecycle` replaced. */
export function settingsWith(lifecycle: Record<string, unknown>): Record<string, unknown> {
  const file = parse(readFileSync(join(ROOT, "stacks", "Pulumi.lodz-prod.yaml"), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  const settings = structuredClone(file.config["muni:settings"]!);
  settings.units = { directories: ["units"] };
  settings.lifecycle = lifecycle;
  return settings;
}

export interface LifecycleSpec {
  state: "planned" | "active" | "decommissioning" | "decommissioned";
  wave?: number;
  /** approvedOn, expiresOn; reference DI-II.0210.15.2027. */
  approval?: [string, string];
}

/** A minimal valid unit manifest with the given lifecycle. */
export function unitYaml(id: string, lc: LifecycleSpec, services = ""): string {
  return [
    `id: ${id}`,
    `name: Jednostka ${id} w Łodzi`,
    `shortName: ${id.toUpperCase()}`,
    "address: { street: ul. Piotrkowska 1, postalCode: 90-001, city: Łódź }",
    `costCentre: MPK-${id.toUpperCase()}`,
    services
      ? `roles: { localAdministrators: [{ kind: group, name: ${id}-admins }], operationsLeads: [{ kind: group, name: ${id}-leads }] }`
      : "roles: { localAdministrators: [], operationsLeads: [] }",
    "lifecycle:",
    `  state: ${lc.state}`,
    `  wave: ${lc.wave ?? 1}`,
    ...(lc.approval
      ? [
          "  approval:",
          "    approvedBy: Jan Kowalski, Dyrektor Wydziału Informatyki",
          `    approvedOn: ${lc.approval[0]}`,
          "    reference: DI-II.0210.15.2027",
          `    expiresOn: ${lc.approval[1]}`,
        ]
      : []),
    ...(services ? [services] : []),
    "",
  ].join("\n");
}

/** A ledger text: id → [state, wave, provisioned]. */
export function ledgerYaml(entries: Record<string, [LifecycleSpec["state"], number, boolean]>): string {
  const units = Object.fromEntries(
    Object.entries(entries).map(([id, [state, wave, provisioned]]) => [
      id,
      { state, wave, provisioned, file: `units/${id}.yaml` },
    ]),
  );
  return `# test ledger\n${stringify({ units })}`;
}

export interface TempProject {
  root: string;
  /** Settings as the Pulumi engine would hold them. */
  settings: Record<string, unknown>;
  load(): LoadedProject;
  /** Diagnostics formatted, paths relative to the project root. */
  messages(ds?: readonly Diagnostic[]): string[];
}

/** Writes a project (Pulumi.yaml, stacks/Pulumi.test.yaml, units/, stacks/test.units.yaml when `ledger`) to a temp dir. */
export function makeProject(
  units: Record<string, string>,
  lifecycle: Record<string, unknown>,
  ledger?: string,
): TempProject {
  const root = mkdtempSync(join(tmpdir(), "muni-lifecycle-"));
  mkdirSync(join(root, "stacks"));
  mkdirSync(join(root, "units"));
  writeFileSync(
    join(root, "Pulumi.yaml"),
    "name: muni-lifecycle-test\nruntime: nodejs\nstackConfigDir: stacks\n",
  );
  const settings = settingsWith(lifecycle);
  writeFileSync(
    join(root, "stacks", "Pulumi.test.yaml"),
    stringify({ config: { "muni:settings": settings } }),
  );
  for (const [id, text] of Object.entries(units)) writeFileSync(join(root, "units", `${id}.yaml`), text);
  if (ledger !== undefined) writeFileSync(join(root, "stacks", "test.units.yaml"), ledger);
  // As the program loads it: the stack's checks, then (when those pass) the ledger guards.
  const load = (): LoadedProject => {
    const project = loadProject(root, "test");
    if (project.stack && !project.diagnostics.length)
      project.diagnostics.push(...checkLedger(project.stack, project.units));
    return { ...project, diagnostics: sortDiagnostics(project.diagnostics) };
  };
  const messages = (ds: readonly Diagnostic[] = load().diagnostics) =>
    sortDiagnostics([...ds]).map((d) => formatDiagnostic(d).split(`${root}/`).join(""));
  return { root, settings, load, messages };
}
