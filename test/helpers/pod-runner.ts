/**
 * The pod as rendered, run here (issue 14.2). USAGE (mail and print tests):
 *
 *   const net = createNetns(7);                                // test/helpers/netns.ts, distinct n per file
 *   const api = await startFakeKubeApi(dir, net.hostAddress);  // test/helpers/fake-kube-api.ts
 *   api.objects.push(...registered tenant Secrets/ConfigMaps);  // as KubeObject (kind, metadata, data|stringData)
 *   const pod = await runPod(statefulSet, {                    // statefulSet: objectNamed(registered, "...")
 *     netns: net, root: dir,                                   // root: a temp dir for volumes and logs
 *     objects: [configMaps and Secrets the pod mounts],        // as registered (stringData is fine)
 *     kubeApi: api,                                            // projects token, kube-root-ca.crt, namespace
 *   });
 *   await pod.waitForPort(631);                                // TCP on net.podAddress
 *   await pod.exec("cupsd", ["lpstat", "-v"]);                 // {status, stdout, stderr}: a command in a
 *                                                              // container's namespaces, with its env and user
 *   pod.logs("cupsd");  await pod.stop();  net.remove();  await api.close();
 *
 * What it does, as the kubelet would: every volume laid out under `<root>/volumes/<name>` (ConfigMap,
 * Secret, projected [configMap, secret, serviceAccountToken, downwardAPI metadata.namespace/name] with
 * `items`, `defaultMode`/`mode` and the `..data` symlink layout; emptyDir 0777; a PVC is a directory
 * `<root>/claims/<claim>` kept across runs with the same root, so a restart keeps the data: see
 * ./pod-volumes.ts), `fsGroup` group ownership; then each init container runs to completion and each
 * container's `command`+`args` starts inside the test's network namespace, in private mount and PID
 * namespaces (`unshare --mount --pid --fork --mount-proc`: the command is PID 1, as in a container, so
 * SIGTERM reaches it only if it handles it, and when it ends every process it left ends with it, e.g.
 * Postfix's master, which leaves the process group), bind mounts at each `mountPath` (`subPath`,
 * `readOnly` honoured), as its `securityContext` user (runAsUser/runAsGroup, fsGroup and
 * supplementalGroups, allowPrivilegeEscalation: false → no_new_privs) with the spec's env (value,
 * fieldRef, secretKeyRef, configMapKeyRef) plus KUBERNETES_SERVICE_HOST/PORT of `kubeApi`. Its stdout
 * and stderr are one pipe (a FIFO under `<root>/logs`, drained by a `cat` into `<name>.log`), as a
 * runtime gives: `/dev/stdout` opens (Postfix's maillog_file), and a daemon never waits on the test's
 * event loop. `exec` enters the running container's mount and PID namespaces (`nsenter`), as `kubectl
 * exec` does. The host's Debian packages stand in for the image's (a test checks the Dockerfiles
 * install the same ones). Missing mount points are created on the host as empty directories/files and
 * left there (removing one would detach it from a concurrent pod's namespace).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  constants,
  openSync,
  rmSync,
  readFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { createConnection } from "node:net";
import { dirname, join } from "node:path";
import type { FakeKubeApi, KubeObject } from "./fake-kube-api";
import type { Netns } from "./netns";
import { decode, findObject, layOutVolumes } from "./pod-volumes";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Spec = any;

export interface RunPodOptions {
  netns: Netns;
  /** Temp dir: volumes, claims, logs. */
  root: string;
  /** ConfigMaps and Secrets of the pod's namespace the pod references. */
  objects: readonly KubeObject[];
  /** The API the pod's service-account token is for; sets KUBERNETES_SERVICE_HOST/PORT. */
  kubeApi?: Pick<FakeKubeApi, "host" | "port" | "token" | "caPem">;
  /** Pod name for fieldRef metadata.name (default `<statefulset>-0`). */
  podName?: string;
  /**
   * Files the image adds (Dockerfile COPY), as image path → host path: bind-mounted read-only in every
   * container, e.g. `{ [TENANT_SYNC_SCRIPT]: "images/common/tenant_sync.py" }`.
   */
  imageFiles?: Record<string, string>;
  /** Timeout of each init container, ms (default 30000). */
  initTimeoutMs?: number;
}

