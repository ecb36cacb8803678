/** Check-digit verification of Polish registry numbers (NIP, REGON), used as JSON Schema formats. */

function digits(s: string): number[] | undefined {
  return /^[0-9]+$/.test(s) ? [...s].map(Number) : undefined;
}

function weighted(ds: number[], weights: number[]): number {
  return weights.reduce((sum, w, i) => sum + w * ds[i]!, 0);
}

/** NIP: 10 digits; weights 6,5,7,2,3,4,5,6,7 mod 11 give the last digit (a remainder of 10 is never issued). */
export function isValidNip(s: string): boolean {
  const ds = digits(s);
  if (!ds || ds.length !== 10) return false;
  const check = weighted(ds, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
  return check !== 10 && check === ds[9];
}

/** REGON: 9 digits (weights 8,9,2,3,4,5,6,7) or 14 digits (2,4,8,5,0,9,7,3,6,1,2,4,8); remainder 10 counts as 0. */
export function isValidRegon(s: string): boolean {
  const ds = digits(s);
  if (!ds) return false;
  const ok = (n: number, weights: number[]) => (weighted(ds, weights) % 11) % 10 === ds[n - 1];
  if (ds.length === 9) return ok(9, [8, 9, 2, 3, 4, 5, 6, 7]);
  if (ds.length === 14) return isValidRegon(s.slice(0, 9)) && ok(14, [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8]);
  return false;
}
