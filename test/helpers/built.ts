/** The compiled CLI (dist/), rebuilt when any source under infra/ is newer, once even with parallel jest workers. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(__dirname, "..", "..");
/** The project's own Node 24 (the `node` devDependency). */
export const NODE = join(REPO, "node_modules", ".bin", "node");
/** The launcher npm links as node_modules/.bin/muni. */
export const MUNI_JS = join(REPO, "bin", "muni.js");

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith(".ts") ? statSync(p).mtimeMs : 0);
  }
  return t;
}

function stale(): boolean {
  const main = join(REPO, "dist", "infra", "6-cli", "main.js");
  return !existsSync(main) || statSync(main).mtimeMs < newest(join(REPO, "infra"));
}

/** Builds dist/ if it is older than the sources; a lock directory keeps parallel workers from building at once. */
export function ensureBuilt(): void {
  if (!stale()) return;
  mkdirSync(join(REPO, "dist"), { recursive: true });
  const lock = join(REPO, "dist", ".build-lock");
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for 3 minutes: remove it if no build runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (stale()) {
      const r = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
    }
  } finally {
    rmdirSync(lock);
  }
}
