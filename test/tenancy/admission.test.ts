import { join } from "node:path";
import { loadProject } from "../../infra/3-rules";
import { type K8sObject, renderPlatform, renderUnit } from "../../infra/4-builders";
import { strictSchemaErrors } from "../helpers/k8s-schemas";
import { type AdmissionRequest, admit } from "../helpers/vap";

// Issue 13, point 4: the ValidatingAdmissionPolicies muni installs, their CEL evaluated by @bufbuild/cel on
// the objects muni itself sends and on those a unit's hostile administrator would send.

const project = loadProject(join(__dirname, "..", ".."), "lodz-prod");
const settings = project.stack!.settings;
const units = project.units.map((u) => u.unit);
const platform = renderPlatform(settings).map((d) => d.object);
const policies = platform.filter((o) => o.kind === "ValidatingAdmissionPolicy");
const rendered = new Map(units.map((u) => [u.id, renderUnit(u, settings).map((d) => d.object)]));
const namespaceOf = (id: string) =>
  rendered.get(id)!.find((o) => o.kind === "Namespace" && o.metadata.name === `unit-${id}`)!;
const MPU = namespaceOf("mpu");

const RESOURCE: Record<string, [string, string]> = {
  Ingress: ["networking.k8s.io", "ingresses"],
  Certificate: ["cert-manager.io", "certificates"],
  Service: ["", "services"],
  PersistentVolumeClaim: ["", "persistentvolumeclaims"],
  Pod: ["", "pods"],
};

/** The verdict on creating `object` in `namespace` as `username` (a unit administrator by default). */
function create(object: Record<string, unknown>, namespace: K8sObject = MPU, username = "jan@mpu.lodz.pl") {
  const [group, resource] = RESOURCE[object.kind as string]!;
  const req: AdmissionRequest = {
    operation: "CREATE",
    group,
    resource,
    object,
    namespaceObject: namespace as AdmissionRequest["namespaceObject"],
    username,
  };
  return admit(policies, req);
}
const denied = (object: Record<string, unknown>, namespace?: K8sObject) => {
  const v = create(object, namespace);
  expect(v.errors).toStrictEqual([]);
  return v.denied;
};

const ingress = (spec: Record<string, unknown>, annotations?: Record<string, string>) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "x", namespace: "unit-mpu", ...(annotations ? { annotations } : {}) },
  spec,
});
const rule = (host?: string) => ({
  ...(host ? { host } : {}),
  http: {
    paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "x", port: { number: 80 } } } }],
  },
});
const certificate = (spec: Record<string, unknown>) => ({
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name: "x", namespace: "unit-mpu" },
  spec: {
    secretName: "x-tls",
    issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "letsencrypt-prod" },
    ...spec,
  },
});
const service = (spec: Record<string, unknown>) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "x", namespace: "unit-mpu" },
  spec: { ports: [{ port: 80 }], ...spec },
});
const claim = (spec: Record<string, unknown>) => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "x", namespace: "unit-mpu" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
});
const pod = (images: string[], init: string[] = []) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "x", namespace: "unit-mpu" },
  spec: {
    containers: images.map((image, i) => ({ name: `c${i}`, image })),
    ...(init.length ? { initContainers: init.map((image, i) => ({ name: `i${i}`, image })) } : {}),
  },
});

const INGRESS_HOSTS =
  "muni-unit-ingress: every rule of an Ingress names a host in the unit's DNS zones (namespace annotation muni.lodz.pl/zones, from the stack's tenancy.zones)";
const TLS_HOSTS =
  "muni-unit-ingress: every TLS host of an Ingress lies in the unit's DNS zones (namespace annotation muni.lodz.pl/zones, from the stack's tenancy.zones)";
const CERT_NAMES =
  "muni-unit-certificate: a Certificate's DNS names and common name lie in the unit's DNS zones (namespace annotation muni.lodz.pl/zones, from the stack's tenancy.zones)";
