/**
 * Bench step: the shared servers reading their tenants at run time (images/common/tenant_sync.py, issue 14.7).
 * For a synthetic city of N units it serves the N mail tenant Secrets and N print tenant ConfigMaps, exactly as
 * the unit stacks register them (muni's builders, a real DKIM key and real SHA-512 crypt hashes), from the
 * stand-in Kubernetes API (test/helpers/fake-kube-api.ts: HTTPS, bearer token, 500 per page), and measures:
 *   - each server's init container: the command the rendered StatefulSet's `tenant-sync-init` runs, its mounts
 *     mapped to folders here, under GNU time (its hook included: the mail hook is assemble.sh);
 *   - the mail hook alone (`sh assemble.sh` over the tree the sync wrote);
 *   - one pass of the mail sidecar's loop (its own command line, `time.sleep` replaced by an exit) with nothing
 *     changed: it must read every page and write nothing.
 * The print server's hook (`print_queues.py live`, which drives a running cupsd) is left out of its command.
 */
import { generateKeyPairSync } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import type { SecretSource, StackSettings } from "../infra/1-model";
import { formatDiagnostic } from "../infra/2-manifest/diagnostics";
import { loadProject } from "../infra/3-rules/project";
import { buildContext } from "../infra/4-builders/render";
import { REDACTED_SECRETS } from "../infra/4-builders/secrets";
import { SERVICE_ACCOUNT_DIR, TENANT_SYNC_SCRIPT } from "../infra/4-builders/tenant-sync";
import type { Desired } from "../infra/4-builders/types";
import {
  buildMail,
  buildMailServer,
  dovecotSha512Crypt,
  MUNI_ROUNDS,
  sha512Crypt,
} from "../infra/4-builders/mail";
import { buildPrint, buildPrintServer } from "../infra/4-builders/print";
import { type FakeKubeApi, type KubeObject, startFakeKubeApi } from "../test/helpers/fake-kube-api";
import { type Measurement, measureCommand } from "./measure";
import type { Cell, TenantSyncRow } from "./report";

/** PATH in the Debian images (test/helpers/pod-runner.ts runs pods with the same). */
const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** One generated password and salt for every account: generating values is the provider's work, not the sync's. */
const PASSWORD = "Bench0Password0Gen0x";
const SALT = "B3nchS4ltB3nchS4";

/**
 * Each provisioned unit's mail tenant Secret and print queues ConfigMap, rendered by muni's builders. The
 * builders hash every password (SHA-512 crypt, milliseconds each: minutes for 10,000 units), so they render
 * with placeholders and one real hash of the same password and salt replaces each: what the sync reads is
 * what it would read from the unit stacks. One real 2048-bit DKIM key serves every tenant.
 */
export function tenantObjects(
  root: string,
  stack: string,
): { settings: StackSettings; objects: KubeObject[] } {
  const project = loadProject(root, stack);
  if (!project.stack || project.diagnostics.length)
    throw new Error(project.diagnostics.map(formatDiagnostic).join("\n"));
  const settings = project.stack.settings;
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  const secrets: SecretSource = { get: (r) => (r.kind === "rsa-key" ? key : REDACTED_SECRETS.get(r)) };
  const mailHash = dovecotSha512Crypt(PASSWORD, SALT);
  const printHash = sha512Crypt(PASSWORD, SALT, MUNI_ROUNDS);
  const real = (text: string) =>
    text.replace(/\{SHA512-CRYPT\}<hash:[^>]*>/g, mailHash).replace(/<hash:<secret:[^>]*>>/g, printHash);
  const objects: KubeObject[] = [];
  for (const { unit } of project.units) {
    const ctx = buildContext(unit, settings, secrets);
    const pick = (ds: Desired[], k: string) => ds.find((d) => d.key === k)?.object as KubeObject | undefined;
    for (const o of [pick(buildMail(ctx), "mail-tenant"), pick(buildPrint(ctx), "print-queues")]) {
      if (!o) throw new Error(`synthetic unit ${unit.id} has no mail tenant or print queues`);
      const field = o.kind === "Secret" ? "stringData" : "data";
      const files = Object.fromEntries(Object.entries(o[field] ?? {}).map(([k, v]) => [k, real(v)]));
      const left = Object.entries(files).find(([, v]) => /<(hash|secret):/.test(v));
      if (left) throw new Error(`${o.metadata.name}: ${left[0]} still holds a placeholder after the hashes`);
      objects.push({ ...o, [field]: files });
    }
  }
  return { settings, objects };
}

