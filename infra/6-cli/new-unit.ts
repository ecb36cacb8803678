import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { SERVICE_NAMES } from "../1-model";
import { type Diagnostic, sortDiagnostics } from "../2-manifest/diagnostics";
import { displayPath, listStacks, loadStack } from "../2-manifest/stack";
import { loadUnits, unitSchemaValidator } from "../2-manifest/units";
import { parseYaml } from "../2-manifest/yaml-source";
import { checkUnit, crossCheck, locateFindings, locator, sourcesOf } from "../3-rules";
import { manifestText, type NewUnitAnswers, parseIdentity, parseServices } from "./scaffold";
import { type CliIO, EXIT, paint, printDiagnostics, UsageError } from "./io";
import { projectRootOf } from "./project";

/** Asks one question; the default is taken on an empty answer. */
export type Prompter = (question: string, def?: string) => Promise<string>;

export interface NewUnitOptions {
  id?: string;
  name?: string;
  shortName?: string;
  street?: string;
  postalCode?: string;
  city?: string;
  costCentre?: string;
  admin?: string[];
  opsLead?: string[];
  state?: string;
  wave?: string;
  services?: string;
  mailDomain?: string;
  site?: string;
  printQueue?: string;
  printLocation?: string;
  printUri?: string;
  dir?: string;
  stack?: string;
  root?: string;
}

interface Field {
  key: keyof NewUnitOptions;
  flag: string;
  question: string;
  def?: (o: NewUnitOptions) => string | undefined;
  list?: boolean;
}

/** Required answers, in the order they are asked. */
const FIELDS: Field[] = [
  {
    key: "id",
    flag: "--id",
    question: "Unit id (DNS label, e.g. mops; becomes the namespace, never changes)",
  },
  { key: "name", flag: "--name", question: "Official name" },
  {
    key: "shortName",
    flag: "--short-name",
    question: "Short name or acronym",
    def: (o) => o.id?.toUpperCase(),
  },
  { key: "street", flag: "--street", question: "Street and number" },
  { key: "postalCode", flag: "--postal-code", question: "Postal code (NN-NNN)" },
  { key: "city", flag: "--city", question: "City", def: () => "Łódź" },
  {
    key: "costCentre",
    flag: "--cost-centre",
    question: "Cost centre",
    def: (o) => (o.id ? `MPK-${o.id.toUpperCase()}-01` : undefined),
  },
  {
    key: "admin",
    flag: "--admin",
    question: "Local administrators (kind:name, comma-separated; kind user or group)",
    def: (o) => (o.id ? `group:${o.id}-administratorzy` : undefined),
    list: true,
  },
  {
    key: "opsLead",
    flag: "--ops-lead",
    question: "Operations leads (kind:name, comma-separated)",
    def: (o) => (o.id ? `group:${o.id}-koordynatorzy-it` : undefined),
    list: true,
  },
  {
    key: "services",
    flag: "--services",
    question: `Services (comma-separated from ${SERVICE_NAMES.join(", ")}; empty for none)`,
    def: () => "",
  },
];

/**
 * `muni new-unit`: writes units/<id>.yaml from flags (and, on a terminal, prompts for what is missing),
 * with the schema modeline; validates it with the loader and against the existing units before writing.
 * Exit 0 written, 1 the answers make an invalid manifest (located errors, nothing written), 2 a missing
 * flag without a terminal, a bad flag, or a file that exists.
 */
