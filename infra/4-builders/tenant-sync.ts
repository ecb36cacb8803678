import type { Desired } from "./types";
import { platformLabels } from "./platform-objects";

/** Where the images install images/common/tenant_sync.py (see images/{mail,print}/Dockerfile). */
export const TENANT_SYNC_SCRIPT = "/usr/local/lib/muni/tenant_sync.py";
/** Where a pod's service-account credentials are, as every Kubernetes client expects them. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** Name of the ServiceAccount, Role and RoleBinding of a platform service's tenant sync. */
export const TENANT_SYNC_ACCOUNT = "tenant-sync";
/** Name of the projected volume with the sync's token, CA and namespace. */
export const TENANT_SYNC_TOKEN_VOLUME = "tenant-sync-token";

/** One platform service's tenant sync: which labelled objects it reads and where it writes them. */
export interface TenantSync {
  /** Platform component (`mail`, `print`), for labels. */
  component: string;
  namespace: string;
  /** The one resource kind the sync lists (and the only one its Role grants). */
  resource: "secrets" | "configmaps";
  /** Label key on the tenant objects; its value is the unit id. */
  label: string;
  /** Tree the sync maintains: `<dir>/<unit id>/<key>`; `dir` must sit inside a writable volume. */
  dir: string;
  /** Per-kind validation of the tenant files (tenant_sync.py --validate). */
  validate: "mail" | "print";
  image: string;
  /** Command (sh -c) run after the tree changed, e.g. to reload the daemons. */
  then?: string;
  /** Seconds between syncs in the sidecar (default 15). */
  intervalSeconds?: number;
  /** Mounts besides the token, e.g. the volume holding `dir` and the daemons' shared state. */
  volumeMounts: Record<string, unknown>[];
  /** securityContext of both sync containers. */
  securityContext: Record<string, unknown>;
  /** File mode of the tenant files, octal string (default 0640). */
  fileMode?: string;
}

/**
 * The sync's identity: ServiceAccount `tenant-sync` (no automounted token: only the sync containers
 * mount one, through the projected volume), a Role with get/list/watch on exactly the one resource kind
 * in the platform namespace, and its RoleBinding. RBAC cannot restrict by label: the sync may read every
 * object of that kind in the namespace, so the platform namespace must hold no other Secrets (mail) or
 * ConfigMaps (print) it should not read.
 */
export function tenantSyncRbac(keyPrefix: string, s: TenantSync): Desired[] {
  const labels = platformLabels(s.component);
  const meta = { name: TENANT_SYNC_ACCOUNT, namespace: s.namespace, labels };
  return [
    {
      key: `${keyPrefix}-tenant-sync-account`,
      service: "platform",
      object: {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: meta,
        automountServiceAccountToken: false,
      },
    },
    {
      key: `${keyPrefix}-tenant-sync-role`,
      service: "platform",
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: meta,
        rules: [{ apiGroups: [""], resources: [s.resource], verbs: ["get", "list", "watch"] }],
      },
    },
    {
      key: `${keyPrefix}-tenant-sync-binding`,
      service: "platform",
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: meta,
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: TENANT_SYNC_ACCOUNT },
        subjects: [{ kind: "ServiceAccount", name: TENANT_SYNC_ACCOUNT, namespace: s.namespace }],
      },
    },
  ];
}

/**
 * The projected volume a pod's own automount would give, made explicit so that only the sync
 * containers mount it: a bound service-account token, the cluster CA (`kube-root-ca.crt`, which
 * Kubernetes publishes in every namespace) and the namespace. Readable by the pod's fsGroup.
 */
export function tenantSyncTokenVolume(): Record<string, unknown> {
  return {
    name: TENANT_SYNC_TOKEN_VOLUME,
    projected: {
      defaultMode: 0o440,
      sources: [
        { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
      ],
    },
  };
}

function syncCommand(s: TenantSync, once: boolean): string[] {
  return [
    "python3",
    TENANT_SYNC_SCRIPT,
    `--kind=${s.resource}`,
    `--label=${s.label}`,
    `--dir=${s.dir}`,
    `--validate=${s.validate}`,
    `--mode=${s.fileMode ?? "0640"}`,
    ...(s.then ? [`--then=${s.then}`] : []),
    ...(once ? ["--once"] : [`--interval=${s.intervalSeconds ?? 15}`]),
  ];
}

function syncContainer(name: string, s: TenantSync, once: boolean): Record<string, unknown> {
  return {
    name,
    image: s.image,
    command: syncCommand(s, once),
    securityContext: s.securityContext,
    volumeMounts: [
      { name: TENANT_SYNC_TOKEN_VOLUME, mountPath: SERVICE_ACCOUNT_DIR, readOnly: true },
      ...s.volumeMounts,
    ],
  };
}

/** Init container: one sync, so the daemons start with every tenant already in place. */
export function tenantSyncInitContainer(s: TenantSync): Record<string, unknown> {
  return syncContainer("tenant-sync-init", s, true);
}

/** Sidecar: syncs every `intervalSeconds` and runs `then` when the tenants changed. */
export function tenantSyncSidecar(s: TenantSync): Record<string, unknown> {
  return syncContainer("tenant-sync", s, false);
}
