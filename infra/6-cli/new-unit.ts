import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { liveWaves, type Unit } from "../1-model";
import { displayPath, type LoadedStack, listStacks, loadStack } from "../2-manifest/stack";
import { cachedUnitSets, stackDirectories } from "../3-rules/project";
import { notProvisionedText } from "../5-plan/report";
import { codeownersPath, suggestedOwner, withUnitLine } from "./codeowners";
import { type Extras, type InterviewContext, type Question } from "./interview";
import { CODEOWNERS_QUESTION, SERVICE_QUESTIONS } from "./interview-services";
import { UNIT_QUESTIONS } from "./interview-unit";

/** Every question of new-unit, in the order asked. */
export const QUESTIONS: readonly Question[] = [...UNIT_QUESTIONS, ...SERVICE_QUESTIONS, CODEOWNERS_QUESTION];
import { type CliIO, EXIT, paint, printDiagnostics, UsageError } from "./io";
import { LEDGER_FIX } from "./ledger";
import { UnitChecker, type StackVerdict } from "./new-unit-check";
import { projectRootOf } from "./project";
import { Interrupted, type Prompter, terminalPrompter } from "./prompter";
import { type Draft, manifestText } from "./scaffold";

/** Flags of `muni new-unit`: one per question (camel-cased), plus where to write. */
export interface NewUnitOptions {
  [flag: string]: string | string[] | undefined;
  /** Where to write (default: the first stack's first units directory). */
  dir?: string;
  /** Project root (the folder with Pulumi.yaml); default: found from the working directory up. */
  root?: string;
}

/** Questions whose flag may repeat, each occurrence one more item (a mailbox, a VM, a queue, a site). */
const isRepeat = (q: Question) => q.repeat !== undefined;
/** Questions answered by a comma list, whose flag may also repeat (the values are joined). */
const COMMA_FLAGS = new Set([
  "--admin",
  "--ops-lead",
  "--label",
  "--services",
  "--finance-modules",
  "--codeowners",
]);

/** `--postal-code` → `postalCode`, as commander names the option. */
const optionKey = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * `muni new-unit`: asks for everything a unit needs (identity, roles, lifecycle, each chosen service
 * with its billable quantities, and who reviews it), checking each answer on the spot with the schema,
 * the rules and every stack that takes the unit, and asking again with the located problem; or takes the
 * answers from flags (without a terminal, every required one must be given). Then writes
 * `units/<id>.yaml`, adds the unit's CODEOWNERS line and says what happens next. Nothing is invented:
 * a billable quantity is asked for, or its service is left out. Exit 0 written; 1 the answers make an
 * invalid manifest (flags: located errors, nothing written); 2 a missing or unreadable flag, or an id
 * whose manifest exists; 130 interrupted (Ctrl+C or end of input), nothing written.
 */
export async function runNewUnit(io: CliIO, opts: NewUnitOptions, prompt?: Prompter): Promise<number> {
  const root = projectRootOf(opts.root);
  const stacks = listStacks(root)
    .map((name) => loadStack(root, name).stack)
    .filter((s): s is LoadedStack => s !== undefined);
  const dir =
    opts.dir ?? (stacks[0] ? stackDirectories(root, stacks[0])[0]! : displayPath(join(root, "units")));
  const checker = new UnitChecker(root, dir, stacks, cachedUnitSets());
  const ownersFile = join(root, "CODEOWNERS");
  const ownersText = existsSync(ownersFile) ? readFileSync(ownersFile, "utf8") : undefined;
  const ctx: InterviewContext = {
    suffixes: {
      mail: stacks[0]?.settings.dnsSuffixes.mail[0] ?? "lodz.pl",
      sites: stacks[0]?.settings.dnsSuffixes.sites[0] ?? "lodz.pl",
    },
    wavesHint: wavesHint(stacks),
    images: [...new Set(stacks.flatMap((s) => Object.keys(s.settings.vm.images)))].sort(),
    exists: (id) => {
      const file = checker.fileOf({ id });
      return existsSync(file)
        ? `${file} exists: new-unit never overwrites a manifest (edit it, or choose another id)`
        : undefined;
    },
    ...(ownersText !== undefined ? { owners: (id: string) => suggestedOwner(ownersText, id) } : {}),
  };
  let result: Interviewed;
  try {
    result = prompt ? await askAll(io, prompt, checker, ctx, opts) : fromFlags(opts, ctx);
  } catch (e) {
    if (!(e instanceof Interrupted)) throw e;
    io.err("");
    io.err(paint(io, "yellow", "muni new-unit: interrupted; nothing written"));
    return EXIT.interrupted;
  }
  const { draft, extras } = result;
  const file = checker.fileOf(draft);
  const problems = checker.problems(draft);
  if (problems.length) {
    printDiagnostics(io, problems);
    io.err(
      paint(
        io,
        "red",
        `muni new-unit: ${file} would be invalid (${problems.length} problem(s)); nothing written`,
      ),
    );
    return EXIT.invalid;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, manifestText(draft), { flag: "wx" });
  const unit = draft as unknown as Unit;
  const services = Object.keys((draft.services as object | undefined) ?? {});
  io.out(
    paint(
      io,
      "green",
      `wrote ${file}: unit ${unit.id} (${unit.lifecycle.state}, wave ${unit.lifecycle.wave}${services.length ? `; services ${services.join(", ")}` : ""})`,
    ),
  );
  if (ownersText !== undefined && extras.owners) {
    const owners = withUnitLine(ownersText, codeownersPath(relative(root, resolve(file))), extras.owners);
    if (owners.added) writeFileSync(ownersFile, owners.text);
    io.out(`${owners.added ? "added to" : "already in"} ${displayPath(ownersFile)}: ${owners.line}`);
  }
  for (const line of nextSteps(
    unit,
    file,
    checker.verdicts({ ...unit, labels: unit.labels ?? {} }),
    ownersText !== undefined,
  ))
    io.out(line);
  return EXIT.ok;
}

