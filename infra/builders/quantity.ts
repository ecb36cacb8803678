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

/** CPU quantity → integer millicores. Throws on a form the schemas do not accept. */
export function cpuMillis(q: string): number {
  const m = /^([0-9]+)m$/.exec(q);
  if (m) return Number(m[1]);
  const c = /^([0-9]+)(?:\.([0-9]{1,3}))?$/.exec(q);
  if (!c) throw new Error(`not a CPU quantity: ${JSON.stringify(q)}`);
  return Number(c[1]) * 1000 + Number((c[2] ?? "").padEnd(3, "0"));
}

/** Byte quantity → bytes (rounded up to a whole byte). Throws on a form the schemas do not accept. */
export function bytes(q: string): number {
  const m = /^([0-9]+)(?:\.([0-9]+))?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(q);
  if (!m) throw new Error(`not a byte quantity: ${JSON.stringify(q)}`);
  const mult = BYTE_SUFFIX[m[3] ?? ""]!;
  const frac = m[2] ? Number(`0.${m[2]}`) : 0;
  return Math.ceil(Number(m[1]) * mult + frac * mult);
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