export async function runNewUnit(io: CliIO, opts: NewUnitOptions, prompt?: Prompter): Promise<number> {
  const root = projectRootOf(opts.root);
  const o: NewUnitOptions = { ...opts };
  for (const f of FIELDS) {
    const have = f.list ? (o[f.key] as string[] | undefined)?.length : o[f.key] !== undefined;
    if (have) continue;
    const def = f.def?.(o);
    if (prompt) {
      const answer = (await prompt(f.question, def)).trim() || def || "";
      (o as Record<string, unknown>)[f.key] = f.list
        ? answer
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : answer;
    } else if (f.key === "services" || f.key === "shortName" || f.key === "city" || f.key === "costCentre") {
      if (def !== undefined) (o as Record<string, unknown>)[f.key] = def;
    }
  }
  const missing = FIELDS.filter((f) =>
    f.list ? !(o[f.key] as string[] | undefined)?.length : !o[f.key],
  ).filter((f) => f.key !== "services");
  if (missing.length)
    throw new UsageError(
      `new-unit needs ${missing.map((f) => f.flag).join(", ")} (or run it in a terminal to be asked)`,
    );
  const { services, unknown } = parseServices(o.services ?? "");
  if (unknown.length)
    throw new UsageError(
      `--services: unknown service ${unknown.map((u) => `"${u}"`).join(", ")} (choose from ${SERVICE_NAMES.join(", ")})`,
    );
  for (const who of [...o.admin!, ...o.opsLead!])
    if (!parseIdentity(who))
      throw new UsageError(
        `"${who}" is not kind:name (write group:mops-administratorzy or user:jan.kowalski@mops.lodz.pl)`,
      );
  if (services.includes("print")) {
    if (prompt) {
      o.printQueue ??= (await prompt("Print queue name", "sekretariat")).trim();
      o.printLocation ??= (await prompt("Where the printer stands")).trim();
      o.printUri ??= (await prompt("Printer device URI (ipp://, ipps://, socket:// or lpd://)")).trim();
    }
    if (!o.printLocation || !o.printUri)
      throw new UsageError(
        "service print needs --print-location and --print-uri (and optionally --print-queue, default sekretariat)",
      );
  }
  const state = o.state ?? "planned";
  if (state !== "planned" && state !== "active")
    throw new UsageError(`--state ${state}: a new unit starts planned or active`);
  const wave = Number(o.wave ?? "1");
  if (!Number.isInteger(wave))
    throw new UsageError(`--wave ${o.wave}: give a whole number (the onboarding wave)`);

  const answers: NewUnitAnswers = {
    id: o.id!,
    name: o.name!,
    shortName: o.shortName!,
    street: o.street!,
    postalCode: o.postalCode!,
    city: o.city!,
    costCentre: o.costCentre!,
    admins: o.admin!,
    opsLeads: o.opsLead!,
    state,
    wave,
    services,
    ...(o.mailDomain ? { mailDomain: o.mailDomain } : {}),
    ...(o.site ? { siteHostname: o.site } : {}),
    ...(services.includes("print")
      ? {
          printQueue: {
            name: o.printQueue || "sekretariat",
            location: o.printLocation!,
            deviceUri: o.printUri!,
          },
        }
      : {}),
  };
  const stackName = o.stack ?? (listStacks(root).includes("lodz-prod") ? "lodz-prod" : listStacks(root)[0]);
  const stack = stackName ? loadStack(root, stackName).stack : undefined;
  const suffixes = {
    mail: stack?.settings.dnsSuffixes.mail[0] ?? "lodz.pl",
    sites: stack?.settings.dnsSuffixes.sites[0] ?? "lodz.pl",
  };
  const dir = o.dir ?? join(root, stack?.settings.units.directories[0] ?? "units");
  const file = displayPath(join(dir, `${answers.id}.yaml`));
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(answers.id))
    throw new UsageError(
      `--id "${answers.id}": an id is a DNS label (lower-case letters, digits and dashes, starting with a letter), e.g. mops`,
    );
  if (existsSync(file))
    throw new UsageError(
      `${file} exists: new-unit never overwrites a manifest (edit it, or choose another id)`,
    );

  const text = manifestText(answers, suffixes);
  const problems = validate(file, text, dir);
  if (problems.length) {
    printDiagnostics(io, problems);
    io.err(
      paint(
        io,
        "red",
        `muni new-unit: the manifest would be invalid (${problems.length} problem(s)); nothing written`,
      ),
    );
    return EXIT.invalid;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text, { flag: "wx" });
  io.out(
    paint(
      io,
      "green",
      `wrote ${file}: unit ${answers.id} (${state}, wave ${wave}${services.length ? `, services ${services.join(", ")}` : ""})`,
    ),
  );
  const ids = stack?.settings.units.ids;
  if (stack && ids && !ids.includes(answers.id))
    io.out(`stack ${stack.name} selects units by id: add ${answers.id} to units.ids in ${stack.file}`);
  io.out(`next: review ${file}, then npx muni plan --base origin/main`);
  return EXIT.ok;
}

