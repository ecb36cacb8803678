import { readFileSync, statSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { dovecotSha512Crypt, MAIL_PASSWORDS_SCRIPT } from "../../infra/4-builders/mail";
import type { Registered } from "../helpers/pulumi";
import { until } from "./harness";
import { imapFetchAll, sendMail } from "./mail-client";
import { type MailPod, startMailPod, tenantSecret } from "./mail-pod";
import { registeredPasswords, registeredTenants } from "./mail-tenants";
import { registeredBy } from "./program";

// Issue 14.5: users own their passwords. The mail StatefulSet as the lodz-prod program renders it runs in
// its own network namespace; a client on another address changes a password through the pod's password
// self-service and logs in over IMAP and submission.

const NETNS = 43;
const ME = "dyrektor@mpu.lodz.pl";
const MINE = "Wiosna-w-Lodzi-2026!";

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A form posted to the password self-service over HTTPS (the pod's certificate, trusted through its CA). */
function post(
  m: MailPod,
  form: Record<string, string> | string,
  type = "application/x-www-form-urlencoded",
): Promise<Reply> {
  const body = typeof form === "string" ? form : new URLSearchParams(form).toString();
  return call(m, "POST", body, { "Content-Type": type, "Content-Length": String(Buffer.byteLength(body)) });
}

function call(m: MailPod, method: string, body: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { ...m.at(8443), method, path: "/", ca: readFileSync(m.cert), headers, timeout: 40000 },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode!, body: text, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("passwords users own (issue 14.5): the rendered mail pod's self-service, from another address", () => {
  let registered: Registered[];
  let initial: Map<string, string>;
  let m: MailPod;
  const login = async (user: string, password: string) =>
    // Dovecot slows a client address after failed logins (up to 15 s, plus the 2 s failure delay), and these
    // tests fail some on purpose: wait longer than the penalty.
    (await imapFetchAll(m.at(143), user, password, m.cert, 40000)).login.split(" ").slice(0, 3).join(" ");
  const submits = (user: string, password: string) =>
    sendMail(m.at(587), {
      from: user,
      to: "sekretariat@css.lodz.pl",
      subject: "Haslo",
      body: "po zmianie hasla",
      auth: { user, password },
    }).status;

  beforeAll(async () => {
    // GIVEN the program's objects for lodz-prod, the mail pod running them, the units' tenants in the API
    registered = await registeredBy("lodz-prod");
    initial = registeredPasswords(registered);
    m = await startMailPod(registered, NETNS, "mail-passwords");
  }, 180000);

  afterAll(async () => {
    await m?.stop();
  });

  it("GIVEN the form WHEN fetched THEN it is served over TLS, not cached and not framable", async () => {
    const page = await call(m, "GET", "", {});
    expect([
      page.status,
      page.headers["cache-control"],
      page.headers["content-security-policy"],
    ]).toStrictEqual([200, "no-store", "default-src 'none'; form-action 'self'; frame-ancestors 'none'"]);
    expect(page.body).toMatch(/<form method="post" action="\/">/);
  });

  it("WHEN a user sets a password with the initial one THEN the new one logs in over IMAP and submission, and the initial one no longer does", async () => {
    expect(await login(ME, initial.get(ME)!)).toBe("a OK [CAPABILITY");
    const changed = await post(m, { user: ME, current: initial.get(ME)!, new: MINE });
    expect([changed.status, changed.body]).toStrictEqual([
      200,
      `<!doctype html><meta charset=utf-8><p>the password of ${ME} is changed; use it in your mail programs now</p>\n`,
    ]);
    expect(await login(ME, MINE)).toBe("a OK [CAPABILITY");
    expect(await login(ME, initial.get(ME)!)).toBe("a NO [AUTHENTICATIONFAILED]");
    expect([submits(ME, MINE), submits(ME, initial.get(ME)!)]).toStrictEqual([0, 28]);
    // AND the volume keeps only a hash, readable by the service and the mailbox owner's group, nobody else
    const store = join(m.pod.volumePath("data"), ".passwords", "store");
    const st = statSync(store);
    expect([st.mode & 0o777, st.uid, st.gid]).toStrictEqual([0o640, 5001, 5000]);
    expect(readFileSync(store, "utf8")).toMatch(
      new RegExp(
        `^${ME.replace(/\./g, "\\.")}\\tmpu\\.lodz\\.pl/dyrektor\\t\\$6\\$[./A-Za-z0-9]{16}\\$[./A-Za-z0-9]{86}\\n$`,
      ),
    );
    expect(readFileSync(store, "utf8")).not.toContain(MINE);
  }, 60000);

  it("WHEN the current password is wrong, the address is another's, or the new password is weak THEN nothing changes", async () => {
    const other = "piotr.zielinski@mpu.lodz.pl";
    const cases: [Record<string, string> | string, string, number, string][] = [
      [
        { user: other, current: "zgadywane-haslo-1", new: "Przejete-Haslo-99" },
        "",
        401,
        "wrong address or current password",
      ],
      // my own password does not open another mailbox, in my unit or another
      [
        { user: other, current: MINE, new: "Przejete-Haslo-99" },
        "",
        401,
        "wrong address or current password",
      ],
      [
        { user: "sekretariat@css.lodz.pl", current: MINE, new: "Przejete-Haslo-99" },
        "",
        401,
        "wrong address or current password",
      ],
      [
        { user: other, current: initial.get(other)!, new: "krotkie" },
        "",
        400,
        "the new password must have 12 to 128 characters",
      ],
      [
        { user: other, current: initial.get(other)!, new: "piotr.zielinski-2026" },
        "",
        400,
        "the new password must not contain the mailbox name",
      ],
      [
        { user: other, current: initial.get(other)!, new: "Nowe\u0007Haslo-2026" },
        "",
        400,
        "the new password must not contain control characters",
      ],
      [
        `user=${other}&user=${ME}&current=x&new=Przejete-Haslo-99`,
        "",
        400,
        "the form needs exactly the fields user, current and new, once each",
      ],
      [
        JSON.stringify({ user: other }),
        "application/json",
        415,
        "send the form as application/x-www-form-urlencoded",
      ],
      [`user=${"a".repeat(5000)}`, "", 413, "the form must be 1 to 4096 bytes"],
    ];
    const replies = [];
    for (const [form, type, ,] of cases) {
      const r = await post(m, form, type || undefined);
      replies.push([r.status, /<p>(.*)<\/p>/.exec(r.body)?.[1]]);
    }
    expect(replies).toStrictEqual(cases.map(([, , status, text]) => [status, text]));
    expect(await login(other, initial.get(other)!)).toBe("a OK [CAPABILITY");
    expect(await login(ME, MINE)).toBe("a OK [CAPABILITY");
    expect(m.pod.logs("passwords")).toMatch(
      /refused: wrong current password for piotr\.zielinski@mpu\.lodz\.pl/,
    );
  }, 240000);

  it("WHEN the unit's stack runs again and its tenant changes (a mailbox added) THEN the password the user set still holds", async () => {
    const mpu = registeredTenants(registered).find((t) => t.unitId === "mpu")!;
    const hash = dovecotSha512Crypt("Nowa-Skrzynka-2026", "NowaSkrzynkaS0l1");
    const files = {
      ...mpu.files,
      users: `${mpu.files.users}nowa@mpu.lodz.pl:${hash}:5000:5000::::userdb_quota_rule=*:bytes=1048576\n`,
      vmailbox: `${mpu.files.vmailbox}nowa@mpu.lodz.pl mpu.lodz.pl/nowa/\n`,
    };
    m.api.objects.splice(
      m.api.objects.findIndex((o) => o.metadata.name === "mail-tenant-mpu"),
      1,
      tenantSecret("mpu", files),
    );
    await until(
      "the added mailbox logs in",
      async () =>
        (await login("nowa@mpu.lodz.pl", "Nowa-Skrzynka-2026")) === "a OK [CAPABILITY" ? true : undefined,
      m.logs,
    );
    expect(await login(ME, MINE)).toBe("a OK [CAPABILITY");
    expect(await login(ME, initial.get(ME)!)).toBe("a NO [AUTHENTICATIONFAILED]");
  }, 90000);

  it("WHEN the pod restarts THEN the password the user set still holds and the initial one still fails", async () => {
    const before = m.pod.containers.find((c) => c.name === "passwords")!.child.pid;
    await m.restart();
    expect(m.pod.containers.find((c) => c.name === "passwords")!.child.pid).not.toBe(before);
    expect(await login(ME, MINE)).toBe("a OK [CAPABILITY");
    expect(await login(ME, initial.get(ME)!)).toBe("a NO [AUTHENTICATIONFAILED]");
  }, 120000);

  it("WHEN a central administrator resets a user's password in the pod THEN the generated initial one works again", async () => {
    const who = "sekretariat@css.lodz.pl";
    const own = "Nowe-Haslo-Biura-77";
    expect((await post(m, { user: who, current: initial.get(who)!, new: own })).status).toBe(200);
    expect(await login(who, initial.get(who)!)).toBe("a NO [AUTHENTICATIONFAILED]");
    // the documented command, with the script's defaults: the pod's own paths
    const reset = await m.pod.exec("passwords", ["python3", MAIL_PASSWORDS_SCRIPT, "reset", who]);
    expect(reset.status).toBe(0);
    expect(await login(who, initial.get(who)!)).toBe("a OK [CAPABILITY");
    expect(await login(who, own)).toBe("a NO [AUTHENTICATIONFAILED]");
    const again = await m.pod.exec("passwords", ["python3", MAIL_PASSWORDS_SCRIPT, "reset", who]);
    expect([again.status, again.stderr]).toStrictEqual([
      1,
      `${who} has not set an own password; nothing to reset\n`,
    ]);
  }, 60000);

  it("WHEN the address is retired and re-created (a new incarnation, a new maildir) THEN the old owner's password no longer opens it; its new initial password does", async () => {
    const mpu = m.api.objects.find((o) => o.metadata.name === "mail-tenant-mpu")!.stringData!;
    const fresh = "Nowa-Inkarnacja-2026";
    const users = mpu.users!.replace(new RegExp(`^${ME.replace(/\./g, "\\.")}:.*$`, "m"), (line) => {
      const f = line.split(":");
      f[1] = dovecotSha512Crypt(fresh, "InkarnacjaS0l1Dw");
      f[5] = "/srv/mail/mpu.lodz.pl/dyrektor~2";
      return f.join(":");
    });
    const vmailbox = mpu.vmailbox!.replace(`${ME} mpu.lodz.pl/dyrektor/`, `${ME} mpu.lodz.pl/dyrektor~2/`);
    expect([users === mpu.users, vmailbox === mpu.vmailbox]).toStrictEqual([false, false]);
    m.api.objects.splice(
      m.api.objects.findIndex((o) => o.metadata.name === "mail-tenant-mpu"),
      1,
      tenantSecret("mpu", { ...mpu, users, vmailbox }),
    );
    await until(
      "the new incarnation logs in with its initial password",
      async () => ((await login(ME, fresh)) === "a OK [CAPABILITY" ? true : undefined),
      m.logs,
    );
    expect(await login(ME, MINE)).toBe("a NO [AUTHENTICATIONFAILED]");
  }, 90000);
});
