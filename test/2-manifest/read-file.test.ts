import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LIMITS, readYamlFile } from "../../infra/2-manifest/yaml-source";

describe("readYamlFile: the file itself", () => {
  const dir = mkdtempSync(join(tmpdir(), "muni-read-"));

  it("GIVEN a directory, a missing file and a file over the size limit WHEN read THEN each is one whole-file diagnostic", () => {
    // GIVEN
    mkdirSync(join(dir, "d.yaml"));
    writeFileSync(join(dir, "big.yaml"), `id: big\nname: ${"x".repeat(200)}\n`);
    const limits = { ...DEFAULT_LIMITS, maxBytes: 100 };
    // WHEN
    const results = ["d.yaml", "nope.yaml", "big.yaml"].map((f) => readYamlFile(join(dir, f), limits));
    // THEN
    const at = (f: string, message: string, hint?: string) => ({
      ok: false,
      diagnostics: [{ file: join(dir, f), line: 1, col: 1, field: "", message, ...(hint ? { hint } : {}) }],
    });
    expect(results).toStrictEqual([
      at("d.yaml", "is a directory, not a manifest file"),
      at("nope.yaml", "no such file", "check the path"),
      at(
        "big.yaml",
        "file is 215 bytes, over the 100-byte limit",
        "a unit manifest is a few kilobytes: is this the right file?",
      ),
    ]);
  });

  it("GIVEN a small valid manifest WHEN read THEN its value is returned and its source locates fields", () => {
    // GIVEN
    writeFileSync(join(dir, "ok.yaml"), "id: ok\naddress:\n  city: Łódź\n");
    // WHEN
    const r = readYamlFile(join(dir, "ok.yaml"));
    // THEN
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.value).toStrictEqual({ id: "ok", address: { city: "Łódź" } });
    expect(r.source.locate(["address", "city"])).toStrictEqual({ line: 3, col: 9 });
  });
});
