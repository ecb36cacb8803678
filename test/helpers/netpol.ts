/**
 * Kubernetes NetworkPolicy semantics, for reading muni's policies as reachability: a connection from a
 * pod (or an outside address) to a pod (or an outside address) on a port is allowed when the source's
 * egress and the destination's ingress both allow it. A pod's direction is isolated when some policy in
 * its namespace selects it with that policy type; then some rule of a selecting policy must match. Peers:
 * podSelector (in the policy's namespace), namespaceSelector (+ podSelector), ipBlock (cidr minus except).
 * Pods have cluster addresses (private), so an ipBlock reaches them only if it holds their address.
 * Only `matchLabels` is modelled; a policy using matchExpressions or named ports fails loudly.
 */
import ipaddr from "ipaddr.js";

type Labels = Record<string, string>;
export interface Pod {
  namespace: string;
  labels: Labels;
  /** The pod's address (a private cluster address). */
  ip: string;
}
export type Endpoint = { pod: Pod } | { ip: string };
export interface Namespace {
  name: string;
  labels: Labels;
}
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: unknown;
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Port {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Port[];
}
interface Policy {
  metadata: { name: string; namespace: string };
  spec: { podSelector: Selector; policyTypes: string[]; ingress?: Rule[]; egress?: Rule[] };
}

function selects(sel: Selector | undefined, labels: Labels): boolean {
  if (!sel) return true;
  if (sel.matchExpressions !== undefined) throw new Error("matchExpressions are not modelled");
  return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function inBlock(ip: string, block: { cidr: string; except?: string[] }): boolean {
  const addr = ipaddr.parse(ip);
  const within = (cidr: string) => {
    const range = ipaddr.parseCIDR(cidr);
    return addr.kind() === range[0].kind() && addr.match(range);
  };
  return within(block.cidr) && !(block.except ?? []).some(within);
}

export class Cluster {
  constructor(
    private readonly namespaces: readonly Namespace[],
    private readonly policies: readonly Policy[],
  ) {}

  private nsLabels(name: string): Labels {
    const ns = this.namespaces.find((n) => n.name === name);
    if (!ns) throw new Error(`unknown namespace ${name}`);
    return { ...ns.labels, "kubernetes.io/metadata.name": name };
  }

  private peerMatches(peer: Peer, policyNs: string, other: Endpoint): boolean {
    if (peer.ipBlock) return inBlock("pod" in other ? other.pod.ip : other.ip, peer.ipBlock);
    if (!("pod" in other)) return false;
    const p = other.pod;
    if (peer.namespaceSelector)
      return (
        selects(peer.namespaceSelector, this.nsLabels(p.namespace)) && selects(peer.podSelector, p.labels)
      );
    return p.namespace === policyNs && selects(peer.podSelector, p.labels);
  }

  private portMatches(ports: Port[] | undefined, port: number, protocol: string): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if (typeof p.port === "string") throw new Error("named ports are not modelled");
      if ((p.protocol ?? "TCP") !== protocol) return false;
      if (p.port === undefined) return true;
      return p.endPort ? port >= p.port && port <= p.endPort : port === p.port;
    });
  }

  /** Whether one direction at one pod allows the connection with `other`. */
  private side(
    pod: Pod,
    dir: "Ingress" | "Egress",
    other: Endpoint,
    port: number,
    protocol: string,
  ): boolean {
    const selecting = this.policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        p.spec.policyTypes.includes(dir) &&
        selects(p.spec.podSelector, pod.labels),
    );
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
      ((dir === "Ingress" ? p.spec.ingress : p.spec.egress) ?? []).some((r) => {
        const peers = dir === "Ingress" ? r.from : r.to;
        return (
          (!peers ||
            peers.length === 0 ||
            peers.some((peer) => this.peerMatches(peer, p.metadata.namespace, other))) &&
          this.portMatches(r.ports, port, protocol)
        );
      }),
    );
  }

  /** Whether `from` may open a connection to `to` on `port`. */
  allows(from: Endpoint, to: Endpoint, port: number, protocol = "TCP"): boolean {
    const egress = "pod" in from ? this.side(from.pod, "Egress", to, port, protocol) : true;
    const ingress = "pod" in to ? this.side(to.pod, "Ingress", from, port, protocol) : true;
    return egress && ingress;
  }
}
