/**
 * Runs one command as a separate process under GNU time and returns its wall time and peak resident
 * memory (the kernel's maximum RSS of the process, as `/usr/bin/time -f %M` reports it). The CPU time
 * includes the children the process waited for (a hook it runs, for instance).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/** GNU time, which reports the peak RSS of a child (Debian package `time`). */
export const GNU_TIME = "/usr/bin/time";

export interface Measurement {
  /** Wall time in seconds (from spawn to exit, measured here). */
  wallS: number;
  /** Peak resident set size in MiB. */
  peakMiB: number;
  /** CPU time, user + system, in seconds: what the process itself cost, less sensitive than wall time to other load on the machine. */
  cpuS: number;
  /** Exit code; -1 when killed after the timeout. */
  code: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  cwd: string;
  /** Kill the process (and its group) after this many seconds. */
  timeoutS: number;
  /** Scratch folder for the time report and captured output. */
  scratch: string;
  /** Variables added to the harness's environment. */
  env?: Record<string, string>;
}

/** Whether GNU time is installed (the harness refuses to run without it). */
export function haveGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/** Runs `node <args>` (the same Node that runs the harness) under GNU time. */
export function measureNode(args: readonly string[], opts: MeasureOptions): Promise<Measurement> {
  return measureCommand(process.execPath, args, opts);
}

/** Runs `<command> <args>` under GNU time. */
export function measureCommand(
  command: string,
  args: readonly string[],
  opts: MeasureOptions,
): Promise<Measurement> {
  const timeFile = join(opts.scratch, `time-${process.pid}-${Date.now()}.txt`);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ["-f", "%e %M %U %S", "-o", timeFile, command, ...args], {
      cwd: opts.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, NO_COLOR: "1", ...opts.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, opts.timeoutS * 1000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const wallS = Number(process.hrtime.bigint() - start) / 1e9;
      const report = existsSync(timeFile) ? readFileSync(timeFile, "utf8") : "";
      rmSync(timeFile, { force: true });
      // GNU time writes "Command exited with non-zero status N" first when the child fails.
      const m = /([0-9.]+) ([0-9]+) ([0-9.]+) ([0-9.]+)\s*$/.exec(report);
      resolve({
        wallS,
        peakMiB: m ? Number(m[2]) / 1024 : Number.NaN,
        cpuS: m ? Number(m[3]) + Number(m[4]) : Number.NaN,
        code: timedOut ? -1 : (code ?? -1),
        timedOut,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}
