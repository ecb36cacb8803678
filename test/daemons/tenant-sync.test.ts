import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";
import { mail, print } from "../../infra/4-builders";
import {
  TENANT_SYNC_SCRIPT,
  type TenantSync,
  tenantSyncInitContainer,
  tenantSyncSidecar,
  tenantSyncTokenVolume,
} from "../../infra/4-builders/tenant-sync";
import { type FakeKubeApi, type KubeObject, startFakeKubeApi } from "../helpers/fake-kube-api";
import { createNetns, type Netns } from "../helpers/netns";
import { type RunningPod, runPod } from "../helpers/pod-runner";
import type { Registered } from "../helpers/pulumi";
import { requireBinaries, tempRoot, until } from "./harness";
import { objectNamed, registeredBy, ROOT } from "./program";

const UNITS = ["css", "mpu", "zzm"] as const;
const SCRIPT = join(ROOT, "images", "common", "tenant_sync.py");

/** A pod with only the tenant sync (init + sidecar), as the mail and print StatefulSets embed it. */
function syncPod(over: Partial<TenantSync>) {
  const s: TenantSync = {
    component: "print",
    namespace: "platform-print",
    resource: "configmaps",
    label: print.PRINT_TENANT_LABEL,
    dir: "/run/muni/sync/tenants",
    validate: "print",
    image: "registry.example/muni/print@sha256:0",
    then: "echo changed >> /run/muni/sync/hook.log",
    intervalSeconds: 0.3,
    volumeMounts: [{ name: "sync", mountPath: "/run/muni/sync" }],
    securityContext: { runAsUser: 65534, runAsGroup: 65534, allowPrivilegeEscalation: false },
    ...over,
  };
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "sync", namespace: s.namespace },
    spec: {
      template: {
        spec: {
          serviceAccountName: "tenant-sync",
          automountServiceAccountToken: false,
          securityContext: { fsGroup: 65534 },
          initContainers: [tenantSyncInitContainer(s)],
          containers: [tenantSyncSidecar(s)],
          volumes: [tenantSyncTokenVolume(), { name: "sync", emptyDir: {} }],
        },
      },
    },
  };
}

/** unit id → sorted file names, as the tree holds them. */
function tree(dir: string): Record<string, string[]> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((u) => !u.startsWith("."))
      .sort()
      .map((u) => [u, readdirSync(join(dir, u)).sort()]),
  );
}

/** Waits for `ok`, with the sync's log when it never comes. */
function synced(what: string, ok: () => boolean, pod?: RunningPod, ms = 10000): Promise<boolean> {
  return until(what, ok, () => pod?.logs("tenant-sync") ?? "", { ms, everyMs: 50 });
}

function queuesOf(unit: string): KubeObject {
  return {
    kind: "ConfigMap",
    metadata: {
      name: `print-queues-${unit}`,
      namespace: "platform-print",
      labels: { [print.PRINT_TENANT_LABEL]: unit },
    },
    data: {
      "printers.conf": `# muni print queues of unit ${unit}\n<Printer ${unit}-a>\nInfo A\nLocation here\nDeviceURI ipp://10.0.0.1/ipp/print\nState Idle\nAccepting Yes\nShared Yes\nAllowUser print-${unit}\n</Printer>\n`,
    },
  };
}

