import { cronProblem, parseGoDuration } from "../1-model";
import { SETTINGS_PATH } from "../2-manifest/stack";
import { type Finding, finding, type StackCheck } from "./finding";
import { isWholeGrosze } from "./prices";

const CRON_HINT =
  'write 5 fields, minute hour day-of-month month day-of-week, e.g. "0 1 * * *" (daily at 01:00)';

/**
 * Stack check: the backup settings hold together. Every schedule (the platform's, each class's) is a
 * standard 5-field cron expression Velero runs; every retention is at least backup.minimumRetention, as is
 * decommissionedRetention.
 */
export const backupSettings: StackCheck = ({ stack }) => {
  const b = stack.settings.backup;
  if (!b) return [];
  const at = [...SETTINGS_PATH, "backup"];
  const out: Finding[] = [];
  const min = parseGoDuration(b.minimumRetention) ?? 0;
  const cron = (expr: string, path: (string | number)[]) => {
    const why = cronProblem(expr);
    if (why)
      out.push(
        finding(stack.file, path, `"${expr}" is not a cron expression Velero runs: ${why}`, CRON_HINT),
      );
  };
  const retention = (text: string | undefined, path: (string | number)[]) => {
    if (text === undefined) return;
    const ms = parseGoDuration(text);
    if (ms !== undefined && ms < min)
      out.push(
        finding(
          stack.file,
          path,
          `retention ${text} is shorter than the stack's minimumRetention ${b.minimumRetention}`,
          `keep backups at least ${b.minimumRetention}, or lower backup.minimumRetention`,
        ),
      );
  };
  cron(b.platform.schedule, [...at, "platform", "schedule"]);
  retention(b.platform.retention, [...at, "platform", "retention"]);
  retention(b.decommissionedRetention, [...at, "decommissionedRetention"]);
  for (const [name, cls] of Object.entries(b.classes)) {
    if (!cls) continue;
    cron(cls.schedule, [...at, "classes", name, "schedule"]);
    retention(cls.retention, [...at, "classes", name, "retention"]);
  }
  return out;
};

/**
 * Stack check: the service classes hold together. The default class exists, each class's backup class is
 * one of backup.classes (and the stack has backup settings), and each price is whole grosze.
 */
export const serviceClassSettings: StackCheck = ({ stack }) => {
  const sc = stack.settings.serviceClasses;
  if (!sc) return [];
  const at = [...SETTINGS_PATH, "serviceClasses"];
  const names = Object.keys(sc.classes);
  const backups = Object.keys(stack.settings.backup?.classes ?? {});
  const out: Finding[] = [];
  if (!sc.classes[sc.default])
    out.push(
      finding(
        stack.file,
        [...at, "default"],
        `unknown service class "${sc.default}"`,
        `use one of serviceClasses.classes: ${names.join(", ")}`,
      ),
    );
  for (const [name, cls] of Object.entries(sc.classes)) {
    if (!cls) continue;
    if (!backups.includes(cls.backupClass))
      out.push(
        finding(
          stack.file,
          [...at, "classes", name, "backupClass"],
          `unknown backup class "${cls.backupClass}"`,
          backups.length
            ? `use one of backup.classes: ${backups.join(", ")}`
            : "define it under backup.classes (the stack has no backup settings)",
        ),
      );
    if (!isWholeGrosze(cls.price))
      out.push(
        finding(
          stack.file,
          [...at, "classes", name, "price"],
          `price ${String(cls.price)} has more than 2 decimal places`,
          "write the price in PLN with at most 2 decimals",
        ),
      );
  }
  return out;
};

/** Stack check: each unit's serviceClass and backupClass name classes of the stack. */
export const unitClasses: StackCheck = ({ stack, units }) => {
  const services = Object.keys(stack.settings.serviceClasses?.classes ?? {});
  const backups = Object.keys(stack.settings.backup?.classes ?? {});
  const known = (kind: string, list: string[], settings: string) =>
    list.length
      ? `use one of the stack's ${kind} classes: ${list.join(", ")}`
      : `stack ${stack.name} defines no ${settings}: remove the field or add them to the stack`;
  return units.flatMap(({ file, unit }) => {
    const out: Finding[] = [];
    if (unit.serviceClass !== undefined && !services.includes(unit.serviceClass))
      out.push(
        finding(
          file,
          ["serviceClass"],
          `unknown service class "${unit.serviceClass}" in stack ${stack.name}`,
          known("service", services, "serviceClasses"),
        ),
      );
    if (unit.backupClass !== undefined && !backups.includes(unit.backupClass))
      out.push(
        finding(
          file,
          ["backupClass"],
          `unknown backup class "${unit.backupClass}" in stack ${stack.name}`,
          known("backup", backups, "backup.classes"),
        ),
      );
    return out;
  });
};

/** Every check of backups and service classes, in order. */
export const SERVICE_CLASS_CHECKS: StackCheck[] = [backupSettings, serviceClassSettings, unitClasses];
