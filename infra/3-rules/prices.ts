import { SETTINGS_PATH } from "../2-manifest/stack";
import { finding, type StackCheck } from "./finding";

/** Whether a price has at most 2 decimal places. */
export function isWholeGrosze(pln: number): boolean {
  return Number.isFinite(pln) && Math.abs(pln * 100 - Math.round(pln * 100)) <= 1e-6;
}

/**
 * Stack check: every price of the chargeback price list is a whole number of grosze (at most 2 decimal
 * places), so money stays exact integer arithmetic.
 */
export const pricePrecision: StackCheck = ({ stack }) => {
  const prices = stack.settings.prices as unknown as Record<string, unknown>;
  return Object.entries(prices)
    .filter(([k, v]) => k !== "vatPercent" && typeof v === "number" && !isWholeGrosze(v))
    .map(([k, v]) =>
      finding(
        stack.file,
        [...SETTINGS_PATH, "prices", k],
        `price ${String(v)} has more than 2 decimal places`,
        `write the price in PLN with at most 2 decimals, e.g. ${(Math.round((v as number) * 100) / 100).toFixed(2)}`,
      ),
    );
};
