/**
 * The layer rules of .dependency-cruiser.cjs (docs/architecture.md), fed deliberately bad imports in a
 * scratch tree laid out like infra/: each rule must fail, naming the offending import. `npm test` runs the
 * same configuration over the real infra/ (npm run lint:layers).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const REPO = join(__dirname, "..", "..");
const DEPCRUISE = join(REPO, "node_modules", ".bin", "depcruise");

/** Runs dependency-cruiser with the project's configuration over a scratch tree of `files`. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "muni-layers-"));
  try {
    copyFileSync(join(REPO, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", strict: true } }),
    );
    symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const r = spawnSync(DEPCRUISE, ["infra", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], {
      cwd: dir,
      encoding: "utf8",
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CLEAN = {
  "infra/1-model/unit.ts": "export const id = 1;\n",
  "infra/3-rules/check.ts": 'import { id } from "../1-model/unit";\nexport const ok = id;\n',
  "infra/4-builders/build.ts": 'import { ok } from "../3-rules/check";\nexport const built = ok;\n',
};

describe("the layer rules (dependency-cruiser)", () => {
  it("GIVEN imports that only go down the layers WHEN cruised THEN nothing is reported", () => {
    const r = cruise(CLEAN);
    expect(r.output).toContain("no dependency violations found");
    expect(r.status).toBe(0);
  });

  it("GIVEN the model importing a builder WHEN cruised THEN it fails naming that import", () => {
    const r = cruise({
      ...CLEAN,
      "infra/1-model/unit.ts": 'import { built } from "../4-builders/build";\nexport const id = built;\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("layer-1-model: infra/1-model/unit.ts → infra/4-builders/build.ts");
  });

  it("GIVEN a rule importing the plan (a sibling of a higher layer) WHEN cruised THEN it fails naming that import", () => {
    const r = cruise({
      ...CLEAN,
      "infra/5-plan/plan.ts": "export const plan = 1;\n",
      "infra/3-rules/check.ts": 'import { plan } from "../5-plan/plan";\nexport const ok = plan;\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("layer-3-rules: infra/3-rules/check.ts → infra/5-plan/plan.ts");
  });

  it("GIVEN two siblings of layer 5 importing each other WHEN cruised THEN it fails", () => {
    const r = cruise({
      ...CLEAN,
      "infra/5-report/report.ts": "export const report = 1;\n",
      "infra/5-plan/plan.ts": 'import { report } from "../5-report/report";\nexport const plan = report;\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("layer-5-plan: infra/5-plan/plan.ts → infra/5-report/report.ts");
  });

  it("GIVEN an import cycle inside one layer WHEN cruised THEN it fails naming the cycle", () => {
    const r = cruise({
      ...CLEAN,
      "infra/3-rules/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
      "infra/3-rules/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(
      /no-circular: infra\/3-rules\/a\.ts →\s+infra\/3-rules\/b\.ts →\s+infra\/3-rules\/a\.ts/,
    );
  });

  it("GIVEN a builder importing @pulumi/pulumi WHEN cruised THEN it fails: only components and the program may", () => {
    const r = cruise({
      ...CLEAN,
      "infra/4-builders/build.ts":
        'import * as pulumi from "@pulumi/pulumi";\nexport const built = pulumi.getStack;\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(
      /pulumi-only-in-components-and-program: infra\/4-builders\/build\.ts → \S*node_modules\/@pulumi\/pulumi\//,
    );
  });

  it("GIVEN a barrel re-exporting another folder WHEN cruised THEN it fails", () => {
    const r = cruise({ ...CLEAN, "infra/4-builders/index.ts": 'export * from "../1-model/unit";\n' });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("barrel-own-folder: infra/4-builders/index.ts → infra/1-model/unit.ts");
  });

  it("GIVEN the real infra/ WHEN cruised THEN it keeps every rule", () => {
    const r = spawnSync(DEPCRUISE, ["infra", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(`${r.stdout}${r.stderr}`).toContain("no dependency violations found");
    expect(r.status).toBe(0);
  });
});
