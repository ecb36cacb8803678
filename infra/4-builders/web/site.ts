import { createHash } from "node:crypto";
import { LABEL, retiredSites, type Site, siteKeyPrefix, siteObjectNames } from "../../1-model";
import type { BuildContext, Desired, K8sObject } from "../types";
import { CONFIG_DIR, CONTENT_DIR, HEALTH_PATH, RUN_PREFIX, renderNginxConf, WEB_PORT } from "./nginx-conf";

/** Label on every object of a site: `www` or `bip` (BIP sites are listed in the stack's bipRegistry). */
export const SITE_KIND_LABEL = "muni.lodz.pl/site-kind";
/** Annotation on the pod template: the SHA-256 of nginx.conf, so a config change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = "muni.lodz.pl/nginx-conf-sha256";

/**
 * One site: content PVC (retained), nginx.conf ConfigMap, Deployment under Pod Security `restricted`,
 * ClusterIP Service, cert-manager Certificate from the stack's ClusterIssuer, Ingress with TLS, and a
 * PodDisruptionBudget when it has more than one replica.
 */
export function buildSite(ctx: BuildContext, site: Site): Desired[] {
  const { settings } = ctx;
  const web = settings.web;
  const n = siteObjectNames(site.hostname);
  const key = siteKeyPrefix(site.hostname);
  const selector = { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": n.base };
  const labels = { ...ctx.labels, [LABEL.service]: "web", [SITE_KIND_LABEL]: site.kind };
  const meta = (name: string) => ({ name, namespace: ctx.namespace, labels: { ...labels, ...selector } });
  const conf = renderNginxConf(site);
  const out = (suffix: string, object: K8sObject, dataBearing = false): Desired => ({
    key: `${key}${suffix}`,
    service: "web",
    object,
    ...(dataBearing ? { dataBearing: true } : {}),
  });

  const objects: Desired[] = [
    siteContent(ctx, site),
    out("config", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta(n.config),
      data: { "nginx.conf": conf },
    }),
    out("deployment", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(n.deployment),
      spec: {
        replicas: site.replicas,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        // Never surge: a rollout replaces pods one by one and never needs quota beyond replicas × container.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        template: {
          metadata: {
            labels: { ...labels, ...selector },
            annotations: { [CONFIG_HASH_ANNOTATION]: createHash("sha256").update(conf).digest("hex") },
          },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: web.runAsUser,
              runAsGroup: web.runAsUser,
              fsGroup: web.runAsUser,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: "nginx",
                image: web.image,
                command: ["nginx", "-p", RUN_PREFIX, "-c", `${CONFIG_DIR}/nginx.conf`, "-e", "stderr"],
                ports: [{ name: "http", containerPort: WEB_PORT, protocol: "TCP" }],
                resources: { requests: { ...web.resources.requests }, limits: { ...web.resources.limits } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ["ALL"] },
                },
                readinessProbe: { httpGet: { path: HEALTH_PATH, port: "http" }, periodSeconds: 10 },
                livenessProbe: {
                  httpGet: { path: HEALTH_PATH, port: "http" },
                  initialDelaySeconds: 5,
                  periodSeconds: 20,
                },
                volumeMounts: [
                  { name: "content", mountPath: CONTENT_DIR, readOnly: true },
                  { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                  { name: "run", mountPath: RUN_PREFIX },
                ],
              },
            ],
            volumes: [
              { name: "content", persistentVolumeClaim: { claimName: n.content, readOnly: true } },
              { name: "config", configMap: { name: n.config } },
              { name: "run", emptyDir: { sizeLimit: "64Mi" } },
            ],
          },
        },
      },
    }),
    out("service", {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(n.service),
      spec: {
        type: "ClusterIP",
        selector,
        ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
      },
    }),
    out("certificate", {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: meta(n.certificate),
      spec: {
        secretName: n.tlsSecret,
        secretTemplate: { labels: { ...labels, ...selector } },
        dnsNames: [site.hostname],
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: web.clusterIssuer },
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      },
    }),
    out("ingress", {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta(n.ingress),
      spec: {
        ingressClassName: web.ingressClassName,
        tls: [{ hosts: [site.hostname], secretName: n.tlsSecret }],
        rules: [
          {
            host: site.hostname,
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: n.service, port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
    }),
  ];
  if (site.replicas > 1)
    objects.push(
      out("pdb", {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: meta(n.pdb),
        spec: { minAvailable: 1, selector: { matchLabels: selector } },
      }),
    );
  return objects;
}

/** Every web and BIP site of the unit (nothing when it is not enrolled in `web`), and what retired sites keep. */
export function buildWeb(ctx: BuildContext): Desired[] {
  const sites = ctx.unit.services.web?.sites ?? [];
  const declared = new Set(sites.map((s) => s.hostname));
  return [
    ...sites.flatMap((site) => buildSite(ctx, site)),
    ...retiredSites(ctx.history)
      .filter((s) => !declared.has(s.hostname))
      .map((s) => siteContent(ctx, s)),
  ];
}

/**
 * A retired site's content volume, exactly as the live site had it (same key, name and labels): it stays in
 * the program, retained and protected like any data; the site's workload, Service, Certificate and Ingress go.
 */
export function siteContent(ctx: BuildContext, site: Pick<Site, "hostname" | "kind" | "storage">): Desired {
  const web = ctx.settings.web;
  const n = siteObjectNames(site.hostname);
  const selector = { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": n.base };
  const labels = { ...ctx.labels, [LABEL.service]: "web", [SITE_KIND_LABEL]: site.kind, ...selector };
  return {
    key: `${siteKeyPrefix(site.hostname)}content`,
    service: "web",
    dataBearing: true,
    object: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: n.content, namespace: ctx.namespace, labels },
      spec: {
        accessModes: [web.contentAccessMode],
        resources: { requests: { storage: site.storage } },
        ...(web.storageClass ? { storageClassName: web.storageClass } : {}),
      },
    },
  };
}
