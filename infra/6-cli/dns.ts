import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { type DnsRecord, renderZoneSnippet } from "../4-builders/mail/dns";
import { loadCity, refuseCity } from "./city-stacks";
import { type CliIO, EXIT, paint, UsageError } from "./io";
import { projectRootOf } from "./project";
import { pinnedPulumiVersion } from "./pulumi-settings";

export interface DnsOptions {
  /** `pulumi stack output --json --show-secrets` of one or more stacks (all outputs, or `mailDns --json`), files or `-` for stdin. */
  outputs?: string[];
  /** Instead: read the outputs of every unit stack of this city (the Automation API, `pulumi stack output`). */
  stack?: string;
  /** Folder to write one `<unit>.zone` file per unit into; unset prints them all. */
  out?: string;
  format: "zone" | "json";
  root?: string;
  /** Unit stacks read at once (with --stack). */
  concurrency: string;
}

/** Input muni dns cannot use (exit 1): it names the input and what is wrong with it. */
export class DnsInputError extends Error {
  override name = "DnsInputError";
}

/**
 * `muni dns`: the mail DNS records (MX, SPF, DKIM, DMARC) each unit's domain needs, one zone-file snippet per
 * unit, from the `mailDns` outputs of the unit stacks (the DKIM keys exist only in the Pulumi state, so the
 * records come from there, not from the manifests). `--stack <city>` reads every unit stack's outputs;
 * `--outputs FILE...` reads saved `pulumi stack output --json --show-secrets` of one stack each (or of the
 * city-wide stack of before). Exit 0 written, 1 input it cannot use (not JSON, no mailDns output, a record
 * that is not one, a secret not shown, a unit with two different record sets, a stack without outputs),
 * 2 usage (unreadable file, unknown stack).
 */