export interface RunningContainer {
  name: string;
  /** `unshare`, which waits for the container's PID 1 and exits with its status. */
  child: ChildProcess;
  /** Host pid of the container's PID 1 (its command) while it runs. */
  pid: () => number | undefined;
  output: () => string;
}

/** The host pid of the PID 1 `unshare --fork` started for a container, while it runs. */
function initPid(child: ChildProcess): number | undefined {
  if (child.exitCode !== null || child.signalCode !== null) return undefined;
  try {
    const first = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(" ")[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

export interface RunningPod {
  address: string;
  containers: RunningContainer[];
  /** Output of a container (init containers too). */
  logs: (container: string) => string;
  /** Host path of a volume's directory (emptyDir, claim, projected...). */
  volumePath: (volume: string) => string;
  /**
   * Runs a command in a container as `kubectl exec` does: in its namespaces while it runs (else in new
   * ones with its mounts), with its env, as `user` (default: the container's user).
   */
  exec: (
    container: string,
    argv: string[],
    opts?: { user?: number; input?: string; timeoutMs?: number },
  ) => Promise<{ status: number; stdout: string; stderr: string }>;
  waitForPort: (port: number, ms?: number) => Promise<void>;
  /**
   * SIGTERM to every container's PID 1, as a kubelet sends (it ends only if it handles the signal), then
   * SIGKILL after 5 s (the grace period); waits for them and their logs.
   */
  stop: () => Promise<void>;
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

function mountsOf(c: Spec, volumes: Map<string, string>): Mount[] {
  return (c.volumeMounts ?? [])
    .map((m: Spec) => {
      const base = volumes.get(m.name);
      if (!base) throw new Error(`container ${c.name} mounts unknown volume ${m.name}`);
      const source = m.subPath ? realpathSync(join(base, m.subPath)) : base;
      return { source, target: m.mountPath, readOnly: m.readOnly === true };
    })
    .sort((a: Mount, b: Mount) => a.target.split("/").length - b.target.split("/").length);
}

function ensureMountPoint(m: Mount): void {
  if (existsSync(m.target)) return;
  const isDir = spawnSync("test", ["-d", m.source]).status === 0;
  if (isDir) mkdirSync(m.target, { recursive: true });
  else {
    mkdirSync(dirname(m.target), { recursive: true });
    writeFileSync(m.target, "");
  }
}

function envOf(c: Spec, opts: RunPodOptions, namespace: string, podName: string): string[] {
  const env: Record<string, string> = {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOSTNAME: podName,
  };
  if (opts.kubeApi) {
    env.KUBERNETES_SERVICE_HOST = opts.kubeApi.host;
    env.KUBERNETES_SERVICE_PORT = String(opts.kubeApi.port);
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.fieldRef) {
      const f = e.valueFrom.fieldRef.fieldPath;
      env[e.name] = f === "metadata.namespace" ? namespace : f === "metadata.name" ? podName : "";
    } else if (e.valueFrom?.secretKeyRef || e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef;
      const o = findObject(opts.objects, e.valueFrom.secretKeyRef ? "Secret" : "ConfigMap", ref.name);
      const v = o && decode(o, ref.key);
      if (v) env[e.name] = v.toString("utf8");
      else if (!ref.optional) throw new Error(`env ${e.name}: ${ref.name}/${ref.key} not supplied`);
    }
  }
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/**
 * argv that runs `argv` with the container's mounts, user and env, inside the netns: in new mount and PID
 * namespaces, or (`enter`: the host pid of a running container's PID 1) in that container's.
 */
function wrapped(
  c: Spec,
  pod: Spec,
  mounts: Mount[],
  env: string[],
  argv: string[],
  user?: number,
  enter?: number,
): string[] {
  const sc = { ...(pod.securityContext ?? {}), ...(c.securityContext ?? {}) };
  const uid: number = user ?? sc.runAsUser ?? 0;
  const gid: number = user === 0 ? 0 : (sc.runAsGroup ?? 0);
  const groups = [
    ...(pod.securityContext?.fsGroup !== undefined ? [pod.securityContext.fsGroup] : []),
    ...(pod.securityContext?.supplementalGroups ?? []),
  ];
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const lines = ["set -e"];
  for (const m of enter ? [] : mounts) {
    lines.push(`mount --bind ${q(m.source)} ${q(m.target)}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${q(m.target)}`);
  }
  lines.push(`cd ${q(c.workingDir ?? "/")}`);
  const setpriv = [
    "setpriv",
    `--reuid=${uid}`,
    `--regid=${gid}`,
    groups.length && uid !== 0
      ? `--groups=${groups.join(",")}`
      : uid === 0
        ? "--keep-groups"
        : "--clear-groups",
    ...(sc.allowPrivilegeEscalation === false ? ["--no-new-privs"] : []),
  ];
  lines.push(`exec ${setpriv.join(" ")} -- env -i "$@"`);
  const namespaces = enter
    ? ["nsenter", `--target=${enter}`, "--mount", "--pid", "--"]
    : ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "--"];
  return [
    ...["ip", "netns", "exec"],
    pod.__netns,
    ...namespaces,
    "sh",
    "-c",
    lines.join("\n"),
    "sh",
    ...env,
    ...argv,
  ];
}

function commandOf(c: Spec): string[] {
  if (!c.command?.length)
    throw new Error(`container ${c.name} has no command: muni's pods must name what they run`);
  return [...c.command, ...(c.args ?? [])];
}

/**
 * A container's stdout and stderr as a runtime gives them: the write end of a pipe (a FIFO in `dir`),
 * whose read end a `cat` drains into `<dir>/<name>.log`. The drain ends when the last writer (the
 * container and whatever it started) is gone.
 */
function logPipe(dir: string, name: string): { fd: number; log: string; drained: Promise<void> } {
  const log = join(dir, `${name}.log`);
  const fifo = join(dir, `${name}.fifo`);
  rmSync(fifo, { force: true });
  const made = spawnSync("mkfifo", ["-m", "0600", fifo], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`mkfifo ${fifo}: ${made.stderr}`);
  // Opening a FIFO read-write never waits (Linux); while it is open the pure ends open at once.
  const hold = openSync(fifo, constants.O_RDWR);
  const fd = openSync(fifo, constants.O_WRONLY);
  const read = openSync(fifo, constants.O_RDONLY);
  closeSync(hold);
  const out = openSync(log, "w");
  const drain = spawn("cat", [], { detached: true, stdio: [read, out, "ignore"] });
  closeSync(read);
  closeSync(out);
  LIVE.add(drain);
  const drained = new Promise<void>((resolve) =>
    drain.once("close", () => {
      LIVE.delete(drain);
      resolve();
    }),
  );
  return { fd, log, drained };
}

/** Sends a signal to a process (a group: negative pid) that may be gone already. */
function sendSignal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** Containers (and their log drains) still running: killed if the test process exits without stopping its pods. */
const LIVE = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of LIVE) sendSignal(-c.pid!, "SIGKILL");
});

