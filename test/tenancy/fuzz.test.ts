import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { runCli } from "../helpers/manifests";
import { hostileProject, inRoot, STACK } from "./hostile";

// Issue 13, point 6: no input makes a command exit 3 (internal error). Property-based: manifests and stack
// files mutated at random (values of every type at existing and new paths, hostile strings, enormous and
// odd numbers, raw bytes spliced into the YAML) are run through validate --stack, plan and report in-process;
// each must end with 0, 1 or 2. Run counts are modest so the suite stays fast; a failure prints the
// shrunk counterexample.

const HOSTILE_STRINGS = [
  "system:masters",
  "uml-administratorzy-techniczni",
  "../../../etc/passwd",
  '=HYPERLINK("http://x")',
  "x\u202ey",
  "a\nb",
  "\u001b[2J",
  "99999999999999999999Ti",
  "99999999999999999999",
  "1e400",
  "0x10",
  "-1",
  "",
  "a".repeat(300),
  "mail.lodz.pl",
  "lodz.pl",
  "uml.lodz.pl",
  "mpu-vm",
  "kube-system",
  "socket://0x7f000001:9100",
  "ipps://[::1]/ipp/print",
  "ipps://u:p@mpu.lodz.pl/x",
  "10.20.1.0/16",
  "^{id}-(",
  "*",
];

type Json = unknown;
const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(0, -1, 1e300, -1e300, 2 ** 53, 2 ** 63, 0.5, 1.0001, 65536),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom("name", "kind", "x", "cpu", "hostname"), leaf, { maxKeys: 3 }),
  },
);

/** Every path in a JSON value (objects and arrays), the root included. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v !== null && typeof v === "object")
    for (const [k, x] of Object.entries(v as Record<string, Json>)) out.push(...paths(x, [...at, k]));
  return out;
}

type Mutation = {
  kind: "set" | "delete" | "add" | "perturb";
  pick: number;
  key: string;
  value: Json;
  near: Near;
};
/** A value of the same type as the one it replaces, at the edges: what passes a schema's type but not more. */
interface Near {
  number: number;
  /** Replace a number by a function of itself instead (a hair over, far over, negated). */
  scale: number | undefined;
  text: string;
}
const near: fc.Arbitrary<Near> = fc.record({
  scale: fc.option(fc.constantFrom(1.0001, 1.5, 1000, 1e12, -1, 0), { nil: undefined }),
  number: fc.oneof(
    fc.integer({ min: -5, max: 70000 }),
    fc.double({ min: 0, max: 20, noNaN: true }),
    fc.constantFrom(0, 1, 1.0001, 2.0005, 9.9999, 10, 1e15, 2 ** 53 + 2, 1e21),
  ),
  text: fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc
      .tuple(
        fc.bigInt({ min: 0n, max: 10n ** 25n }),
        fc.constantFrom("", "m", "Ki", "Mi", "Gi", "Ti", "Pi", "k", "M", "G", "T", "P"),
      )
      .map(([n, s]) => `${n}${s}`),
    fc.stringMatching(/^[a-z][-a-z0-9]{0,12}(\.[a-z]{2,5}){0,3}$/),
  ),
});
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("set", "delete", "add", "perturb", "perturb", "perturb"),
  pick: fc.nat(),
  key: fc.constantFrom("extra", "id", "name", "namespace", "zones", "domain", "0", "quota"),
  value,
  near,
});

/** Applies mutations to a deep copy; the root is never replaced by a non-object. */
function mutate(base: Json, ms: readonly Mutation[]): Json {
  const doc = structuredClone(base) as Record<string, Json>;
  for (const m of ms) {
    const all = paths(doc).filter((p) => p.length > 0);
    // perturb aims at leaves, where a schema-valid but extreme value hides.
    const leaves = all.filter((p) => {
      const v = p.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], doc);
      return v === null || typeof v !== "object";
    });
    const pool = m.kind === "perturb" && leaves.length ? leaves : all;
    if (all.length === 0) break;
    const path = pool[m.pick % pool.length]!;
    const parent = path
      .slice(0, -1)
      .reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], doc) as Record<string | number, Json>;
    const last = path[path.length - 1]!;
    if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (m.kind === "set") parent[last] = m.value;
    else if (m.kind === "perturb") {
      const old = parent[last];
      parent[last] =
        typeof old === "number" ? m.near.number : typeof old === "string" ? m.near.text : m.value;
    } else {
      const target = parent[last];
      if (target !== null && typeof target === "object" && !Array.isArray(target))
        (target as Record<string, Json>)[m.key] = m.value;
      else parent[last] = m.value;
    }
  }
  return doc;
}

const REPO = join(__dirname, "..", "..");
const UNIT = parse(readFileSync(join(REPO, "units", "mpu.yaml"), "utf8")) as Json;
const STACK_FILE = parse(readFileSync(join(REPO, "stacks", `Pulumi.${STACK}.yaml`), "utf8")) as {
  config: Record<string, Json>;
};

