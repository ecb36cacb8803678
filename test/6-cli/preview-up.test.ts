/**
 * `muni preview` and `muni up` drive the Pulumi CLI through the Automation API. The CLI cannot be had on this
 * machine: these tests run the real Automation API against a stand-in `pulumi` on PATH (stand-in/pulumi-cli.js)
 * that records every call and answers as the CLI does (version, stack select/init, preview/up with engine
 * events over the Automation API's gRPC events server, stack output, stack history). The program itself is
 * tested per stack name under the mock runtime (test/7-program/stack.test.ts).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runStacks } from "../../infra/6-cli/run-stacks";
import type { CliIO } from "../../infra/6-cli/io";
import { runCli } from "../helpers/manifests";
import { copyOfRepo, migratedRepo } from "../7-program/migrated";
import { type Call, installStandIn, type StandIn } from "./stand-in";

const STACKS = ["lodz-prod.platform", "lodz-prod.css", "lodz-prod.mpu", "lodz-prod.zzm"];
const BACKEND = "s3://muni-state?endpoint=s3.dc.uml.lodz.pl&s3ForcePathStyle=true&region=pl-lodz-1";

let standIn: StandIn;
let root: string;
beforeEach(() => {
  standIn = installStandIn();
  root = migratedRepo();
  writeFileSync(join(root, ".pulumi.version"), "3.270.0\n");
});
afterEach(() => {
  standIn.restore();
  rmSync(root, { recursive: true, force: true });
});

/** The calls about one stack, as `verb --stack name` (version calls left out). */
const callsOf = (calls: Call[], stack: string) =>
  calls
    .filter((c) => c.argv.includes(stack))
    .map((c) => c.argv.filter((a) => !a.startsWith("tcp://")).join(" "));

