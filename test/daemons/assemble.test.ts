import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ASSEMBLED_TABLES,
  assembleScript,
  assembleTables,
  type MailLayout,
  platformMailLayout,
} from "../../infra/4-builders/mail";
import { requireBinaries, tempRoot } from "./harness";
import { ROOT } from "./program";

// The mail pod's hook (assemble.sh, POSIX sh) concatenates every tenant's tables in unit-id order, as
// assembleTables says: compared on tenant trees with files missing and with no tenant at all.

const file = (unit: string, t: string) => `# ${unit} ${t}\n${unit}-line-of-${t}\n`;

describe("assemble.sh, the mail tenant sync's hook", () => {
  let root: ReturnType<typeof tempRoot>;
  beforeAll(() => {
    requireBinaries("sh", "python3");
    root = tempRoot("assemble");
  });
  afterAll(() => root?.remove());

  function run(name: string, tenants: Record<string, Record<string, string>>): Record<string, string> {
    const dir = join(root.dir, name);
    const layout: MailLayout = {
      ...platformMailLayout("mail.lodz.pl"),
      tablesDir: join(dir, "tables"),
      passwords: {
        table: join(dir, "passwords"),
        store: join(dir, "store"),
        script: join(ROOT, "images", "mail", "mail_passwords.py"),
        port: 0,
      },
    };
    mkdirSync(join(dir, "tenants"), { recursive: true });
    for (const [unit, files] of Object.entries(tenants)) {
      mkdirSync(join(dir, "tenants", unit));
      for (const [t, text] of Object.entries(files)) writeFileSync(join(dir, "tenants", unit, t), text);
    }
    writeFileSync(join(dir, "assemble.sh"), assembleScript(layout, join(dir, "tenants")));
    const r = spawnSync("sh", [join(dir, "assemble.sh")], { encoding: "utf8" });
    expect([r.status, r.stderr]).toStrictEqual([0, "mail-passwords: 0 own password(s) in effect\n"]);
    return Object.fromEntries(ASSEMBLED_TABLES.map((t) => [t, readFileSync(join(dir, "tables", t), "utf8")]));
  }

  it("GIVEN tenants written out of order, one without a virtual table WHEN the hook runs THEN every table is the concatenation assembleTables gives, in the paths' byte order", () => {
    const whole = (u: string) => Object.fromEntries(ASSEMBLED_TABLES.map((t) => [t, file(u, t)]));
    const { virtual: _, ...noAliases } = whole("mpu");
    const tenants = { zzm: whole("zzm"), css: whole("css"), mpu: noAliases, "css-2": whole("css-2") };
    const expected = assembleTables(Object.entries(tenants).map(([unitId, files]) => ({ unitId, files })));
    expect(run("some", tenants)).toStrictEqual(expected);
    expect(expected.virtual).toBe(file("css-2", "virtual") + file("css", "virtual") + file("zzm", "virtual"));
  });

  it("GIVEN no tenant at all WHEN the hook runs THEN every table exists and is empty", () => {
    expect(run("none", {})).toStrictEqual(Object.fromEntries(ASSEMBLED_TABLES.map((t) => [t, ""])));
  });
});
