/**
 * The Pulumi Automation API, the one place muni drives the Pulumi CLI from (.dependency-cruiser.cjs lets only this
 * folder import `@pulumi/pulumi/automation`; the commands load it lazily, so the others stay fast).
 * LocalWorkspace on the repository (workDir = the project root), the city's state backend and secrets provider,
 * the CLI version pinned in .pulumi.version, and the program run by the same Node.js as muni.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import {
  type EngineEvent,
  LocalWorkspace,
  type LocalWorkspaceOptions,
  type OutputMap,
  PulumiCommand,
} from "@pulumi/pulumi/automation";
import { UsageError } from "../io";
import type { RunOne, StackResult } from "./orchestrate";

/** Where and how the city's stacks run. */
export interface PulumiEnv {
  /** Project root: the LocalWorkspace's workDir (Pulumi.yaml, stacks/). */
  root: string;
  /** State backend URL (settings pulumi.backend), given to the CLI as PULUMI_BACKEND_URL. */
  backend: string;
  /** Secrets provider new stacks are created with (settings pulumi.secretsProvider). */
  secretsProvider: string;
  /** The CLI version .pulumi.version pins. */
  pulumiVersion: string;
}

/** The environment every CLI call gets: the backend, and this Node.js first on PATH (Pulumi runs the program with the first `node`). */
export function cliEnv(env: Pick<PulumiEnv, "backend">): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: env.backend,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
  };
}

/** The `pulumi` on PATH, refused (usage error) when missing or not the version .pulumi.version pins. */
export async function pinnedCli(version: string): Promise<PulumiCommand> {
  let cmd: PulumiCommand;
  try {
    cmd = await PulumiCommand.get({ skipVersionCheck: true });
  } catch {
    throw new UsageError(
      `no pulumi CLI on PATH: install ${version}, the version .pulumi.version pins (curl -fsSL https://get.pulumi.com | sh -s -- --version ${version}; README, "Deploying")`,
    );
  }
  const found = cmd.version?.version;
  if (found !== version)
    throw new UsageError(
      `the pulumi CLI on PATH is ${found ?? "of an unknown version"}, but .pulumi.version pins ${version}: install that version (curl -fsSL https://get.pulumi.com | sh -s -- --version ${version}) or change .pulumi.version in a pull request`,
    );
  return cmd;
}

function workspaceOptions(env: PulumiEnv, cmd: PulumiCommand): LocalWorkspaceOptions {
  return { pulumiCommand: cmd, secretsProvider: env.secretsProvider, envVars: cliEnv(env) };
}

/** The first located muni problem (`file:line:col: ...`) or first line of an error text. */
export function firstProblem(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /^\S+:\d+:\d+: /.test(l)) ?? lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "";
}

/**
 * Runs `preview` or `up` on one stack (created with the city's secrets provider when it does not exist yet),
 * following its engine events for the progress line; with `eventsDir`, the events are kept as
 * `<stack>.jsonl` (the stream `muni drift` reads).
 */
export function stackRunner(
  env: PulumiEnv,
  cmd: PulumiCommand,
  verb: "preview" | "up",
  opts: { refresh?: boolean; expectNoChanges?: boolean; eventsDir?: string } = {},
): RunOne {
  return async (stackName, progress): Promise<StackResult> => {
    const started = Date.now();
    const events: EngineEvent[] = [];
    let steps = 0;
    let changes: Record<string, number> = {};
    const errors: string[] = [];
    const onEvent = (e: EngineEvent) => {
      events.push(e);
      if (e.resourcePreEvent) {
        steps++;
        const m = e.resourcePreEvent.metadata;
        progress(
          `${steps} step${steps === 1 ? "" : "s"} · ${m.op} ${m.urn.slice(m.urn.lastIndexOf("::") + 2)}`,
        );
      }
      if (e.diagnosticEvent?.severity === "error") errors.push(e.diagnosticEvent.message);
      if (e.summaryEvent) changes = { ...e.summaryEvent.resourceChanges } as Record<string, number>;
    };
    let failure: string | undefined;
    try {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, workDir: env.root },
        workspaceOptions(env, cmd),
      );
      progress("running");
      if (verb === "preview") await stack.preview({ onEvent, ...(opts.refresh ? { refresh: true } : {}) });
      else await stack.up({ onEvent, ...(opts.refresh ? { refresh: true } : {}) });
    } catch (e) {
      failure = firstProblem(errors.join("\n")) || firstProblem((e as Error).message);
    }
    if (opts.eventsDir) {
      mkdirSync(opts.eventsDir, { recursive: true });
      writeFileSync(
        join(opts.eventsDir, `${stackName}.jsonl`),
        events.map((e) => `${JSON.stringify(e)}\n`).join(""),
      );
    }
    delete changes.same;
    const changed = Object.values(changes).some((n) => n > 0);
    const seconds = (Date.now() - started) / 1000;
    if (failure !== undefined)
      return { stack: stackName, status: "failed", changes, message: failure, seconds, code: 1 };
    const status = verb === "preview" && changed ? "changes" : "ok";
    return {
      stack: stackName,
      status,
      changes,
      seconds,
      code: status === "changes" && opts.expectNoChanges ? 1 : 0,
    };
  };
}

/** The outputs of an existing stack (`pulumi stack output --json`, secrets shown), or why they cannot be had. */
export async function stackOutputs(
  env: PulumiEnv,
  cmd: PulumiCommand,
  stackName: string,
): Promise<OutputMap> {
  const stack = await LocalWorkspace.selectStack(
    { stackName, workDir: env.root },
    workspaceOptions(env, cmd),
  );
  return stack.outputs();
}

/** Whether a stack exists on the backend; created (with the secrets provider) when `create` and it does not. */
export async function ensureStack(env: PulumiEnv, cmd: PulumiCommand, stackName: string): Promise<void> {
  await LocalWorkspace.createOrSelectStack({ stackName, workDir: env.root }, workspaceOptions(env, cmd));
}

/** The URNs in a stack's state (`pulumi stack export`); rejects when the stack does not exist. */
export async function stateUrns(env: PulumiEnv, cmd: PulumiCommand, stackName: string): Promise<string[]> {
  const ws = await LocalWorkspace.create({ ...workspaceOptions(env, cmd), workDir: env.root });
  const state = (await ws.exportStack(stackName)) as { deployment?: { resources?: Array<{ urn: string }> } };
  return (state.deployment?.resources ?? []).map((r) => r.urn);
}

/** Runs the CLI with arguments the Automation API has no method for (`pulumi state move`); resolves to its output. */
export function runCli(
  env: PulumiEnv,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "pulumi",
      [...args, "--non-interactive"],
      { cwd: env.root, env: { ...process.env, ...cliEnv(env) }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
