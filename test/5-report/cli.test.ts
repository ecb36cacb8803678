import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/manifests";

const MIXED = join(__dirname, "..", "fixtures", "report", "stack");

/** A copy of the mixed fixture project with its stack file edited. */
function projectWith(edit: (stackYaml: string) => string): string {
  const dir = tempDir("muni-report-");
  cpSync(MIXED, dir, { recursive: true });
  const file = join(dir, "stacks", "Pulumi.mixed.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return dir;
}

describe("muni report: exit codes and diagnostics", () => {
  it("GIVEN an unknown stack WHEN reported THEN it is a usage error (exit 2) naming the known stacks", async () => {
    const r = await runCli(["report", "--root", MIXED, "--stack", "nope"]);
    expect(r.code).toBe(2);
    expect(r.err).toStrictEqual([
      'muni: unknown stack "nope": no stacks/Pulumi.nope.yaml (known stacks: mixed)',
    ]);
    expect(r.out).toStrictEqual([]);
  });

  it("GIVEN an unknown format WHEN reported THEN it is a usage error (exit 2)", async () => {
    const r = await runCli(["report", "--format", "pdf"]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(
      "error: option '--format <format>' argument 'pdf' is invalid. Allowed choices are md, html, csv, json.",
    );
  });

  it("GIVEN a price with three decimals WHEN reported THEN the located diagnostic is printed and nothing else (exit 1)", async () => {
    const root = projectWith((s) => s.replace("storageGiB: 0.45", "storageGiB: 0.455"));
    const r = await runCli(["report", "--root", root, "--stack", "mixed"]);
    expect(r.code).toBe(1);
    expect(r.out).toStrictEqual([]);
    expect(r.err[0]).toBe(
      `${join(root, "stacks", "Pulumi.mixed.yaml")}:23:19: config["muni:settings"].prices.storageGiB: price 0.455 has more than 2 decimal places (write the price in PLN with at most 2 decimals, e.g. 0.46)`,
    );
    expect(r.err[1]).toBe("report not written: 1 problem in the stack or its units");
  });

  it("GIVEN a price of the wrong type WHEN reported THEN the schema's located diagnostic is printed (exit 1)", async () => {
    const root = projectWith((s) => s.replace("vatPercent: 23", "vatPercent: dużo"));
    const r = await runCli(["report", "--root", root, "--stack", "mixed"]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe(
      `${join(root, "stacks", "Pulumi.mixed.yaml")}:19:19: config["muni:settings"].prices.vatPercent: must be an integer, got string "dużo" (e.g. 23)`,
    );
  });

  it("GIVEN a stack without prices WHEN reported THEN every price defaults to 0 (not charged) and the report is written", async () => {
    const root = projectWith((s) => s.replace(/\n    prices:\n(      .*\n)+/, "\n"));
    const r = await runCli([
      "report",
      "--root",
      root,
      "--stack",
      "mixed",
      "--format",
      "json",
      "--section",
      "chargeback",
    ]);
    expect(r.code).toBe(0);
    const cb = (
      JSON.parse(r.out.join("\n")) as { chargeback: { totals: unknown; prices: Record<string, number> } }
    ).chargeback;
    expect(Object.values(cb.prices).every((p) => p === 0)).toBe(true);
    expect(cb.totals).toStrictEqual({
      byService: {
        finance: 0,
        internet: 0,
        antivirus: 0,
        networkProtection: 0,
        mail: 0,
        servers: 0,
        print: 0,
        web: 0,
      },
      net: 0,
    });
  });
});