describe("muni preview --stack lodz-prod (the stand-in pulumi on PATH)", () => {
  it("GIVEN four new stacks WHEN previewed THEN each is created with the city's secrets provider and previewed, platform first, through the backend, with this Node first on PATH", async () => {
    standIn.setScenario({
      "lodz-prod.css": {
        preview: {
          steps: [{ op: "create", type: "muni:unit:Unit", name: "css" }],
          changes: { create: 3, update: 1 },
        },
      },
    });
    const r = await runCli(["preview", "--stack", "lodz-prod", "--root", root]);
    expect([r.code, r.code === 0 ? [] : [...r.out, ...r.err]]).toStrictEqual([0, []]);
    const calls = standIn.calls();
    expect(calls[0]!.argv).toStrictEqual(["version"]);
    for (const s of STACKS)
      expect(callsOf(calls, s)).toStrictEqual([
        `stack select --stack ${s} --non-interactive`,
        `stack init ${s} --secrets-provider hashivault://muni-lodz-prod --non-interactive`,
        `preview --exec-kind auto.local --event-log --stack ${s} --non-interactive`,
      ]);
    // Platform first: every call about a unit stack comes after the platform's preview.
    const platformDone = calls.findIndex(
      (c) => c.argv[0] === "preview" && c.argv.includes("lodz-prod.platform"),
    );
    const firstUnit = calls.findIndex((c) => STACKS.slice(1).some((s) => c.argv.includes(s)));
    expect(platformDone).toBeLessThan(firstUnit);
    // `pulumi version` comes first, before any stack: every later call gets the backend.
    expect(new Set(calls.slice(1).map((c) => c.backend))).toStrictEqual(new Set([BACKEND]));
    expect(new Set(calls.slice(1).map((c) => c.cwd))).toStrictEqual(new Set([root]));
    expect(new Set(calls.slice(1).map((c) => c.firstPath))).toStrictEqual(
      new Set([dirname(process.execPath)]),
    );
    // `stack init` wrote each stack's own Pulumi file (what Pulumi keeps there: the secrets provider).
    expect(readFileSync(join(root, "stacks", "Pulumi.lodz-prod.css.yaml"), "utf8")).toBe(
      "secretsprovider: hashivault://muni-lodz-prod\nencryptedkey: c3RhbmQtaW4ta2V5\n",
    );
    expect(r.out).toStrictEqual([
      expect.stringMatching(/^lodz-prod\.platform  no changes \(\d+\.\d s\)$/),
      expect.stringMatching(/^lodz-prod\.css       \+3 ~1 \(\d+\.\d s\)$/),
      expect.stringMatching(/^lodz-prod\.mpu       no changes \(\d+\.\d s\)$/),
      expect.stringMatching(/^lodz-prod\.zzm       no changes \(\d+\.\d s\)$/),
      "4 stacks: 3 without changes, 1 with changes, 0 failed (exit 0)",
    ]);
    // Not a terminal: a line per finished stack on standard error.
    expect(r.err.map((l) => l.replace(/\(\d+\.\d s\)/, "(t)"))).toStrictEqual([
      "✓ lodz-prod.platform  no changes (t)",
      expect.stringMatching(/^[~✓] lodz-prod\.(css|mpu|zzm)  /),
      expect.stringMatching(/^[~✓] lodz-prod\.(css|mpu|zzm)  /),
      expect.stringMatching(/^[~✓] lodz-prod\.(css|mpu|zzm)  /),
    ]);
  });

  it("GIVEN existing stacks and --expect-no-changes --refresh --json-dir (the nightly drift) THEN refreshed previews, the events kept per stack, exit 1 for css's drift", async () => {
    standIn.setStacks(Object.fromEntries(STACKS.map((s) => [s, { secretsProvider: "x", resources: [] }])));
    standIn.setScenario({
      "lodz-prod.css": {
        preview: {
          steps: [{ op: "update", type: "kubernetes:core/v1:ResourceQuota", name: "css-quota" }],
          changes: { update: 1 },
        },
      },
    });
    const events = join(root, "drift");
    const r = await runCli([
      "preview",
      "--stack",
      "lodz-prod",
      "--refresh",
      "--expect-no-changes",
      "--json-dir",
      events,
      "--root",
      root,
    ]);
    expect(r.code).toBe(1);
    expect(callsOf(standIn.calls(), "lodz-prod.css")).toStrictEqual([
      "stack select --stack lodz-prod.css --non-interactive",
      "preview --refresh --exec-kind auto.local --event-log --stack lodz-prod.css --non-interactive",
    ]);
    const lines = readFileSync(join(events, "lodz-prod.css.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((e) => Object.keys(e).find((k) => k.endsWith("Event")))).toStrictEqual([
      "preludeEvent",
      "resourcePreEvent",
      "resourcePreEvent",
      "summaryEvent",
    ]);
    expect(r.out.at(-1)).toBe("4 stacks: 3 without changes, 1 with changes, 0 failed (exit 1)");
    // What the drift workflow does next: muni drift reads each stack's events, reporting per unit.
    const drift = await runCli(["drift", join(events, "lodz-prod.css.jsonl")]);
    expect(drift.code).toBe(1);
    expect(drift.out.join("\n")).toMatch(
      /Drift of stack lodz-prod\.css: 1 of \d+ resources drifted in 1 unit/,
    );
    expect(drift.out.join("\n")).toContain("css-quota");
    const clean = await runCli(["drift", join(events, "lodz-prod.mpu.jsonl")]);
    expect(clean.code).toBe(0);
  });

  it("GIVEN one unit's program refusing its input THEN that stack fails with the located problem, the others run, exit 1", async () => {
    standIn.setScenario({
      "lodz-prod.mpu": {
        preview: {
          error:
            'muni: 1 problem(s) in the manifests, stack settings or ledger of stack lodz-prod.mpu; nothing was registered.\nunits/mpu.yaml:14:5: services.mail.domain: "x" is not under an allowed mail suffix',
        },
      },
    });
    const r = await runCli(["preview", "--stack", "lodz-prod", "--root", root]);
    expect(r.code).toBe(1);
    expect(r.out[2]).toMatch(
      /^lodz-prod\.mpu       FAILED: units\/mpu\.yaml:14:5: services\.mail\.domain: "x" is not under an allowed mail suffix \(\d+\.\d s\)$/,
    );
    expect(r.out.at(-1)).toBe("4 stacks: 3 without changes, 0 with changes, 1 failed (exit 1)");
  });

  it("GIVEN --concurrency 3 THEN the unit stacks run at once; with 1, one after another", async () => {
    // Each unit preview takes DELAY ms in the stand-in. Run at once, every unit preview starts before the first
    // one can have ended (spread < DELAY, whatever the machine's load); one after another, each starts after the
    // previous ended (spread >= 2 × DELAY). Bounds from the order of events, not a speed target.
    const DELAY = 1500;
    const slow = { preview: { delayMs: DELAY } };
    standIn.setStacks(Object.fromEntries(STACKS.map((s) => [s, { secretsProvider: "x", resources: [] }])));
    standIn.setScenario(Object.fromEntries(STACKS.slice(1).map((s) => [s, slow])));
    const starts = async (concurrency: string) => {
      rmSync(join(standIn.dir, "calls.jsonl"), { force: true });
      expect(
        (await runCli(["preview", "--stack", "lodz-prod", "--concurrency", concurrency, "--root", root]))
          .code,
      ).toBe(0);
      const t = standIn
        .calls()
        .filter((c) => c.argv[0] === "preview" && !c.argv.includes("lodz-prod.platform"))
        .map((c) => c.time)
        .sort((a, b) => a - b);
      return t.at(-1)! - t[0]!;
    };
    expect(await starts("3")).toBeLessThan(DELAY);
    expect(await starts("1")).toBeGreaterThanOrEqual(2 * DELAY);
  }, 30000);

  it("GIVEN --units css THEN only that stack; an unknown unit is a usage error (exit 2) and nothing runs", async () => {
    expect((await runCli(["preview", "--stack", "lodz-prod", "--units", "css", "--root", root])).code).toBe(
      0,
    );
    expect(
      new Set(standIn.calls().flatMap((c) => c.argv.filter((a) => a.startsWith("lodz-prod.")))),
    ).toStrictEqual(new Set(["lodz-prod.css"]));
    rmSync(join(standIn.dir, "calls.jsonl"));
    expect(
      await runCli(["preview", "--stack", "lodz-prod", "--units", "css,mops", "--root", root]),
    ).toStrictEqual({
      code: 2,
      out: [],
      err: ["muni: --units mops: stack lodz-prod takes no such unit (its stacks: platform, css, mpu, zzm)"],
    });
    expect(standIn.calls()).toStrictEqual([]);
  });

  it("GIVEN a CLI other than the pinned version THEN exit 2 naming both, and no stack is touched", async () => {
    standIn.restore();
    standIn = installStandIn("3.200.0");
    expect(await runCli(["preview", "--stack", "lodz-prod", "--root", root])).toStrictEqual({
      code: 2,
      out: [],
      err: [
        "muni: the pulumi CLI on PATH is 3.200.0, but .pulumi.version pins 3.270.0: install that version (curl -fsSL https://get.pulumi.com | sh -s -- --version 3.270.0) or change .pulumi.version in a pull request",
      ],
    });
    expect(standIn.calls().map((c) => c.argv)).toStrictEqual([["version"]]);
  });

  it("GIVEN the repository as committed (the city still in one stack) THEN refused before the CLI is called, naming muni migrate", async () => {
    const committed = copyOfRepo();
    writeFileSync(join(committed, ".pulumi.version"), "3.270.0\n");
    const r = await runCli(["preview", "--stack", "lodz-prod", "--root", committed]);
    expect(r).toStrictEqual({
      code: 1,
      out: [],
      err: [
        `muni preview: lodz-prod.platform, lodz-prod.css, lodz-prod.mpu, lodz-prod.zzm are still in a city-wide Pulumi stack (ledger ${join(committed, "stacks", "lodz-prod.units.yaml")}): move them first with npx muni migrate --stack lodz-prod --run (docs/operator.md); nothing was run`,
      ],
    });
    expect(standIn.calls()).toStrictEqual([]);
    rmSync(committed, { recursive: true, force: true });
  });

  it("GIVEN a terminal THEN a line per running stack is drawn and redrawn in place above the finished ones", async () => {
    standIn.setScenario(
      Object.fromEntries(
        STACKS.map((s) => [
          s,
          { preview: { delayMs: 150, steps: [{ op: "create", type: "t", name: "n" }] } },
        ]),
      ),
    );
    let raw = "";
    const errors: string[] = [];
    const io: CliIO = { out: () => undefined, err: (l) => errors.push(l), color: false };
    const code = await runStacks(
      io,
      "preview",
      { stack: "lodz-prod", concurrency: "3", root },
      { write: (s) => (raw += s), tty: true },
    );
    // On a failure, what the command said and drew is the diagnosis.
    expect({ code, errors, raw: code === 0 ? "" : raw }).toStrictEqual({ code: 0, errors: [], raw: "" });
    expect(raw).toContain("  … lodz-prod.css  ");
    expect(raw).toContain("\u001b[3A\u001b[0J");
    expect(raw.split("\n").filter((l) => /✓ lodz-prod\./.test(l))).toHaveLength(4);
  });
});

