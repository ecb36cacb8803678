import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

type Schema = Record<string, unknown>;
const schema = JSON.parse(readFileSync("schemas/unit.schema.json", "utf8")) as Schema;

/** Every subschema with its JSON Pointer, skipping annotation values (examples, default, enum, const). */
function walk(node: unknown, pointer: string, visit: (s: Schema, pointer: string) => void): void {
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${pointer}/${i}`, visit));
  if (node === null || typeof node !== "object") return;
  visit(node as Schema, pointer);
  for (const [k, v] of Object.entries(node))
    if (!["examples", "default", "enum", "const"].includes(k)) walk(v, `${pointer}/${k}`, visit);
}

/** Properties, with their pointers, resolving a $ref to its definition. */
function properties(): Array<[pointer: string, prop: Schema]> {
  const out: Array<[string, Schema]> = [];
  walk(schema, "#", (s, pointer) => {
    const props = s.properties as Record<string, Schema> | undefined;
    // Conditional subschemas (if/then/else, dependentSchemas) only add constraints to properties declared above.
    if (!props || /\/(if|then|else|dependentSchemas)(\/|$)/.test(pointer)) return;
    for (const [name, p] of Object.entries(props)) out.push([`${pointer}/properties/${name}`, p]);
  });
  return out;
}

const isLeaf = (p: Schema): boolean => p.type !== "object" && p.type !== "array" && p.$ref === undefined;

describe("schemas/unit.schema.json quality", () => {
  it("GIVEN every object schema WHEN inspected THEN unknown fields are rejected or the map's values are typed", () => {
    // GIVEN
    const open: string[] = [];
    walk(schema, "#", (s, pointer) => {
      if (s.type !== "object") return;
      const extra = s.additionalProperties;
      const typedMap = typeof extra === "object" && extra !== null && "type" in extra;
      if (extra !== false && !typedMap) open.push(pointer);
    });
    // THEN
    expect(open).toStrictEqual([]);
  });

  it("GIVEN every property WHEN inspected THEN it has a description", () => {
    const missing = properties()
      .filter(([, p]) => typeof p.description !== "string" || p.description.length < 3)
      .map(([ptr]) => ptr);
    expect(missing).toStrictEqual([]);
  });

  it("GIVEN every leaf property WHEN inspected THEN it has at least one example", () => {
    const missing = properties()
      .filter(([, p]) => isLeaf(p) && !(Array.isArray(p.examples) && p.examples.length > 0))
      .map(([ptr]) => ptr);
    expect(missing).toStrictEqual([]);
  });

  it("GIVEN the walk WHEN run THEN it sees the properties the rules are about (the checks above are not vacuous)", () => {
    const pointers = properties().map(([ptr]) => ptr);
    expect(pointers.length).toBeGreaterThanOrEqual(80);
    expect(pointers).toContain(
      "#/properties/services/properties/print/properties/queues/items/properties/model",
    );
    expect(pointers).toContain("#/$defs/identity/properties/kind");
  });

  it("GIVEN the schema WHEN the types are regenerated in check mode THEN infra/1-model/unit.generated.ts is up to date", () => {
    // WHEN
    const r = spawnSync(process.execPath, ["scripts/gen-types.mjs", "--check"], { encoding: "utf8" });
    // THEN
    expect({ status: r.status, stderr: r.stderr }).toStrictEqual({ status: 0, stderr: "" });
  });
});