describe("tenant sync (images/common/tenant_sync.py) in a pod, against a stand-in Kubernetes API", () => {
  let net: Netns;
  let api: FakeKubeApi;
  let root: ReturnType<typeof tempRoot>;
  let registered: Registered[];
  const pods: RunningPod[] = [];
  let n = 0;

  const start = async (over: Partial<TenantSync> = {}) => {
    const pod = await runPod(syncPod(over), {
      netns: net,
      root: join(root.dir, `pod-${++n}`),
      objects: [],
      kubeApi: api,
      imageFiles: { [TENANT_SYNC_SCRIPT]: SCRIPT },
    });
    pods.push(pod);
    return pod;
  };

  beforeAll(async () => {
    requireBinaries("python3", "ip", "unshare", "setpriv", "openssl");
    registered = await registeredBy("lodz-prod");
    root = tempRoot("tenant-sync");
    net = createNetns(11);
    api = await startFakeKubeApi(root.dir, net.hostAddress);
  }, 60000);

  afterAll(async () => {
    for (const p of pods) await p.stop();
    await api?.close();
    net?.remove();
    root?.remove();
  });

  beforeEach(() => {
    api.objects = [];
    api.requests = [];
    api.failing = false;
  });

  it("GIVEN 1,203 print tenants and unlabelled or foreign objects WHEN the init container syncs THEN exactly the tenants are written, read 500 per page", async () => {
    const ids = Array.from({ length: 1203 }, (_, i) => `u${String(i).padStart(4, "0")}`);
    api.objects = [
      ...ids.map(queuesOf),
      { kind: "ConfigMap", metadata: { name: "cups-config", namespace: "platform-print" }, data: { a: "b" } },
      { ...queuesOf("other"), metadata: { ...queuesOf("other").metadata, namespace: "platform-mail" } },
    ];
    const pod = await start();
    const dir = join(pod.volumePath("sync"), "tenants");
    expect(Object.keys(tree(dir))).toStrictEqual(ids);
    expect(readFileSync(join(dir, "u0007", "printers.conf"), "utf8")).toBe(
      queuesOf("u0007").data!["printers.conf"],
    );
    const q = (cont?: string) =>
      `/api/v1/namespaces/platform-print/configmaps?labelSelector=${encodeURIComponent(print.PRINT_TENANT_LABEL)}&limit=500${cont ? `&continue=${cont}` : ""}`;
    expect(api.requests.slice(0, 3)).toStrictEqual([q(), q("500"), q("1000")]);
    // THEN the sidecar runs as the securityContext user, with the namespace and token the pod projects
    const who = await pod.exec("tenant-sync", [
      "sh",
      "-c",
      "id -u; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace",
    ]);
    expect(who.stdout).toBe("65534\nplatform-print");
    await pod.stop();
  });

  it("GIVEN the Łódź mail tenant Secrets as the program registers them, one with a malformed users line WHEN synced THEN that tenant is skipped with a log line naming it and the others are written decoded", async () => {
    const secrets = UNITS.map((u) => {
      const s = objectNamed<KubeObject>(registered, `${u}-mail-tenant`);
      return { ...s, kind: "Secret" as const };
    });
    const broken = {
      ...secrets[1]!,
      stringData: { ...secrets[1]!.stringData!, users: "anna@mpu.lodz.pl:plain:5000\n" },
    };
    api.objects = [secrets[0]!, broken, secrets[2]!];
    const pod = await start({
      component: "mail",
      namespace: "platform-mail",
      resource: "secrets",
      label: mail.TENANT_LABEL,
      validate: "mail",
    });
    const dir = join(pod.volumePath("sync"), "tenants");
    const files = [...mail.TENANT_FILES].sort();
    expect(tree(dir)).toStrictEqual({ css: files, zzm: files });
    expect(readFileSync(join(dir, "zzm", "users"), "utf8")).toBe(secrets[2]!.stringData!.users);
    expect(pod.logs("tenant-sync-init")).toContain(
      "tenant-sync: skipped tenant mpu (mail-tenant-mpu): malformed users:1: 'anna@mpu.lodz.pl:plain:5000'",
    );
    await pod.stop();
  });

  it("GIVEN the Łódź print ConfigMaps as registered WHEN synced THEN all three pass the print validation", async () => {
    api.objects = UNITS.map((u) => ({
      ...objectNamed<KubeObject>(registered, `${u}-print-queues`),
      kind: "ConfigMap" as const,
    }));
    const pod = await start();
    expect(tree(join(pod.volumePath("sync"), "tenants"))).toStrictEqual({
      css: ["print-account", "printers.conf"],
      mpu: ["print-account", "printers.conf"],
      zzm: ["print-account", "printers.conf"],
    });
    await pod.stop();
  });

  it("GIVEN a running sidecar WHEN tenants are added, changed and removed THEN the tree follows by atomic switches and the hook runs once per change", async () => {
    api.objects = [queuesOf("aaa"), queuesOf("bbb")];
    const pod = await start();
    const sync = pod.volumePath("sync");
    const dir = join(sync, "tenants");
    const hookRuns = () =>
      existsSync(join(sync, "hook.log"))
        ? readFileSync(join(sync, "hook.log"), "utf8").split("\n").length - 1
        : 0;
    // THEN the init container ran the hook once; the sidecar finds nothing new
    await new Promise((r) => setTimeout(r, 1000));
    expect({ tree: tree(dir), hooks: hookRuns() }).toStrictEqual({
      tree: { aaa: ["printers.conf"], bbb: ["printers.conf"] },
      hooks: 1,
    });
    const first = readlinkSync(dir);
    // WHEN a tenant is added and another removed
    api.objects = [queuesOf("aaa"), queuesOf("ccc")];
    await synced("ccc in, bbb out", () => JSON.stringify(Object.keys(tree(dir))) === '["aaa","ccc"]', pod);
    await new Promise((r) => setTimeout(r, 1000));
    const second = readlinkSync(dir);
    const cccFiles = realpathSync(join(dir, "ccc"));
    // WHEN a tenant's queues change
    const changed = queuesOf("aaa");
    changed.data!["printers.conf"] = changed.data!["printers.conf"]!.replace("Info A", "Info B");
    api.objects = [changed, queuesOf("ccc")];
    await synced(
      "aaa changed",
      () => readFileSync(join(dir, "aaa", "printers.conf"), "utf8").includes("Info B"),
      pod,
    );
    await new Promise((r) => setTimeout(r, 1000));
    // THEN every change was a new tree switched in by rename, the old trees are gone, one hook per change
    const trees = readdirSync(sync).filter((f) => f.startsWith("..tenants."));
    expect({
      hooks: hookRuns(),
      distinct: new Set([first, second, readlinkSync(dir)]).size,
      leftovers: trees.length,
      current: trees[0] === readlinkSync(dir),
    }).toStrictEqual({ hooks: 3, distinct: 3, leftovers: 1, current: true });
    // AND the unchanged tenant's files were not written again; the store keeps only what the tree names
    expect(realpathSync(join(dir, "ccc"))).toBe(cccFiles);
    expect(readdirSync(join(sync, "..tenants-units")).sort()).toStrictEqual(
      ["aaa", "ccc"].map((u) => basename(realpathSync(join(dir, u)))),
    );
    await pod.stop();
  }, 30000);

  it("GIVEN a running sidecar WHEN the API fails (503) or is unreachable THEN the last good tree stays and the failure is logged", async () => {
    api.objects = [queuesOf("aaa")];
    const pod = await start();
    const dir = join(pod.volumePath("sync"), "tenants");
    api.failing = true;
    await synced("503 logged", () => pod.logs("tenant-sync").includes("HTTP Error 503"), pod);
    expect(tree(dir)).toStrictEqual({ aaa: ["printers.conf"] });
    api.failing = false;
    await api.pause();
    await synced("refused logged", () => /Connection refused/.test(pod.logs("tenant-sync")), pod);
    expect(tree(dir)).toStrictEqual({ aaa: ["printers.conf"] });
    // WHEN it is back with another tenant THEN the sync catches up
    api.objects = [queuesOf("aaa"), queuesOf("bbb")];
    await api.resume();
    await synced("bbb in", () => "bbb" in tree(dir), pod);
    expect(pod.logs("tenant-sync")).toContain("keeping the last good tree");
    await pod.stop();
  }, 30000);

  it("GIVEN a tenant object whose label is not a unit id, or whose queue is named for another unit WHEN synced THEN it is skipped and named", async () => {
    const hijack = queuesOf("evil");
    hijack.data!["printers.conf"] = hijack.data!["printers.conf"]!.replace(
      "<Printer evil-a>",
      "<Printer mpu-a>",
    );
    const badLabel = {
      ...queuesOf("x"),
      metadata: { ...queuesOf("x").metadata, name: "bad", labels: { [print.PRINT_TENANT_LABEL]: "Bad_Id" } },
    };
    const extra = queuesOf("dir");
    extra.data!["printers.conf"] += "Listen 0.0.0.0:80\n";
    api.objects = [queuesOf("ok"), hijack, badLabel, extra];
    const pod = await start();
    expect(tree(join(pod.volumePath("sync"), "tenants"))).toStrictEqual({ ok: ["printers.conf"] });
    expect(
      pod
        .logs("tenant-sync-init")
        .split("\n")
        .filter((l) => l.includes("skipped"))
        .sort(),
    ).toStrictEqual([
      "tenant-sync: skipped bad: label muni.lodz.pl/print-tenant='Bad_Id' is not a unit id",
      "tenant-sync: skipped tenant dir (print-queues-dir): malformed printers.conf:11: 'Listen 0.0.0.0:80'",
      "tenant-sync: skipped tenant evil (print-queues-evil): malformed printers.conf:2: queue 'mpu-a' is not named evil-<queue>",
    ]);
    await pod.stop();
  });
});
