import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { type DnsRecord, renderZoneSnippet } from "../4-builders/mail/dns";
import { type CliIO, EXIT, UsageError } from "./io";

export interface DnsOptions {
  /** `pulumi stack output --json` (all outputs) or `pulumi stack output mailDns --json`, as a file or `-` for stdin. */
  outputs: string;
  /** Folder to write one `<unit>.zone` file per unit into; unset prints them all. */
  out?: string;
  format: "zone" | "json";
}

/**
 * `muni dns --outputs FILE [--out DIR]`: the mail DNS records (MX, SPF, DKIM, DMARC) each unit's domain
 * needs, one zone-file snippet per unit, from the stack's `mailDns` output (the DKIM keys exist only in
 * the Pulumi state, so the real records come from there, not from the manifests).
 */
export function runDns(
  io: CliIO,
  opts: DnsOptions,
  readStdin: () => string = () => readFileSync(0, "utf8"),
): number {
  let text: string;
  try {
    text = opts.outputs === "-" ? readStdin() : readFileSync(opts.outputs, "utf8");
  } catch (e) {
    throw new UsageError(
      `cannot read --outputs ${opts.outputs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const byUnit = parseMailDns(text, opts.outputs);
  const units = Object.keys(byUnit).sort();
  if (opts.format === "json") {
    io.out(JSON.stringify(byUnit, null, 2));
    return EXIT.ok;
  }
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    for (const id of units) writeFileSync(join(opts.out, `${id}.zone`), renderZoneSnippet(id, byUnit[id]!));
    io.out(
      `wrote ${units.length} zone snippet${units.length === 1 ? "" : "s"} to ${opts.out}: ${units.map((u) => `${u}.zone`).join(", ") || "(none)"}`,
    );
  } else for (const id of units) io.out(renderZoneSnippet(id, byUnit[id]!));
  return EXIT.ok;
}

/** Reads `{ mailDns: { <unit>: DnsRecord[] } }` or the bare `{ <unit>: DnsRecord[] }`; anything else is a usage error. */
export function parseMailDns(text: string, source: string): Record<string, DnsRecord[]> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${source} is not JSON (${(e as Error).message}): pass the output of pulumi stack output --json`,
    );
  }
  const root =
    json && typeof json === "object" && "mailDns" in json ? (json as { mailDns: unknown }).mailDns : json;
  if (!root || typeof root !== "object" || Array.isArray(root))
    throw new UsageError(
      `${source} holds no mailDns output: pass pulumi stack output --json (or mailDns --json) of a muni stack`,
    );
  const out: Record<string, DnsRecord[]> = {};
  for (const [unit, records] of Object.entries(root)) {
    if (!Array.isArray(records) || !records.every(isRecord))
      throw new UsageError(`${source}: mailDns.${unit} is not a list of {name, type, ttl, value} records`);
    out[unit] = records;
  }
  return out;
}

function isRecord(r: unknown): r is DnsRecord {
  const x = r as Partial<DnsRecord> | null;
  return (
    !!x &&
    typeof x.name === "string" &&
    (x.type === "MX" || x.type === "TXT") &&
    typeof x.ttl === "number" &&
    typeof x.value === "string"
  );
}

export function registerDns(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("dns")
    .description(
      "write the mail DNS records (MX, SPF, DKIM, DMARC) of each unit as a zone snippet, from the stack's mailDns output",
    )
    .requiredOption(
      "--outputs <file>",
      "pulumi stack output --json of the stack (or mailDns --json); - reads stdin",
    )
    .option("--out <dir>", "write one <unit>.zone per unit into this folder (default: print them)")
    .addOption(
      new Option("--format <format>", "zone snippets or the records as JSON")
        .choices(["zone", "json"])
        .default("zone"),
    )
    .action((opts: DnsOptions) => done(runDns(io, opts)));
}
