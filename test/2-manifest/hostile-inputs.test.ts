import { formatDiagnostic, loadUnits } from "../../infra/2-manifest";
import { runCli, writeTempFile } from "../helpers/manifests";

/**
 * Inputs that cannot be typed in an editor (binary, other encodings, huge, hostile), generated into a temp dir.
 * Each must be rejected with exact located messages, exit 1, no stack trace, within 10 s.
 */
const LIMIT_MS = 10_000;

const billionLaughs = (): string => {
  let text = `a0: &a0 [${Array(9).fill("lol").join(", ")}]\n`;
  for (let i = 1; i < 10; i++)
    text += `a${i}: &a${i} [${Array(9)
      .fill(`*a${i - 1}`)
      .join(", ")}]\n`;
  return text;
};
const binaryBomb = (): string => {
  let text = "id: bomb\nlabels:\n  a0: &a0 [lol, lol]\n";
  for (let i = 1; i < 24; i++) text += `  a${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
  return text;
};
const nestedBlockMaps = (levels: number, indent: number): string => {
  let text = "id: deep\n";
  for (let i = 0; i < levels; i++) text += `${" ".repeat(indent * i)}k${i}:\n`;
  return `${text}${" ".repeat(indent * levels)}v: 1\n`;
};
const sixMegabytes = (): string => {
  const line = `# ${"x".repeat(97)}\n`;
  return `id: big\n${line.repeat(Math.ceil((6 * 1024 * 1024) / line.length))}`;
};