/** Runs a rendered StatefulSet's pod template (see the usage note at the top of this file). */
export async function runPod(statefulSet: Spec, opts: RunPodOptions): Promise<RunningPod> {
  if (process.getuid?.() !== 0)
    throw new Error("the pod runner mounts and switches users: run the tests as root (CI does)");
  const namespace: string = statefulSet.metadata.namespace;
  const podName = opts.podName ?? `${statefulSet.metadata.name}-0`;
  const pod: Spec = { ...statefulSet.spec.template.spec, __netns: opts.netns.name };
  const volumes = layOutVolumes(pod, opts, namespace, podName);
  /** Container name → its log file. */
  const logs = new Map<string, string>();
  mkdirSync(join(opts.root, "logs"), { recursive: true });
  const prepared = new Map<string, { c: Spec; mounts: Mount[]; env: string[] }>();
  /** Container name → its log drain's end. */
  const drains = new Map<string, Promise<void>>();
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const image = Object.entries(opts.imageFiles ?? {}).map(([target, source]) => ({
      source,
      target,
      readOnly: true,
    }));
    const mounts = [...image, ...mountsOf(c, volumes)];
    mounts.forEach(ensureMountPoint);
    prepared.set(c.name, { c, mounts, env: envOf(c, opts, namespace, podName) });
  }
  // Init containers run one after the other, asynchronously: a stand-in API in this process must answer.
  for (const c of pod.initContainers ?? []) {
    const p = prepared.get(c.name)!;
    const [cmd, ...args] = wrapped(c, pod, p.mounts, p.env, commandOf(c));
    const { fd, log, drained } = logPipe(join(opts.root, "logs"), c.name);
    const child = spawn(cmd!, args, { detached: true, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    const timer = setTimeout(() => sendSignal(-child.pid!, "SIGKILL"), opts.initTimeoutMs ?? 30000);
    const code = await new Promise<number | string>((resolve) =>
      child.once("close", (status, signal) => resolve(status ?? signal ?? -1)),
    );
    clearTimeout(timer);
    await drained;
    logs.set(c.name, log);
    if (code !== 0) throw new Error(`init container ${c.name} exited ${code}:\n${readFileSync(log, "utf8")}`);
  }
  const containers: RunningContainer[] = (pod.containers ?? []).map((c: Spec) => {
    const p = prepared.get(c.name)!;
    const [cmd, ...args] = wrapped(c, pod, p.mounts, p.env, commandOf(c));
    const { fd, log, drained } = logPipe(join(opts.root, "logs"), c.name);
    const child = spawn(cmd!, args, { detached: true, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    logs.set(c.name, log);
    LIVE.add(child);
    child.once("exit", () => LIVE.delete(child));
    drains.set(c.name, drained);
    return { name: c.name, child, pid: () => initPid(child), output: () => readFileSync(log, "utf8") };
  });
  const initOf = (name: string) => containers.find((x) => x.name === name)?.pid();
  const address = opts.netns.podAddress;
  return {
    address,
    containers,
    logs: (name) => {
      const f = logs.get(name);
      return f && existsSync(f) ? readFileSync(f, "utf8") : "";
    },
    volumePath: (name) => {
      const v = volumes.get(name);
      if (!v) throw new Error(`no volume ${name}`);
      return v;
    },
    exec: (name, argv, o = {}) => {
      const p = prepared.get(name);
      if (!p) return Promise.reject(new Error(`no container ${name}`));
      const [cmd, ...args] = wrapped(p.c, pod, p.mounts, p.env, argv, o.user, initOf(name));
      return new Promise((resolve) => {
        const child = spawn(cmd!, args, { detached: true, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += String(d)));
        child.stderr.on("data", (d) => (stderr += String(d)));
        const timer = setTimeout(() => sendSignal(-child.pid!, "SIGKILL"), o.timeoutMs ?? 20000);
        child.once("close", (status) => {
          clearTimeout(timer);
          resolve({ status: status ?? -1, stdout, stderr });
        });
        child.stdin.end(o.input ?? "");
      });
    },
    waitForPort: async (port, ms = 15000) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const dead = containers.find((c) => c.child.exitCode !== null);
        if (dead) throw new Error(`container ${dead.name} exited ${dead.child.exitCode}:\n${dead.output()}`);
        const ok = await new Promise<boolean>((resolve) => {
          const s = createConnection({ host: address, port });
          s.once("connect", () => (s.destroy(), resolve(true)));
          s.once("error", () => resolve(false));
        });
        if (ok) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `nothing listens on ${address}:${port} after ${ms} ms:\n${containers.map((c) => `${c.name}: ${c.output()}`).join("\n")}`,
      );
    },
    stop: async () => {
      await Promise.all(
        containers.map(async ({ name, child }) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise<void>((r) => child.once("exit", () => r()));
          sendSignal(initOf(name) ?? -child.pid!, "SIGTERM");
          const t = setTimeout(() => sendSignal(-child.pid!, "SIGKILL"), 5000);
          await exited;
          clearTimeout(t);
        }),
      );
      // The PID namespaces are gone with their PID 1: the drains read to the end of the logs.
      await Promise.all(drains.values());
    },
  };
}

/** Lists a directory, for tests' messages. */
export function listing(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