export async function runDns(
  io: CliIO,
  opts: DnsOptions,
  readStdin: () => string = () => readFileSync(0, "utf8"),
): Promise<number> {
  if (!opts.outputs?.length === !opts.stack)
    throw new UsageError(
      "give --stack <stack> (every unit stack's outputs) or --outputs <file>..., not both",
    );
  const sources: Array<{ name: string; text: string }> = [];
  const problems: string[] = [];
  if (opts.outputs)
    for (const f of opts.outputs) {
      try {
        sources.push({ name: f, text: f === "-" ? readStdin() : readFileSync(f, "utf8") });
      } catch (e) {
        throw new UsageError(
          `cannot read --outputs ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
  else {
    const read = await readUnitStacks(io, opts);
    if (typeof read === "number") return read;
    sources.push(...read.sources);
    problems.push(...read.problems);
  }
  const byUnit: Record<string, DnsRecord[]> = {};
  const from: Record<string, string> = {};
  for (const s of sources) {
    try {
      for (const [unit, records] of Object.entries(parseMailDns(s.text, s.name))) {
        if (from[unit] !== undefined && JSON.stringify(byUnit[unit]) !== JSON.stringify(records))
          throw new DnsInputError(
            `${s.name}: mailDns.${unit} differs from ${from[unit]}'s: give each stack's outputs once (a unit lives in one stack)`,
          );
        byUnit[unit] = records;
        from[unit] = s.name;
      }
    } catch (e) {
      if (!(e instanceof DnsInputError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length) {
    for (const p of problems) io.err(paint(io, "red", `muni dns: ${p}`));
    io.err(paint(io, "red", `muni dns: ${problems.length} input(s) it cannot use; nothing was written`));
    return EXIT.invalid;
  }
  const units = Object.keys(byUnit).sort();
  if (opts.format === "json") {
    io.out(JSON.stringify(Object.fromEntries(units.map((u) => [u, byUnit[u]])), null, 2));
    return EXIT.ok;
  }
  if (!units.length)
    io.err(
      `muni dns: no unit in ${sources.map((s) => s.name).join(", ")} is enrolled in mail: no records to publish`,
    );
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    for (const id of units) writeFileSync(join(opts.out, `${id}.zone`), renderZoneSnippet(id, byUnit[id]!));
    io.out(
      `wrote ${units.length} zone snippet${units.length === 1 ? "" : "s"} to ${opts.out}: ${units.map((u) => `${u}.zone`).join(", ") || "(none)"}`,
    );
  } else for (const id of units) io.out(renderZoneSnippet(id, byUnit[id]!));
  return EXIT.ok;
}

/** The outputs of every unit stack of a city with something provisioned, through the Automation API. */
async function readUnitStacks(
  io: CliIO,
  opts: DnsOptions,
): Promise<number | { sources: Array<{ name: string; text: string }>; problems: string[] }> {
  const concurrency = Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`--concurrency ${opts.concurrency}: give a whole number from 1 to 64`);
  const root = projectRootOf(opts.root);
  const city = loadCity(root, opts.stack!);
  if (!city.settings || city.diagnostics.length) return refuseCity(io, "dns", opts.stack!, city.diagnostics);
  const version = pinnedPulumiVersion(root);
  const automation = await import("./automation");
  const cmd = await automation.pinnedCli(version);
  const p = city.settings.pulumi;
  const env = { root, backend: p.backend, secretsProvider: p.secretsProvider, pulumiVersion: version };
  const stacks = city.stacks.filter((s) => s.unit !== undefined && s.active).map((s) => s.name);
  const sources: Array<{ name: string; text: string }> = [];
  const problems: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, stacks.length) }, async () => {
      while (next < stacks.length) {
        const name = stacks[next++]!;
        try {
          const out = await automation.stackOutputs(env, cmd, name);
          if (!Object.keys(out).length)
            problems.push(`stack ${name} has no outputs: has it been deployed (muni up)?`);
          else
            sources.push({
              name: `stack ${name}`,
              text: JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]))),
            });
        } catch (e) {
          problems.push(`stack ${name}: ${automation.firstProblem((e as Error).message)}`);
        }
      }
    }),
  );
  sources.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { sources, problems: problems.sort() };
}

/** Reads `{ mailDns: { <unit>: DnsRecord[] } }` or the bare `{ <unit>: DnsRecord[] }`; anything else is a DnsInputError. */
export function parseMailDns(text: string, source: string): Record<string, DnsRecord[]> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DnsInputError(
      `${source} is not JSON (${(e as Error).message}): pass the output of pulumi stack output --json --show-secrets`,
    );
  }
  const full = json !== null && typeof json === "object" && "mailDns" in json;
  const root = full ? (json as { mailDns: unknown }).mailDns : json;
  if (root === "[secret]")
    throw new DnsInputError(`${source}: mailDns is [secret]: pass pulumi stack output --json --show-secrets`);
  if (!root || typeof root !== "object" || Array.isArray(root) || (!full && !Object.keys(root).length))
    throw new DnsInputError(
      `${source} holds no mailDns output: pass pulumi stack output --json --show-secrets (or mailDns --json) of a muni unit stack`,
    );
  const out: Record<string, DnsRecord[]> = {};
  for (const [unit, records] of Object.entries(root)) {
    if (records === "[secret]")
      throw new DnsInputError(
        `${source}: mailDns.${unit} is [secret]: pass pulumi stack output --json --show-secrets`,
      );
    if (!Array.isArray(records) || !records.length || !records.every(isRecord))
      throw new DnsInputError(`${source}: mailDns.${unit} is not a list of {name, type, ttl, value} records`);
    out[unit] = records;
  }
  return out;
}

function isRecord(r: unknown): r is DnsRecord {
  const x = r as Partial<DnsRecord> | null;
  return (
    !!x &&
    typeof x.name === "string" &&
    x.name.length > 0 &&
    (x.type === "MX" || x.type === "TXT") &&
    typeof x.ttl === "number" &&
    Number.isInteger(x.ttl) &&
    x.ttl > 0 &&
    typeof x.value === "string" &&
    x.value.length > 0
  );
}

export function registerDns(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("dns")
    .description(
      "write the mail DNS records (MX, SPF, DKIM, DMARC) of each unit as a zone snippet, from the unit stacks' mailDns outputs",
    )
    .option(
      "--stack <stack>",
      "read the outputs of every unit stack of this city (needs the pulumi CLI and the state store)",
    )
    .option(
      "--outputs <file...>",
      "saved pulumi stack output --json --show-secrets of one stack each (or mailDns --json); - reads stdin",
    )
    .option("--out <dir>", "write one <unit>.zone per unit into this folder (default: print them)")
    .addOption(
      new Option("--format <format>", "zone snippets or the records as JSON")
        .choices(["zone", "json"])
        .default("zone"),
    )
    .option("--concurrency <n>", "with --stack: unit stacks read at once", "8")
    .option("--root <dir>", "project root (the folder of Pulumi.yaml); default: found upwards")
    .action(async (opts: DnsOptions) => done(await runDns(io, opts)));
}
