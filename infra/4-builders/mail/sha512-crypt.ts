import { createHash, hash } from "node:crypto";

/**
 * SHA512-CRYPT (`$6$`), the password scheme Dovecot documents as its strongest portable crypt scheme,
 * implemented on node:crypto after Ulrich Drepper's published "Unix crypt using SHA-256 and SHA-512"
 * specification (the algorithm glibc's crypt(3), `openssl passwd -6` and Dovecot implement).
 *
 * Why our own ~60 lines: the correct npm implementation (unixcrypt) is ESM-only and cannot be
 * `require()`d from muni's compiled CommonJS program (ERR_PACKAGE_PATH_NOT_EXPORTED); the CommonJS one
 * (sha512crypt-node) hashes UTF-16 code units instead of UTF-8 bytes, so Dovecot rejects non-ASCII
 * passwords, and it pulls mocha in as a runtime dependency. Tests compare this byte for byte with
 * `openssl passwd -6 -salt S` and log in with the result in real Dovecot.
 */
const ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Byte triples of the final digest, in the order the specification encodes them. */
const ORDER: ReadonlyArray<readonly [number, number, number]> = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
];
/** Default rounds of the specification; written without a `rounds=` field. */
export const DEFAULT_ROUNDS = 5000;

const sha512 = (...parts: Buffer[]) => {
  const h = createHash("sha512");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** `n` bytes taken from `block` repeated. */
function stretch(block: Buffer, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += block.length) block.copy(out, i, 0, Math.min(block.length, n - i));
  return out;
}

function b64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let s = "";
  for (let i = 0; i < n; i++, w >>= 6) s += ITOA64[w & 0x3f];
  return s;
}

/**
 * The crypt string `$6$<salt>$<hash>` (or `$6$rounds=N$<salt>$<hash>` for non-default rounds) of a
 * password (hashed as UTF-8). The salt must be 1–16 characters of `[./0-9A-Za-z]`: muni's salts come
 * from Pulumi state, so the same password and salt always give the same string.
 */
export function sha512Crypt(password: string, salt: string, rounds: number = DEFAULT_ROUNDS): string {
  if (!/^[./0-9A-Za-z]{1,16}$/.test(salt))
    throw new Error(
      `SHA512-CRYPT salt must be 1-16 characters of [./0-9A-Za-z], got ${JSON.stringify(salt)}`,
    );
  if (!Number.isInteger(rounds) || rounds < 1000 || rounds > 999_999_999)
    throw new Error(`SHA512-CRYPT rounds must be 1000..999999999, got ${rounds}`);
  const P = Buffer.from(password, "utf8");
  const S = Buffer.from(salt, "ascii");
  const B = sha512(P, S, P);
  const a = createHash("sha512").update(P).update(S).update(stretch(B, P.length));
  for (let n = P.length; n > 0; n >>= 1) a.update(n & 1 ? B : P);
  const A = a.digest();
  const dp = createHash("sha512");
  for (let i = 0; i < P.length; i++) dp.update(P);
  const Pp = stretch(dp.digest(), P.length);
  const ds = createHash("sha512");
  for (let i = 0; i < 16 + A[0]!; i++) ds.update(S);
  const Sp = stretch(ds.digest(), S.length);
  // The rounds dominate the cost: each hashes one of six layouts of C, P' and S'. They are written into
  // one reused buffer and hashed with the one-shot crypto.hash (no Hash object or allocation per round).
  const buf = Buffer.alloc(64 + 2 * Pp.length + Sp.length + 64);
  let C = A;
  for (let i = 0; i < rounds; i++) {
    let n = (i & 1 ? Pp : C).copy(buf, 0);
    if (i % 3) n += Sp.copy(buf, n);
    if (i % 7) n += Pp.copy(buf, n);
    n += (i & 1 ? C : Pp).copy(buf, n);
    C = hash("sha512", buf.subarray(0, n), "buffer");
  }
  let enc = ORDER.map(([x, y, z]) => b64(C[x]!, C[y]!, C[z]!, 4)).join("");
  enc += b64(0, 0, C[63]!, 2);
  return rounds === DEFAULT_ROUNDS ? `$6$${salt}$${enc}` : `$6$rounds=${rounds}$${salt}$${enc}`;
}

/**
 * Rounds muni uses for the initial mailbox passwords it generates: the specification's minimum, 1000.
 * Key stretching protects guessable passwords; these are 20 random characters of [A-Za-z0-9] (about 119
 * bits) from @pulumi/random, which no number of rounds makes easier or harder to guess in practice. The
 * program hashes every mailbox on every `pulumi preview`/`up`, so the 5000 default rounds would cost
 * five times the CPU (minutes per run at thousands of units) for nothing. Passwords users set later are
 * hashed by the mail platform with its own settings.
 */
export const MUNI_ROUNDS = 1000;

/** The value Dovecot's passwd-file expects: `{SHA512-CRYPT}$6$rounds=1000$...`. */
export function dovecotSha512Crypt(password: string, salt: string): string {
  return `{SHA512-CRYPT}${sha512Crypt(password, salt, MUNI_ROUNDS)}`;
}
