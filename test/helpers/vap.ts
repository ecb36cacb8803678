/**
 * Evaluates muni's ValidatingAdmissionPolicies as the API server would, with a well-kept CEL evaluator
 * (@bufbuild/cel, conformance-tested against cel-spec, with the strings extension Kubernetes enables):
 * match the policy's namespace selector and resource rules, its match conditions, then its variables and
 * validations over `object`, `oldObject`, `request` and `namespaceObject`. What is not modelled: type
 * checking against the OpenAPI schema (the API server does it when the policy is created; the tests instead
 * evaluate every expression on real objects and fail on any evaluation error) and CEL cost limits.
 */
import { type CelInput, isCelError, parse, plan } from "@bufbuild/cel";
import { celEnv } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON as CEL values: objects become maps, whole numbers ints (as the API server's JSON decoding does). */
export function toCel(v: unknown): CelInput {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(toCel) as CelInput;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === "object")
    return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toCel(x)])) as CelInput;
  return v as CelInput;
}

const env = celEnv({ funcs: strings });
const compiled = new Map<string, ReturnType<typeof plan>>();

/** Evaluates one CEL expression; an evaluation error is returned as an Error. */
export function cel(expression: string, bindings: Record<string, unknown>): unknown {
  let run = compiled.get(expression);
  if (!run) {
    run = plan(env, parse(expression));
    compiled.set(expression, run);
  }
  const r = run(Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, toCel(v)])));
  return isCelError(r) ? new Error(`${expression}: ${String(r.message ?? r)}`) : r;
}

export interface AdmissionRequest {
  operation: "CREATE" | "UPDATE";
  /** The resource's API group ("" for core) and plural name, e.g. `networking.k8s.io` / `ingresses`. */
  group: string;
  resource: string;
  object: Json | Record<string, unknown>;
  oldObject?: Json | Record<string, unknown>;
  namespaceObject: {
    metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  };
  username: string;
}

export interface Verdict {
  /** Policies that matched the request. */
  matched: string[];
  /** Messages of the failed validations, `<policy>: <message>`. */
  denied: string[];
  /** Evaluation errors (each would deny under failurePolicy Fail): always a bug in muni's expressions. */
  errors: string[];
}

interface Vap {
  metadata: { name: string };
  spec: {
    failurePolicy: string;
    matchConstraints: {
      namespaceSelector: { matchLabels: Record<string, string> };
      resourceRules: { apiGroups: string[]; resources: string[]; operations: string[] }[];
    };
    matchConditions?: { name: string; expression: string }[];
    variables?: { name: string; expression: string }[];
    validations: { expression: string; message: string }[];
  };
}

/** What the bound policies (all bound with Deny by muni) say about one request. */
export function admit(policies: readonly unknown[], req: AdmissionRequest): Verdict {
  const out: Verdict = { matched: [], denied: [], errors: [] };
  const request = {
    operation: req.operation,
    userInfo: { username: req.username, groups: [] },
    namespace: req.namespaceObject.metadata.name,
    resource: { group: req.group, resource: req.resource },
  };
  for (const p of policies as Vap[]) {
    const m = p.spec.matchConstraints;
    const labels = req.namespaceObject.metadata.labels ?? {};
    if (!Object.entries(m.namespaceSelector.matchLabels).every(([k, v]) => labels[k] === v)) continue;
    const ruleMatches = m.resourceRules.some(
      (r) =>
        r.apiGroups.includes(req.group) &&
        r.resources.includes(req.resource) &&
        r.operations.includes(req.operation),
    );
    if (!ruleMatches) continue;
    const base = {
      object: req.object,
      oldObject: req.oldObject ?? null,
      request,
      namespaceObject: req.namespaceObject,
    };
    const conditions = (p.spec.matchConditions ?? []).map((c) => cel(c.expression, base));
    const conditionErrors = conditions.filter((c): c is Error => c instanceof Error);
    if (conditionErrors.length) {
      out.errors.push(...conditionErrors.map((e) => `${p.metadata.name}: ${e.message}`));
      continue;
    }
    if (!conditions.every((c) => c === true)) continue;
    out.matched.push(p.metadata.name);
    const variables: Record<string, unknown> = {};
    for (const v of p.spec.variables ?? []) {
      const value = cel(v.expression, { ...base, variables: celToJs(variables) });
      if (value instanceof Error) out.errors.push(`${p.metadata.name}: variable ${v.name}: ${value.message}`);
      variables[v.name] = celToJs(value);
    }
    for (const v of p.spec.validations) {
      const ok = cel(v.expression, { ...base, variables: celToJs(variables) });
      if (ok instanceof Error) out.errors.push(`${p.metadata.name}: ${ok.message}`);
      else if (ok !== true) out.denied.push(`${p.metadata.name}: ${v.message}`);
    }
  }
  return out;
}

/** A CEL result back to plain JS (lists, maps, ints as numbers), to bind as `variables`. */
function celToJs(v: unknown): unknown {
  if (v instanceof Error) return null;
  if (typeof v === "bigint") return Number(v);
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(celToJs);
  const it = v as {
    [Symbol.iterator]?: () => Iterator<unknown>;
    get?: (k: unknown) => unknown;
    keys?: () => Iterable<unknown>;
  };
  if (typeof it.keys === "function" && typeof it.get === "function") {
    const out: Record<string, unknown> = {};
    for (const k of it.keys()) out[String(k)] = celToJs(it.get(k));
    return out;
  }
  if (typeof it[Symbol.iterator] === "function") return [...(v as Iterable<unknown>)].map(celToJs);
  return v;
}