describe("muni up --stack lodz-prod", () => {
  it("GIVEN the platform failing THEN no unit stack runs (their tenants need the platform's namespaces), each is reported skipped, exit 1", async () => {
    standIn.setScenario({
      "lodz-prod.platform": { up: { error: "kubernetes:core/v1:Namespace platform-mail: forbidden" } },
    });
    const r = await runCli(["up", "--stack", "lodz-prod", "--root", root]);
    expect(r.code).toBe(1);
    expect(
      standIn
        .calls()
        .filter((c) => c.argv[0] === "up")
        .map((c) => c.argv.at(-2)),
    ).toStrictEqual(["lodz-prod.platform"]);
    expect(r.out[0]).toMatch(
      /^lodz-prod\.platform  FAILED: kubernetes:core\/v1:Namespace platform-mail: forbidden \(\d+\.\d s\)$/,
    );
    expect(r.out.slice(1)).toStrictEqual([
      "lodz-prod.css       skipped: not run: lodz-prod.platform failed",
      "lodz-prod.mpu       skipped: not run: lodz-prod.platform failed",
      "lodz-prod.zzm       skipped: not run: lodz-prod.platform failed",
      "4 stacks: 0 applied, 1 failed, 3 skipped (exit 1)",
    ]);
  });

  it("GIVEN every stack succeeding THEN up --yes --skip-preview on each, then its outputs and last update read back, exit 0", async () => {
    standIn.setScenario({ "lodz-prod.css": { up: { changes: { create: 40 } } } });
    const r = await runCli(["up", "--stack", "lodz-prod", "--units", "platform,css", "--root", root]);
    expect(r.code).toBe(0);
    expect(callsOf(standIn.calls(), "lodz-prod.css")).toStrictEqual([
      "stack select --stack lodz-prod.css --non-interactive",
      "stack init lodz-prod.css --secrets-provider hashivault://muni-lodz-prod --non-interactive",
      "up --yes --skip-preview --exec-kind auto.local --event-log --stack lodz-prod.css --non-interactive",
      "stack output --json --stack lodz-prod.css --non-interactive",
      "stack output --json --show-secrets --stack lodz-prod.css --non-interactive",
      "stack history --json --show-secrets --page-size 1 --page 1 --stack lodz-prod.css --non-interactive",
    ]);
    expect(standIn.stacks()["lodz-prod.css"]!.updates).toBe(1);
    expect(r.out.at(-1)).toBe("2 stacks: 2 applied, 0 failed (exit 0)");
    expect(existsSync(join(root, "stacks", "Pulumi.lodz-prod.platform.yaml"))).toBe(true);
  });
});