interface Interviewed {
  draft: Draft;
  extras: Extras;
}

/**
 * Every question on the terminal, in order. Each answer goes into a copy of the draft, which the schema,
 * the rules and the stacks check; an answer that cannot be read, or that brings a problem, is shown
 * with the problem (located in the file to be) and asked again. Nothing is kept of a wrong answer.
 */
async function askAll(
  io: CliIO,
  prompt: Prompter,
  checker: UnitChecker,
  ctx: InterviewContext,
  opts: NewUnitOptions = {},
): Promise<Interviewed> {
  let draft: Draft = {};
  let extras: Extras = { services: [] };
  let before = { draft, problems: checker.problems(draft) };
  io.err(
    `New unit: every answer is checked as you give it (schema, rules${checker.stackNames().length ? `, stacks ${checker.stackNames().join(", ")}` : ""}); Ctrl+C stops without writing anything.`,
  );
  for (const q of QUESTIONS) {
    if (q.when && !q.when(draft, extras, ctx)) continue;
    // Answers given as flags are taken first (checked like typed ones); a repeated question then ends.
    const preset = flagAnswers(q, opts);
    for (let item = 0; ;) {
      const def = q.def?.(draft, ctx);
      const given = preset.shift();
      const typed = given ?? (await prompt(q.text(draft, ctx), def)).trim();
      const answer = typed || def || "";
      if (given) io.err(`${q.text(draft, ctx)}: ${given} (${q.flag})`);
      if (answer === "") {
        const min = q.repeat?.min(draft);
        if ((min !== undefined && item >= min) || (min === undefined && q.optional)) break;
        io.err(paint(io, "red", min ? `at least ${min} needed here` : "an answer is needed here"));
        continue;
      }
      const next = structuredClone(draft);
      const nextExtras: Extras = { ...extras };
      const path = q.path(draft, item);
      const form = q.apply(next, answer, item, nextExtras, ctx);
      if (form) {
        io.err(paint(io, "red", form));
        continue;
      }
      const found = checker.problemsOf(next, before, path);
      if (found.length) {
        printDiagnostics(io, found);
        continue;
      }
      draft = next;
      extras = nextExtras;
      before = { draft, problems: checker.problems(draft) };
      if (!q.repeat) break;
      item++;
    }
  }
  return { draft, extras };
}

/**
 * The answers a question's flag gives, in order; for a repeated question whose flag was given, then one
 * empty answer (the list ends there), then nothing (the terminal asks, should an item have been wrong).
 */
function flagAnswers(q: Question, opts: NewUnitOptions): { shift(): string | undefined } {
  const raw = opts[optionKey(q.flag)];
  const given = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const queue = isRepeat(q)
    ? [...given, ...(given.length ? [""] : [])]
    : given.length
      ? [COMMA_FLAGS.has(q.flag) ? given.join(",") : given.at(-1)!]
      : [];
  return { shift: () => queue.shift() };
}

/**
 * The answers from flags, as if typed: defaults where a question has one, repeated flags as repeated
 * answers. A missing required flag, or a value that cannot be read, is a usage error naming every one;
 * the schema and rules then check the whole manifest at once.
 */
