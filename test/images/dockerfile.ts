import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// What the image tests read in a Dockerfile and ask this machine's dpkg (issue 14.1).

export const ROOT = join(__dirname, "..", "..");
export const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

/** The packages a Dockerfile's `apt-get install` names, sorted. */
export function installed(dockerfile: string): string[] {
  const run = /apt-get install[^\n]*\\\n([\s\S]*?)(&&|\n[^ ])/.exec(
    dockerfile.replace(/\\\n\s*/g, "\\\n"),
  )?.[1];
  return (run ?? "")
    .replace(/\\\n/g, " ")
    .split(/\s+/)
    .filter((w) => /^[a-z0-9][-a-z0-9.+]+$/.test(w))
    .sort();
}

/** A Dockerfile instruction's JSON (exec-form) argv: `CMD [...]`, `HEALTHCHECK ... CMD [...]`. */
export function execForm(dockerfile: string, instruction: "CMD" | "HEALTHCHECK"): string[] {
  const line = new RegExp(`^${instruction} (?:.*? CMD )?(\\[.*\\])$`, "m").exec(dockerfile);
  if (!line) throw new Error(`the Dockerfile has no exec-form ${instruction} line`);
  return JSON.parse(line[1]!) as string[];
}

/** `COPY <source> <target>` lines, as [source, target]. */
export function copies(dockerfile: string): [string, string][] {
  return [...dockerfile.matchAll(/^COPY (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]);
}

/**
 * The Debian package that ships a file on this machine (dpkg -S), under the name given or its
 * merged-/usr alias (dash ships /bin/sh, which PATH finds as /usr/bin/sh); a diversion is not an owner.
 */
export function packageOf(path: string): string {
  const alias = path.replace(/^\/usr\/(s?bin|lib)\//, "/$1/");
  for (const p of [path, alias]) {
    const r = spawnSync("dpkg", ["-S", p], { encoding: "utf8" });
    // (dpkg -S lists a diversion of the path first: "diversion by dash from: /bin/sh")
    const owner = r.stdout.split("\n").find((l) => l && !l.startsWith("diversion by "));
    if (r.status === 0 && owner) return owner.split(":")[0]!;
  }
  throw new Error(`dpkg -S: no package ships ${path} (nor ${alias}) on this machine`);
}

/** Whether a package is Essential (in every Debian system, the base image too: sh, coreutils...). */
export function essential(pkg: string): boolean {
  return execFileSync("dpkg-query", ["-W", "-f=${Essential}", pkg], { encoding: "utf8" }) === "yes";
}

/** The PATH of a container of a Debian image (and of the pod runner's containers). */
const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Where a command name resolves on the image's PATH (`command -v`); undefined for a shell builtin. */
export function which(name: string): string | undefined {
  const r = spawnSync("sh", ["-c", 'command -v "$1"', "sh", name], {
    encoding: "utf8",
    env: { PATH: IMAGE_PATH },
  });
  const path = r.stdout.trim();
  if (r.status !== 0) throw new Error(`${name} is neither on PATH nor a shell builtin here`);
  return path.startsWith("/") ? path : undefined;
}

/** The argv of each simple command of a `sh -c` script (quotes honoured; split at &&, ||, ;, |). */
export function simpleCommands(script: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) commands.at(-1)!.push(word);
    word = undefined;
  };
  for (const m of script.matchAll(/'([^']*)'|"([^"]*)"|(&&|\|\||[;|\n])|(\s+)|([^\s'";|&]+)/g)) {
    if (m[3]) {
      end();
      commands.push([]);
    } else if (m[4]) end();
    else word = (word ?? "") + (m[1] ?? m[2] ?? m[5]);
  }
  end();
  return commands.filter((c) => c.length > 0);
}

/** The programs a Python script runs itself (`subprocess.*(["program", ...`). */
export function scriptPrograms(source: string): string[] {
  return [...source.matchAll(/subprocess\.\w+\(\s*\[\s*"([^"]+)"/g)].map((m) => m[1]!);
}

/** The packages of `pkgs` that .ci/install-system-packages does not install (the pod tests use the host's). */
export function missingFromCi(pkgs: readonly string[]): string[] {
  const ci = read(".ci/install-system-packages");
  return pkgs.filter((p) => !new RegExp(`[( ]${p.replace(/[.+]/g, "\\$&")}[ )\\n]`).test(ci));
}
