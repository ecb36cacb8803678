import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { MAIL_PASSWORDS_SCRIPT } from "../../infra/4-builders/mail";
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
import { requireBinaries, tempRoot } from "./harness";
import { registeredTenants } from "./mail-tenants";
import { objectNamed, ROOT } from "./program";

type PodSpecOf = { spec: { template: { spec: { containers: Array<{ name: string; command: string[] }> } } } };

/** A tenant Secret as a unit stack registers it in platform-mail. */
export function tenantSecret(unitId: string, files: Readonly<Record<string, string>>): KubeObject {
  return {
    kind: "Secret",
    metadata: {
      name: `mail-tenant-${unitId}`,
      namespace: "platform-mail",
      labels: { "muni.lodz.pl/mail-tenant": unitId },
    },
    stringData: { ...files },
  };
}

/** Polls `probe` until it gives a value; fails with `detail()` (the pod's logs) after `ms`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  detail: () => string,
  ms = 45000,
): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not after ${ms} ms\n${detail()}`);
}

export interface MailPod {
  net: Netns;
  api: FakeKubeApi;
  /** The running pod (replaced by `restart`). */
  pod: RunningPod;
  /** The CA file the clients trust (the server's certificate is the Secret mail-tls). */
  cert: string;
  at: (port: number) => { host: string; port: number };
  logs: () => string;
  /** Stops every container and runs the pod again on the same volumes (the data claim is kept). */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

const CONTAINERS = ["tenant-sync-init", "tenant-sync", "dovecot", "postfix", "opendkim", "passwords"];

/**
 * The mail StatefulSet the program registered, run here by the pod runner in network namespace `netns`,
 * its tenants (the registered tenant Secrets) served by a stand-in Kubernetes API, its certificate a
 * Secret mail-tls made for the pod's address. Resolves when SMTP, submission, IMAP and the password
 * self-service accept connections.
 */
export async function startMailPod(
  registered: readonly Registered[],
  netns: number,
  name: string,
): Promise<MailPod> {
  requireBinaries(
    "dovecot",
    "postfix",
    "opendkim",
    "swaks",
    "python3",
    "ip",
    "unshare",
    "setpriv",
    "openssl",
  );
  const root = tempRoot(name);
  const net = createNetns(netns);
  const api = await startFakeKubeApi(root.dir, net.hostAddress);
  api.objects.push(...registeredTenants(registered).map((t) => tenantSecret(t.unitId, t.files)));
  mkdirSync(join(root.dir, "tls"));
  const tls = makeCertificates(join(root.dir, "tls"), net.podAddress);
  const mailTls: KubeObject = {
    kind: "Secret",
    metadata: { name: "mail-tls", namespace: "platform-mail" },
    stringData: { "tls.crt": tls.cert, "tls.key": tls.key },
  };
  const config = objectNamed<KubeObject>(registered, "platform-mail-config");
  const sts = objectNamed<PodSpecOf>(registered, "platform-mail-statefulset");
  // The one stand-in: a container runtime gives a container's stdout as a FIFO, where Postfix's
  // maillog_file=/dev/stdout opens; the pod runner's is a socket (open: ENXIO), so Postfix's output
  // goes through a FIFO (cat) here. Everything else runs as rendered.
  const postfix = sts.spec.template.spec.containers.find((c) => c.name === "postfix")!;
  postfix.command = [
    ...postfix.command.slice(0, 2),
    `${postfix.command[2]!.replace(/ && exec sh /, " && sh ")} 2>&1 | cat`,
  ];
  const run = async () => {
    const pod = await runPod(sts, {
      netns: net,
      root: join(root.dir, "pod"),
      objects: [{ ...config, kind: "ConfigMap" }, mailTls],
      kubeApi: api,
      imageFiles: {
        [TENANT_SYNC_SCRIPT]: join(ROOT, "images", "common", "tenant_sync.py"),
        [MAIL_PASSWORDS_SCRIPT]: join(ROOT, "images", "mail", "mail_passwords.py"),
      },
    });
    for (const port of [25, 587, 143, 8443]) await pod.waitForPort(port, 30000);
    return pod;
  };
  const halt = async (pod: RunningPod) => {
    // Postfix's master leaves the container's process group (setsid): a runtime ends it with the
    // container's PID namespace, the runner cannot, so it is stopped as an operator would.
    await pod.exec("postfix", ["postfix", "stop"], { timeoutMs: 15000 });
    await pod.stop();
  };
  const self: MailPod = {
    net,
    api,
    pod: await run(),
    cert: join(root.dir, "tls", "ca.crt"),
    at: (port) => ({ host: net.podAddress, port }),
    logs: () => CONTAINERS.map((c) => `--- ${c}\n${self.pod?.logs(c) ?? ""}`).join("\n"),
    restart: async () => {
      await halt(self.pod);
      self.pod = await run();
    },
    stop: async () => {
      if (self.pod) await halt(self.pod);
      await api.close();
      net.remove();
      root.remove();
    },
  };
  return self;
}
