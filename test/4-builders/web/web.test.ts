import { createHash } from "node:crypto";
import { buildQuota } from "../../../infra/4-builders/quota";
import { bytes, cpuMillis, siteBaseName, siteRequests } from "../../../infra/1-model";
import type { Desired } from "../../../infra/4-builders/types";
import { bipRegistry, buildWeb, renderNginxConf } from "../../../infra/4-builders/web";
import { strictSchemaErrors } from "../../helpers/k8s-schemas";
import { contextOf, lodzProd } from "./context";

const LABELS = {
  "app.kubernetes.io/managed-by": "muni",
  "muni.lodz.pl/unit": "mpu",
  "muni.lodz.pl/service": "web",
  "muni.lodz.pl/site-kind": "bip",
  "app.kubernetes.io/name": "web",
  "app.kubernetes.io/instance": "bip-mpu-lodz-pl",
};
const SELECTOR = { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "bip-mpu-lodz-pl" };
const meta = (name: string) => ({ name, namespace: "unit-mpu", labels: LABELS });

describe("web and BIP sites", () => {
  it("GIVEN mpu's BIP site (2 replicas, 10Gi) WHEN built THEN it is exactly these objects", () => {
    // GIVEN
    const ctx = contextOf("mpu");
    // WHEN
    const bip = buildWeb(ctx).filter((d) => d.key.startsWith("web-bip-mpu-lodz-pl-"));
    // THEN
    const conf = renderNginxConf({ hostname: "bip.mpu.lodz.pl", kind: "bip" });
    expect(bip).toStrictEqual<Desired[]>([
      {
        key: "web-bip-mpu-lodz-pl-content",
        service: "web",
        dataBearing: true,
        object: {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: meta("bip-mpu-lodz-pl-content"),
          spec: {
            accessModes: ["ReadWriteMany"],
            resources: { requests: { storage: "10Gi" } },
            storageClassName: "ceph-cephfs",
          },
        },
      },
      {
        key: "web-bip-mpu-lodz-pl-config",
        service: "web",
        object: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: meta("bip-mpu-lodz-pl-nginx"),
          data: { "nginx.conf": conf },
        },
      },
      {
        key: "web-bip-mpu-lodz-pl-deployment",
        service: "web",
        object: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: meta("bip-mpu-lodz-pl"),
          spec: {
            replicas: 2,
            revisionHistoryLimit: 3,
            selector: { matchLabels: SELECTOR },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
            template: {
              metadata: {
                labels: LABELS,
                annotations: {
                  "muni.lodz.pl/nginx-conf-sha256": createHash("sha256").update(conf).digest("hex"),
                },
              },
              spec: {
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 101,
                  runAsGroup: 101,
                  fsGroup: 101,
                  seccompProfile: { type: "RuntimeDefault" },
                },
                containers: [
                  {
                    name: "nginx",
                    image: "docker.io/nginxinc/nginx-unprivileged:1.27-alpine",
                    command: ["nginx", "-p", "/tmp/", "-c", "/etc/muni/nginx.conf", "-e", "stderr"],
                    ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
                    resources: {
                      requests: { cpu: "50m", memory: "64Mi" },
                      limits: { cpu: "500m", memory: "128Mi" },
                    },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      runAsNonRoot: true,
                      capabilities: { drop: ["ALL"] },
                    },
                    readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
                    livenessProbe: {
                      httpGet: { path: "/healthz", port: "http" },
                      initialDelaySeconds: 5,
                      periodSeconds: 20,
                    },
                    volumeMounts: [
                      { name: "content", mountPath: "/srv/site", readOnly: true },
                      { name: "config", mountPath: "/etc/muni", readOnly: true },
                      { name: "run", mountPath: "/tmp/" },
                    ],
                  },
                ],
                volumes: [
                  {
                    name: "content",
                    persistentVolumeClaim: { claimName: "bip-mpu-lodz-pl-content", readOnly: true },
                  },
                  { name: "config", configMap: { name: "bip-mpu-lodz-pl-nginx" } },
                  { name: "run", emptyDir: { sizeLimit: "64Mi" } },
                ],
              },
            },
          },
        },
      },
      {
        key: "web-bip-mpu-lodz-pl-service",
        service: "web",
        object: {
          apiVersion: "v1",
          kind: "Service",
          metadata: meta("bip-mpu-lodz-pl"),
          spec: {
            type: "ClusterIP",
            selector: SELECTOR,
            ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
          },
        },
      },
      {
        key: "web-bip-mpu-lodz-pl-certificate",
        service: "web",
        object: {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: meta("bip-mpu-lodz-pl"),
          spec: {
            secretName: "bip-mpu-lodz-pl-tls",
            secretTemplate: { labels: LABELS },
            dnsNames: ["bip.mpu.lodz.pl"],
            issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "letsencrypt-prod" },
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
          },
        },
      },
      {
        key: "web-bip-mpu-lodz-pl-ingress",
        service: "web",
        object: {
          apiVersion: "networking.k8s.io/v1",
          kind: "Ingress",
          metadata: meta("bip-mpu-lodz-pl"),
          spec: {
            ingressClassName: "nginx",
            tls: [{ hosts: ["bip.mpu.lodz.pl"], secretName: "bip-mpu-lodz-pl-tls" }],
            rules: [
              {
                host: "bip.mpu.lodz.pl",
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: "bip-mpu-lodz-pl", port: { name: "http" } } },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
      {
        key: "web-bip-mpu-lodz-pl-pdb",
        service: "web",
        object: {
          apiVersion: "policy/v1",
          kind: "PodDisruptionBudget",
          metadata: meta("bip-mpu-lodz-pl"),
          spec: { minAvailable: 1, selector: { matchLabels: SELECTOR } },
        },
      },
    ]);
  });

  it("GIVEN a one-replica site WHEN built THEN it has no PodDisruptionBudget (it could never be drained)", () => {
    const keys = buildWeb(contextOf("zzm")).map((d) => d.key);
    expect(keys.filter((k) => k.endsWith("-pdb"))).toStrictEqual([]);
    expect(keys.filter((k) => k.startsWith("web-zzm-lodz-pl-"))).toStrictEqual(
      ["content", "config", "deployment", "service", "certificate", "ingress"].map(
        (s) => `web-zzm-lodz-pl-${s}`,
      ),
    );
  });

  it("GIVEN every site of lodz-prod WHEN built THEN every object passes the strict upstream schema of its kind (cert-manager included)", () => {
    const all = lodzProd().units.flatMap((u) => buildWeb(contextOf(u.id)));
    expect(
      all
        .map((d) => d.object.kind)
        .filter((k, i, a) => a.indexOf(k) === i)
        .sort(),
    ).toStrictEqual([
      "Certificate",
      "ConfigMap",
      "Deployment",
      "Ingress",
      "PersistentVolumeClaim",
      "PodDisruptionBudget",
      "Service",
    ]);
    expect(all.flatMap((d) => strictSchemaErrors(d.object))).toStrictEqual([]);
    // Only the content volume holds data.
    expect(
      all
        .filter((d) => d.dataBearing)
        .map((d) => d.object.kind)
        .every((k) => k === "PersistentVolumeClaim"),
    ).toBe(true);
    expect(all.filter((d) => d.dataBearing)).toHaveLength(6);
  });

  it("GIVEN every web Deployment WHEN checked against Pod Security `restricted` THEN it complies", () => {
    type Pod = {
      securityContext: Record<string, unknown>;
      containers: Array<{ securityContext: Record<string, unknown> }>;
      volumes: Array<Record<string, unknown>>;
    };
    const deployments = lodzProd()
      .units.flatMap((u) => buildWeb(contextOf(u.id)))
      .filter((d) => d.object.kind === "Deployment");
    expect(deployments).toHaveLength(6);
    for (const d of deployments) {
      const pod = (d.object.spec as { template: { spec: Pod } }).template.spec;
      // Non-root, RuntimeDefault seccomp at pod level.
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.securityContext.runAsUser).not.toBe(0);
      for (const c of pod.containers)
        expect(c.securityContext).toStrictEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ["ALL"] },
        });
      // restricted allows only these volume types: no hostPath.
      const allowed = [
        "configMap",
        "emptyDir",
        "persistentVolumeClaim",
        "secret",
        "projected",
        "downwardAPI",
        "csi",
        "ephemeral",
      ];
      for (const v of pod.volumes)
        expect(
          Object.keys(v)
            .filter((k) => k !== "name")
            .every((k) => allowed.includes(k)),
        ).toBe(true);
    }
  });

  it("GIVEN a unit's LimitRange WHEN the web container is compared THEN it is within the per-container maximum, and siteRequests count every replica", () => {
    const ctx = contextOf("mpu");
    const limits = buildQuota(ctx).find((d) => d.object.kind === "LimitRange")!.object as unknown as {
      spec: { limits: Array<{ type: string; max: { cpu?: string; memory?: string; storage?: string } }> };
    };
    const max = limits.spec.limits.find((l) => l.type === "Container")!.max;
    const r = ctx.settings.web.resources.limits;
    expect(cpuMillis(r.cpu) <= cpuMillis(max.cpu!)).toBe(true);
    expect(bytes(r.memory) <= bytes(max.memory!)).toBe(true);
    const site = ctx.unit.services.web!.sites[1]!;
    expect(siteRequests(site, ctx.settings)).toStrictEqual({
      cpuMillis: 100,
      cpuLimitMillis: 1000,
      memory: 2 * 64 * 2 ** 20,
      memoryLimit: 2 * 128 * 2 ** 20,
      storage: 10 * 2 ** 30,
      pods: 2,
      volumes: 1,
      vms: 0,
    });
  });

  it("GIVEN hostnames that start with a digit or are very long WHEN named THEN names are valid DNS-1035 labels of at most 50 characters and stable", () => {
    const long = `${"a".repeat(60)}.${"b".repeat(60)}.lodz.pl`;
    const names = [siteBaseName("1lo.lodz.pl"), siteBaseName(long), siteBaseName(long)];
    expect(names[0]).toBe("s-1lo-lodz-pl");
    expect(names[1]).toMatch(/^a{41}-[0-9a-f]{8}$/);
    expect(names[1]).toBe(names[2]);
    for (const n of names) expect(n).toMatch(/^[a-z]([-a-z0-9]{0,48}[a-z0-9])?$/);
  });

  it("GIVEN the three Łódź units WHEN the BIP registry is listed THEN it has their BIP sites only, with https URLs and titles", () => {
    expect(bipRegistry(lodzProd().units)).toStrictEqual([
      {
        unit: "css",
        unitName: "Centrum Świadczeń Socjalnych w Łodzi",
        hostname: "bip.css.lodz.pl",
        url: "https://bip.css.lodz.pl/",
        title: "Biuletyn Informacji Publicznej CŚS w Łodzi",
      },
      {
        unit: "mpu",
        unitName: "Miejska Pracownia Urbanistyczna w Łodzi",
        hostname: "bip.mpu.lodz.pl",
        url: "https://bip.mpu.lodz.pl/",
        title: "Biuletyn Informacji Publicznej MPU w Łodzi",
      },
      {
        unit: "zzm",
        unitName: "Zarząd Zieleni Miejskiej w Łodzi",
        hostname: "bip.zzm.lodz.pl",
        url: "https://bip.zzm.lodz.pl/",
        title: "Biuletyn Informacji Publicznej ZZM w Łodzi",
      },
    ]);
  });
});