/** The new manifest through the loader's own checks, and against every existing unit beside it. */
function validate(file: string, text: string, dir: string): Diagnostic[] {
  const parsed = parseYaml(file, new TextEncoder().encode(text));
  if (!parsed.ok) return parsed.diagnostics;
  const { value, diagnostics } = unitSchemaValidator().validate(parsed.source, parsed.value);
  if (!value) return diagnostics;
  const mine = { file, source: parsed.source, unit: value };
  const existing = existsSync(dir) ? loadUnits([dir]).units : [];
  const all = [...existing, mine];
  const sources = sourcesOf(undefined, all);
  const across = crossCheck(all, locator(sources)).filter((f) => f.file === file);
  return sortDiagnostics(locateFindings([...checkUnit(mine), ...across], sources));
}

/** Questions on the terminal (node:readline/promises). */
export function terminalPrompter(): { prompt: Prompter; close: () => void } {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return {
    prompt: async (q, def) => {
      return rl.question(`${q}${def ? ` [${def}]` : ""}: `);
    },
    close: () => rl.close(),
  };
}

const collect = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
];

export function registerNewUnit(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("new-unit")
    .description(
      "scaffold units/<id>.yaml (schema modeline included) from flags, or prompts on a terminal; validated before it is written",
    )
    .option("--id <id>", "unit id: a DNS label, the namespace and the file name; never changes")
    .option("--name <name>", "official name")
    .option("--short-name <short>", "short name or acronym (default: the id in capitals)")
    .option("--street <street>", "street and number")
    .option("--postal-code <code>", "postal code, NN-NNN")
    .option("--city <city>", "city (default Łódź)")
    .option("--cost-centre <cc>", "cost centre (default MPK-<ID>-01)")
    .option(
      "--admin <kind:name>",
      "local administrator, user:NAME or group:NAME (repeatable, or comma-separated)",
      collect,
    )
    .option(
      "--ops-lead <kind:name>",
      "operations lead, user:NAME or group:NAME (repeatable, or comma-separated)",
      collect,
    )
    .option("--services <list>", `comma-separated services: ${SERVICE_NAMES.join(", ")}`)
    .option("--state <state>", "planned (default) or active")
    .option("--wave <n>", "onboarding wave (default 1)")
    .option("--mail-domain <domain>", "mail domain (default <id>.<the stack's first mail suffix>)")
    .option("--site <hostname>", "web site hostname (default <id>.<the stack's first site suffix>)")
    .option("--print-queue <name>", "print queue name (default sekretariat)")
    .option("--print-location <text>", "where the printer stands (needed with print)")
    .option("--print-uri <uri>", "printer device URI (needed with print)")
    .option("--dir <dir>", "where to write (default: the stack's first units directory)")
    .option("--stack <stack>", "stack whose DNS suffixes and units directory apply (default lodz-prod)")
    .option("--root <dir>", "project root (the folder of Pulumi.yaml)")
    .action(async (opts: NewUnitOptions) => {
      const terminal = process.stdin.isTTY && process.stdout.isTTY ? terminalPrompter() : undefined;
      try {
        done(await runNewUnit(io, opts, terminal?.prompt));
      } finally {
        terminal?.close();
      }
    });
}