function fromFlags(opts: NewUnitOptions, ctx: InterviewContext): Interviewed {
  const draft: Draft = {};
  const extras: Extras = { services: [] };
  const missing: string[] = [];
  const unreadable: string[] = [];
  for (const q of QUESTIONS) {
    if (q.when && !q.when(draft, extras, ctx)) continue;
    const raw = opts[optionKey(q.flag)];
    const given = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const answers = isRepeat(q) ? given : [COMMA_FLAGS.has(q.flag) ? given.join(",") : (given.at(-1) ?? "")];
    if (isRepeat(q) && answers.length < q.repeat!.min(draft)) missing.push(q.flag);
    answers.forEach((value, item) => {
      const answer = value.trim() || (raw === undefined ? (q.def?.(draft, ctx) ?? "") : "");
      if (answer === "") {
        if (!q.optional && !isRepeat(q)) missing.push(q.flag);
        return;
      }
      const form = q.apply(draft, answer, item, extras, ctx);
      if (form) unreadable.push(`${q.flag} ${JSON.stringify(answer)}: ${form}`);
    });
  }
  if (missing.length)
    throw new UsageError(`new-unit needs ${missing.join(", ")} (or run it in a terminal to be asked)`);
  if (unreadable.length) throw new UsageError(unreadable.join("\n"));
  return { draft, extras };
}

/** `lodz-prod takes wave 1 (and units by id), provisions wave 1; lodz-staging takes every unit, provisions every wave`. */
function wavesHint(stacks: readonly LoadedStack[]): string {
  const waves = (ws: readonly number[]) => `wave${ws.length === 1 ? "" : "s"} ${ws.join(", ")}`;
  return (
    stacks
      .map((s) => {
        const u = s.settings.units;
        const takes =
          !u.ids && !u.waves && !u.labels
            ? "takes every unit"
            : `takes ${u.waves ? waves(u.waves) : "units"}${u.ids || u.labels ? " (and others by id or labels)" : ""}`;
        const live = [...liveWaves(s.settings)].sort((a, b) => a - b);
        return `${s.name} ${takes}, provisions ${live.length === 12 ? "every wave" : waves(live)}`;
      })
      .join("; ") || "no stack yet"
  );
}

/** What happens to the unit now: the stacks that take it and why, and the steps to production. */
function nextSteps(
  unit: Unit,
  file: string,
  verdicts: readonly StackVerdict[],
  codeowners: boolean,
): string[] {
  const out = ["", "Stacks:"];
  for (const v of verdicts)
    out.push(
      v.taken
        ? `  ${v.stack} takes ${unit.id} (${v.reason}) and ${v.notProvisioned ? `does not provision it: ${notProvisionedText(v.notProvisioned).replace(/^not provisioned: /, "")}` : "provisions it once the change is deployed"}`
        : `  ${v.stack} does not take ${unit.id}: ${v.reason}`,
    );
  if (!verdicts.some((v) => v.taken))
    out.push(
      `  warning: no stack takes ${unit.id}, so it would never be deployed: give it a wave a stack takes (units.waves), or add it to a stack's units.ids`,
    );
  out.push(
    "",
    "Next:",
    `  1. Review ${file}, then check it against every stack: npx muni validate`,
    `  2. Record it in the stacks' ledgers: ${LEDGER_FIX}`,
    `  3. On a branch, commit ${file}${codeowners ? ", CODEOWNERS" : ""} and stacks/*.units.yaml, push, and open a pull request.`,
    "     CI validates it, checks the ledgers and comments each stack's plan: what the unit adds there, or why",
    `     the stack does not take it.${codeowners ? " The owners named in CODEOWNERS review it." : ""}`,
    "  4. Once it is merged, an engineer deploys each stack (README: deploying).",
  );
  return out;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerNewUnit(program: Command, io: CliIO, done: (code: number) => void): void {
  const cmd = program
    .command("new-unit")
    .description(
      "write units/<id>.yaml: asks for everything a unit needs on a terminal (each answer checked on the spot), or takes flags; adds its CODEOWNERS line",
    );
  const help: InterviewContext = {
    suffixes: { mail: "lodz.pl", sites: "lodz.pl" },
    wavesHint: "see the stacks' units.waves and lifecycle.liveWaves",
    images: [],
    exists: () => undefined,
  };
  for (const q of QUESTIONS) {
    const text = q.text({}, help);
    const repeatable = isRepeat(q) || COMMA_FLAGS.has(q.flag);
    if (repeatable)
      cmd.option(`${q.flag} <value>`, `${text}${isRepeat(q) ? " (repeat the flag)" : ""}`, collect);
    else cmd.option(`${q.flag} <value>`, text);
  }
  cmd
    .option("--dir <dir>", "where to write (default: the first stack's first units directory)")
    .option("--root <dir>", "project root (the folder of Pulumi.yaml)")
    .action(async (opts: NewUnitOptions) => {
      const terminal = process.stdin.isTTY ? terminalPrompter() : undefined;
      try {
        done(await runNewUnit(io, opts, terminal?.prompt));
      } finally {
        terminal?.close();
      }
    });
}
