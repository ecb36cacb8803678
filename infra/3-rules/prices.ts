import type { Diagnostic } from "../2-manifest/diagnostics";
import type { LoadedStack } from "../2-manifest/stack";
import type { LoadedUnit } from "../2-manifest/units";
import { isWholeGrosze } from "../5-report/money";

/**
 * Stack check: every price of the chargeback price list is a whole number of grosze (at most 2 decimal
 * places), so money stays exact integer arithmetic.
 */
export function pricePrecision(stack: LoadedStack, _units: readonly LoadedUnit[]): Diagnostic[] {
  const prices = stack.settings.prices as unknown as Record<string, unknown>;
  return Object.entries(prices)
    .filter(([k, v]) => k !== "vatPercent" && typeof v === "number" && !isWholeGrosze(v))
    .map(([k, v]) =>
      stack.source.diagnostic(
        ["config", "muni:settings", "prices", k],
        `price ${String(v)} has more than 2 decimal places`,
        `write the price in PLN with at most 2 decimals, e.g. ${(Math.round((v as number) * 100) / 100).toFixed(2)}`,
      ),
    );
}
