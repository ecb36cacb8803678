/** What a unit stack reads of the ledger (2-manifest/ledger-entry.ts): exactly what readLedger says of that part. */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readLedger } from "../../infra/2-manifest/ledger";
import { readLedgerPart } from "../../infra/2-manifest/ledger-entry";
import { tempDir } from "../helpers/manifests";

const dir = tempDir(`muni-ledger-part-${process.pid}-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const entry = (id: string, extra = "") =>
  `  ${id}:\n    state: active\n    wave: 1\n    provisioned: true\n    file: units/${id}.yaml\n${extra}`;

describe("readLedgerPart", () => {
  const ids = ["css", "css-x", "mpu", "a", "zzm"];
  const text =
    "# muni ledger of stack t\nplatform:\n  stack: t\nunits:\n" +
    ids.map((id, i) => entry(id, i === 1 ? "    stack: t\n    # a comment\n\n" : "")).join("");
  const file = write("t.units.yaml", text);

  it("GIVEN a ledger in the writer's shape THEN each unit's entry, the platform's record and every position are readLedger's", () => {
    const whole = readLedger(file).ledger!;
    for (const id of ids) {
      const part = readLedgerPart(file, { unit: id, platform: true });
      expect(part.diagnostics).toStrictEqual([]);
      expect({ id, units: part.ledger!.units, platform: part.ledger!.platform }).toStrictEqual({
        id,
        units: { [id]: whole.units[id] },
        platform: { stack: "t" },
      });
      for (const path of [
        ["units", id],
        ["units", id, "file"],
        ["units", id, "wave"],
      ])
        expect(part.ledger!.source!.locate(path, true)).toStrictEqual(whole.source!.locate(path, true));
    }
  });

  it("GIVEN an id absent, or only part of another id or a path THEN no entry; a missing file is an empty ledger", () => {
    expect(readLedgerPart(file, { unit: "mops" }).ledger!.units).toStrictEqual({});
    expect(readLedgerPart(file, { unit: "cs" }).ledger!.units).toStrictEqual({});
    expect(readLedgerPart(file, { unit: "units" }).ledger!.units).toStrictEqual({});
    expect(readLedgerPart(join(dir, "none.yaml"), { unit: "css" })).toStrictEqual({
      ledger: { file: join(dir, "none.yaml"), exists: false, units: {} },
      diagnostics: [],
    });
  });

  it("GIVEN a bad field in the entry THEN the located diagnostic readLedger gives; a bad field elsewhere is not this stack's", () => {
    const bad = write(
      "bad.units.yaml",
      "units:\n" + entry("css") + entry("mpu").replace("wave: 1", "wave: 13"),
    );
    expect(readLedgerPart(bad, { unit: "mpu" }).diagnostics).toStrictEqual(readLedger(bad).diagnostics);
    expect(readLedgerPart(bad, { unit: "css" }).diagnostics).toStrictEqual([]);
  });

  it("GIVEN a ledger in another shape (flow style) THEN it is read whole, with the same answer", () => {
    const flow = write(
      "flow.units.yaml",
      'units: { css: { state: active, wave: 1, provisioned: true, file: "units/css.yaml" } }\n',
    );
    expect(readLedgerPart(flow, { unit: "css" }).ledger!.units).toStrictEqual(readLedger(flow).ledger!.units);
  });
});