interface Container {
  name: string;
  command: string[];
  volumeMounts: { name: string; mountPath: string }[];
}

/** The pod spec of a platform StatefulSet and a ConfigMap's data, from a server builder's objects. */
function podOf(objects: Desired[], statefulSet: string) {
  const o = objects.find((d) => d.key === statefulSet)?.object as
    { spec: { template: { spec: { initContainers: Container[]; containers: Container[] } } } } | undefined;
  if (!o) throw new Error(`no ${statefulSet} among the server's objects`);
  return o.spec.template.spec;
}

function containerOf(cs: readonly Container[], name: string): Container {
  const c = cs.find((x) => x.name === name);
  if (!c)
    throw new Error(`no container ${name} in the pod (containers: ${cs.map((x) => x.name).join(", ")})`);
  return c;
}

/**
 * A pod's volumes as folders under `work` (`vol-<name>`), and a function mapping the pod's paths in text
 * (arguments, scripts) to them: one pass, longest mount path first.
 */
function podVolumes(work: string, mounts: readonly { name: string; mountPath: string }[]) {
  const byPath = new Map(mounts.map((m) => [m.mountPath, join(work, `vol-${m.name}`)]));
  for (const dir of byPath.values()) mkdirSync(dir, { recursive: true });
  const paths = [...byPath.keys()].sort((a, b) => b.length - a.length);
  const re = new RegExp(
    `(${paths.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})(?=/|$|[\\s'"])`,
    "g",
  );
  return {
    dir: (mountPath: string) => byPath.get(mountPath)!,
    map: (text: string) => text.replace(re, (p) => byPath.get(p)!),
  };
}

/**
 * The host command of a sync container: the rendered command with the repository's script and the mapped
 * paths, the service-account folder passed with --sa-dir (the pod mounts it where the script looks by default).
 */
function syncArgs(
  c: Container,
  vols: ReturnType<typeof podVolumes>,
  script: string,
  dropThen: boolean,
): string[] {
  const [python, path, ...args] = c.command;
  if (python !== "python3" || path !== TENANT_SYNC_SCRIPT)
    throw new Error(
      `container ${c.name} runs ${c.command.slice(0, 2).join(" ")}, not python3 ${TENANT_SYNC_SCRIPT}`,
    );
  return [
    script,
    ...args.filter((a) => !(dropThen && a.startsWith("--then="))).map(vols.map),
    `--sa-dir=${vols.dir(SERVICE_ACCOUNT_DIR)}`,
  ];
}

/** The bytes the stand-in API answers to these requests (replayed after the measured run: the objects are the same). */
async function bytesOf(api: FakeKubeApi, paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths)
    total += await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: api.host,
          port: api.port,
          path,
          ca: api.caPem,
          headers: { authorization: `Bearer ${api.token}` },
        },
        (res) => {
          let n = 0;
          res.on("data", (b: Buffer) => (n += b.length));
          res.on("end", () => resolve(n));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });
  return total;
}

/** path → identity (inode, size, mtime) of every file, folder and link under `dir`, links not followed. */
function snapshot(dir: string, into = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const s = lstatSync(p);
    into.set(p, `${s.ino}:${s.size}:${s.mtimeMs}`);
    if (e.isDirectory()) snapshot(p, into);
  }
  return into;
}

const differences = (a: Map<string, string>, b: Map<string, string>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).length;

/** Tenant folders in the tree `--dir` names. */
const tenantsIn = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith(".")).length;

/** A measurement as a table cell, or why not (the failing command's first stderr line). */
export type CellOf = (what: string, m: Measurement) => Cell;

