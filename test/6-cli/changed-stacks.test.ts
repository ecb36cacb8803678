import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_JOBS, previewMatrix } from "../../infra/6-cli/changed-stacks";
import { runCli } from "../helpers/manifests";
import { gitInit } from "../5-plan/project";
import { migratedRepo } from "../7-program/migrated";

/** A migrated copy of the repository in git; `change` edits, commits, and returns the preview matrix against the base. */
function project() {
  const root = migratedRepo();
  const git = gitInit(root);
  git("branch", "base");
  return {
    root,
    matrix: async (edit: () => void) => {
      git("checkout", "-q", "-B", "pr", "base");
      edit();
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", "change");
      const r = await runCli(["preview", "--changed-since", "base", "--matrix", "--root", root]);
      expect(r.code).toBe(0);
      return JSON.parse(r.out.join("")) as { include: Array<{ city: string; units: string; name: string }> };
    },
  };
}

const append = (file: string, text: string) => writeFileSync(file, readFileSync(file, "utf8") + text);

describe("muni preview --changed-since REF --matrix: the stacks a pull request touches", () => {
  const p = project();
  afterAll(() => rmSync(p.root, { recursive: true, force: true }));

  it("GIVEN a change to one unit's manifest THEN that unit's stack in every city that takes it", async () => {
    expect(await p.matrix(() => append(join(p.root, "units", "css.yaml"), "# a comment\n"))).toStrictEqual({
      include: [
        { city: "lodz-prod", units: "css", name: "lodz-prod.css" },
        { city: "lodz-staging", units: "css", name: "lodz-staging.css" },
      ],
    });
  });

  it("GIVEN a change to a city's settings THEN every stack of that city", async () => {
    expect(
      await p.matrix(() => append(join(p.root, "stacks", "Pulumi.lodz-staging.yaml"), "# x\n")),
    ).toStrictEqual({
      include: ["platform", "css", "mpu", "zzm"].map((u) => ({
        city: "lodz-staging",
        units: u,
        name: `lodz-staging.${u}`,
      })),
    });
  });

  it("GIVEN a change to the program or the pinned CLI THEN every stack of every city", async () => {
    const m = await p.matrix(() => {
      mkdirSync(join(p.root, "infra"), { recursive: true });
      writeFileSync(join(p.root, ".pulumi.version"), "3.270.0\n");
    });
    expect(m.include.map((j) => j.name)).toStrictEqual(
      ["lodz-prod", "lodz-staging"].flatMap((c) => ["platform", "css", "mpu", "zzm"].map((u) => `${c}.${u}`)),
    );
  });

  it("GIVEN one ledger entry changed THEN that unit's stack only; the platform's record changed THEN the platform's", async () => {
    const ledger = join(p.root, "stacks", "lodz-prod.units.yaml");
    expect(
      await p.matrix(() =>
        writeFileSync(
          ledger,
          readFileSync(ledger, "utf8").replace(/(  mpu:\n    state: )active/, "$1decommissioning"),
        ),
      ),
    ).toStrictEqual({ include: [{ city: "lodz-prod", units: "mpu", name: "lodz-prod.mpu" }] });
    expect(
      await p.matrix(() =>
        writeFileSync(
          ledger,
          readFileSync(ledger, "utf8").replace("platform:\n  movedFrom: lodz-prod\n", ""),
        ),
      ),
    ).toStrictEqual({ include: [{ city: "lodz-prod", units: "platform", name: "lodz-prod.platform" }] });
  });

  it("GIVEN only documentation changed THEN an empty matrix", async () => {
    expect(await p.matrix(() => writeFileSync(join(p.root, "NOTES.md"), "x\n"))).toStrictEqual({
      include: [],
    });
  });

  it("GIVEN a ref git does not know THEN a usage error naming it", async () => {
    const r = await runCli(["preview", "--changed-since", "nope", "--matrix", "--root", p.root]);
    expect([r.code, r.err[0]]).toStrictEqual([
      2,
      expect.stringMatching(
        /^muni: --changed-since nope: git cannot compare it with HEAD \(.*\); fetch the base branch/,
      ),
    ]);
  });
});

