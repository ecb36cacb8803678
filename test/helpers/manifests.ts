/** Test helpers for unit manifests: a generator of varied valid units, temp dirs, and an in-process CLI runner. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Document, parseDocument } from "yaml";
import { run } from "../../infra/6-cli/main";

import type { CliIO } from "../../infra/6-cli/io";

/** A NIP with a valid check digit, derived from n (a remainder of 10 is never issued, so such n are skipped). */
export function nipFor(n: number): string {
  for (let k = n; ; k++) {
    const ds = String(100000000 + (k % 800000000))
      .split("")
      .map(Number);
    const check = [6, 5, 7, 2, 3, 4, 5, 6, 7].reduce((s, w, i) => s + w * ds[i]!, 0) % 11;
    if (check !== 10) return ds.join("") + String(check);
  }
}

/** A 9-digit REGON with a valid check digit, derived from n. */
export function regonFor(n: number): string {
  const ds = String(10000000 + (n % 89999999))
    .split("")
    .map(Number);
  const check = ([8, 9, 2, 3, 4, 5, 6, 7].reduce((s, w, i) => s + w * ds[i]!, 0) % 11) % 10;
  return ds.join("") + String(check);
}

const MODULES = [
  "budgetReporting",
  "budgetPlanning",
  "generalLedger",
  "settlements",
  "contractsRegister",
  "invoicing",
  "assetRegister",
];
const STATES = ["planned", "active", "decommissioning", "decommissioned"] as const;

/**
 * The i-th generated valid unit: every service enrolled, with counts, states and optional fields varying with i,
 * and id, mail domain, site hostnames and CUPS queue names unique across all i.
 */
export function generatedUnit(i: number): { id: string; yaml: string } {
  const id = `unit-${String(i).padStart(4, "0")}`;
  const state = STATES[i % STATES.length]!;
  const boxes = 1 + (i % 5);
  const queues = 1 + (i % 3);
  const vms = i % 4;
  const sites = 1 + (i % 2);
  const lines: string[] = [
    `# Generated unit ${i}`,
    `id: ${id}`,
    `name: Jednostka organizacyjna nr ${i} w Łodzi`,
    `shortName: JO${i}`,
    "address:",
    `  street: ul. Piotrkowska ${1 + (i % 300)}`,
    `  postalCode: 9${i % 10}-${String(100 + (i % 900)).padStart(3, "0")}`,
    "  city: Łódź",
    ...(i % 2 ? [`nip: "${nipFor(i * 7919)}"`] : []),
    ...(i % 3 ? [`regon: "${regonFor(i * 104729)}"`] : []),
    `costCentre: MPK-${String(i).padStart(4, "0")}`,
    "labels:",
    `  district: d${i % 5}`,
    "roles:",
    "  localAdministrators:",
    "    - kind: group",
    `      name: ${id}-administratorzy`,
    "  operationsLeads:",
    "    - kind: user",
    `      name: kierownik@${id}.lodz.pl`,
    `      displayName: Kierownik ${i}`,
    "lifecycle:",
    `  state: ${state}`,
    `  wave: ${1 + (i % 12)}`,
    `  plannedOn: 2026-${String(1 + (i % 12)).padStart(2, "0")}-01`,
    ...(state.startsWith("decommission")
      ? [
          "  approval:",
          "    approvedBy: Jan Kowalski, Dyrektor",
          "    approvedOn: 2027-05-10",
          `    reference: DI-II.0210.${i}.2027`,
          "    expiresOn: 2027-08-10",
        ]
      : []),
    "services:",
    "  finance:",
    `    modules: [${MODULES.slice(0, 1 + (i % MODULES.length)).join(", ")}]`,
    `    users: ${1 + (i % 40)}`,
    "  internet:",
    `    bandwidthMbps: ${100 * (1 + (i % 10))}`,
    "  antivirus:",
    `    seats: ${5 + i}`,
    `    policy: ${i % 2 ? "strict" : "standard"}`,
    "  networkProtection:",
    `    profile: ${["basic", "standard", "strict"][i % 3]}`,
    "  mail:",
    `    domain: ${id}.lodz.pl`,
    `    mailboxLimit: ${boxes + (i % 7)}`,
    "    mailboxes:",
    ...Array.from({ length: boxes }, (_, b) => [
      `      - localPart: osoba.${b}`,
      `        displayName: Osoba ${b}`,
      ...(b % 2 ? ["        quota: 5Gi"] : []),
    ]).flat(),
    "    aliases:",
    "      - name: kancelaria",
    `        to: [osoba.0${i % 2 ? ", iod@uml.lodz.pl" : ""}]`,
    "  servers:",
    "    quota:",
    `      cpu: "${2 + (i % 8)}"`,
    `      memory: ${4 * (1 + (i % 4))}Gi`,
    "      storage: 500Gi",
    ...(vms ? ["    vms:"] : []),
    ...Array.from({ length: vms }, (_, v) => [
      `      - name: vm-${v}`,
      `        cpu: ${1 + v}`,
      "        memory: 4Gi",
      "        disk: 50Gi",
      `        image: ${v % 2 ? "windows-server-2022" : "debian-12"}`,
    ]).flat(),
    "  print:",
    "    queues:",
    ...Array.from({ length: queues }, (_, q) => [
      `      - name: drukarka-${q}`,
      `        location: pok. ${q + 1}`,
      `        deviceUri: ipps://drukarka-${q}.${id}.lodz.pl/ipp/print`,
      ...(q === 2 ? ["        driverless: false", "        model: HP LaserJet M507"] : []),
    ]).flat(),
    `    defaultQueue: drukarka-${queues - 1}`,
    "  web:",
    "    sites:",
    `      - hostname: www.${id}.lodz.pl`,
    "        kind: www",
    ...(sites > 1
      ? [
          `      - hostname: bip.${id}.lodz.pl`,
          "        kind: bip",
          `        title: BIP jednostki ${i}`,
          "        replicas: 2",
        ]
      : []),
  ];
  return { id, yaml: `${lines.join("\n")}\n` };
}

