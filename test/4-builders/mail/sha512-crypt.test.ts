import { execFileSync } from "node:child_process";
import { dovecotSha512Crypt, sha512Crypt } from "../../../infra/4-builders/mail/sha512-crypt";

/** The reference: OpenSSL's SHA512-CRYPT (`openssl passwd -6`), password on stdin so any bytes pass. */
function openssl(password: string, salt: string): string {
  return execFileSync("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], {
    input: `${password}\n`,
    encoding: "utf8",
  }).trim();
}

describe("SHA512-CRYPT on node:crypto", () => {
  const cases: Array<[string, string]> = [
    ["secret123", "abcdefgh"],
    ["pässwörd€", "Umlaut01"], // UTF-8 bytes, not UTF-16 code units
    ["x", "a./Zz09"],
    ["P@ss w0rd!", "saltsaltsaltsalt"], // 16-character salt, the maximum
    ["a".repeat(100), "q"], // longer than one SHA-512 block
    ["Zażółć gęślą jaźń 2026", "Qm9C1xYpR7vW2kLd"],
  ];
  it.each(cases)(
    "GIVEN password %j and salt %j WHEN hashed THEN the string equals openssl passwd -6 byte for byte",
    (password, salt) => {
      expect(sha512Crypt(password, salt)).toBe(openssl(password, salt));
    },
  );

  it("GIVEN the published test vector of Drepper's specification (rounds=10000) WHEN hashed THEN it matches", () => {
    // GIVEN/WHEN/THEN: "Hello world!" with salt "saltstringsaltst" and rounds=10000, from the specification's test table.
    expect(sha512Crypt("Hello world!", "saltstringsaltst", 10000)).toBe(
      "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
    );
  });

  it("GIVEN the same password and salt twice WHEN hashed THEN the results are identical (no perpetual diff)", () => {
    expect(dovecotSha512Crypt("secret123", "abcdefgh")).toBe(dovecotSha512Crypt("secret123", "abcdefgh"));
    expect(dovecotSha512Crypt("secret123", "abcdefgh")).toBe(
      `{SHA512-CRYPT}${openssl("secret123", "rounds=1000$abcdefgh")}`,
    );
    expect(dovecotSha512Crypt("secret123", "abcdefgh")).toMatch(
      /^\{SHA512-CRYPT\}\$6\$rounds=1000\$abcdefgh\$[./0-9A-Za-z]{86}$/,
    );
  });

  it("GIVEN a salt outside the crypt alphabet or too long WHEN hashed THEN it refuses", () => {
    expect(() => sha512Crypt("x", "bad$salt")).toThrow(
      'SHA512-CRYPT salt must be 1-16 characters of [./0-9A-Za-z], got "bad$salt"',
    );
    expect(() => sha512Crypt("x", "a".repeat(17))).toThrow("SHA512-CRYPT salt must be 1-16 characters");
    expect(() => sha512Crypt("x", "abc", 10)).toThrow("SHA512-CRYPT rounds must be 1000..999999999, got 10");
  });
});
