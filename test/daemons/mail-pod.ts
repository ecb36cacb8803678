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

type Probe = { tcpSocket?: { port: number } };
type ContainerOf = { name: string; command: string[]; readinessProbe?: Probe; livenessProbe?: Probe };
export type MailPodSpec = { spec: { template: { spec: { containers: ContainerOf[] } } } };

/** The ports the containers' probes of one kind check. */
export function probePorts(sts: MailPodSpec, kind: "readinessProbe" | "livenessProbe"): number[] {
  return sts.spec.template.spec.containers.flatMap((c) => c[kind]?.tcpSocket?.port ?? []);
}

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

export interface MailPod {
  /** The StatefulSet as the program registered it. */
  sts: MailPodSpec;
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
 * Secret mail-tls made for the pod's address. Resolves when the pod is ready (every port its readiness
 * probes name accepts: SMTP, submission, IMAP, the password self-service).
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
  const sts = objectNamed<MailPodSpec>(registered, "platform-mail-statefulset");
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
    // ready: every port the containers' readiness probes name accepts
    for (const port of probePorts(sts, "readinessProbe")) await pod.waitForPort(port, 30000);
    return pod;
  };
  let first: RunningPod;
  try {
    first = await run();
  } catch (e) {
    await api.close();
    net.remove();
    root.remove();
    throw e;
  }
  const self: MailPod = {
    sts,
    net,
    api,
    pod: first,
    cert: join(root.dir, "tls", "ca.crt"),
    at: (port) => ({ host: net.podAddress, port }),
    logs: () => CONTAINERS.map((c) => `--- ${c}\n${self.pod?.logs(c) ?? ""}`).join("\n"),
    restart: async () => {
      await self.pod.stop();
      self.pod = await run();
    },
    stop: async () => {
      await self.pod?.stop();
      await api.close();
      net.remove();
      root.remove();
    },
  };
  return self;
}