/** A fresh directory under os.tmpdir(). */
export function tempDir(prefix = "muni-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `count` generated units into a fresh temp dir and returns it. */
export function writeGeneratedUnits(count: number): string {
  const dir = tempDir("muni-units-");
  for (let i = 0; i < count; i++) {
    const { id, yaml } = generatedUnit(i);
    writeFileSync(join(dir, `${id}.yaml`), yaml);
  }
  return dir;
}

/** Writes one file (text or bytes) into a fresh temp dir and returns its path. */
export function writeTempFile(name: string, content: string | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** Runs `muni <args>` in-process with a capturing CliIO (no colour unless asked). */
export async function runCli(args: readonly string[], color = false): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(...t.split("\n")), err: (t) => err.push(...t.split("\n")), color };
  const code = await run(["node", "muni", ...args], io);
  return { code, out, err };
}

/** Runs `muni <args>` in-process from `cwd`, as an engineer standing in that folder would (files named relative to it). */
export async function runCliIn(cwd: string, args: readonly string[]): Promise<CliRun> {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await runCli(args);
  } finally {
    process.chdir(before);
  }
}

/**
 * `muni ledger --root <root> --stack <stack> --retire <items...> [--write]`: records removed VMs, sites or
 * mailbox addresses (`<unit>/<kind>/<name>`) as retired (with `write`, the default), or only checks them.
 */
export function retireInLedger(
  root: string,
  stack: string,
  items: readonly string[],
  { write = true } = {},
): Promise<CliRun> {
  return runCli([
    "ledger",
    "--root",
    root,
    "--stack",
    stack,
    "--retire",
    ...items,
    ...(write ? ["--write"] : []),
  ]);
}

/** Edits a YAML file in place through the `yaml` document model (comments and layout kept); returns the path. */
export function editYamlFile(file: string, edit: (doc: Document) => void): string {
  const doc = parseDocument(readFileSync(file, "utf8"));
  edit(doc);
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return file;
}