const IMAGES =
  "muni-unit-pod: images come from the stack's allowed registries: registry.lodz.pl, quay.io/jetstack/cert-manager-acmesolver, docker.io/nginxinc/nginx-unprivileged (tenancy.workloads.allowedRegistries, web.image)";

describe("the admission policies of unit namespaces", () => {
  it("GIVEN the policies and bindings muni renders WHEN validated THEN they pass the upstream strict schemas, bound with Deny, one binding per policy", () => {
    const tenancy = platform.filter((o) => o.kind.startsWith("ValidatingAdmissionPolicy"));
    expect(tenancy.flatMap(strictSchemaErrors)).toStrictEqual([]);
    expect(
      tenancy
        .filter((o) => o.kind === "ValidatingAdmissionPolicyBinding")
        .map((b) => [b.metadata.name, b.spec]),
    ).toStrictEqual(
      ["ingress", "certificate", "service", "volume-claim", "pod"].map((n) => [
        `muni-unit-${n}`,
        { policyName: `muni-unit-${n}`, validationActions: ["Deny"] },
      ]),
    );
  });

  it("GIVEN every Ingress, Certificate, Service and volume claim muni renders for the three units, and a pod of every Deployment WHEN created in its namespace THEN each is admitted, without an evaluation error", () => {
    const verdicts = units.flatMap((u) =>
      rendered.get(u.id)!.flatMap((o) => {
        const asPod =
          o.kind === "Deployment"
            ? [
                {
                  apiVersion: "v1",
                  kind: "Pod",
                  metadata: { name: "p", namespace: o.metadata.namespace },
                  spec: (o.spec as { template: { spec: unknown } }).template.spec,
                },
              ]
            : RESOURCE[o.kind]
              ? [o]
              : [];
        return asPod.map((x) => {
          const v = create(
            x as Record<string, unknown>,
            namespaceOf(u.id),
            "system:serviceaccount:pulumi:muni",
          );
          return {
            what: `${u.id} ${x.kind}/${x.metadata.name}`,
            matched: v.matched.length,
            denied: v.denied,
            errors: v.errors,
          };
        });
      }),
    );
    expect(verdicts.length).toBe(3 * 2 * 5);
    expect(verdicts.filter((v) => v.matched !== 1 || v.denied.length || v.errors.length)).toStrictEqual([]);
  });

  it("GIVEN the staging stack, which serves the units under staging.lodz.pl (dnsRewrite) WHEN its Ingresses and Certificates are created THEN each is admitted, and a production host is denied there", () => {
    const staging = loadProject(join(__dirname, "..", ".."), "lodz-staging");
    const s = staging.stack!.settings;
    const stagingPolicies = renderPlatform(s)
      .map((d) => d.object)
      .filter((o) => o.kind === "ValidatingAdmissionPolicy");
    const verdicts = staging.units.flatMap(({ unit }) => {
      const objects = renderUnit(unit, s).map((d) => d.object);
      const ns = objects.find((o) => o.kind === "Namespace" && !o.metadata.name.endsWith("-vm"))!;
      return objects
        .filter((o) => o.kind === "Ingress" || o.kind === "Certificate")
        .map((o) => {
          const [group, resource] = RESOURCE[o.kind]!;
          const v = admit(stagingPolicies, {
            operation: "CREATE",
            group,
            resource,
            object: o as unknown as Record<string, unknown>,
            namespaceObject: ns as AdmissionRequest["namespaceObject"],
            username: "system:serviceaccount:pulumi:muni",
          });
          return { what: `${unit.id} ${o.kind}/${o.metadata.name}`, denied: v.denied, errors: v.errors };
        });
    });
    expect(verdicts.length).toBe(3 * 2 * 2);
    expect(verdicts.filter((v) => v.denied.length || v.errors.length)).toStrictEqual([]);
    const mpuStaging = staging.units.find((u) => u.unit.id === "mpu")!.unit;
    const ns = renderUnit(mpuStaging, s).find((d) => d.object.kind === "Namespace")!.object;
    const production = {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "prod", namespace: ns.metadata.name },
      spec: { ingressClassName: s.web.ingressClassName, rules: [{ host: "mpu.lodz.pl" }] },
    };
    expect(
      admit(stagingPolicies, {
        operation: "CREATE",
        group: "networking.k8s.io",
        resource: "ingresses",
        object: production,
        namespaceObject: ns as AdmissionRequest["namespaceObject"],
        username: "jan@mpu.lodz.pl",
      }).denied.length,
    ).toBeGreaterThan(0);
  });

  describe("GIVEN a hostile administrator of unit mpu", () => {
    it("WHEN it publishes Ingresses for other units, the platform, a catch-all or a wildcard over the city THEN each is denied", () => {
      expect(denied(ingress({ ingressClassName: "nginx", rules: [rule("bip.css.lodz.pl")] }))).toStrictEqual([
        INGRESS_HOSTS,
      ]);
      expect(denied(ingress({ ingressClassName: "nginx", rules: [rule("mail.lodz.pl")] }))).toStrictEqual([
        INGRESS_HOSTS,
      ]);
      expect(denied(ingress({ ingressClassName: "nginx", rules: [rule("evilmpu.lodz.pl")] }))).toStrictEqual([
        INGRESS_HOSTS,
      ]);
      expect(denied(ingress({ ingressClassName: "nginx", rules: [rule("*.lodz.pl")] }))).toStrictEqual([
        INGRESS_HOSTS,
      ]);
      expect(denied(ingress({ ingressClassName: "nginx", rules: [rule()] }))).toStrictEqual([INGRESS_HOSTS]);
      expect(
        denied(
          ingress({
            ingressClassName: "nginx",
            defaultBackend: { service: { name: "x", port: { number: 80 } } },
          }),
        ),
      ).toStrictEqual([
        "muni-unit-ingress: an Ingress of a unit has no defaultBackend: it would answer for every host",
        INGRESS_HOSTS,
      ]);
      expect(
        denied(
          ingress({
            ingressClassName: "nginx",
            rules: [rule("sklep.mpu.lodz.pl")],
            tls: [{ hosts: ["sklep.mpu.lodz.pl", "uml.lodz.pl"], secretName: "x" }],
          }),
        ),
      ).toStrictEqual([TLS_HOSTS]);
    });

    it("WHEN it picks another ingress class, none, or configuration snippets THEN each is denied", () => {
      const classes =
        "muni-unit-ingress: an Ingress names its class, one of: nginx (web.ingressClassName, tenancy.workloads.ingressClasses)";
      expect(denied(ingress({ ingressClassName: "internal", rules: [rule("a.mpu.lodz.pl")] }))).toStrictEqual(
        [classes],
      );
      expect(denied(ingress({ rules: [rule("a.mpu.lodz.pl")] }))).toStrictEqual([classes]);
      expect(
        denied(ingress({ rules: [rule("a.mpu.lodz.pl")] }, { "kubernetes.io/ingress.class": "internal" })),
      ).toStrictEqual([classes]);
      expect(
        denied(
          ingress(
            { ingressClassName: "nginx", rules: [rule("a.mpu.lodz.pl")] },
            {
              "nginx.ingress.kubernetes.io/server-snippet":
                "location /x { proxy_pass http://kubernetes.default; }",
            },
          ),
        ),
      ).toStrictEqual([
        "muni-unit-ingress: configuration-snippet annotations are refused: they run arbitrary ingress controller configuration",
      ]);
    });

    it("WHEN its Ingresses stay in its zone (a subdomain, a wildcard under it, the legacy class annotation) THEN they are admitted", () => {
      const ok = [
        ingress({
          ingressClassName: "nginx",
          rules: [rule("sklep.mpu.lodz.pl")],
          tls: [{ hosts: ["sklep.mpu.lodz.pl"], secretName: "t" }],
        }),
        ingress({ ingressClassName: "nginx", rules: [rule("*.mpu.lodz.pl")] }),
        ingress({ rules: [rule("mpu.lodz.pl")] }, { "kubernetes.io/ingress.class": "nginx" }),
      ];
      expect(ok.flatMap(strictSchemaErrors)).toStrictEqual([]);
      expect(ok.flatMap((o) => denied(o))).toStrictEqual([]);
    });

    it("WHEN it requests certificates for foreign names, IPs, a CA or from another issuer THEN each is denied", () => {
      const only =
        "muni-unit-certificate: a unit's Certificate names DNS hosts only: no IP addresses, URIs, e-mail addresses, other names or literal subject";
      const issuer =
        "muni-unit-certificate: a unit's Certificate is issued by the stack's ClusterIssuer letsencrypt-prod (web.clusterIssuer) or an Issuer of its namespace";
      const cases: [Record<string, unknown>, string[]][] = [
        [{ dnsNames: ["css.lodz.pl"] }, [CERT_NAMES]],
        [{ dnsNames: ["a.mpu.lodz.pl"], commonName: "uml.lodz.pl" }, [CERT_NAMES]],
        [{ dnsNames: ["a.mpu.lodz.pl"], ipAddresses: ["10.0.0.1"] }, [only]],
        [{ dnsNames: ["a.mpu.lodz.pl"], literalSubject: "CN=uml.lodz.pl" }, [only]],
        [
          { dnsNames: ["a.mpu.lodz.pl"], isCA: true },
          ["muni-unit-certificate: a unit's Certificate is never a CA"],
        ],
        [
          { dnsNames: ["a.mpu.lodz.pl"], issuerRef: { kind: "ClusterIssuer", name: "internal-ca" } },
          [issuer],
        ],
        [
          {
            dnsNames: ["a.mpu.lodz.pl"],
            issuerRef: { group: "awspca.cert-manager.io", kind: "AWSPCAClusterIssuer", name: "x" },
          },
          [issuer],
        ],
      ];
      for (const [spec, want] of cases) {
        const c = certificate(spec);
        expect(strictSchemaErrors(c)).toStrictEqual([]);
        expect(denied(c)).toStrictEqual(want);
      }
      expect(denied(certificate({ dnsNames: ["sklep.mpu.lodz.pl", "*.mpu.lodz.pl"] }))).toStrictEqual([]);
    });

    it("WHEN it creates Services with externalIPs (CVE-2020-8554) or of type NodePort, LoadBalancer or ExternalName THEN each is denied; ClusterIP is admitted", () => {
      const types =
        "muni-unit-service: a unit's Services are ClusterIP: NodePort and LoadBalancer open the nodes, ExternalName lets the ingress controller proxy to any name";
      const cases: [Record<string, unknown>, string[]][] = [
        [
          { externalIPs: ["203.0.113.7"] },
          [
            "muni-unit-service: Service externalIPs are refused: they capture traffic to any address (CVE-2020-8554)",
          ],
        ],
        [{ type: "NodePort" }, [types]],
        [{ type: "LoadBalancer" }, [types]],
        [{ type: "ExternalName", externalName: "mail.platform-mail.svc.cluster.local" }, [types]],
        [{ type: "ClusterIP" }, []],
        [{ clusterIP: "None" }, []],
      ];
      for (const [spec, want] of cases) {
        const s = service(spec);
        expect(strictSchemaErrors(s)).toStrictEqual([]);
        expect(denied(s)).toStrictEqual(want);
      }
    });

    it("WHEN it claims a chosen (retained) volume, another storage class or a data source in another namespace THEN each is denied", () => {
      const cases: [Record<string, unknown>, string[]][] = [
        [
          { storageClassName: "local-path" },
          [
            "muni-unit-volume-claim: a volume claim uses the cluster default or one of the stack's storage classes: ceph-cephfs (web.storageClass, tenancy.workloads.storageClasses)",
          ],
        ],
        [
          { volumeName: "pvc-3f1c-of-unit-css" },
          [
            "muni-unit-volume-claim: a volume claim never names a PersistentVolume: a retained volume may hold another unit's data",
          ],
        ],
        [
          { dataSourceRef: { kind: "PersistentVolumeClaim", name: "mail-data", namespace: "platform-mail" } },
          ["muni-unit-volume-claim: a volume claim's data source is in its own namespace"],
        ],
        [{ storageClassName: "ceph-cephfs" }, []],
        [{}, []],
      ];
      for (const [spec, want] of cases) {
        const c = claim(spec);
        expect(strictSchemaErrors(c)).toStrictEqual([]);
        expect(denied(c)).toStrictEqual(want);
      }
    });

    it("WHEN its pods use images from anywhere else (look-alike host, short name, an init container) THEN each is denied; the city's registry is admitted", () => {
      expect(denied(pod(["docker.io/library/alpine:3"]))).toStrictEqual([IMAGES]);
      expect(denied(pod(["registry.lodz.pl.evil.example/x:1"]))).toStrictEqual([IMAGES]);
      expect(denied(pod(["nginxinc/nginx-unprivileged:1.27-alpine"]))).toStrictEqual([IMAGES]);
      expect(denied(pod(["registry.lodz.pl/app:1"], ["ghcr.io/evil/init:1"]))).toStrictEqual([IMAGES]);
      expect(
        denied(pod(["registry.lodz.pl/app:1", "registry.lodz.pl/tools/debug@sha256:" + "a".repeat(64)])),
      ).toStrictEqual([]);
      expect(denied(pod(["docker.io/nginxinc/nginx-unprivileged:1.27-alpine"]))).toStrictEqual([]);
      // The pods are real objects: as a Deployment's template they pass the strict schema.
      const d = rendered.get("mpu")!.find((o) => o.kind === "Deployment")!;
      const hostile = structuredClone(d) as { spec: { template: { spec: unknown } } } & K8sObject;
      hostile.spec.template.spec = pod(["docker.io/library/alpine:3"]).spec;
      expect(strictSchemaErrors(hostile)).toStrictEqual([]);
    });
  });

  it("GIVEN a namespace without the zones annotation WHEN an Ingress is created THEN it is denied (no zones, no hosts)", () => {
    const bare = structuredClone(MPU);
    delete bare.metadata.annotations!["muni.lodz.pl/zones"];
    expect(denied(ingress({ ingressClassName: "nginx", rules: [rule("mpu.lodz.pl")] }), bare)).toStrictEqual([
      INGRESS_HOSTS,
    ]);
  });

  it("GIVEN the VM namespace and platform namespaces (not labelled unit-namespace) WHEN objects are created there THEN no policy applies", () => {
    const vmNs = rendered
      .get("mpu")!
      .find((o) => o.kind === "Namespace" && o.metadata.name === "unit-mpu-vm")!;
    expect(create(pod(["quay.io/kubevirt/virt-launcher:v1.6.2"]), vmNs).matched).toStrictEqual([]);
  });

  it("GIVEN an update WHEN sent by Kubernetes' own components it is not checked (finalizers, binding), WHEN sent by a person it is", () => {
    const req = (username: string): AdmissionRequest => ({
      operation: "UPDATE",
      group: "",
      resource: "persistentvolumeclaims",
      object: claim({ volumeName: "pv-1", storageClassName: "ceph-cephfs" }),
      oldObject: claim({ storageClassName: "ceph-cephfs" }),
      namespaceObject: MPU as AdmissionRequest["namespaceObject"],
      username,
    });
    expect(admit(policies, req("system:serviceaccount:kube-system:persistent-volume-binder"))).toStrictEqual({
      matched: [],
      denied: [],
      errors: [],
    });
    expect(admit(policies, req("jan@mpu.lodz.pl"))).toStrictEqual({
      matched: ["muni-unit-volume-claim"],
      denied: [
        "muni-unit-volume-claim: a volume claim never names a PersistentVolume: a retained volume may hold another unit's data",
      ],
      errors: [],
    });
  });
});