type Case = [
  name: string,
  file: string,
  content: () => string | Uint8Array,
  expected: (size: number) => string[],
];
const CASES: Case[] = [
  [
    "binary content (NUL and 0xff bytes)",
    "binary.yaml",
    () => Buffer.concat([Buffer.from("id: binary\n"), Buffer.from([0x00, 0x01, 0xff, 0x89])]),
    () => [
      "2:1: binary content (byte 0x00), not a text file (a manifest is a YAML text file: is this the right file?)",
    ],
  ],
  [
    "a PNG image",
    "image.yaml",
    () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
    () => [
      "1:1: binary content (byte 0x89), not a text file (a manifest is a YAML text file: is this the right file?)",
    ],
  ],
  [
    "UTF-16LE with a byte-order mark",
    "utf16le-bom.yaml",
    () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("id: utf16\nname: Łódź\n", "utf16le")]),
    () => ["1:1: file is UTF-16 encoded (save it as UTF-8)"],
  ],
  [
    "UTF-16BE with a byte-order mark",
    "utf16be-bom.yaml",
    () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("id: utf16\n", "utf16le").swap16()]),
    () => ["1:1: file is UTF-16 encoded (save it as UTF-8)"],
  ],
  [
    "UTF-16LE without a byte-order mark",
    "utf16le.yaml",
    () => Buffer.from("id: utf16\nname: Łódź\n", "utf16le"),
    () => ["1:1: file is UTF-16 encoded (save it as UTF-8)"],
  ],
  [
    "UTF-16BE without a byte-order mark",
    "utf16be.yaml",
    () => Buffer.from("id: utf16\nname: Łódź\n", "utf16le").swap16(),
    () => ["1:1: file is UTF-16 encoded (save it as UTF-8)"],
  ],
  [
    "invalid UTF-8 in the middle of a line (Windows-1250 ą)",
    "cp1250.yaml",
    () =>
      Buffer.concat([
        Buffer.from("id: cp1250\nname: Zarz"),
        Buffer.from([0xb9]),
        Buffer.from("d Zieleni Miejskiej\n"),
      ]),
    () => ["2:11: invalid UTF-8 byte 0xb9 (save the file as UTF-8)"],
  ],
  [
    "invalid UTF-8 after multi-byte characters (column counts characters)",
    "truncated.yaml",
    () => Buffer.concat([Buffer.from("id: truncated\nname: Łódź "), Buffer.from([0xc5])]),
    () => ["2:12: invalid UTF-8 byte 0xc5 (save the file as UTF-8)"],
  ],
  [
    "a 6 MB file",
    "big.yaml",
    sixMegabytes,
    (size) => [
      `1:1: file is ${size} bytes, over the 1048576-byte limit (a unit manifest is a few kilobytes: is this the right file?)`,
    ],
  ],
  [
    "a billion-laughs alias bomb",
    "laughs.yaml",
    billionLaughs,
    () => [
      "5:10: a4[0]: aliases expand to more than 10000 values (at *a3) (write the values out instead of nesting *aliases)",
    ],
  ],
  [
    "a 2^24 alias bomb with few aliases",
    "bomb.yaml",
    binaryBomb,
    () => [
      "14:14: labels.a11[0]: aliases expand to more than 10000 values (at *a10) (write the values out instead of nesting *aliases)",
    ],
  ],
  [
    "more than 50 aliases",
    "aliases.yaml",
    () =>
      `id: aliases\nname: &n Jednostka\nlabels:\n${Array.from({ length: 51 }, (_, i) => `  l${i}: *n\n`).join("")}`,
    () => ["54:8: labels.l50: more than 50 aliases (write the values out instead of *aliases)"],
  ],
  [
    "an alias inside its own anchor",
    "selfref.yaml",
    () => "id: selfref\nlabels: &l\n  a: *l\n",
    () => [
      "3:6: labels.a: alias *l is inside its own anchor &l (a value cannot contain itself: write the value out)",
    ],
  ],
  [
    "10,000 nested flow lists",
    "flow.yaml",
    () => `id: flow\nlabels: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
    () => ["2:40: labels: nested deeper than 32 levels (flatten the structure)"],
  ],
  [
    "10,000 nested flow maps",
    "flowmap.yaml",
    () => `id: flowmap\nlabels: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`,
    () => ["2:133: labels: nested deeper than 32 levels (flatten the structure)"],
  ],
  [
    "10,000 nested compact lists (- - - ...)",
    "dashes.yaml",
    () => `id: dashes\nlabels:\n${"- ".repeat(10_000)}x\n`,
    () => ["3:63: labels: nested deeper than 32 levels (flatten the structure)"],
  ],
  [
    "40 nested block maps",
    "block40.yaml",
    () => nestedBlockMaps(40, 2),
    () => [`34:65: k0: nested deeper than 32 levels (flatten the structure)`],
  ],
  [
    "1,000 nested block maps (deeper than the parser goes)",
    "block1000.yaml",
    () => nestedBlockMaps(1000, 1),
    () => ["34:33: k0: nested deeper than 32 levels (flatten the structure)"],
  ],
];

describe("hostile and non-text inputs, generated at test time", () => {
  it.each(CASES)(
    "GIVEN %s WHEN validated THEN rejected with the exact located message, exit 1, fast",
    async (_name, file, content, expected) => {
      // GIVEN
      const bytes = content();
      const path = writeTempFile(file, bytes);
      const lines = expected(Buffer.byteLength(bytes)).map((l) => `${path}:${l}`);
      // WHEN
      const started = performance.now();
      const loaded = loadUnits([path]).diagnostics.map(formatDiagnostic);
      const loadMs = performance.now() - started;
      const cli = await runCli(["validate", path]);
      const totalMs = performance.now() - started;
      // THEN
      expect(loaded).toStrictEqual(lines);
      expect(cli).toStrictEqual({
        code: 1,
        out: [],
        err: [...lines, `${lines.length} problem in 1 of 1 file`],
      });
      expect(cli.err.join("\n")).not.toContain("    at ");
      expect(totalMs).toBeLessThan(LIMIT_MS);
      if (/big|laughs|bomb/.test(file))
        console.log(`${file}: rejected by loadUnits in ${loadMs.toFixed(1)} ms`);
    },
  );
});
