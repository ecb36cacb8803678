/**
 * The unit and stack schemas run from validators ajv precompiled at `npm run gen:types` (so that no command and
 * no unit stack's program pays ajv's compile at run time). They must behave exactly as the schema compiled now.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { ValidateFunction } from "ajv/dist/2020";
import { createAjv } from "../../infra/2-manifest/schema-validator";
import { generatedUnit } from "../helpers/manifests";

const ROOT = join(__dirname, "..", "..");
const yamlFiles = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(ROOT, dir, f));

/** What a validator says of a value: valid or not, the value after defaults, every error. */
function outcome(validate: ValidateFunction, value: unknown) {
  const copy = structuredClone(value);
  const valid = validate(copy);
  return {
    valid,
    value: copy,
    errors: (validate.errors ?? []).map((e) => ({
      instancePath: e.instancePath,
      keyword: e.keyword,
      params: e.params,
      message: e.message,
      schemaPath: e.schemaPath,
      parentSchema: e.parentSchema,
    })),
  };
}

describe("the precompiled schema validators", () => {
  it("GIVEN every manifest of the repository, the fixtures (valid and invalid) and 60 generated units THEN the precompiled unit validator and a fresh compile agree, errors and defaults alike", () => {
    const fresh = createAjv().compile(
      JSON.parse(readFileSync(join(ROOT, "schemas", "unit.schema.json"), "utf8")),
    );
    const precompiled = require("../../infra/2-manifest/unit-schema.generated") as ValidateFunction;
    const values = [
      ...["units", "test/fixtures/units-valid", "test/fixtures/units-invalid"].flatMap(yamlFiles).map((f) => {
        try {
          return parse(readFileSync(f, "utf8")) as unknown;
        } catch {
          return null;
        }
      }),
      ...Array.from({ length: 60 }, (_, i) => parse(generatedUnit(i).yaml) as unknown),
      { id: "x" },
      { id: 7, services: { mail: { domain: "not a domain" } } },
      "not an object",
    ];
    const outcomes = values.map((v) => [outcome(precompiled, v), outcome(fresh, v)]);
    expect(outcomes.filter(([a]) => !a!.valid).length).toBeGreaterThan(20);
    for (const [i, [a, b]] of outcomes.entries()) expect({ i, a }).toStrictEqual({ i, a: b });
  });

  it("GIVEN the stack files THEN the precompiled stack validator and a fresh compile agree, also on broken settings", () => {
    const fresh = createAjv().compile(
      JSON.parse(readFileSync(join(ROOT, "schemas", "stack.schema.json"), "utf8")),
    );
    const precompiled = require("../../infra/2-manifest/stack-schema.generated") as ValidateFunction;
    const settings = yamlFiles("stacks")
      .filter((f) => /Pulumi\.[^.]+\.yaml$/.test(f))
      .map(
        (f) =>
          (parse(readFileSync(f, "utf8")) as { config: Record<string, unknown> }).config["muni:settings"],
      );
    const broken = settings.map((s) => ({
      ...(s as object),
      capacity: { cpu: "lots" },
      pulumi: { backend: "ftp://x", secretsProvider: "rot13", operator: { mode: "yolo" } },
    }));
    for (const [i, v] of [...settings, ...broken, {}].entries())
      expect({ i, a: outcome(precompiled, v) }).toStrictEqual({ i, a: outcome(fresh, v) });
    expect(outcome(precompiled, broken[0]).errors.length).toBeGreaterThan(3);
  });
});
