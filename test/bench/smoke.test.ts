import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBench } from "../../bench/run";

const REPO = join(__dirname, "..", "..");

/** The harness runs its children from dist/: build when a bench source is newer than its output. */
function ensureBuilt(): void {
  const stale = readdirSync(join(REPO, "bench"))
    .filter((f) => f.endsWith(".ts"))
    .some((f) => {
      const out = join(REPO, "dist", "bench", f.replace(/\.ts$/, ".js"));
      return !existsSync(out) || statSync(out).mtimeMs < statSync(join(REPO, "bench", f)).mtimeMs;
    });
  if (stale || !existsSync(join(REPO, "dist", "infra", "6-cli", "main.js")))
    spawnSync("npm", ["run", "build"], { cwd: REPO, stdio: "ignore" });
}

describe("npm run bench (smoke, 10 units)", () => {
  const out = join(mkdtempSync(join(tmpdir(), "muni-bench-smoke-")), "results.md");
  afterAll(() => rmSync(join(out, ".."), { recursive: true, force: true }));

  it("GIVEN 10 synthetic units WHEN the harness runs THEN every command, the unit and platform stacks, the operator, both references and the tenant sync are measured and the tables written", async () => {
    // GIVEN
    ensureBuilt();
    const log: string[] = [];
    // WHEN
    const { rows, text } = await runBench(
      { sizes: [10], budgetS: 120, repeats: 1, out, seed: 2026, keep: false, log: (l) => log.push(l) },
      REPO,
    );
    // THEN one row, every cell measured, and the bare reference registered exactly as many resources
    expect(rows).toHaveLength(1);
    const [r] = rows;
    for (const k of ["validate", "plan", "cdk8s", "unitStack", "unitBare", "platform", "operator"] as const)
      expect(r![k]).toStrictEqual({
        wallS: expect.any(Number),
        peakMiB: expect.any(Number),
        cpuS: expect.any(Number),
      });
    expect(r!.objects).toBeGreaterThan(10 * 10);
    // One unit's stack: its component, objects, secrets and the provider (the bare reference registered as many).
    expect(r!.unitResources).toBeGreaterThan(r!.objects / 10);
    expect(r!.platformLargest).toStrictEqual({
      type: expect.stringMatching(/^kubernetes:/),
      name: expect.stringMatching(/^platform-/),
      bytes: expect.any(Number),
    });
    expect(r!.operatorBytes).toBeGreaterThan(10 * 1000);
    // The tenant sync: both servers' init containers wrote all 10 tenants from one page each, the mail hook ran,
    // and the sidecar's unchanged pass read the page again and changed no file.
    const cell = { wallS: expect.any(Number), peakMiB: expect.any(Number), cpuS: expect.any(Number) };
    const read = { sync: cell, tenants: 10, bytes: expect.any(Number), requests: 1 };
    expect(r!.tenantSync).toStrictEqual({
      mail: read,
      print: read,
      hook: cell,
      poll: cell,
      interval: 15,
      pollRequests: 1,
      pollChanged: 0,
    });
    // A real DKIM key and every mailbox's line per mail tenant; the print tenants are smaller.
    expect(r!.tenantSync!.mail.bytes).toBeGreaterThan(10 * 2000);
    expect(r!.tenantSync!.print.bytes).toBeLessThan(r!.tenantSync!.mail.bytes);
    expect(readFileSync(out, "utf8")).toBe(text);
    expect(text).toMatch(/^\| 10 \| [0-9.]+ \| [0-9]+ \| [0-9.]+ \|/m);
    expect(text).toContain("### The Pulumi stacks");
    expect(text).toContain("## Targets");
    expect(text).toMatch(/^\| 10 \| [0-9.]+ \| [0-9.]+ \| [0-9]+ \| 10 \| [0-9.]+ \| 1 \|/m);
    expect(text).toContain("- holds: an unchanged poll reads every page and writes nothing");
    expect(text).toContain("- holds: the sync writes every tenant of the city");
    expect(log.at(-1)).toBe(`[10] done: ${JSON.stringify(r)}`);
  }, 180_000);
});
