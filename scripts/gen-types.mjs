// Generates infra/1-model/*.generated.ts (the types) and infra/2-manifest/*-schema.generated.ts (the validators,
// precompiled by ajv: nothing is compiled at run time, which a unit stack's program and every command would
// otherwise pay for) from the JSON Schemas, the single source of truth.
// `node scripts/gen-types.mjs --check` fails when a generated file is out of date (run by the tests).
import { compile } from "json-schema-to-typescript";
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const targets = [
  { schema: "schemas/unit.schema.json", out: "infra/1-model/unit.generated.ts", name: "Unit" },
  { schema: "schemas/stack.schema.json", out: "infra/1-model/stack.generated.ts", name: "StackSettings" },
];
function stripTitles(node, isRoot) {
  if (Array.isArray(node)) return node.forEach((n) => stripTitles(n, false));
  if (node === null || typeof node !== "object") return;
  if (!isRoot) delete node.title;
  for (const [k, v] of Object.entries(node)) {
    if (k === "examples" || k === "default" || k === "const" || k === "enum") continue;
    // `properties`, `$defs` and the like map names to schemas: a property may itself be named "title".
    if (
      (k === "properties" || k === "$defs" || k === "patternProperties" || k === "dependentSchemas") &&
      v &&
      typeof v === "object"
    )
      for (const sub of Object.values(v)) stripTitles(sub, false);
    else stripTitles(v, false);
  }
}
function requireDefaulted(node) {
  if (Array.isArray(node)) return node.forEach(requireDefaulted);
  if (node === null || typeof node !== "object") return;
  if (node.properties && typeof node.properties === "object") {
    const withDefault = Object.entries(node.properties)
      .filter(([, v]) => v && "default" in v)
      .map(([k]) => k);
    if (withDefault.length) node.required = [...new Set([...(node.required ?? []), ...withDefault])];
  }
  for (const [k, v] of Object.entries(node))
    if (k !== "examples" && k !== "default" && k !== "const" && k !== "enum") requireDefaulted(v);
}
const check = process.argv.includes("--check");
let stale = 0;
for (const t of targets) {
  let schema;
  try {
    schema = JSON.parse(readFileSync(join(root, t.schema), "utf8"));
  } catch (e) {
    if (e.code === "ENOENT") continue;
    throw e;
  }
  // Titles name the value kinds in error messages ("DNS name", "CPU quantity"); they would also make the
  // generator emit one alias per field (DNSName1, ByteQuantity7...), so they are dropped below the root.
  stripTitles(schema, true);
  // Validation runs ajv with useDefaults, so after validation every property that has a default is
  // present: the generated type is the validated ("resolved") shape, with those properties required.
  requireDefaulted(schema);
  schema.title = t.name;
  const ts = await compile(schema, t.name, {
    bannerComment: `/* Generated from ${t.schema} by scripts/gen-types.mjs. Do not edit: change the schema and run \`npm run gen:types\`. */`,
    additionalProperties: false,
    unknownAny: true,
    strictIndexSignatures: true,
    style: { printWidth: 110, trailingComma: "all" },
  });
  const path = join(root, t.out);
  let current = "";
  try {
    current = readFileSync(path, "utf8");
  } catch {}
  if (current === ts) continue;
  if (check) {
    console.error(`${t.out} is out of date with ${t.schema}: run npm run gen:types`);
    stale++;
  } else {
    writeFileSync(path, ts);
    console.log(`wrote ${t.out}`);
  }
}
// The validators: ajv standalone code of each schema, with the options and formats createAjv uses
// (infra/2-manifest/ajv-options.json, formats.ts). The formats are required from ./formats at run time; here
// only their shape matters (an object with `validate`), so the Polish checksums are stand-ins.
const require = createRequire(import.meta.url);
const { default: Ajv2020 } = require("ajv/dist/2020");
const { default: standalone } = require("ajv/dist/standalone");
const { _ } = require("ajv");
const { fullFormats } = require("ajv-formats/dist/formats");
const options = JSON.parse(readFileSync(join(root, "infra/2-manifest/ajv-options.json"), "utf8"));
const validators = [
  { schema: "schemas/unit.schema.json", out: "infra/2-manifest/unit-schema.generated.ts" },
  { schema: "schemas/stack.schema.json", out: "infra/2-manifest/stack-schema.generated.ts" },
];
for (const v of validators) {
  const ajv = new Ajv2020({ ...options, code: { source: true, formats: _`require("./formats").FORMATS` } });
  for (const [name, format] of Object.entries({
    ...fullFormats,
    nip: { type: "string", validate: () => true },
    regon: { type: "string", validate: () => true },
  }))
    ajv.addFormat(name, format);
  const code = standalone(ajv, ajv.compile(JSON.parse(readFileSync(join(root, v.schema), "utf8"))));
  const text =
    `// Generated from ${v.schema} by scripts/gen-types.mjs (ajv standalone). Do not edit: change the schema and run \`npm run gen:types\`.\n` +
    "// @ts-nocheck\n" +
    `${code}\n`;
  const path = join(root, v.out);
  let current = "";
  try {
    current = readFileSync(path, "utf8");
  } catch {}
  if (current === text) continue;
  if (check) {
    console.error(`${v.out} is out of date with ${v.schema}: run npm run gen:types`);
    stale++;
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${v.out}`);
  }
}
process.exit(stale ? 1 : 0);
