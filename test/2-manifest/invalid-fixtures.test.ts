import { readdirSync, readFileSync } from "node:fs";
import { formatDiagnostic } from "../../infra/2-manifest";
import { loadUnitSet as loadUnits } from "../../infra/3-rules";
import { runCli } from "../helpers/manifests";
import { CASES } from "./invalid-fixtures.cases";

/**
 * Every committed malformed manifest in test/fixtures/units-invalid/, each with the exact located messages
 * `file:line:col: field: message (hint)` muni must print for it. The fixture's first line says what is wrong.
 */
const DIR = "test/fixtures/units-invalid";

/** Fixtures that pass the schema and fail only muni's own rules: the loader still returns their unit (for cross-unit checks). */
const SCHEMA_VALID = new Set([
  "default-queue-unknown.yaml",
  "duplicate-alias.yaml",
  "duplicate-mailbox.yaml",
  "duplicate-queue.yaml",
  "duplicate-role.yaml",
  "duplicate-site.yaml",
  "duplicate-vm.yaml",
  "id-mismatch.yaml",
  "mailboxes-over-limit.yaml",
]);
const idsLoaded = (file: string, id: string) => (SCHEMA_VALID.has(file) ? [id] : []);

describe("malformed unit manifests (committed fixtures)", () => {
  it("GIVEN the fixture directory WHEN listed THEN every fixture has a case and there are at least 40", () => {
    // GIVEN
    const onDisk = readdirSync(DIR)
      .filter((f) => f.endsWith(".yaml"))
      .sort();
    // THEN
    expect(CASES.map(([f]) => f)).toStrictEqual(onDisk);
    expect(onDisk.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)(
    "GIVEN %s (%s) WHEN loaded THEN exactly the expected located messages",
    (file, _defect, lines) => {
      // GIVEN
      const path = `${DIR}/${file}`;
      // WHEN
      const result = loadUnits([path]);
      // THEN
      expect(result.diagnostics.map(formatDiagnostic)).toStrictEqual(lines.map((l) => `${DIR}/${l}`));
      expect(result.units.map((u) => u.unit.id)).toStrictEqual(
        idsLoaded(file, file === "id-mismatch.yaml" ? "id-mismatched" : file.replace(/\.yaml$/, "")),
      );
    },
  );

  it.each(CASES)(
    "GIVEN %s WHEN muni validate runs on it THEN exit 1, the same lines and a summary, no stack trace",
    async (file, _defect, lines) => {
      // GIVEN
      const path = `${DIR}/${file}`;
      const started = performance.now();
      // WHEN
      const { code, out, err } = await runCli(["validate", path]);
      // THEN
      expect(performance.now() - started).toBeLessThan(10_000);
      expect({ code, out, err }).toStrictEqual({
        code: 1,
        out: [],
        err: [
          ...lines.map((l) => `${DIR}/${l}`),
          `${lines.length} problem${lines.length === 1 ? "" : "s"} in 1 of 1 file`,
        ],
      });
      expect(err.join("\n")).not.toContain("    at ");
    },
  );

  it.each(CASES)(
    "GIVEN %s WHEN validated with --format json THEN the same diagnostics as data",
    async (file, _defect, lines) => {
      // GIVEN
      const path = `${DIR}/${file}`;
      // WHEN
      const { code, out, err } = await runCli(["validate", "--format", "json", path]);
      const report = JSON.parse(out.join("\n")) as {
        valid: boolean;
        files: string[];
        units: string[];
        diagnostics: Parameters<typeof formatDiagnostic>[0][];
      };
      // THEN
      expect({ code, err, valid: report.valid, files: report.files, units: report.units }).toStrictEqual({
        code: 1,
        err: [],
        valid: false,
        files: [path],
        units: idsLoaded(file, file === "id-mismatch.yaml" ? "id-mismatched" : file.replace(/\.yaml$/, "")),
      });
      expect(report.diagnostics.map(formatDiagnostic)).toStrictEqual(lines.map((l) => `${DIR}/${l}`));
    },
  );

  it("GIVEN each fixture WHEN read THEN its first line says it is invalid on purpose (or it is the empty file)", () => {
    for (const [file] of CASES) {
      const text = readFileSync(`${DIR}/${file}`, "utf8");
      expect(text === "" || text.startsWith("# Invalid on purpose: ")).toBe(true);
    }
  });
});
