import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireBinaries, tempRoot } from "./harness";
import { ROOT } from "./program";

// Issue 14.5: which of the passwords users set are in effect (images/mail/mail_passwords.py `effective`, run
// by the tenant sync's hook after every tenant change): only those whose address still has the maildir they
// were set for.

const SCRIPT = join(ROOT, "images", "mail", "mail_passwords.py");
const hash = (c: string) => `$6$${c.repeat(16)}$${c.repeat(86)}`;

describe("mail_passwords.py effective", () => {
  let root: ReturnType<typeof tempRoot>;
  beforeAll(() => {
    requireBinaries("python3");
    root = tempRoot("mail-passwords-store");
  });
  afterAll(() => root?.remove());

  it("GIVEN a store and the current vmailbox WHEN the effective file is written THEN it holds exactly the entries whose address keeps its maildir, and a malformed line is named and ignored", () => {
    const tables = join(root.dir, "tables");
    const out = join(root.dir, "passwords", "passwords");
    const store = join(root.dir, "data", ".passwords", "store");
    for (const d of [tables, join(root.dir, "passwords"), join(root.dir, "data", ".passwords")])
      mkdirSync(d, { recursive: true });
    writeFileSync(
      join(tables, "vmailbox"),
      [
        "# muni mail tenant mpu (mpu.lodz.pl): generated",
        "kept@mpu.lodz.pl mpu.lodz.pl/kept/",
        "again@mpu.lodz.pl mpu.lodz.pl/again~2/",
        "never@mpu.lodz.pl mpu.lodz.pl/never/",
        "",
      ].join("\n"),
    );
    writeFileSync(
      store,
      [
        `kept@mpu.lodz.pl\tmpu.lodz.pl/kept\t${hash("a")}`,
        // set for the first incarnation; the address was retired and re-created with a new maildir
        `again@mpu.lodz.pl\tmpu.lodz.pl/again\t${hash("b")}`,
        // the mailbox is gone
        `gone@mpu.lodz.pl\tmpu.lodz.pl/gone\t${hash("c")}`,
        `broken line without tabs`,
        "",
      ].join("\n"),
    );
    const r = spawnSync(
      "python3",
      [SCRIPT, "effective", "--tables", tables, "--store", store, "--out", out],
      { encoding: "utf8" },
    );
    expect([r.status, r.stderr]).toStrictEqual([
      0,
      `mail-passwords: ${store}:4: ignored a line that is not address<TAB>maildir<TAB>sha512-crypt\nmail-passwords: 1 own password(s) in effect\n`,
    ]);
    expect(readFileSync(out, "utf8")).toBe(
      `# muni: passwords users set (mail_passwords.py; do not edit)\nkept@mpu.lodz.pl:{SHA512-CRYPT}${hash("a")}\n`,
    );
    expect(statSync(out).mode & 0o777).toBe(0o644);
  });

  it("GIVEN no store yet (nobody changed a password) WHEN written THEN the effective file exists and is empty of entries", () => {
    const out = join(root.dir, "empty", "passwords");
    mkdirSync(join(root.dir, "empty"));
    const r = spawnSync(
      "python3",
      [
        SCRIPT,
        "effective",
        "--tables",
        join(root.dir, "none"),
        "--store",
        join(root.dir, "none", "store"),
        "--out",
        out,
      ],
      { encoding: "utf8" },
    );
    expect([r.status, r.stderr, readFileSync(out, "utf8")]).toStrictEqual([
      0,
      "mail-passwords: 0 own password(s) in effect\n",
      "# muni: passwords users set (mail_passwords.py; do not edit)\n",
    ]);
  });
});
