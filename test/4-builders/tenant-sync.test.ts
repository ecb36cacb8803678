import {
  type TenantSync,
  tenantSyncInitContainer,
  tenantSyncRbac,
  tenantSyncSidecar,
  tenantSyncTokenVolume,
} from "../../infra/4-builders/tenant-sync";
import { strictSchemaErrors } from "../helpers/k8s-schemas";

const SYNC: TenantSync = {
  component: "print",
  namespace: "platform-print",
  resource: "configmaps",
  label: "muni.lodz.pl/print-tenant",
  dir: "/run/muni/print/tenants",
  validate: "print",
  image: "registry.lodz.pl/muni/print:1.0.0",
  then: "sh /etc/muni/config/apply-queues.sh",
  volumeMounts: [{ name: "sync", mountPath: "/run/muni/print" }],
  securityContext: { runAsUser: 0 },
};

describe("the tenant sync's identity and containers (pure builder)", () => {
  it("GIVEN a print sync WHEN its RBAC is built THEN the account mounts no token and may only read ConfigMaps of its namespace", () => {
    const objs = tenantSyncRbac("print", SYNC).map((d) => d.object);
    expect(objs.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toStrictEqual([
      ["ServiceAccount", "tenant-sync", "platform-print"],
      ["Role", "tenant-sync", "platform-print"],
      ["RoleBinding", "tenant-sync", "platform-print"],
    ]);
    expect(objs[0]!.automountServiceAccountToken).toBe(false);
    expect(objs[1]!.rules).toStrictEqual([
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
    ]);
    expect(objs.flatMap(strictSchemaErrors)).toStrictEqual([]);
  });

  it("GIVEN a sync WHEN its containers are built THEN the init container syncs once and the sidecar loops, both with the token volume at the standard path", () => {
    expect(tenantSyncInitContainer(SYNC)).toStrictEqual({
      name: "tenant-sync-init",
      image: "registry.lodz.pl/muni/print:1.0.0",
      command: [
        "python3",
        "/usr/local/lib/muni/tenant_sync.py",
        "--kind=configmaps",
        "--label=muni.lodz.pl/print-tenant",
        "--dir=/run/muni/print/tenants",
        "--validate=print",
        "--mode=0640",
        "--then=sh /etc/muni/config/apply-queues.sh",
        "--once",
      ],
      securityContext: { runAsUser: 0 },
      volumeMounts: [
        {
          name: "tenant-sync-token",
          mountPath: "/var/run/secrets/kubernetes.io/serviceaccount",
          readOnly: true,
        },
        { name: "sync", mountPath: "/run/muni/print" },
      ],
    });
    expect((tenantSyncSidecar(SYNC).command as string[]).slice(-1)).toStrictEqual(["--interval=15"]);
    expect(tenantSyncTokenVolume()).toStrictEqual({
      name: "tenant-sync-token",
      projected: {
        defaultMode: 0o440,
        sources: [
          { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
        ],
      },
    });
  });
});
