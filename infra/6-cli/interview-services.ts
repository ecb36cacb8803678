import { commaList, type Draft } from "./scaffold";
import { enrolled, fields, id, list, obj, type Obj, type Question, svc, whole } from "./interview";

/**
 * Each chosen service's questions, in the resolution's order. Every billable quantity (finance users and
 * modules, bandwidth, antivirus seats, mailboxes, the server quota, print queues, sites) is asked for,
 * never assumed.
 */
export const SERVICE_QUESTIONS: readonly Question[] = [
  // Central finance-accounting system: modules and named users are both billed.
  {
    flag: "--finance-modules",
    text: () =>
      `Finance modules, comma-separated from budgetReporting, budgetPlanning, generalLedger, settlements, contractsRegister, invoicing, assetRegister (billed per module)`,
    path: () => ["services", "finance", "modules"],
    when: enrolled("finance"),
    apply: (d, a) => void (svc(d, "finance").modules = commaList(a)),
  },
  {
    flag: "--finance-users",
    text: () => "Named users of the finance system (billed per user)",
    path: () => ["services", "finance", "users"],
    when: enrolled("finance"),
    apply: (d, a) => {
      const n = whole(a, "the number of named users");
      if (typeof n === "string") return n;
      svc(d, "finance").users = n;
      return undefined;
    },
  },
  {
    flag: "--bandwidth",
    text: () => "Contracted internet bandwidth in Mbit/s (billed per Mbit/s)",
    path: () => ["services", "internet", "bandwidthMbps"],
    when: enrolled("internet"),
    apply: (d, a) => {
      const n = whole(a, "Mbit/s");
      if (typeof n === "string") return n;
      svc(d, "internet").bandwidthMbps = n;
      return undefined;
    },
  },
  {
    flag: "--antivirus-seats",
    text: () => "Workstations the antivirus protects (billed per workstation)",
    path: () => ["services", "antivirus", "seats"],
    when: enrolled("antivirus"),
    apply: (d, a) => {
      const n = whole(a, "the number of workstations");
      if (typeof n === "string") return n;
      svc(d, "antivirus").seats = n;
      return undefined;
    },
  },
  {
    flag: "--antivirus-policy",
    text: () => "Antivirus policy: standard or strict",
    path: () => ["services", "antivirus", "policy"],
    when: enrolled("antivirus"),
    def: () => "standard",
    apply: (d, a) => void (svc(d, "antivirus").policy = a),
  },
  {
    flag: "--network-profile",
    text: () => "Network protection profile of the filtering proxy: basic, standard or strict",
    path: () => ["services", "networkProtection", "profile"],
    when: enrolled("networkProtection"),
    def: () => "standard",
    apply: (d, a) => void (svc(d, "networkProtection").profile = a),
  },
  // E-mail: the domain, how many mailboxes, and each mailbox (billed per mailbox).
  {
    flag: "--mail-domain",
    text: () => "Mail domain",
    path: () => ["services", "mail", "domain"],
    when: enrolled("mail"),
    def: (d, ctx) => (d.id ? `${id(d)}.${ctx.suffixes.mail}` : undefined),
    apply: (d, a) => void (svc(d, "mail").domain = a),
  },
  {
    flag: "--mailbox-limit",
    text: () => "Most mailboxes the unit may have",
    path: () => ["services", "mail", "mailboxLimit"],
    when: enrolled("mail"),
    apply: (d, a) => {
      const n = whole(a, "the most mailboxes");
      if (typeof n === "string") return n;
      svc(d, "mail").mailboxLimit = n;
      return undefined;
    },
  },
  {
    flag: "--mail-default-quota",
    text: () => "Quota of a mailbox that sets none (e.g. 2Gi)",
    path: () => ["services", "mail", "defaultQuota"],
    when: enrolled("mail"),
    def: () => "2Gi",
    apply: (d, a) => void (svc(d, "mail").defaultQuota = a),
  },
  {
    flag: "--mailbox",
    text: () =>
      "Mailbox: local part; display name[; quota], e.g. sekretariat; Sekretariat (billed per mailbox; empty to finish)",
    path: (_d, i) => ["services", "mail", "mailboxes", i],
    when: enrolled("mail"),
    repeat: { min: () => 0 },
    apply: (d, a) => {
      const [localPart, displayName, quota, ...rest] = fields(a);
      if (!localPart || !displayName || rest.length)
        return `"${a}" is not local part; display name[; quota] (e.g. jan.kowalski; Jan Kowalski; 5Gi)`;
      list(svc(d, "mail"), "mailboxes").push({ localPart, displayName, ...(quota ? { quota } : {}) });
      return undefined;
    },
  },
  // Server infrastructure: the quota is billed per vCPU and GiB; VMs run inside it.
  {
    flag: "--quota-cpu",
    text: () => "CPU quota, in cores (e.g. 4 or 500m; billed per vCPU)",
    path: () => ["services", "servers", "quota", "cpu"],
    when: enrolled("servers"),
    apply: (d, a) => void (obj(svc(d, "servers"), "quota").cpu = a),
  },
  {
    flag: "--quota-memory",
    text: () => "Memory quota (e.g. 16Gi; billed per GiB)",
    path: () => ["services", "servers", "quota", "memory"],
    when: enrolled("servers"),
    apply: (d, a) => void (obj(svc(d, "servers"), "quota").memory = a),
  },
  {
    flag: "--quota-storage",
    text: () => "Storage quota (e.g. 500Gi; billed per GiB)",
    path: () => ["services", "servers", "quota", "storage"],
    when: enrolled("servers"),
    apply: (d, a) => void (obj(svc(d, "servers"), "quota").storage = a),
  },
  {
    flag: "--vm",
    text: (_d, ctx) =>
      `Virtual machine: name; vCPU; memory; disk; image, e.g. ewidencja; 2; 4Gi; 50Gi; ${ctx.images[0] ?? "debian-12"} (images: ${ctx.images.join(", ") || "none"}; empty to finish)`,
    path: (_d, i) => ["services", "servers", "vms", i],
    when: enrolled("servers"),
    repeat: { min: () => 0 },
    apply: (d, a) => {
      const f = fields(a);
      const cpu = whole(f[1] ?? "", "vCPU");
      if (f.length !== 5 || f.some((x) => !x) || typeof cpu === "string")
        return `"${a}" is not name; vCPU; memory; disk; image (e.g. ewidencja; 2; 4Gi; 50Gi; debian-12)`;
      list(svc(d, "servers"), "vms").push({ name: f[0], cpu, memory: f[2], disk: f[3], image: f[4] });
      return undefined;
    },
  },
  // Central printing: at least one queue (billed per queue); the first is the unit's default.
  {
    flag: "--print-queue",
    text: () =>
      "Print queue: name; where the printer stands; device URI, e.g. sekretariat; pok. 12; ipps://drukarka-12.mops.lodz.pl/ipp/print (billed per queue; empty to finish)",
    path: (_d, i) => ["services", "print", "queues", i],
    when: enrolled("print"),
    repeat: { min: () => 1 },
    apply: (d, a, i) => {
      const [name, location, deviceUri, ...rest] = fields(a);
      if (!name || !location || !deviceUri || rest.length)
        return `"${a}" is not name; location; device URI (e.g. sekretariat; pok. 12; ipps://drukarka-12.mops.lodz.pl/ipp/print)`;
      const print = svc(d, "print");
      list(print, "queues").push({ name, location, deviceUri });
      if (i === 0) print.defaultQueue = name;
      return undefined;
    },
  },
  // Web and BIP sites (billed per site): the BIP first, then the unit's web sites.
  {
    flag: "--bip-site",
    text: (d, ctx) =>
      `Host name of the unit's BIP (Public Information Bulletin), e.g. bip.${id(d) || "mops"}.${ctx.suffixes.sites} (billed per site; empty: none)`,
    path: () => ["services", "web", "sites", 0, "hostname"],
    when: enrolled("web"),
    optional: true,
    apply: (d, a) => void list(svc(d, "web"), "sites").push({ hostname: a, kind: "bip" }),
  },
  {
    flag: "--bip-title",
    text: () => "Title of the BIP site (empty: the unit's name)",
    path: () => ["services", "web", "sites", 0, "title"],
    when: (d, x) => x.services.includes("web") && bip(d) !== undefined,
    optional: true,
    apply: (d, a) => void (bip(d)!.title = a),
  },
  {
    flag: "--site",
    text: (d, ctx) =>
      `Host name of a web site of the unit, e.g. ${id(d) || "mops"}.${ctx.suffixes.sites} (billed per site; empty to finish)`,
    path: (d) => ["services", "web", "sites", sites(d).length],
    when: enrolled("web"),
    repeat: { min: (d) => (bip(d) ? 0 : 1) },
    apply: (d, a) => void list(svc(d, "web"), "sites").push({ hostname: a, kind: "www" }),
  },
];

/** Who reviews the manifest: its line in CODEOWNERS. */
export const CODEOWNERS_QUESTION: Question = {
  flag: "--codeowners",
  text: () => "Who reviews the manifest's pull requests: GitHub teams or users, comma-separated (CODEOWNERS)",
  path: () => [],
  when: (_d, _x, ctx) => ctx.owners !== undefined,
  def: (d, ctx) => ctx.owners?.(id(d)),
  apply: (_d, a, _i, x) => {
    const owners = commaList(a);
    const bad = owners.find(
      (o) => !/^(@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/.test(o),
    );
    if (bad !== undefined || !owners.length)
      return `"${bad ?? a}" is not a GitHub team (@org/team), user (@name) or e-mail address`;
    x.owners = owners;
    return undefined;
  },
};

function sites(d: Draft): Obj[] {
  return ((d.services as Obj | undefined)?.web as { sites?: Obj[] } | undefined)?.sites ?? [];
}

function bip(d: Draft): Obj | undefined {
  return sites(d).find((s) => s.kind === "bip");
}
