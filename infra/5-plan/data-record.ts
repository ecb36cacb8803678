import {
  type DataHistory,
  dataItemsOf,
  type ItemKind,
  maildirOf,
  mailboxIncarnation,
  namespaceOf,
  type RetiredItem,
  type SiteRecord,
  siteObjectNames,
  type StackSettings,
  type Unit,
  type VmRecord,
  vmNamespaceOf,
} from "../1-model";
import { namespacesHoldingData } from "../4-builders/retention";
import { renderUnit } from "../4-builders/render";
import { REDACTED_SECRETS } from "../4-builders/secrets";
import { systemDiskName } from "../4-builders/vm/vm";

/** How `muni ledger` records a unit's data this run. */
export interface RecordOptions {
  /** The day recorded for retirements (todayOf the stack). */
  today: string;
  /** Items retired in this run, `<unit>/<kind>/<name>` (`muni ledger --retire`); others removed stay recorded as held (and refused). */
  retiring?: ReadonlySet<string>;
}

/** `<unit>/<kind>/<name>`: how `--retire` names an item. */
export function retireRef(unit: string, kind: ItemKind, name: string): string {
  return `${unit}/${kind}/${name}`;
}

/**
 * A provisioned unit's `data:` record after this run: what holds data now (VMs and sites with what it takes
 * to keep rendering them, mailboxes with their incarnations); each item the manifest no longer has and this
 * run retires, moved to `retired` with the day and where its data is kept (a removal not retired stays held,
 * so the guard keeps refusing it); and every namespace that holds or has held data. Pure.
 */
export function nextHistory(
  was: DataHistory,
  unit: Unit,
  settings: StackSettings,
  opts: RecordOptions,
): DataHistory {
  const now = dataItemsOf(unit);
  const retired: RetiredItem[] = [...was.retired];
  const retiring = (kind: ItemKind, name: string) =>
    opts.retiring?.has(retireRef(unit.id, kind, name)) === true;
  const retire = (kind: ItemKind, name: string, kept: string[], extra: Partial<RetiredItem>) =>
    retired.push({ kind, name, on: opts.today, kept, ...extra });

  const vms: Record<string, VmRecord> = {};
  for (const vm of unit.services.servers?.vms ?? [])
    vms[vm.name] = { cpu: vm.cpu, memory: vm.memory, disk: vm.disk, image: vm.image };
  const vmNs = vmNamespaceOf(unit, settings);
  for (const [name, vm] of Object.entries(was.vms))
    if (name in vms) continue;
    else if (retiring("vm", name))
      retire(
        "vm",
        name,
        [`VirtualMachine ${vmNs}/${name}`, `PersistentVolumeClaim ${vmNs}/${systemDiskName({ name })}`],
        { vm },
      );
    else vms[name] = vm;

  const sites: Record<string, SiteRecord> = {};
  for (const s of unit.services.web?.sites ?? []) sites[s.hostname] = { kind: s.kind, storage: s.storage };
  const ns = namespaceOf(unit, settings);
  for (const [host, site] of Object.entries(was.sites))
    if (host in sites) continue;
    else if (retiring("site", host))
      retire("site", host, [`PersistentVolumeClaim ${ns}/${siteObjectNames(host).content}`], {
        site,
      });
    else sites[host] = site;

  const mailboxes: Record<string, number> = {};
  for (const address of now.mailbox) mailboxes[address] = mailboxIncarnation(was, address);
  const mailNs = settings.platform.mail.namespace;
  for (const [address, incarnation] of Object.entries(was.mailboxes))
    if (address in mailboxes) continue;
    else if (retiring("mailbox", address)) {
      const at = address.lastIndexOf("@");
      const dir = maildirOf(address.slice(at + 1), address.slice(0, at), incarnation);
      retire("mailbox", address, [`Maildir ${mailNs}/${dir}`], { incarnation });
    } else mailboxes[address] = incarnation;

  const next: DataHistory = { namespaces: [], vms, sites, mailboxes, retired };
  const holding = namespacesHoldingData(renderUnit(unit, settings, REDACTED_SECRETS, next));
  next.namespaces = [...new Set([...was.namespaces, ...holding])].sort();
  return next;
}

/** The items of a unit's `data:` record retired in `after` and not in `before`: what this change retires. */
export function newlyRetired(before: DataHistory | undefined, after: DataHistory | undefined): RetiredItem[] {
  const seen = new Set((before?.retired ?? []).map((r) => JSON.stringify(r)));
  return (after?.retired ?? []).filter((r) => !seen.has(JSON.stringify(r)));
}
