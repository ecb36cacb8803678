/**
 * Kubernetes quantity arithmetic, exact for the forms muni's schemas accept: CPU in millicores
 * ("500m", "1.5", "2") and bytes with binary or decimal suffixes ("1500Mi", "2Gi", "1.5G").
 */
const BYTE_SUFFIX: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** CPU quantity (or a whole number of cores) → integer millicores. Throws on a form the schemas do not accept. */
export function cpuMillis(q: string | number): number {
  if (typeof q === "number") {
    if (!Number.isInteger(q) || q < 0) throw new Error(`not a whole number of cores: ${q}`);
    return q * 1000;
  }
  const m = /^([0-9]+)m$/.exec(q);
  if (m) return Number(m[1]);
  const c = /^([0-9]+)(?:\.([0-9]{1,3}))?$/.exec(q);
  if (!c) throw new Error(`not a CPU quantity: ${JSON.stringify(q)}`);
  return Number(c[1]) * 1000 + Number((c[2] ?? "").padEnd(3, "0"));
}

/** Byte quantity → bytes (rounded up to a whole byte), exact in integer arithmetic. Throws on a form the schemas do not accept. */
export function bytes(q: string): number {
  const m = /^([0-9]+)(?:\.([0-9]+))?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(q);
  if (!m) throw new Error(`not a byte quantity: ${JSON.stringify(q)}`);
  const mult = BigInt(BYTE_SUFFIX[m[3] ?? ""]!);
  const frac = m[2] ?? "";
  const scale = 10n ** BigInt(frac.length);
  // (integer part + fraction) × multiplier, as one exact fraction, rounded up.
  const num = (BigInt(m[1]!) * scale + BigInt(frac || "0")) * mult;
  const out = (num + scale - 1n) / scale;
  if (out > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`byte quantity too large: ${JSON.stringify(q)}`);
  return Number(out);
}

/** Millicores → the shortest canonical quantity ("2", "1500m"). */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes → the largest binary suffix that divides it exactly ("1536Mi", "2Gi"). */
export function formatBytes(n: number): string {
  for (const s of ["Pi", "Ti", "Gi", "Mi", "Ki"] as const) {
    const m = BYTE_SUFFIX[s]!;
    if (n >= m && n % m === 0) return `${n / m}${s}`;
  }
  return String(n);
}

/**
 * floor(n × factor) for a non-negative integer n and a factor with at most 3 decimals (an over-commit
 * factor such as 1.5), in exact integer arithmetic. Throws on a factor with more decimals.
 */
export function timesFactor(n: number, factor: number): number {
  const thousandths = Math.round(factor * 1000);
  if (Math.abs(thousandths - factor * 1000) > 1e-6 || thousandths < 0)
    throw new Error(`factor ${factor} must be ≥ 0 with at most 3 decimals`);
  return Number((BigInt(n) * BigInt(thousandths)) / 1000n);
}

/** Bytes rounded UP to a whole MiB (for estimates such as VM memory overhead, so they format as "…Mi"). */
export function ceilMi(n: number): number {
  const mi = BYTE_SUFFIX.Mi!;
  return Math.ceil(n / mi) * mi;
}

/** A quantity for messages: exact binary form when there is one ("1536Mi"), else bytes with the nearest GiB ("1500000000 (≈1.4Gi)"). */
export function describeBytes(n: number): string {
  const exact = formatBytes(n);
  if (exact !== String(n)) return exact;
  const gi = n / BYTE_SUFFIX.Gi!;
  return gi >= 0.1 ? `${n} (≈${Math.round(gi * 10) / 10}Gi)` : exact;
}
