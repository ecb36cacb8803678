import type { PathSegment } from "../2-manifest/diagnostics";
import { type Finding, finding, type UnitInput } from "./finding";
import { checkSystemSubjects } from "./identities";
import { checkPlatformId, checkVmSuffix } from "./names";
import { checkText } from "./text";

/**
 * Rules inside one manifest that JSON Schema cannot express: names unique within the unit,
 * references that must resolve, counts within the manifest's own limits, ids that cannot collide with
 * another unit's derived names, no `system:` role subjects, and no control characters in any text.
 */
export function checkUnit({ file, unit }: UnitInput): Finding[] {
  const out: Finding[] = [
    ...checkVmSuffix({ file, unit }),
    ...checkPlatformId({ file, unit }),
    ...checkSystemSubjects({ file, unit }),
    ...checkText({ file, unit }),
  ];
  const dupes = <T>(
    items: readonly T[] | undefined,
    keyOf: (t: T) => string,
    path: PathSegment[],
    what: string,
    field?: string,
  ) => {
    const first = new Map<string, number>();
    (items ?? []).forEach((item, i) => {
      const k = keyOf(item);
      const j = first.get(k);
      if (j === undefined) first.set(k, i);
      else
        out.push(
          finding(
            file,
            [...path, i, ...(field ? [field] : [])],
            `${what} "${k}" is listed twice (first at ${path.at(-1)}[${j}])`,
            "remove the duplicate",
          ),
        );
    });
  };

  for (const role of ["localAdministrators", "operationsLeads"] as const)
    dupes(unit.roles[role], (r) => `${r.kind}:${r.name}`, ["roles", role], "identity");

  const mail = unit.services.mail;
  if (mail) {
    const base = ["services", "mail"];
    dupes(mail.mailboxes, (m) => m.localPart, [...base, "mailboxes"], "mailbox", "localPart");
    dupes(mail.aliases, (a) => a.name, [...base, "aliases"], "alias", "name");
    const boxes = new Set(mail.mailboxes.map((m) => m.localPart));
    mail.aliases.forEach((a, i) => {
      if (boxes.has(a.name))
        out.push(
          finding(
            file,
            [...base, "aliases", i, "name"],
            `alias "${a.name}" has the name of a mailbox`,
            "an address is either a mailbox or an alias: rename one",
          ),
        );
    });
    if (mail.mailboxes.length > mail.mailboxLimit)
      out.push(
        finding(
          file,
          [...base, "mailboxes"],
          `${mail.mailboxes.length} mailboxes exceed mailboxLimit ${mail.mailboxLimit}`,
          "raise mailboxLimit or remove mailboxes",
        ),
      );
  }

  const servers = unit.services.servers;
  if (servers) dupes(servers.vms, (v) => v.name, ["services", "servers", "vms"], "virtual machine", "name");

  const print = unit.services.print;
  if (print) {
    dupes(print.queues, (q) => q.name, ["services", "print", "queues"], "queue", "name");
    if (print.defaultQueue !== undefined && !print.queues.some((q) => q.name === print.defaultQueue))
      out.push(
        finding(
          file,
          ["services", "print", "defaultQueue"],
          `"${print.defaultQueue}" is not one of the unit's queues`,
          `name one of: ${print.queues.map((q) => q.name).join(", ")}`,
        ),
      );
  }

  const web = unit.services.web;
  if (web) dupes(web.sites, (s) => s.hostname, ["services", "web", "sites"], "site", "hostname");
  return out;
}
