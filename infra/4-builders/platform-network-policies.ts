import { ENROLLABLE_PLATFORMS, type EnrollablePlatform, type StackSettings, usesLabel } from "../1-model";
import { mailServicePorts } from "./mail/server";
import { publicInternet } from "./network-policies";
import { platformLabels } from "./platform-objects";
import type { Desired, K8sObject } from "./types";

/**
 * The platform's fence (issue 13, point 5): each platform namespace (mail, print, finance, antivirus,
 * proxy) denies all traffic by default and allows exactly what its service needs:
 *
 * - in: from the namespaces enrolled in it (labelled `muni.lodz.pl/uses-<platform>` by muni, on the unit
 *   and VM namespaces only; a unit's people cannot label namespaces), on the platform's ports; from the
 *   ingress controller on the same ports where the city publishes the service (mail, print, finance,
 *   antivirus, not the proxy); and within the namespace;
 * - out: the cluster DNS; within the namespace; and per service: mail delivers to the internet on
 *   TCP 25, the antivirus console fetches updates on 443, the proxy forwards web traffic on 80 and 443 (all
 *   three to public addresses only), the print server reaches the stack's printer networks only; finance
 *   nothing more.
 *
 * - out, for the mail and print servers' pods only (issue 14): the Kubernetes API at the stack's
 *   tenancy.apiServerNetworks on KUBERNETES_API_PORTS, where their tenant sync lists the tenant objects
 *   (without those networks no rule is written and the sync cannot start the servers).
 *
 * No other rule opens another platform namespace, the Kubernetes API (private ranges and the stack's
 * tenancy.apiServerNetworks are excepted from every internet rule) or the cloud metadata address
 * (169.254.0.0/16 is among the private ranges). NetworkPolicies add up, so these are the most any pod of
 * the namespace gets from muni; whoever runs a platform can still narrow it.
 */

type Platform = Pick<StackSettings["platform"]["mail"], "namespace" | "podLabels" | "ports">;

/**
 * Ports of the API server's endpoints: 443 (the `kubernetes` Service, and managed control planes) and
 * 6443 (kube-apiserver's default secure port, which most CNIs see after the Service is translated).
 */
export const KUBERNETES_API_PORTS = [443, 6443] as const;

/** The platforms whose servers read their tenants from the Kubernetes API (tenant sync). */
export const SYNCING_PLATFORMS: readonly EnrollablePlatform[] = ["mail", "print"];

/** Public internet on some TCP ports. */
function internet(settings: StackSettings, ports: number[]) {
  return { to: publicInternet(settings), ports: ports.map((port) => ({ protocol: "TCP", port })) };
}

/** What each fenced platform needs beyond DNS and its own namespace. */
function needs(settings: StackSettings, platform: EnrollablePlatform) {
  switch (platform) {
    case "mail":
      return { fromIngress: true, egress: [internet(settings, [25])] };
    case "print": {
      const networks = settings.platform.print.printerNetworks;
      return {
        fromIngress: true,
        egress: networks.length ? [{ to: networks.map((cidr) => ({ ipBlock: { cidr } })) }] : [],
      };
    }
    case "finance":
      return { fromIngress: true, egress: [] };
    case "antivirus":
      return { fromIngress: true, egress: [internet(settings, [443])] };
    case "proxy":
      return { fromIngress: false, egress: [internet(settings, [80, 443])] };
  }
}

function podSelector(p: Platform) {
  const labels = Object.fromEntries(
    Object.entries(p.podLabels).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return Object.keys(labels).length ? { matchLabels: labels } : {};
}

function namespacePeer(namespace: string) {
  return { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } };
}

/** The fence of one platform namespace. */
export function platformFence(settings: StackSettings, platform: EnrollablePlatform): Desired[] {
  const p = settings.platform[platform];
  const ns = p.namespace;
  const ingress = settings.platform.ingress;
  const dns = settings.cluster.dns;
  const need = needs(settings, platform);
  // The mail Service's own ports (SMTP, IMAP, the password self-service) are always open to its clients.
  const ports = (platform === "mail" ? mailServicePorts(p) : p.ports).map((port) => ({
    protocol: "TCP",
    port,
  }));
  const labels = { ...platformLabels(platform), "muni.lodz.pl/fence": platform };
  const policy = (name: string, spec: Record<string, unknown>): Desired => ({
    key: `fence-${platform}-${name}`,
    service: "platform",
    object: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `muni-${name}`, namespace: ns, labels },
      spec,
    } satisfies K8sObject,
  });
  const out: Desired[] = [
    policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy("allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              ...namespacePeer(dns.namespace),
              podSelector: {
                matchLabels: Object.fromEntries(
                  Object.entries(dns.podLabels).filter((e): e is [string, string] => e[1] !== undefined),
                ),
              },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
    policy("allow-same-namespace", {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    policy("allow-enrolled-units", {
      podSelector: podSelector(p),
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { [usesLabel(platform)]: "true" } } }],
          ...(ports.length ? { ports } : {}),
        },
      ],
    }),
  ];
  if (need.fromIngress)
    out.push(
      policy("allow-from-ingress", {
        podSelector: podSelector(p),
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ ...namespacePeer(ingress.namespace), podSelector: podSelector(ingress) }],
            ...(ports.length ? { ports } : {}),
          },
        ],
      }),
    );
  const api = settings.tenancy.apiServerNetworks;
  if (SYNCING_PLATFORMS.includes(platform) && api.length)
    out.push(
      policy("allow-tenant-sync", {
        podSelector: podSelector(p),
        policyTypes: ["Egress"],
        egress: [
          {
            to: api.map((cidr) => ({ ipBlock: { cidr } })),
            ports: KUBERNETES_API_PORTS.map((port) => ({ protocol: "TCP", port })),
          },
        ],
      }),
    );
  if (need.egress.length)
    out.push(
      policy("allow-egress", {
        podSelector: podSelector(p),
        policyTypes: ["Egress"],
        egress: need.egress,
      }),
    );
  return out;
}

/** The fences of the five platform namespaces. Part of the platform render. */
export function buildPlatformFences(settings: StackSettings): Desired[] {
  return ENROLLABLE_PLATFORMS.flatMap((p) => platformFence(settings, p));
}