/** Measures the tenant sync over the synthetic city in `root` (its units written already). */
export async function measureTenantSync(
  root: string,
  repo: string,
  stack: string,
  cellOf: CellOf,
  log: (l: string) => void,
): Promise<TenantSyncRow> {
  const work = join(root, "tenant-sync");
  mkdirSync(work, { recursive: true });
  log(`tenant sync: rendering the tenant objects (not timed)`);
  const { settings, objects } = tenantObjects(root, stack);
  const api = await startFakeKubeApi(work, "127.0.0.1");
  api.objects = objects;
  const script = join(repo, "images", "common", "tenant_sync.py");
  // The pod's environment: the API's address, and the image's PATH (Debian's python3, as the images install it).
  const env = {
    KUBERNETES_SERVICE_HOST: api.host,
    KUBERNETES_SERVICE_PORT: String(api.port),
    PATH: IMAGE_PATH,
  };
  const run = (args: string[], cwd: string, command = "python3") =>
    measureCommand(command, args, { cwd, timeoutS: 1800, scratch: work, env });
  const tokenFiles = (dir: string, namespace: string) => {
    writeFileSync(join(dir, "token"), api.token);
    writeFileSync(join(dir, "ca.crt"), api.caPem);
    writeFileSync(join(dir, "namespace"), namespace);
  };
  /** One server's init container: measured, then the tree counted and the answers' bytes replayed. */
  const initSync = async (
    what: string,
    c: Container,
    vols: ReturnType<typeof podVolumes>,
    dropThen: boolean,
  ) => {
    api.requests = [];
    const args = syncArgs(c, vols, script, dropThen);
    log(`tenant sync: ${what} init container: python3 ${args.join(" ")}`);
    const sync = cellOf(`the ${what} tenant sync`, await run(args, work));
    const requests = [...api.requests];
    const dir = args.find((a) => a.startsWith("--dir="))!.slice("--dir=".length);
    const tenants = "wallS" in sync ? tenantsIn(dir) : 0;
    return {
      read: { sync, tenants, bytes: await bytesOf(api, requests), requests: requests.length },
      args,
      dir,
    };
  };
  try {
    // Mail: the StatefulSet's init container and sidecar, the mail-config ConfigMap (assemble.sh) in its volume.
    const mailObjects = buildMailServer(settings);
    const mailPod = podOf(mailObjects, "mail-statefulset");
    const [mailInit, mailSidecar] = [
      containerOf(mailPod.initContainers, "tenant-sync-init"),
      containerOf(mailPod.containers, "tenant-sync"),
    ];
    const mailVols = podVolumes(join(work, "mail"), mailInit.volumeMounts);
    tokenFiles(mailVols.dir(SERVICE_ACCOUNT_DIR), settings.platform.mail.namespace);
    const config = mailObjects.find((d) => d.key === "mail-config")!.object as unknown as {
      data: Record<string, string>;
    };
    const configMount = mailInit.volumeMounts.find((m) => m.name === "config")!.mountPath;
    for (const [f, text] of Object.entries(config.data))
      writeFileSync(join(mailVols.dir(configMount), f), mailVols.map(text));
    const mail = await initSync("mail", mailInit, mailVols, false);

    log(`tenant sync: the mail hook alone`);
    const hookCmd = mail.args
      .find((a) => a.startsWith("--then="))!
      .slice("--then=".length)
      .split(" ");
    const hook = cellOf("the mail hook", await run(hookCmd.slice(1), work, hookCmd[0]!));

    log(`tenant sync: one pass of the mail sidecar, nothing changed`);
    api.requests = [];
    const sidecarArgs = syncArgs(mailSidecar, mailVols, script, false);
    const before = snapshot(join(work, "mail"));
    // The sidecar's own command line; its loop's sleep exits instead, after the one pass.
    const onePass =
      "import runpy, sys, time\ndef stop(_s):\n    raise SystemExit(0)\ntime.sleep = stop\nsys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')";
    const poll = cellOf("one pass of the mail sidecar", await run(["-c", onePass, ...sidecarArgs], work));
    const pollRequests = api.requests.length;
    const pollChanged = differences(before, snapshot(join(work, "mail")));

    const printPod = podOf(buildPrintServer(settings), "print-statefulset");
    const printInit = containerOf(printPod.initContainers, "tenant-sync-init");
    const printVols = podVolumes(join(work, "print"), printInit.volumeMounts);
    tokenFiles(printVols.dir(SERVICE_ACCOUNT_DIR), settings.platform.print.namespace);
    const print = await initSync("print", printInit, printVols, true);
    const interval = Number(
      sidecarArgs.find((a) => a.startsWith("--interval="))?.slice("--interval=".length),
    );
    return { mail: mail.read, print: print.read, hook, poll, interval, pollRequests, pollChanged };
  } finally {
    await api.close();
  }
}
