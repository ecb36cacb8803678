/**
 * Hostile-unit projects: a copy of the repository's stacks and units, plus manifests a unit's staff could
 * open a pull request with, and the three ways muni meets them: `muni validate --stack`, `muni plan`, and
 * the Pulumi program under the mock runtime (`defineStack`). Each must refuse with the same located lines,
 * exit 1, and register nothing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { SETTINGS_PATH } from "../../infra/2-manifest/stack";
import { readYamlFile } from "../../infra/2-manifest/yaml-source";
import { type CliRun, runCli } from "../helpers/manifests";
import { installMocks } from "../helpers/pulumi";

const REPO = join(__dirname, "..", "..");
/** The stack hostile tests run against: lodz-staging takes every manifest in units/ and every wave. */
export const STACK = "lodz-staging";

/** A valid unit manifest of id `id`, with `extra` YAML appended under `services:` (indented by two). */
export function unitYaml(id: string, services = "", roles?: string): string {
  return `id: ${id}
name: Jednostka ${id}
shortName: ${id.toUpperCase().slice(0, 40)}
address: { street: ul. Piotrkowska 104, postalCode: 90-926, city: Łódź }
costCentre: MPK-${id
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, 20)}
roles:
${
  roles ??
  `  localAdministrators: [{ kind: group, name: ${id}-administratorzy }]
  operationsLeads: [{ kind: user, name: kierownik@${id}.lodz.pl }]`
}
lifecycle: { state: active, wave: 1 }
services:
${services || "  internet: {}"}
`;
}

export interface HostileSetup {
  /** Manifests to add (or replace), by id. */
  units?: Record<string, string>;
  /** Edits of the stack's `muni:settings` as plain data (any shape: hostile settings are the point), written back. */
  settings?: (s: Record<string, any>) => void;
}

