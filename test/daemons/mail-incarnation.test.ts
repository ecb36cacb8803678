import { generateKeyPairSync } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DataHistory, EMPTY_HISTORY, mailTenant, type Unit } from "../../infra/1-model";
import { loadUnitFile } from "../../infra/2-manifest/units";
import { type MailLayout, renderTenantFiles, TENANT_FILES, VMAIL_ID } from "../../infra/4-builders/mail";
import { secretsFromValues } from "../../infra/4-builders/secrets";
import { must } from "./harness";
import { type MailStack, startMailStack } from "./mail-stack";

// Issue 13, point 7, in the real Debian Dovecot: mpu's mailbox dyrektor@mpu.lodz.pl holds mail, is retired,
// and the address is created again for someone else. The new mailbox must start empty; the old mail stays.

const ADDRESS = "dyrektor@mpu.lodz.pl";
const DKIM_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();

/** mpu's tenant files with every generated value fixed (a password per account, a salt, a key). */
function tenantFiles(unit: Unit, history: DataHistory, mailRoot?: string): Record<string, string> {
  const tenant = mailTenant(unit, history)!;
  const values: Record<string, string> = { [tenant.dkimKey.id]: DKIM_KEY };
  for (const a of tenant.accounts) {
    values[a.password.id] = `Haslo${a.localPart.length}x`;
    values[a.salt.id] = "abcdefgh12345678";
  }
  return renderTenantFiles(tenant, secretsFromValues(values), "muni", undefined, mailRoot);
}

describe("a re-created address in real Dovecot starts with an empty mailbox (incarnations)", () => {
  let stack: MailStack | undefined;
  let layout: MailLayout;
  let conf: string;
  let mpu: Unit;
  /** What the tenant sync does when mpu's Secret changes: rewrite its files, run the assemble hook as the mailbox owner. */
  const install = (files: Record<string, string>) => {
    const dir = join(stack!.dir, "tenants", "mpu");
    mkdirSync(dir, { recursive: true });
    for (const f of TENANT_FILES) {
      writeFileSync(join(dir, f), files[f]!);
      chmodSync(join(dir, f), 0o600);
    }
    must("chown", ["-R", `${VMAIL_ID}:${VMAIL_ID}`, dir]);
    must("setpriv", [
      `--reuid=${VMAIL_ID}`,
      `--regid=${VMAIL_ID}`,
      "--clear-groups",
      "sh",
      join(stack!.dir, "assemble.sh"),
    ]);
  };
  const messages = (address: string) =>
    must("doveadm", [
      "-c",
      conf,
      "-f",
      "flow",
      "mailbox",
      "status",
      "-u",
      address,
      "messages",
      "INBOX",
    ]).trim();
  /** The home Dovecot's userdb gives the address (`doveadm user` prints one `field<TAB>value` per line). */
  const home = (address: string) =>
    must("doveadm", ["-c", conf, "user", address])
      .split("\n")
      .find((l) => l.startsWith("home\t"))
      ?.slice("home\t".length);

  beforeAll(async () => {
    mpu = loadUnitFile(join(__dirname, "..", "..", "units", "mpu.yaml")).unit!.unit;
    // GIVEN mpu's tenant as first provisioned (every mailbox in its first incarnation), mail in dyrektor's INBOX
    stack = await startMailStack(
      [{ unitId: "mpu", files: tenantFiles(mpu, EMPTY_HISTORY) }],
      "mail-incarnation",
    );
    layout = stack.layout;
    conf = stack.dovecotConf;
    const mail = "From: rada@lodz.pl\nTo: dyrektor@mpu.lodz.pl\nSubject: Uchwala\n\nPoufne.\n";
    must("doveadm", ["-c", conf, "save", "-u", ADDRESS, "-m", "INBOX"], { input: mail });
  }, 60000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("THEN before the retirement the first director's mail is in the first incarnation's directory", () => {
    expect([home(ADDRESS), messages(ADDRESS)]).toStrictEqual([
      join(layout.mailRoot, "mpu.lodz.pl", "dyrektor"),
      "INBOX messages=1",
    ]);
  });

  it("WHEN the address is retired and created again (incarnation 2) THEN Dovecot gives it a new home with an empty INBOX, the old mail stays on the volume, and other mailboxes are untouched", async () => {
    // The ledger after `muni ledger --retire mpu/mailbox/dyrektor@mpu.lodz.pl` and the re-created mailbox.
    const history: DataHistory = {
      ...EMPTY_HISTORY,
      mailboxes: { [ADDRESS]: 2 },
      retired: [
        {
          kind: "mailbox",
          name: ADDRESS,
          on: "2027-02-15",
          kept: ["Maildir platform-mail/mpu.lodz.pl/dyrektor"],
          incarnation: 1,
        },
      ],
    };
    install(tenantFiles(mpu, history, layout.mailRoot));
    // Dovecot checks a passwd-file for changes at most once a second: let that second pass (in the pod the
    // tenant sync rewrites mpu's files when its Secret changes and the assemble hook rebuilds the tables).
    await new Promise((r) => setTimeout(r, 1100));
    expect([home(ADDRESS), messages(ADDRESS)]).toStrictEqual([
      join(layout.mailRoot, "mpu.lodz.pl", "dyrektor~2"),
      "INBOX messages=0",
    ]);
    const old = join(layout.mailRoot, "mpu.lodz.pl", "dyrektor", "Maildir");
    expect(readdirSync(join(old, "new")).length + readdirSync(join(old, "cur")).length).toBe(1);
    expect(home("sekretariat@mpu.lodz.pl")).toBe(join(layout.mailRoot, "mpu.lodz.pl", "sekretariat"));
  });
});
