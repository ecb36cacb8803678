import { join } from "node:path";
import type { StackSettings, Unit } from "../../infra/1-model";
import { loadProject } from "../../infra/3-rules";
import { type K8sObject, platformFence, renderPlatform, renderUnit } from "../../infra/4-builders";
import { strictSchemaErrors } from "../helpers/k8s-schemas";
import { Cluster, type Endpoint, type Pod } from "../helpers/netpol";

// Issue 13, point 5: the platform is fenced. The NetworkPolicies muni renders (the platforms' fences and
// every unit's own) are read as reachability with Kubernetes' NetworkPolicy semantics.

const project = loadProject(join(__dirname, "..", ".."), "lodz-prod");
const settings: StackSettings = structuredClone(project.stack!.settings);
settings.platform.print.printerNetworks = ["10.20.0.0/16"];
settings.tenancy.apiServerNetworks = ["203.0.113.10/32"];
const annex = project.units.map((u) => u.unit);
// A unit enrolled in nothing but the internet: no platform may admit it.
const lekka: Unit = {
  ...structuredClone(annex.find((u) => u.id === "mpu")!),
  id: "lekka",
  services: { internet: { bandwidthMbps: 10 } },
};
const units = [...annex, lekka];
const objects: K8sObject[] = [
  ...renderPlatform(settings).map((d) => d.object),
  ...units.flatMap((u) => renderUnit(u, settings).map((d) => d.object)),
];
const rendered = (kind: string) => objects.filter((o) => o.kind === kind);
const p = settings.platform;
const namespaces = [
  ...rendered("Namespace").map((n) => ({ name: n.metadata.name, labels: n.metadata.labels ?? {} })),
  ...[p.finance, p.antivirus, p.proxy, p.ingress].map((x) => ({ name: x.namespace, labels: {} })),
  { name: "kube-system", labels: {} },
];
const cluster = new Cluster(namespaces, rendered("NetworkPolicy") as never);
const templateLabels = (name: string) =>
  (
    rendered("StatefulSet").find((s) => s.metadata.name === name)!.spec as {
      template: { metadata: { labels: Record<string, string> } };
    }
  ).template.metadata.labels;
let n = 10;
const pod = (namespace: string, labels: Record<string, string>): Endpoint => ({
  pod: { namespace, labels, ip: `10.244.0.${n++}` } as Pod,
});
const PODS: Record<string, Endpoint> = {
  mail: pod("platform-mail", templateLabels("mail")),
  print: pod("platform-print", templateLabels("cups")),
  finance: pod("platform-finance", p.finance.podLabels as Record<string, string>),
  antivirus: pod("platform-antivirus", p.antivirus.podLabels as Record<string, string>),
  proxy: pod("platform-proxy", p.proxy.podLabels as Record<string, string>),
};
const OTHERS: Record<string, Endpoint> = {
  "unit-mpu": pod("unit-mpu", { app: "sklep" }),
  "unit-mpu-vm": pod("unit-mpu-vm", { "kubevirt.io": "virt-launcher" }),
  "unit-lekka": pod("unit-lekka", { app: "x" }),
  ingress: pod("ingress-nginx", p.ingress.podLabels as Record<string, string>),
  "kube-system": pod("kube-system", { app: "something" }),
};
const DNS = pod("kube-system", { "k8s-app": "kube-dns" });
const PLATFORMS = ["mail", "print", "finance", "antivirus", "proxy"] as const;

/** Destinations outside the cluster's pods. */
const OUTSIDE: [string, string, number][] = [
  ["API server (listed) 203.0.113.10:443", "203.0.113.10", 443],
  ["API server (private) 10.0.0.10:6443", "10.0.0.10", 6443],
  ["cloud metadata 169.254.169.254:80", "169.254.169.254", 80],
  ["internet 8.8.8.8:25", "8.8.8.8", 25],
  ["internet 8.8.8.8:80", "8.8.8.8", 80],
  ["internet 8.8.8.8:443", "8.8.8.8", 443],
  ["printer 10.20.1.15:631", "10.20.1.15", 631],
  ["printer 10.20.1.15:9100", "10.20.1.15", 9100],
  ["private 192.168.1.10:443", "192.168.1.10", 443],
];

/** Everything a pod may reach: DNS, outside addresses, the platforms (on their first port) and other pods. */
function reach(from: Endpoint, self?: string): string[] {
  const out: string[] = [];
  if (cluster.allows(from, DNS, 53, "UDP")) out.push("dns");
  for (const [label, ip, port] of OUTSIDE) if (cluster.allows(from, { ip }, port)) out.push(label);
  for (const name of PLATFORMS)
    if (name !== self && cluster.allows(from, PODS[name]!, p[name].ports[0]!)) out.push(`platform ${name}`);
  for (const [label, to] of Object.entries(OTHERS)) if (cluster.allows(from, to, 8080)) out.push(label);
  return out;
}

/** Who may connect to a platform on its ports. */
function admitted(platform: (typeof PLATFORMS)[number]): string[] {
  const sources = {
    ...OTHERS,
    ...Object.fromEntries(PLATFORMS.filter((x) => x !== platform).map((x) => [`platform ${x}`, PODS[x]!])),
  };
  return Object.entries(sources)
    .filter(([, from]) => p[platform].ports.every((port) => cluster.allows(from, PODS[platform]!, port)))
    .map(([label]) => label);
}