/** A throw-away project: the repository's Pulumi.yaml, stacks and units, with the hostile changes. */
export function hostileProject(h: HostileSetup): string {
  const root = mkdtempSync(join(tmpdir(), `muni-hostile-${process.pid}-`));
  cpSync(join(REPO, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  for (const sub of ["stacks", "units"]) cpSync(join(REPO, sub), join(root, sub), { recursive: true });
  for (const [id, yaml] of Object.entries(h.units ?? {}))
    writeFileSync(join(root, "units", `${id}.yaml`), yaml);
  if (h.settings) {
    const path = join(root, "stacks", `Pulumi.${STACK}.yaml`);
    const doc = parseDocument(readFileSync(path, "utf8"));
    const settings = doc.toJS().config["muni:settings"];
    h.settings(settings);
    doc.setIn(["config", "muni:settings"], doc.createNode(settings));
    writeFileSync(path, doc.toString());
  }
  return root;
}

/** The settings of the project's stack, as the Pulumi engine would hold them. */
export function settingsOf(root: string): unknown {
  const doc = parseDocument(readFileSync(join(root, "stacks", `Pulumi.${STACK}.yaml`), "utf8"));
  return doc.toJS().config["muni:settings"];
}

/** Runs `f` with the working directory at `root` (commands find the project there). */
export async function inRoot<T>(root: string, f: () => Promise<T> | T): Promise<T> {
  const before = process.cwd();
  process.chdir(root);
  try {
    return await f();
  } finally {
    process.chdir(before);
  }
}

/** `muni validate --stack` and `muni plan` on the project, from its root. */
export async function cliRuns(root: string): Promise<{ validate: CliRun; plan: CliRun }> {
  return inRoot(root, async () => ({
    validate: await runCli(["validate", "--stack", STACK]),
    plan: await runCli(["plan", "--stack", STACK, "--out", join(root, "plan-out")]),
  }));
}

/** Removes a hostile project. */
export function removeProject(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** The diagnostic lines (file:line:col: ...) of a run's stderr. */
export function located(run: CliRun): string[] {
  return run.err.filter((l) => /^[^\s:]+:\d+:\d+: /.test(l));
}

/** What the program needs to be run under the mock runtime: its defineStack and the mocks' record. */
export interface ProgramUnderMocks {
  defineStack: (args: { root: string; stack: string; settings: unknown }) => unknown;
  registered: unknown[];
}

/** Waits until every registration queued so far has reached the mock monitor. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/**
 * The refusal of a hostile project by all three: `muni validate --stack` and `muni plan` exit 1 and print
 * exactly `lines` as their located diagnostics, and the program throws before registering anything, with
 * the same lines. Returns nothing: it asserts.
 */
export async function expectRefused(
  root: string,
  program: ProgramUnderMocks,
  lines: string[],
): Promise<void> {
  const { validate, plan } = await cliRuns(root);
  expect({ code: validate.code, located: located(validate) }).toStrictEqual({ code: 1, located: lines });
  expect({ code: plan.code, located: located(plan) }).toStrictEqual({ code: 1, located: lines });
  program.registered.length = 0;
  const thrown = await inRoot(root, () => {
    try {
      program.defineStack({ root, stack: STACK, settings: settingsOf(root) });
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  });
  await settle();
  expect(thrown.split("\n").filter((l) => /^[^\s:]+:\d+:\d+: /.test(l))).toStrictEqual(lines);
  expect(program.registered).toStrictEqual([]);
}

/** The project passes all three: validate and plan exit 0, the program registers. */
export async function expectAccepted(root: string, program: ProgramUnderMocks): Promise<void> {
  const { validate, plan } = await cliRuns(root);
  expect({ validate: validate.code, plan: plan.code, err: [...validate.err, ...plan.err] }).toStrictEqual({
    validate: 0,
    plan: 0,
    err: [],
  });
  program.registered.length = 0;
  await inRoot(root, () => program.defineStack({ root, stack: STACK, settings: settingsOf(root) }));
  await settle();
  expect(program.registered.length).toBeGreaterThan(0);
}

/** `file:line:col` of the first occurrence of `needle` in a project file (column of its first character). */
export function positionOf(root: string, file: string, needle: string): string {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return `${file}:${i + 1}:${lines[i]!.indexOf(needle) + 1}`;
}

/**
 * `stacks/Pulumi.lodz-staging.yaml:L:C` of a setting (path under `muni:settings`) in the staging stack file
 * of `root` (default: the repository's, which hostile projects copy): messages that point at a setting are asserted without
 * hard-coding where the file happens to hold it.
 */
export function settingAt(path: ReadonlyArray<string | number>, root = join(__dirname, "..", "..")): string {
  const file = `stacks/Pulumi.${STACK}.yaml`;
  const parsed = readYamlFile(join(root, file));
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  const { line, col } = parsed.source.locate([...SETTINGS_PATH, ...path]);
  return `${file}:${line}:${col}`;
}

/**
 * The hostile suites' set-up, called at the top of a test file: the Pulumi mocks installed for STACK
 * before the program is imported (in a beforeAll), the program under them, and throw-away projects
 * (`project(setup)`, hostileProject) removed after the file.
 */
export function hostileSuite(): {
  program: ProgramUnderMocks;
  project: (setup: HostileSetup) => string;
} {
  const mocks = installMocks(STACK);
  let define: ProgramUnderMocks["defineStack"] | undefined;
  beforeAll(async () => {
    define = (await import("../../infra/7-program/stack")).defineStack;
  });
  const roots: string[] = [];
  afterAll(() => roots.forEach(removeProject));
  return {
    program: {
      defineStack: (args) => {
        if (!define)
          throw new Error("hostileSuite: the program is imported in beforeAll; call it from a test");
        return define(args);
      },
      registered: mocks.registered,
    },
    project: (setup) => {
      const root = hostileProject(setup);
      roots.push(root);
      return root;
    },
  };
}
