import type { StackSettings } from "./stack.generated";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/**
 * The date approvals are checked against, YYYY-MM-DD: the stack's `lifecycle.today`, else the
 * MUNI_TODAY environment variable, else today's date in Łódź (Europe/Warsaw). A bad MUNI_TODAY throws.
 */
export function todayOf(
  settings: Pick<StackSettings, "lifecycle">,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): string {
  if (settings.lifecycle?.today) return settings.lifecycle.today;
  const fromEnv = env.MUNI_TODAY;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!isIsoDate(fromEnv))
      throw new Error(
        `MUNI_TODAY="${fromEnv}" is not a date (write it YYYY-MM-DD, e.g. 2027-06-01, or unset it)`,
      );
    return fromEnv;
  }
  // sv-SE formats dates as YYYY-MM-DD.
  return now.toLocaleDateString("sv-SE", { timeZone: "Europe/Warsaw" });
}
