import type Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import AJV_OPTIONS from "./ajv-options.json";
import { closest, type Diagnostic, fieldPath, type PathSegment } from "./diagnostics";
import { FORMATS } from "./formats";
import type { YamlSource } from "./yaml-source";

/** Subschema fields the messages read: the schema itself is the source of titles, examples and hints. */
interface SchemaNode {
  title?: string;
  description?: string;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  minimum?: number;
  maximum?: number;
}

/**
 * Builds the one ajv instance muni uses: JSON Schema 2020-12, every error, defaults filled in
 * (ajv-options.json, which scripts/gen-types.mjs precompiles the schemas with too). `verbose` puts the
 * failing subschema on each error: titles, examples and hints are read from it. ajv itself is loaded only
 * here: the unit and stack schemas run from their precompiled validators, without it.
 */
export function createAjv(): Ajv2020 {
  const { default: Ajv } = require("ajv/dist/2020") as typeof import("ajv/dist/2020");
  const ajv = new Ajv(AJV_OPTIONS);
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/**
 * Validates a parsed document against a JSON Schema and maps every error to a located diagnostic
 * (`file:line:col: field: message (hint)`). Fills in schema defaults in place.
 */
export class SchemaValidator<T> {
  private readonly validateFn: ValidateFunction;

  constructor(
    /** An ajv to compile `schema` with, or the schema's validator precompiled (scripts/gen-types.mjs). */
    compiler: Ajv2020 | ValidateFunction,
    private readonly schema: object,
    /** Path prefix of the validated value inside its file, e.g. `["config", "muni:settings"]`. */
    private readonly basePath: readonly PathSegment[] = [],
  ) {
    this.validateFn = typeof compiler === "function" ? compiler : compiler.compile(schema);
  }

  /** The value typed as T when valid, and the diagnostics (empty when valid). */
  validate(source: YamlSource, value: unknown): { value?: T; diagnostics: Diagnostic[] } {
    if (this.validateFn(value)) return { value: value as T, diagnostics: [] };
    const errors = this.validateFn.errors ?? [];
    const seen = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    for (const err of errors) {
      const d = this.toDiagnostic(source, value, err);
      if (!d) continue;
      const key = `${d.line}:${d.col}:${d.field}:${d.message}`;
      if (!seen.has(key)) (seen.add(key), diagnostics.push(d));
    }
    return { diagnostics };
  }

  /** ` when state is "decommissioning"`: the values that made a conditional (`if`/`then`) require a field. */
  private condition(ownerPointer: string, value: unknown): string {
    const props = Object.keys(this.schemaAt(`${ownerPointer}/if`)?.properties ?? {});
    const parts = props.map((k) => `${k} is ${show((value as Record<string, unknown> | undefined)?.[k])}`);
    return parts.length ? ` when ${parts.join(" and ")}` : "";
  }

  /** The subschema at a JSON Pointer such as `#/properties/lifecycle`. */
  private schemaAt(pointer: string): SchemaNode | undefined {
    let cur: unknown = this.schema;
    for (const raw of pointer.replace(/^#\/?/, "").split("/").filter(Boolean)) {
      cur =
        cur && typeof cur === "object"
          ? (cur as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")]
          : undefined;
    }
    return cur as SchemaNode | undefined;
  }

  private toDiagnostic(source: YamlSource, root: unknown, err: ErrorObject): Diagnostic | undefined {
    // Wrapper keywords only say "a branch failed"; the branch's own error says what.
    if (["if", "then", "else", "anyOf", "allOf", "dependentSchemas"].includes(err.keyword)) return undefined;
    const path = [...this.basePath, ...pointerToPath(err.instancePath, root)];
    const value = valueAt(root, pointerToPath(err.instancePath, root));
    const sub = err.parentSchema as SchemaNode | undefined;
    const p = err.params as Record<string, unknown>;
    const here = (message: string, hint?: string, at = path, key = false) =>
      source.diagnostic(at, message, hint, key);
    switch (err.keyword) {
      case "required": {
        const missing = String(p.missingProperty);
        // A conditional `then: {required}` has no properties of its own: read them off the object's schema.
        const conditional = /\/(then|else)\/required$/.test(err.schemaPath);
        const ownerPointer = err.schemaPath.replace(/\/(then|else)\/required$/, "");
        const owner = sub?.properties ? sub : this.schemaAt(ownerPointer);
        const desc = owner?.properties?.[missing]?.description;
        const when = conditional ? this.condition(ownerPointer, value) : "";
        // A missing field is shown at the key of the mapping that lacks it (`address:`), or the mapping itself at the top.
        const d = here(
          `missing required field "${missing}"${when}`,
          desc ? `${missing}: ${desc.replace(/\.$/, "")}` : undefined,
          path,
          path.length > 0,
        );
        return { ...d, field: fieldPath([...path, missing]) };
      }
      case "additionalProperties": {
        const extra = String(p.additionalProperty);
        const allowed = Object.keys(sub?.properties ?? {});
        const near = closest(extra, allowed);
        const hint =
          extra === "<<"
            ? "YAML merge keys are not supported: write the fields out"
            : near
              ? `did you mean "${near}"?`
              : allowed.length
                ? `allowed here: ${allowed.join(", ")}`
                : undefined;
        return here(`unknown field "${extra}"`, hint, [...path, extra], true);
      }
      case "type": {
        const expected = String(p.type).replace(",", " or ");
        return here(`must be ${article(expected)}, got ${describe(value)}`, example(sub) ?? shape(sub));
      }
      case "enum": {
        const allowed = (sub?.enum ?? (err.schema as unknown[])).map(String);
        const near = typeof value === "string" ? closest(value, allowed) : undefined;
        return here(
          `${show(value)} is not one of: ${allowed.join(", ")}`,
          near ? `did you mean "${near}"?` : sub?.description?.replace(/\.$/, ""),
        );
      }
      case "const": {
        // dependentSchemas/<dep>/properties/<prop>/const: giving <dep> constrains <prop>; report it at <dep>.
        const dep = /\/dependentSchemas\/([^/]+)\/properties\/([^/]+)\/const$/.exec(err.schemaPath);
        if (dep) {
          const [, given, prop] = dep as unknown as [string, string, string];
          const owner = path.slice(0, -1);
          const defaulted = source.has(path) ? "" : " by default";
          return here(
            `"${given}" is given, so "${prop}" must be ${show(p.allowedValue)}, but it is ${show(value)}${defaulted}`,
            `remove ${given}, or set ${prop}: ${show(p.allowedValue)}`,
            [...owner, given],
            true,
          );
        }
        return here(`must be ${show(p.allowedValue)}, got ${show(value)}`, sub?.description);
      }
      case "pattern":
      case "format": {
        const what = sub?.title ?? (err.keyword === "format" ? `${String(p.format)}` : "value");
        const hint = [sub?.description?.replace(/\.$/, ""), example(sub)].filter(Boolean).join("; ");
        return here(`${show(value)} is not a valid ${what}`, hint || undefined);
      }
      case "propertyNames":
        return undefined; // reported by the nested error, which names the key
      case "uniqueItems":
        return here(`items ${p.j} and ${p.i} are the same`, "remove the duplicate");
      case "minItems":
        if (err.schemaPath.startsWith("#/then/"))
          return here(
            `needs at least ${p.limit} ${p.limit === 1 ? "entry" : "entries"} once any service is enrolled`,
            "name at least one local administrator and one operations lead; one person may hold both",
          );
        return here(
          `must have at least ${p.limit} item${p.limit === 1 ? "" : "s"}, has ${countOf(value)}`,
          sub?.description,
        );
      case "maxItems":
        return here(`must have at most ${p.limit} items, has ${countOf(value)}`, sub?.description);
      case "minLength":
        return here(`${show(value)} is shorter than ${p.limit} characters`, example(sub));
      case "maxLength":
        return here(`is longer than ${p.limit} characters`, "shorten it");
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "exclusiveMaximum":
        return here(`${show(value)} must be ${String(p.comparison)} ${String(p.limit)}`, range(sub));
      case "minProperties":
        return here(`must have at least ${p.limit} field${p.limit === 1 ? "" : "s"}`, sub?.description);
      default:
        return here(`${err.message ?? "is invalid"}`, sub?.description);
    }
  }
}

/** JSON Pointer → path segments; numeric segments become indexes where the data there is an array. */
function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (!pointer) return [];
  const out: PathSegment[] = [];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAt(root: unknown, path: PathSegment[]): unknown {
  let cur = root;
  for (const seg of path)
    cur = cur && typeof cur === "object" ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

function describe(v: unknown): string {
  if (v === null) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${show(v)}`;
}

function article(t: string): string {
  const map: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    integer: "an integer",
    number: "a number",
    boolean: "true or false",
  };
  return t
    .split(" or ")
    .map((x) => map[x] ?? x)
    .join(" or ");
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}

function countOf(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

/** `allowed: 1 to 12; <description>`. */
function range(sub: SchemaNode | undefined): string | undefined {
  const limits =
    sub?.minimum !== undefined && sub.maximum !== undefined
      ? `allowed: ${sub.minimum} to ${sub.maximum}`
      : undefined;
  return [limits, sub?.description?.replace(/\.$/, "")].filter(Boolean).join("; ") || undefined;
}

/** For a mapping without a short example: the fields it needs. */
function shape(sub: SchemaNode | undefined): string | undefined {
  if (sub?.required?.length) return `write it as a mapping with ${sub.required.join(", ")}`;
  if (sub?.properties) return `write it as a mapping; fields: ${Object.keys(sub.properties).join(", ")}`;
  return undefined;
}

function example(sub: SchemaNode | undefined): string | undefined {
  const ex = sub?.examples?.[0];
  return ex === undefined || typeof ex === "object" ? undefined : `e.g. ${JSON.stringify(ex)}`;
}