describe("muni preview --matrix (no --changed-since): every stack, the nightly drift's matrix", () => {
  it("GIVEN the repository THEN every Pulumi stack of every city, one job each", async () => {
    const r = await runCli(["preview", "--matrix"]);
    expect(r.code).toBe(0);
    expect(
      (JSON.parse(r.out.join("")) as { include: Array<{ name: string }> }).include.map((j) => j.name),
    ).toStrictEqual(
      ["lodz-prod", "lodz-staging"].flatMap((c) => ["platform", "css", "mpu", "zzm"].map((u) => `${c}.${u}`)),
    );
  });
});

describe("the matrix of a large change", () => {
  it("GIVEN 10,001 stacks of one city and 3 of another THEN at most MAX_JOBS jobs, every stack exactly once", () => {
    const big = ["platform", ...Array.from({ length: 10000 }, (_, i) => `u${i}`)];
    const m = previewMatrix(
      new Map([
        ["krakow", big],
        ["lodz-prod", ["platform", "css", "mpu"]],
      ]),
    );
    expect(m.include.length).toBeLessThanOrEqual(MAX_JOBS);
    const covered = m.include.flatMap((j) => j.units.split(",").map((u) => `${j.city}.${u}`));
    expect(covered).toStrictEqual([
      ...big.map((u) => `krakow.${u}`),
      "lodz-prod.platform",
      "lodz-prod.css",
      "lodz-prod.mpu",
    ]);
    expect(m.include[0]!.name).toBe("krakow: platform … u49 (51 stacks)");
  });
});

describe("muni preview --print-backend", () => {
  it("GIVEN lodz-prod THEN the state backend URL for pulumi login", async () => {
    expect(await runCli(["preview", "--stack", "lodz-prod", "--print-backend"])).toStrictEqual({
      code: 0,
      out: ["s3://muni-state?endpoint=s3.dc.uml.lodz.pl&s3ForcePathStyle=true&region=pl-lodz-1"],
      err: [],
    });
  });
});

describe("the Automation API's exception to the layer rules (.dependency-cruiser.cjs)", () => {
  const REPO = join(__dirname, "..", "..");
  function cruise(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), `muni-layers-${process.pid}-`));
    try {
      symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
      writeFileSync(
        join(dir, ".dependency-cruiser.cjs"),
        readFileSync(join(REPO, ".dependency-cruiser.cjs")),
      );
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", strict: true } }),
      );
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(dir, f, ".."), { recursive: true });
        writeFileSync(join(dir, f), text);
      }
      const r = spawnSync(
        join(REPO, "node_modules", ".bin", "depcruise"),
        ["infra", "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
        {
          cwd: dir,
          encoding: "utf8",
        },
      );
      return `${r.stdout}${r.stderr}`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("GIVEN the automation folder importing the Automation API THEN allowed; the SDK root, or another CLI file importing it, THEN refused", () => {
    expect(
      cruise({
        "infra/6-cli/automation/a.ts":
          'import { LocalWorkspace } from "@pulumi/pulumi/automation";\nexport const w = LocalWorkspace;\n',
      }),
    ).toContain("no dependency violations found");
    expect(
      cruise({
        "infra/6-cli/automation/a.ts": 'import * as p from "@pulumi/pulumi";\nexport const w = p;\n',
      }),
    ).toContain("automation-api-only: infra/6-cli/automation/a.ts");
    expect(
      cruise({
        "infra/6-cli/preview.ts":
          'import { LocalWorkspace } from "@pulumi/pulumi/automation";\nexport const w = LocalWorkspace;\n',
      }),
    ).toContain("pulumi-only-in-components-and-program: infra/6-cli/preview.ts");
  });
});
