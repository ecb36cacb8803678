import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StackSettings, Unit } from "../../infra/1-model";
import { print } from "../../infra/4-builders";
import { buildContext } from "../../infra/4-builders/render";
import { TENANT_SYNC_SCRIPT } from "../../infra/4-builders/tenant-sync";
import {
  type FakeKubeApi,
  type KubeObject,
  makeCertificates,
  startFakeKubeApi,
} from "../helpers/fake-kube-api";
import { createNetns, type Netns } from "../helpers/netns";
import { type RunningPod, runPod } from "../helpers/pod-runner";
import type { Registered } from "../helpers/pulumi";
import { type Daemon, requireBinaries, run, startIppEvePrinter, tempRoot, until } from "./harness";
import { objectNamed, registeredBy, ROOT, settingsOf } from "./program";

// Issue 14, points 2, 3 and 6 for print: the print StatefulSet AS RENDERED by the lodz-prod program runs
// here (pod runner, own network namespace), reads its tenants from a stand-in Kubernetes API, and real
// CUPS clients reach it from the host side of the veth, another address.

const UNITS = ["css", "mpu", "zzm"] as const;
const NET = 12;
const PRINTER_PORT = 8631;
const ADMIN = { user: "cups-admin", password: "admin-Pa55-word" };

type Obj = KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };

describe("the print server pod as rendered, for remote clients (real cupsd, ippeveprinter)", () => {
  let registered: Registered[];
  let root: ReturnType<typeof tempRoot>;
  let net: Netns;
  let api: FakeKubeApi;
  let pod: RunningPod;
  let printer: Daemon;
  let stopPrinter: (() => Promise<void>) | undefined;
  let server: string;
  let spool: string;
  const passwords: Record<string, string> = {};
  let testdruk: Obj;
  let nowa: Obj;
  let seq = 0;

  /** A test unit of lodz-prod whose one queue prints to the ippeveprinter on the host side of the veth. */
  function testUnit(id: string, settings: StackSettings, base: Unit): { queues: Obj; password: string } {
    const unit: Unit = structuredClone(base);
    unit.id = id;
    unit.services = {
      print: {
        queues: [
          {
            name: "biuro",
            location: "pok. 1",
            description: "Biuro",
            deviceUri: `ipp://${net.hostAddress}:${PRINTER_PORT}/ipp/print`,
            driverless: true,
          },
        ],
        defaultQueue: "biuro",
      },
    } as Unit["services"];
    const secrets = {
      get: (r: { id: string; kind: string }) =>
        r.kind === "salt" ? `salt${id}`.padEnd(16, "x") : `pw-${id}-${r.id}`,
    };
    const desired = print.buildPrint(buildContext(unit, settings, secrets));
    return {
      queues: desired.find((d) => d.key === "print-queues")!.object as unknown as Obj,
      password: secrets.get(print.PRINT_PASSWORD),
    };
  }

  /**
   * One IPP request with ipptool from the host (another address than the pod's), over TLS (ipps); `auth`
   * goes into the URI, ipptool's source of the Basic password. Returns the status-code and the job-id.
   */
  function ipp(
    op: string,
    resource: string,
    o: {
      printer?: string;
      uri?: string;
      attrs?: string[];
      auth?: { user: string; password: string };
      file?: string;
    } = {},
  ): { status: string; jobId?: number; out: string } {
    const test = join(root.dir, `t-${++seq}.test`);
    const printerUri = o.uri ?? (o.printer ? `ipp://${server}/printers/${o.printer}` : "$uri");
    const lines = [
      "{",
      `NAME "${op}"`,
      `OPERATION ${op}`,
      "GROUP operation-attributes-tag",
      "ATTR charset attributes-charset utf-8",
      "ATTR naturalLanguage attributes-natural-language en",
      `ATTR uri printer-uri ${printerUri}`,
      `ATTR name requesting-user-name ${o.auth?.user ?? "anonymous"}`,
      ...(o.attrs ?? []),
      ...(o.file ? [`FILE ${o.file}`] : []),
      "STATUS successful-ok",
      "}",
    ];
    writeFileSync(test, `${lines.join("\n")}\n`);
    const cred = o.auth ? `${encodeURIComponent(o.auth.user)}:${encodeURIComponent(o.auth.password)}@` : "";
    const r = run("ipptool", ["-tv", "-T", "10", `ipps://${cred}${server}${resource}`, test]);
    const out = r.stdout + r.stderr;
    const job = /job-id \(integer\) = (\d+)/.exec(out)?.[1];
    return {
      status: /status-code = ([-a-z]+)/.exec(out)?.[1] ?? `no status: ${out.slice(0, 500)}`,
      ...(job ? { jobId: Number(job) } : {}),
      out,
    };
  }

  /** Every queue an anonymous remote client lists: name, device URI, shared. */
  function queues(): string[] {
    const test = join(root.dir, `q-${++seq}.test`);
    writeFileSync(
      test,
      "{\nOPERATION CUPS-Get-Printers\nGROUP operation-attributes-tag\nATTR charset attributes-charset utf-8\nATTR naturalLanguage attributes-natural-language en\nATTR keyword requested-attributes printer-name,device-uri,printer-is-shared\nDISPLAY printer-name\nDISPLAY device-uri\nDISPLAY printer-is-shared\nSTATUS successful-ok\n}\n",
    );
    const r = run("ipptool", ["-c", "-T", "10", `ipp://${server}/`, test]);
    return r.stdout.trim().split("\n").slice(1).sort();
  }

  const user = (u: string) => ({ user: `print-${u}`, password: passwords[u]! });

  /** Files ippeveprinter kept, by content. */
  function printed(): string[] {
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((f) => {
        const p = join(d, f);
        return statSync(p).isDirectory() ? walk(p) : [readFileSync(p, "utf8")];
      });
    return walk(spool);
  }

  function eventually(what: string, ok: () => boolean, ms = 40000): Promise<boolean> {
    return until(what, ok, () => `${pod.logs("tenant-sync")}\n${pod.logs("cupsd")}`, { ms });
  }

  beforeAll(async () => {
    requireBinaries("cupsd", "lpstat", "lpadmin", "cancel", "ipptool", "ippeveprinter", "python3", "openssl");
    // GIVEN what the program registers for lodz-prod
    registered = await registeredBy("lodz-prod");
    root = tempRoot("cups-pod");
    writeFileSync(join(root.dir, "doc.txt"), "muni test page for testdruk\n");
    net = createNetns(NET);
    server = `${net.podAddress}:631`;
    api = await startFakeKubeApi(root.dir, net.hostAddress);
    const settings = settingsOf("lodz-prod") as StackSettings;
    const { lodzProd } = await import("../4-builders/web/context");
    const prod = lodzProd();
    // AND the three Łódź units' print ConfigMaps and a test unit printing to a real IPP Everywhere printer
    for (const u of UNITS) {
      api.objects.push(objectNamed<Obj>(registered, `${u}-print-queues`) as Obj);
      passwords[u] = objectNamed<Obj>(registered, `${u}-print-account`).stringData!.password!;
    }
    const t = testUnit(
      "testdruk",
      prod.settings,
      prod.units.find((u) => u.id === "mpu")!,
    );
    testdruk = t.queues;
    passwords.testdruk = t.password;
    api.objects.push(testdruk);
    const n = testUnit(
      "nowa",
      prod.settings,
      prod.units.find((u) => u.id === "mpu")!,
    );
    nowa = n.queues;
    passwords.nowa = n.password;
    void settings;
    // AND the printer: Debian's ippeveprinter on the host side, keeping every job's file
    spool = join(root.dir, "printer-spool");
    execFileSync("mkdir", ["-p", spool]);
    const printerDir = join(root.dir, "printer");
    execFileSync("mkdir", ["-p", printerDir]);
    const eve = await startIppEvePrinter(printerDir, `mh${NET}`, PRINTER_PORT, spool);
    printer = eve.printer;
    stopPrinter = eve.stop;
    // AND the Secrets the pod mounts: TLS for its host name, the administrators' password file
    const tlsDir = join(root.dir, "tls");
    execFileSync("mkdir", ["-p", tlsDir]);
    const cert = makeCertificates(tlsDir, net.podAddress);
    const hash = execFileSync("openssl", ["passwd", "-6", ADMIN.password], { encoding: "utf8" }).trim();
    const objects: KubeObject[] = [
      objectNamed<Obj>(registered, "platform-print-config") as Obj,
      {
        kind: "Secret",
        metadata: { name: "cups-tls", namespace: "platform-print" },
        stringData: { "tls.crt": cert.cert, "tls.key": cert.key },
      },
      {
        kind: "Secret",
        metadata: { name: "cups-administrators", namespace: "platform-print" },
        stringData: { passwd: `${ADMIN.user}:${hash}\n` },
      },
    ];
    // WHEN the StatefulSet as rendered runs in its own network namespace
    const sts = objectNamed(registered, "platform-print-statefulset");
    pod = await runPod(sts, {
      netns: net,
      root: root.dir,
      objects,
      kubeApi: api,
      imageFiles: {
        [TENANT_SYNC_SCRIPT]: join(ROOT, "images", "common", "tenant_sync.py"),
        [print.PRINT_QUEUES_SCRIPT]: join(ROOT, "images", "print", "print_queues.py"),
      },
    });
    await pod.waitForPort(631);
  }, 90000);

  afterAll(async () => {
    await pod?.stop();
    await stopPrinter?.();
    await api?.close();
    net?.remove();
    root?.remove();
  });

  it("THEN an anonymous remote client lists every unit's queue, shared, with its device URI", () => {
    expect(queues()).toStrictEqual([
      "css-kadry,ipps://drukarka-112.css.lodz.pl/ipp/print,true",
      "css-obsluga-klienta,ipps://drukarka-sala.css.lodz.pl/ipp/print,true",
      "css-sekretariat,ipps://drukarka-p1.css.lodz.pl/ipp/print,true",
      "mpu-ploter,socket://ploter.mpu.lodz.pl:9100,true",
      "mpu-sekretariat,ipps://drukarka-sekretariat.mpu.lodz.pl/ipp/print,true",
      `testdruk-biuro,ipp://${net.hostAddress}:${PRINTER_PORT}/ipp/print,true`,
      "zzm-dzial-techniczny,ipp://drukarka-b12.zzm.lodz.pl/ipp/print,true",
      "zzm-sekretariat,ipps://drukarka-a101.zzm.lodz.pl/ipp/print,true",
    ]);
  });

  it("THEN a unit's workstation (lpstat as its print account) sees exactly its own queues", () => {
    const r = run("lpstat", ["-h", server, "-U", "print-mpu", "-v"]);
    expect(r.stdout.trim().split("\n").sort()).toStrictEqual([
      "device for mpu-ploter: socket://ploter.mpu.lodz.pl:9100",
      "device for mpu-sekretariat: ipps://drukarka-sekretariat.mpu.lodz.pl/ipp/print",
    ]);
  });

  it("WHEN a unit's user prints to its queue over TLS THEN the job arrives at the IPP Everywhere printer; another unit's user, a wrong password and an anonymous client are refused", async () => {
    const doc = join(root.dir, "doc.txt");
    const attrs = ["ATTR mimeMediaType document-format text/plain", "ATTR name job-name muni-test"];
    const results = {
      own: ipp("Print-Job", "/printers/testdruk-biuro", { auth: user("testdruk"), attrs, file: doc }).status,
      otherUnit: ipp("Print-Job", "/printers/testdruk-biuro", { auth: user("mpu"), attrs, file: doc }).status,
      wrongPassword: ipp("Print-Job", "/printers/testdruk-biuro", {
        auth: { user: "print-testdruk", password: "wrong" },
        attrs,
        file: doc,
      }).status,
      anonymous: ipp("Print-Job", "/printers/testdruk-biuro", { attrs, file: doc }).status,
    };
    expect(results).toStrictEqual({
      own: "successful-ok",
      otherUnit: "client-error-not-authorized",
      wrongPassword: "client-error-not-authenticated",
      anonymous: "client-error-not-authenticated",
    });
    await eventually("the job at ippeveprinter", () => printed().includes("muni test page for testdruk\n"));
    expect(printed()).toStrictEqual(["muni test page for testdruk\n"]);
  }, 60000);

  it("WHEN anonymous remote clients pause, purge, delete, re-point or modify queues and jobs on /admin, /printers/<q>, /jobs and /classes THEN every request is refused and nothing changes", () => {
    // GIVEN a job held in mpu's queue (its printer is unreachable here anyway)
    const held = ipp("Print-Job", "/printers/mpu-sekretariat", {
      auth: user("mpu"),
      attrs: ["ATTR mimeMediaType document-format text/plain", "ATTR keyword job-hold-until indefinite"],
      file: join(root.dir, "doc.txt"),
    });
    expect(held.status).toBe("successful-ok");
    const job = [`ATTR integer job-id ${held.jobId}`];
    const q = "mpu-sekretariat";
    const evil = ["GROUP printer-attributes-tag", "ATTR uri device-uri ipp://203.0.113.66/ipp/print"];
    const attempts: [string, string, Parameters<typeof ipp>[2]][] = [
      ["Pause-Printer", `/printers/${q}`, {}],
      ["Pause-Printer", "/admin/", { printer: q }],
      ["Purge-Jobs", `/printers/${q}`, {}],
      ["Cancel-Jobs", `/printers/${q}`, {}],
      ["CUPS-Reject-Jobs", `/printers/${q}`, {}],
      ["CUPS-Delete-Printer", "/admin/", { printer: q }],
      ["CUPS-Delete-Printer", `/printers/${q}`, {}],
      ["CUPS-Add-Modify-Printer", "/admin/", { printer: q, attrs: evil }],
      ["CUPS-Add-Modify-Printer", `/printers/${q}`, { attrs: evil }],
      [
        "Set-Printer-Attributes",
        `/printers/${q}`,
        { attrs: ["GROUP printer-attributes-tag", "ATTR text printer-info hacked"] },
      ],
      ["Cancel-Job", "/jobs/", { printer: q, attrs: job }],
      ["Release-Job", "/jobs/", { printer: q, attrs: job }],
      [
        "Set-Job-Attributes",
        "/jobs/",
        { printer: q, attrs: [...job, "GROUP job-attributes-tag", "ATTR name job-name x"] },
      ],
      [
        "CUPS-Move-Job",
        "/jobs/",
        {
          printer: q,
          attrs: [...job, "GROUP job-attributes-tag", "ATTR uri job-printer-uri ipp://x/printers/css-kadry"],
        },
      ],
      ["Purge-Jobs", "/jobs/", { printer: q }],
      ["CUPS-Add-Modify-Class", "/admin/", { uri: "ipp://localhost/classes/muni-test" }],
      ["CUPS-Delete-Class", "/classes/muni-test", { uri: "ipp://localhost/classes/muni-test" }],
    ];
    // GIVEN a class, made by a central administrator
    const cls = "ipp://localhost/classes/muni-test";
    const made = ipp("CUPS-Add-Modify-Class", "/admin/", {
      auth: ADMIN,
      uri: cls,
      attrs: ["GROUP printer-attributes-tag", `ATTR uri member-uris ipp://localhost/printers/${q}`],
    });
    expect(made.status).toBe("successful-ok");
    const before = queues();
    // THEN each is refused: on /admin the HTTP layer answers 401 before the IPP request is read (ipptool:
    // "No request sent"), elsewhere the IPP policy answers not-authenticated
    const log = () =>
      pod
        .logs("cupsd")
        .split("\n")
        .filter((l) => l.includes('"POST /admin/ HTTP/1.1"'));
    const adminBefore = log().length;
    const statuses = attempts.map(([op, res, o]) => {
      const r = ipp(op, res, o);
      const early = r.status === "server-error-internal-error" && r.out.includes("(No request sent.)");
      return `${op} ${res}: ${early ? "refused before the request" : r.status}`;
    });
    expect(statuses).toStrictEqual(
      attempts.map(
        ([op, res]) =>
          `${op} ${res}: ${res === "/admin/" ? "refused before the request" : "client-error-not-authenticated"}`,
      ),
    );
    expect(
      log()
        .slice(adminBefore)
        .map((l) => / (\d{3}) \d+ /.exec(l)?.[1]),
    ).toStrictEqual(attempts.filter(([, res]) => res === "/admin/").map(() => "401"));
    // AND the CUPS client tools, anonymous (no password to give), are refused the same
    const tools = [
      run("lpadmin", ["-h", server, "-p", q, "-v", "ipp://203.0.113.66/ipp/print"]),
      run("lpadmin", ["-h", server, "-x", q]),
      run("cupsdisable", ["-h", server, q]),
      run("cupsreject", ["-h", server, q]),
      run("cancel", ["-h", server, "-a", q]),
      run("cancel", ["-h", server, String(held.jobId)]),
    ].map((r) => r.status !== 0);
    expect(tools).toStrictEqual([true, true, true, true, true, true]);
    // THEN nothing changed: same queues, the held job is still there
    expect(queues()).toStrictEqual(before);
    const jobs = ipp("Get-Job-Attributes", `/printers/${q}`, { auth: ADMIN, attrs: job });
    expect(/job-state \(enum\) = (\S+)/.exec(jobs.out)?.[1]).toBe("pending-held");
  });

  it("WHEN a unit's user tries to administer THEN it is refused; a central administrator may", () => {
    const q = "mpu-sekretariat";
    expect({
      unitPause: ipp("Pause-Printer", `/printers/${q}`, { auth: user("mpu") }).status,
      unitPurge: ipp("Purge-Jobs", `/printers/${q}`, { auth: user("mpu") }).status,
      adminPause: ipp("Pause-Printer", `/printers/${q}`, { auth: ADMIN }).status,
      adminResume: ipp("Resume-Printer", `/printers/${q}`, { auth: ADMIN }).status,
    }).toStrictEqual({
      unitPause: "client-error-forbidden",
      unitPurge: "client-error-forbidden",
      adminPause: "successful-ok",
      adminResume: "successful-ok",
    });
  });

  it("WHEN a new unit's ConfigMap appears in the API THEN its queue and account work without restarting cupsd, and a queued job stays", async () => {
    const cupsd = pod.containers.find((c) => c.name === "cupsd")!.pid()!;
    const held = ipp("Print-Job", "/printers/mpu-sekretariat", {
      auth: user("mpu"),
      attrs: ["ATTR mimeMediaType document-format text/plain", "ATTR keyword job-hold-until indefinite"],
      file: join(root.dir, "doc.txt"),
    });
    expect(held.status).toBe("successful-ok");
    // WHEN the new unit's stack writes its ConfigMap
    api.objects.push(nowa);
    await eventually("nowa-biuro listed", () => queues().some((l) => l.startsWith("nowa-biuro,")));
    // THEN its user prints to it, the held job is still queued, and cupsd is the same process
    const doc = join(root.dir, "nowa.txt");
    writeFileSync(doc, "muni test page for nowa\n");
    expect(
      ipp("Print-Job", "/printers/nowa-biuro", {
        auth: user("nowa"),
        attrs: ["ATTR mimeMediaType document-format text/plain"],
        file: doc,
      }).status,
    ).toBe("successful-ok");
    await eventually("nowa's job at ippeveprinter", () => printed().includes("muni test page for nowa\n"));
    const state = ipp("Get-Job-Attributes", "/printers/mpu-sekretariat", {
      auth: ADMIN,
      attrs: [`ATTR integer job-id ${held.jobId}`],
    });
    expect({
      held: /job-state \(enum\) = (\S+)/.exec(state.out)?.[1],
      cupsd: readFileSync(`/proc/${cupsd}/comm`, "utf8").trim(),
    }).toStrictEqual({ held: "pending-held", cupsd: "cupsd" });
    // WHEN the unit leaves THEN its queue goes
    api.objects = api.objects.filter((o) => o !== nowa);
    await eventually("nowa-biuro gone", () => !queues().some((l) => l.startsWith("nowa-biuro,")));
  }, 90000);
});
