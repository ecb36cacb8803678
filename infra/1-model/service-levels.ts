import { CronExpressionParser } from "cron-parser";
import type { StackSettings } from "./stack.generated";
import type { Unit } from "./unit.generated";

/** A service class of the stack (serviceClasses.classes). */
export type ServiceClass = NonNullable<NonNullable<StackSettings["serviceClasses"]>["classes"][string]>;
/** A backup class of the stack (backup.classes). */
export type BackupClass = NonNullable<NonNullable<StackSettings["backup"]>["classes"][string]>;
/** One kind of data a backup class takes. */
export type BackupData = BackupClass["data"][number];

/** The unit's service class: the one it names, else the stack's default; undefined without serviceClasses or when unknown. */
export function serviceClassOf(
  unit: Pick<Unit, "serviceClass">,
  settings: Pick<StackSettings, "serviceClasses">,
): { name: string; cls: ServiceClass } | undefined {
  const sc = settings.serviceClasses;
  if (!sc) return undefined;
  const name = unit.serviceClass ?? sc.default;
  const cls = sc.classes[name];
  return cls ? { name, cls } : undefined;
}

/** The unit's backup class: the one it names, else its service class's; undefined without backup settings or when unknown. */
export function backupClassOf(
  unit: Pick<Unit, "serviceClass" | "backupClass">,
  settings: Pick<StackSettings, "serviceClasses" | "backup">,
): { name: string; cls: BackupClass } | undefined {
  const b = settings.backup;
  if (!b) return undefined;
  const name = unit.backupClass ?? serviceClassOf(unit, settings)?.cls.backupClass;
  const cls = name === undefined ? undefined : b.classes[name];
  return name !== undefined && cls ? { name, cls } : undefined;
}

const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds of a Go duration (`time.ParseDuration`: `720h`, `1h30m`, `90s`; no days), or undefined when
 * it is not one. Unsigned only: a retention is never negative.
 */
export function parseGoDuration(text: string): number | undefined {
  if (!/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g))
    ms += Number(m[1]) * GO_UNITS[m[2]!]!;
  return ms;
}

/** Characters of a 5-field cron expression Velero (robfig/cron) understands: numbers, names, `* , - /`. */
const CRON_FIELD = /^[0-9A-Za-z*,/-]+$/;

/**
 * Why a schedule is not a standard 5-field cron expression Velero runs (minute hour day-of-month month
 * day-of-week), or undefined when it is one. Parsed by cron-parser, after refusing what Velero's parser
 * lacks (a seconds field, descriptors such as `@daily`, the Quartz `L W # ?` extensions) and dates that
 * never come (`0 1 30 2 *`).
 */
export function cronProblem(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5)
    return `has ${fields.length} field${fields.length === 1 ? "" : "s"}, not 5 (minute hour day-of-month month day-of-week)`;
  const bad = fields.find((f) => !CRON_FIELD.test(f) || /[LlWw#?]/.test(f.replace(/[A-Za-z]{3}/g, "")));
  if (bad !== undefined) return `field "${bad}" uses a character Velero's cron parser does not know`;
  try {
    const e = CronExpressionParser.parse(expr, { currentDate: EPOCH, tz: "UTC" });
    e.next();
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/\.$/, "");
  }
}

const EPOCH = new Date("2026-01-01T00:00:00Z");
const DAY = 86_400_000;

/**
 * The longest time between two runs of a valid schedule over one year (in UTC), in milliseconds: how stale
 * the newest backup may be before an alert. At most 2000 runs are looked at (a schedule that frequent
 * has gaps of minutes). Throws on an invalid expression (cronProblem says why).
 */
export function cronMaxGapMs(expr: string): number {
  const known = GAPS.get(expr);
  if (known !== undefined) return known;
  const e = CronExpressionParser.parse(expr, { currentDate: EPOCH, tz: "UTC" });
  let prev = EPOCH.getTime();
  let gap = 0;
  for (let i = 0; i < 2000; i++) {
    const t = e.next().getTime();
    if (i > 0) gap = Math.max(gap, t - prev);
    prev = t;
    if (t - EPOCH.getTime() > 366 * DAY) break;
  }
  GAPS.set(expr, gap);
  return gap;
}

/** Gaps already computed, by expression: every unit of a class shares its schedule (pure, so safe to keep). */
const GAPS = new Map<string, number>();
