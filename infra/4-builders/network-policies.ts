import type { Cidr, StackSettings } from "../1-model";
import { parseCidr, vmNamespaceOf } from "../1-model";
import type { BuildContext, Desired, K8sObject } from "./types";

type Platform = Pick<StackSettings["platform"]["mail"], "namespace" | "podLabels" | "ports">;

/** Private, link-local, CGNAT and loopback ranges: never reachable through `internet`. */
export const PRIVATE_IPV4 = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "169.254.0.0/16",
  "100.64.0.0/10",
  "127.0.0.0/8",
];
export const PRIVATE_IPV6 = ["fc00::/7", "fe80::/10", "::1/128"];

/**
 * The public internet as NetworkPolicy peers: every address except the private, link-local (cloud
 * metadata), CGNAT and loopback ranges and the Kubernetes API server's (tenancy.apiServerNetworks), so an
 * internet allowance never opens the API or the metadata service.
 */
export function publicInternet(settings: Pick<StackSettings, "tenancy">) {
  const api = settings.tenancy.apiServerNetworks.map(parseCidr).filter((c): c is Cidr => c !== undefined);
  const except = (family: Cidr["family"], base: readonly string[]) => [
    ...base,
    ...api.filter((c) => c.family === family).map((c) => c.canonical),
  ];
  return [
    { ipBlock: { cidr: "0.0.0.0/0", except: except("ipv4", PRIVATE_IPV4) } },
    { ipBlock: { cidr: "::/0", except: except("ipv6", PRIVATE_IPV6) } },
  ];
}

/**
 * Isolation by default: deny all ingress and egress, then allow exactly what the unit's services need —
 * DNS; traffic inside the namespace; ingress from the ingress controller with `web`; egress to the mail,
 * print, finance and antivirus platforms when enrolled; internet egress except private ranges, or only
 * through the central filtering proxy when `networkProtection` is enrolled. A unit with virtual machines
 * also lets its namespace and its VM namespace talk to each other.
 */
export function buildNetworkPolicies(ctx: BuildContext): Desired[] {
  const vmNs = hasVms(ctx) ? vmNamespaceOf(ctx.unit, ctx.settings) : undefined;
  return policiesIn(ctx, ctx.namespace, {
    keyPrefix: "",
    ingressController: Boolean(ctx.unit.services.web),
    sibling: vmNs,
  });
}

/** The same isolation in the unit's VM namespace: no ingress controller; linked to the unit's namespace. */
export function buildVmNetworkPolicies(ctx: BuildContext): Desired[] {
  if (!hasVms(ctx)) return [];
  return policiesIn(ctx, vmNamespaceOf(ctx.unit, ctx.settings), {
    keyPrefix: "vmns-",
    ingressController: false,
    sibling: ctx.namespace,
  });
}

interface PolicyOptions {
  /** Prefix of the Desired keys (`netpol-<prefix><name>`), so both namespaces' policies have unique keys. */
  keyPrefix: string;
  /** Admit the ingress controller (namespaces serving sites). */
  ingressController: boolean;
  /** The unit's other namespace, if any: traffic to and from it is allowed. */
  sibling?: string;
}

function hasVms(ctx: BuildContext): boolean {
  return (ctx.unit.services.servers?.vms.length ?? 0) > 0;
}

function policiesIn(ctx: BuildContext, namespace: string, opts: PolicyOptions): Desired[] {
  const { unit, settings } = ctx;
  const s = unit.services;
  const p = settings.platform;
  const policy = (key: string, service: Desired["service"], spec: Record<string, unknown>): Desired => ({
    key: `netpol-${opts.keyPrefix}${key}`,
    service,
    object: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: key, namespace, labels: ctx.labels },
      spec: { podSelector: {}, ...spec },
    } satisfies K8sObject,
  });
  const out: Desired[] = [
    policy("default-deny", "baseline", { policyTypes: ["Ingress", "Egress"] }),
    policy("allow-dns", "baseline", {
      policyTypes: ["Egress"],
      egress: [
        {
          to: [peer(settings.cluster.dns.namespace, settings.cluster.dns.podLabels)],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
    policy("allow-same-namespace", "baseline", {
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
  ];
  if (opts.sibling) {
    const sibling = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": opts.sibling } } };
    out.push(
      policy("allow-unit-namespaces", "servers", {
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [sibling] }],
        egress: [{ to: [sibling] }],
      }),
    );
  }
  if (opts.ingressController)
    out.push(
      policy("allow-from-ingress", "web", {
        policyTypes: ["Ingress"],
        ingress: [{ from: [platformPeer(p.ingress)] }],
      }),
    );
  const egressTo = (key: string, service: Desired["service"], platform: Platform) =>
    out.push(
      policy(`allow-to-${key}`, service, {
        policyTypes: ["Egress"],
        egress: [{ to: [platformPeer(platform)], ports: tcp(platform.ports) }],
      }),
    );
  if (s.mail) egressTo("mail", "mail", p.mail);
  if (s.print) egressTo("print", "print", p.print);
  if (s.finance) egressTo("finance", "finance", p.finance);
  if (s.antivirus) egressTo("antivirus", "antivirus", p.antivirus);
  if (s.internet && s.networkProtection) egressTo("proxy", "networkProtection", p.proxy);
  else if (s.internet)
    out.push(
      policy("allow-internet", "internet", {
        policyTypes: ["Egress"],
        egress: [{ to: publicInternet(settings) }],
      }),
    );
  return out;
}

function peer(namespace: string, podLabels: Record<string, string | undefined>) {
  const labels = Object.fromEntries(
    Object.entries(podLabels).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
    podSelector: { matchLabels: labels },
  };
}

function platformPeer(platform: Platform) {
  return peer(platform.namespace, platform.podLabels);
}

function tcp(ports: readonly number[]) {
  return ports.map((port) => ({ protocol: "TCP", port }));
}
