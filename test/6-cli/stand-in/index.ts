/**
 * The stand-in `pulumi` executable (pulumi-cli.js) put first on PATH for a test: the real Pulumi CLI cannot be
 * had on this machine, so the orchestration is tested against this recorder, which answers as the CLI does.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { tempDir } from "../../helpers/manifests";

const REPO = join(__dirname, "..", "..", "..");

/** One recorded call of the stand-in. */
export interface Call {
  argv: string[];
  cwd: string;
  /** PULUMI_BACKEND_URL as the CLI saw it. */
  backend?: string;
  /** The first entry of PATH the CLI (and so the program it would start) saw. */
  firstPath: string;
  time: number;
}

/** A stack the stand-in's "backend" holds. */
export interface StandInStack {
  secretsProvider: string;
  resources: string[];
  updates?: number;
}

/** How the stand-in answers one stack's preview or up. */
export interface Answer {
  steps?: Array<{ op: string; type: string; name: string }>;
  changes?: Record<string, number>;
  same?: number;
  /** The program's error (a diagnostic event, exit 255). */
  error?: string;
  delayMs?: number;
}

export interface Scenario {
  [stack: string]: {
    preview?: Answer;
    up?: Answer;
    outputs?: Record<string, unknown>;
    secretOutputs?: string[];
  };
}

export interface StandIn {
  dir: string;
  calls(): Call[];
  stacks(): Record<string, StandInStack>;
  setStacks(s: Record<string, StandInStack>): void;
  setScenario(s: Scenario): void;
  /** Takes the stand-in off PATH and restores the environment. */
  restore(): void;
}

export function installStandIn(version = "3.270.0"): StandIn {
  const dir = tempDir(`muni-pulumi-stand-in-${process.pid}-`);
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const script = readFileSync(join(__dirname, "pulumi-cli.js"), "utf8");
  writeFileSync(join(bin, "pulumi"), `#!${process.execPath}\n${script}`);
  chmodSync(join(bin, "pulumi"), 0o755);
  const saved = {
    PATH: process.env.PATH,
    d: process.env.STANDIN_DIR,
    r: process.env.STANDIN_REPO,
    v: process.env.STANDIN_VERSION,
  };
  process.env.PATH = `${bin}${delimiter}${process.env.PATH}`;
  process.env.STANDIN_DIR = dir;
  process.env.STANDIN_REPO = REPO;
  process.env.STANDIN_VERSION = version;
  const json = <T>(f: string, d: T): T =>
    existsSync(join(dir, f)) ? (JSON.parse(readFileSync(join(dir, f), "utf8")) as T) : d;
  return {
    dir,
    calls: () =>
      existsSync(join(dir, "calls.jsonl"))
        ? readFileSync(join(dir, "calls.jsonl"), "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Call)
        : [],
    stacks: () => json("stacks.json", {}),
    setStacks: (s) => writeFileSync(join(dir, "stacks.json"), JSON.stringify(s)),
    setScenario: (s) => writeFileSync(join(dir, "scenario.json"), JSON.stringify(s)),
    restore: () => {
      rmSync(dir, { recursive: true, force: true });
      process.env.PATH = saved.PATH;
      for (const [k, v] of [
        ["STANDIN_DIR", saved.d],
        ["STANDIN_REPO", saved.r],
        ["STANDIN_VERSION", saved.v],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    },
  };
}
