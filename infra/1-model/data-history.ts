import type { Site, Vm } from "./services";
import type { Unit } from "./unit.generated";

/** The kinds of a unit's data-holding items that can be retired one by one from an active unit. */
export const ITEM_KINDS = ["vm", "site", "mailbox"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** What the ledger keeps of a VM: enough to keep rendering it, halted, once it is retired. */
export type VmRecord = Pick<Vm, "cpu" | "memory" | "disk" | "image">;
/** What the ledger keeps of a site: enough to keep rendering its content volume once it is retired. */
export type SiteRecord = Pick<Site, "kind" | "storage">;

/** One item retired from a provisioned unit: removed from its manifest, its data kept. */
export interface RetiredItem {
  kind: ItemKind;
  /** vm: the VM's name; site: its hostname; mailbox: its address. */
  name: string;
  /** The day (YYYY-MM-DD) the retirement was recorded. */
  on: string;
  /** Where the data is kept: `Kind namespace/name` (`Maildir <mail namespace>/<domain>/<dir>` for mail). */
  kept: string[];
  /** A retired VM as it was (it stays in the program, halted, so its disk stays managed and protected). */
  vm?: VmRecord;
  /** A retired site's content volume as it was (it stays in the program; the rest of the site goes). */
  site?: SiteRecord;
  /** A retired mailbox's incarnation: the directory its mail stays in (a re-created address gets the next). */
  incarnation?: number;
}

/** What a unit's ledger entry knows of its data: what holds data now and what was retired. */
export interface DataHistory {
  /** Namespaces that have held the unit's data: retained (and protected where the stack protects data) while the unit exists. */
  namespaces: string[];
  /** The VMs holding data now, by name. */
  vms: Record<string, VmRecord>;
  /** The sites holding data now, by hostname. */
  sites: Record<string, SiteRecord>;
  /** Mailbox address → its incarnation (1 for the first mailbox of an address). */
  mailboxes: Record<string, number>;
  /** Items retired from the unit, oldest first. */
  retired: RetiredItem[];
}

/** The history of a unit the ledger knows nothing about yet. */
export const EMPTY_HISTORY: DataHistory = Object.freeze({
  namespaces: [],
  vms: {},
  sites: {},
  mailboxes: {},
  retired: [],
}) as DataHistory;

/** `kind/name` of an item, as `muni ledger --retire <unit>/<kind>/<name>` names it. */
export function itemRef(kind: ItemKind, name: string): string {
  return `${kind}/${name}`;
}

/** What holds data in a unit's manifest now: its VMs, its sites, its mailboxes' addresses (postmaster included when implicit). */
export function dataItemsOf(unit: Unit): Record<ItemKind, string[]> {
  const mail = unit.services.mail;
  const locals = mail ? mail.mailboxes.map((m) => m.localPart) : [];
  if (mail && !locals.includes("postmaster") && !mail.aliases.some((a) => a.name === "postmaster"))
    locals.push("postmaster");
  const mailboxes = locals.map((l) => `${l}@${mail!.domain}`);
  return {
    vm: (unit.services.servers?.vms ?? []).map((v) => v.name),
    site: (unit.services.web?.sites ?? []).map((s) => s.hostname),
    mailbox: mailboxes,
  };
}

/** The items the history says hold data now, by kind. */
export function heldItems(h: DataHistory): Record<ItemKind, string[]> {
  return { vm: Object.keys(h.vms), site: Object.keys(h.sites), mailbox: Object.keys(h.mailboxes) };
}

/**
 * The incarnation of the mailbox at `address`: the one recorded while it exists; for an address whose
 * mailbox was retired, one more than the last retired one (so the new mailbox starts in a new, empty
 * directory); else 1.
 */
export function mailboxIncarnation(h: DataHistory, address: string): number {
  const now = h.mailboxes[address];
  if (now !== undefined) return now;
  const past = h.retired
    .filter((r) => r.kind === "mailbox" && r.name === address)
    .map((r) => r.incarnation ?? 1);
  return past.length ? Math.max(...past) + 1 : 1;
}

/**
 * A mailbox's directory under the mail platform's root: `<domain>/<local part>` for the first incarnation
 * (as before incarnations existed), `<domain>/<local part>~<n>` for the n-th (`~` never occurs in a local part).
 */
export function maildirOf(domain: string, localPart: string, incarnation: number): string {
  return incarnation <= 1 ? `${domain}/${localPart}` : `${domain}/${localPart}~${incarnation}`;
}

/** The retired VMs of a history, as halted VMs to keep rendering (their disks stay managed). */
export function retiredVms(h: DataHistory): Vm[] {
  return h.retired.flatMap((r) =>
    r.kind === "vm" && r.vm && !(r.name in h.vms) ? [{ name: r.name, ...r.vm, running: false }] : [],
  );
}

/** The retired sites of a history whose content volume stays. */
export function retiredSites(h: DataHistory): Pick<Site, "hostname" | "kind" | "storage">[] {
  return h.retired.flatMap((r) =>
    r.kind === "site" && r.site && !(r.name in h.sites) ? [{ hostname: r.name, ...r.site }] : [],
  );
}