/** Runs the commands in root; returns the first one that exited 3, with its stderr. */
async function internalErrors(root: string, all = true): Promise<string | undefined> {
  const out = join(mkdtempSync(join(tmpdir(), `muni-fuzz-plan-${process.pid}-`)), "plan-out");
  try {
    return await inRoot(root, async () => {
      const commands = [
        ["validate", "--stack", STACK],
        ["plan", "--stack", STACK, "--out", out],
        ...(all
          ? [
              ["validate", "units"],
              ["report", "--stack", STACK, "--format", "csv"],
            ]
          : []),
      ];
      for (const args of commands) {
        const r = await runCli(args);
        if (r.code === 3 || ![0, 1, 2].includes(r.code))
          return `muni ${args.join(" ")} exited ${r.code}: ${r.err.join("\n")}`;
      }
      return undefined;
    });
  } finally {
    rmSync(join(out, ".."), { recursive: true, force: true });
  }
}

describe("no input makes a command exit 3 (property-based)", () => {
  const root = hostileProject({});
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("GIVEN a unit manifest mutated at random (values of any type, new and deleted fields) WHEN validate, plan and report run THEN none exits 3", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (ms) => {
        writeFileSync(
          join(root, "units", "wrogi.yaml"),
          stringify(mutate({ ...(UNIT as object), id: "wrogi" }, ms)),
        );
        const failure = await internalErrors(root);
        if (failure) throw new Error(failure);
      }),
      { numRuns: Number(process.env.MUNI_FUZZ_RUNS ?? 40) },
    );
  });

  it("GIVEN a manifest's YAML text with bytes spliced in WHEN validate and plan run THEN none exits 3", async () => {
    const text = readFileSync(join(REPO, "units", "zzm.yaml"), "utf8").replace("id: zzm", "id: wrogi");
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.string({ unit: "binary", maxLength: 8 }), async (at, bytes) => {
        const i = at % text.length;
        writeFileSync(join(root, "units", "wrogi.yaml"), text.slice(0, i) + bytes + text.slice(i));
        const failure = await internalErrors(root);
        if (failure) throw new Error(failure);
      }),
      { numRuns: Number(process.env.MUNI_FUZZ_RUNS ?? 25) },
    );
  });

  it("GIVEN the stack's settings mutated at random WHEN validate, plan and report run THEN none exits 3", async () => {
    rmSync(join(root, "units", "wrogi.yaml"), { force: true });
    const settings = STACK_FILE.config["muni:settings"];
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (ms) => {
        const file = {
          ...STACK_FILE,
          config: { ...STACK_FILE.config, "muni:settings": mutate(settings, ms) },
        };
        writeFileSync(join(root, "stacks", `Pulumi.${STACK}.yaml`), stringify(file));
        const failure = await internalErrors(root);
        if (failure) throw new Error(failure);
      }),
      { numRuns: Number(process.env.MUNI_FUZZ_RUNS ?? 40) },
    );
  });
});

describe("every number of the stack settings and of a manifest at its edges", () => {
  const root = hostileProject({});
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const EDGES = (x: number) => [x * 1.0001, x * 1000, x + 0.5, -x, 0, 1e21, 2 ** 53 + 2];
  const numberPaths = (v: Json) =>
    paths(v).filter(
      (p) => typeof p.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], v) === "number",
    );

  it("GIVEN each numeric field of the stack settings set to each edge value in turn WHEN validate and plan run THEN none exits 3", async () => {
    const settings = STACK_FILE.config["muni:settings"];
    const failures: string[] = [];
    for (const path of numberPaths(settings)) {
      const x = path.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], settings) as number;
      for (const edge of EDGES(x)) {
        const s = structuredClone(settings) as Record<string, Json>;
        const parent = path
          .slice(0, -1)
          .reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], s) as Record<
          string | number,
          Json
        >;
        parent[path[path.length - 1]!] = edge;
        writeFileSync(
          join(root, "stacks", `Pulumi.${STACK}.yaml`),
          stringify({ ...STACK_FILE, config: { ...STACK_FILE.config, "muni:settings": s } }),
        );
        const failure = await internalErrors(root, false);
        if (failure) failures.push(`${path.join(".")} = ${edge}: ${failure}`);
      }
    }
    expect(failures).toStrictEqual([]);
  });

  it("GIVEN each numeric field of a manifest set to each edge value in turn WHEN validate and plan run THEN none exits 3", async () => {
    writeFileSync(join(root, "stacks", `Pulumi.${STACK}.yaml`), stringify(STACK_FILE));
    const unit = { ...(UNIT as object), id: "wrogi" } as Json;
    const failures: string[] = [];
    for (const path of numberPaths(unit)) {
      const x = path.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], unit) as number;
      for (const edge of EDGES(x)) {
        const u = structuredClone(unit) as Record<string, Json>;
        const parent = path
          .slice(0, -1)
          .reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], u) as Record<
          string | number,
          Json
        >;
        parent[path[path.length - 1]!] = edge;
        writeFileSync(join(root, "units", "wrogi.yaml"), stringify(u));
        const failure = await internalErrors(root, false);
        if (failure) failures.push(`${path.join(".")} = ${edge}: ${failure}`);
      }
    }
    rmSync(join(root, "units", "wrogi.yaml"));
    expect(failures).toStrictEqual([]);
  });
});
