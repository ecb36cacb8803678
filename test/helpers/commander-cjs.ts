/**
 * commander 15 is ESM-only, and jest's module loader can require() an ES module only when node runs with
 * --experimental-vm-modules (which `npm test` does not pass). For in-process CLI tests, this compiles
 * commander's files to CommonJS in memory, and `jest.mock("commander", ...)` hands that copy to the CLI.
 * Delete it once jest runs with ESM support (or transforms node_modules/commander).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as ts from "typescript";

export function loadCommanderAsCjs(): unknown {
  const cache = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const hit = cache.get(file);
    if (hit) return hit.exports;
    const mod = { exports: {} as unknown };
    cache.set(file, mod);
    const js = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    const req = (id: string): unknown => (id.startsWith(".") ? load(join(dirname(file), id)) : require(id));
    new Function("require", "module", "exports", js)(req, mod, mod.exports);
    return mod.exports;
  };
  return load(require.resolve("commander"));
}