describe("the fence of the platform namespaces, read as reachability", () => {
  it("GIVEN each platform's pods WHEN their egress is evaluated THEN each reaches exactly DNS and what its service needs: only the mail and print servers reach the listed API server (their tenant sync), none the metadata address, another platform or a unit", () => {
    expect(Object.fromEntries(PLATFORMS.map((x) => [x, reach(PODS[x]!, x)]))).toStrictEqual({
      mail: ["dns", "API server (listed) 203.0.113.10:443", "internet 8.8.8.8:25"],
      print: [
        "dns",
        "API server (listed) 203.0.113.10:443",
        "printer 10.20.1.15:631",
        "printer 10.20.1.15:9100",
      ],
      finance: ["dns"],
      antivirus: ["dns", "internet 8.8.8.8:443"],
      proxy: ["dns", "internet 8.8.8.8:80", "internet 8.8.8.8:443"],
    });
  });

  it("GIVEN each platform WHEN its ingress is evaluated THEN only the namespaces enrolled in it (unit and VM namespace) and, where the city publishes it, the ingress controller get in", () => {
    expect(Object.fromEntries(PLATFORMS.map((x) => [x, admitted(x)]))).toStrictEqual({
      mail: ["unit-mpu", "unit-mpu-vm", "ingress"],
      print: ["unit-mpu", "unit-mpu-vm", "ingress"],
      finance: ["unit-mpu", "unit-mpu-vm", "ingress"],
      antivirus: ["unit-mpu", "unit-mpu-vm", "ingress"],
      proxy: ["unit-mpu", "unit-mpu-vm"],
    });
  });

  it("GIVEN units' own pods WHEN their egress is evaluated THEN a unit with internet reaches public addresses but never the API server or the metadata address, and one enrolled in nothing reaches no platform", () => {
    expect(reach(OTHERS["unit-lekka"]!)).toStrictEqual([
      "dns",
      "internet 8.8.8.8:25",
      "internet 8.8.8.8:80",
      "internet 8.8.8.8:443",
      "unit-lekka", // its own namespace
    ]);
    // mpu goes to the internet only through the filtering proxy (network protection).
    expect(reach(OTHERS["unit-mpu"]!)).toStrictEqual([
      "dns",
      "platform mail",
      "platform print",
      "platform finance",
      "platform antivirus",
      "platform proxy",
      "unit-mpu",
      "unit-mpu-vm",
    ]);
  });

  it("GIVEN a stack without printer networks or API server networks WHEN the print server's fence is rendered THEN it reaches no printer and no API server (DNS only), and every fence passes the strict NetworkPolicy schema", () => {
    const none = structuredClone(settings);
    none.platform.print.printerNetworks = [];
    none.tenancy.apiServerNetworks = [];
    const fence = platformFence(none, "print").map((d) => d.object);
    expect(fence.map((o) => o.metadata.name)).toStrictEqual([
      "muni-default-deny",
      "muni-allow-dns",
      "muni-allow-same-namespace",
      "muni-allow-enrolled-units",
      "muni-allow-from-ingress",
    ]);
    expect(rendered("NetworkPolicy").flatMap(strictSchemaErrors)).toStrictEqual([]);
  });

  it("GIVEN the mail platform's fence WHEN rendered THEN it is exactly as specified", () => {
    const mail = platformFence(settings, "mail").map((d) => [d.key, d.object.metadata.name, d.object.spec]);
    const labels = { "app.kubernetes.io/name": "mail" };
    // the stack's ports [25, 465, 587, 993] and the mail Service's own: IMAP 143, the password self-service 8443
    const ports = [25, 143, 465, 587, 993, 8443].map((port) => ({ protocol: "TCP", port }));
    expect(mail).toStrictEqual([
      [
        "fence-mail-default-deny",
        "muni-default-deny",
        { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      ],
      [
        "fence-mail-allow-dns",
        "muni-allow-dns",
        {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                  podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
              ],
              ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
              ],
            },
          ],
        },
      ],
      [
        "fence-mail-allow-same-namespace",
        "muni-allow-same-namespace",
        {
          podSelector: {},
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [{ podSelector: {} }] }],
          egress: [{ to: [{ podSelector: {} }] }],
        },
      ],
      [
        "fence-mail-allow-enrolled-units",
        "muni-allow-enrolled-units",
        {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [
            { from: [{ namespaceSelector: { matchLabels: { "muni.lodz.pl/uses-mail": "true" } } }], ports },
          ],
        },
      ],
      [
        "fence-mail-allow-from-ingress",
        "muni-allow-from-ingress",
        {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
                  podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } },
                },
              ],
              ports,
            },
          ],
        },
      ],
      [
        "fence-mail-allow-tenant-sync",
        "muni-allow-tenant-sync",
        {
          podSelector: { matchLabels: labels },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ ipBlock: { cidr: "203.0.113.10/32" } }],
              ports: [
                { protocol: "TCP", port: 443 },
                { protocol: "TCP", port: 6443 },
              ],
            },
          ],
        },
      ],
      [
        "fence-mail-allow-egress",
        "muni-allow-egress",
        {
          podSelector: { matchLabels: labels },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  ipBlock: {
                    cidr: "0.0.0.0/0",
                    except: [
                      "10.0.0.0/8",
                      "172.16.0.0/12",
                      "192.168.0.0/16",
                      "169.254.0.0/16",
                      "100.64.0.0/10",
                      "127.0.0.0/8",
                      "203.0.113.10/32",
                    ],
                  },
                },
                { ipBlock: { cidr: "::/0", except: ["fc00::/7", "fe80::/10", "::1/128"] } },
              ],
              ports: [{ protocol: "TCP", port: 25 }],
            },
          ],
        },
      ],
    ]);
  });
});
