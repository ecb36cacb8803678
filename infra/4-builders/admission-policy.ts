import {
  allowedImagePrefixes,
  allowedIngressClasses,
  allowedStorageClasses,
  type StackSettings,
  UNIT_NAMESPACE_LABEL,
  ZONES_ANNOTATION,
} from "../1-model";
import { platformLabels } from "./platform-objects";
import type { Desired, K8sObject } from "./types";

/**
 * ValidatingAdmissionPolicies for what RBAC cannot express (issue 13, point 4), in every namespace
 * labelled `muni.lodz.pl/unit-namespace: "true"` (the units' own namespaces; VM namespaces, where only
 * muni and KubeVirt create objects, are not selected):
 *
 * - `muni-unit-ingress`: every host of an Ingress (rules and TLS) lies in the unit's DNS zones, read from
 *   the namespace's `muni.lodz.pl/zones` annotation, which the unit's people cannot edit; no default
 *   backend (it would catch every host); an allowed IngressClass; no configuration-snippet annotations.
 * - `muni-unit-certificate`: a Certificate's names lie in the zones; no IP, URI, e-mail or other names,
 *   no literal subject, no CA certificate; only the stack's ClusterIssuer or an Issuer of the namespace.
 * - `muni-unit-service`: ClusterIP Services only (no NodePort, LoadBalancer or ExternalName, which would
 *   let the ingress controller proxy to any name) and no `externalIPs` (CVE-2020-8554).
 * - `muni-unit-volume-claim`: an allowed StorageClass; no claim of a chosen PersistentVolume by name (a
 *   retained volume of another unit) unless the cluster's own binder sets it; no data source in another
 *   namespace.
 * - `muni-unit-pod`: images only from the stack's allowed registries (and the web server's repository).
 *
 * Each is bound with `validationActions: [Deny]` and `failurePolicy: Fail`. Updates by Kubernetes' own
 * components (`system:` users: the volume binder, garbage collector) are not checked, so a policy change
 * never blocks finalizers or binding; every creation is, whoever sends it.
 */

const GROUP = "admissionregistration.k8s.io";

/** CEL string literal. */
function lit(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** CEL list literal of strings. */
function list(items: readonly string[]): string {
  return `[${items.map(lit).join(", ")}]`;
}

/** The unit's zones from its namespace annotation ([] when missing: then no host is allowed). */
const ZONES_VARIABLE = {
  name: "zones",
  expression: `has(namespaceObject.metadata.annotations) && ${lit(ZONES_ANNOTATION)} in namespaceObject.metadata.annotations ? namespaceObject.metadata.annotations[${lit(ZONES_ANNOTATION)}].split(',') : []`,
};

/** CEL: whether host expression `h` lies in the unit's zones (a wildcard `*.z` lies in `z`). */
function inZones(h: string): string {
  return `variables.zones.exists(z, z != '' && (${h} == z || ${h}.endsWith('.' + z)))`;
}

/** Only creations, and updates by anyone but Kubernetes' own components. */
const MATCH_CONDITIONS = [
  {
    name: "creations-and-user-updates",
    expression: "request.operation == 'CREATE' || !request.userInfo.username.startsWith('system:')",
  },
];

interface PolicySpec {
  name: string;
  /** `apiGroup/resource` pairs the policy matches. */
  resources: { group: string; resources: string[] }[];
  variables?: { name: string; expression: string }[];
  validations: { expression: string; message: string; reason?: string }[];
}

function policy(p: PolicySpec): Desired[] {
  const labels = platformLabels("tenancy");
  const vap: K8sObject = {
    apiVersion: `${GROUP}/v1`,
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: p.name, labels },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        namespaceSelector: { matchLabels: { [UNIT_NAMESPACE_LABEL]: "true" } },
        resourceRules: p.resources.map((r) => ({
          apiGroups: [r.group],
          apiVersions: ["*"],
          operations: ["CREATE", "UPDATE"],
          resources: r.resources,
        })),
      },
      matchConditions: MATCH_CONDITIONS,
      ...(p.variables ? { variables: p.variables } : {}),
      validations: p.validations.map((v) => ({ reason: "Forbidden", ...v })),
    },
  };
  const binding: K8sObject = {
    apiVersion: `${GROUP}/v1`,
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: p.name, labels },
    spec: { policyName: p.name, validationActions: ["Deny"] },
  };
  const key = p.name.replace(/^muni-unit-/, "");
  return [
    { key: `tenancy-vap-${key}`, service: "platform", object: vap },
    { key: `tenancy-vapb-${key}`, service: "platform", object: binding },
  ];
}

/** The names of the five policies (each binding is named like its policy): the only ones the provisioner may change. */
export const ADMISSION_POLICY_NAMES = [
  "muni-unit-ingress",
  "muni-unit-certificate",
  "muni-unit-service",
  "muni-unit-volume-claim",
  "muni-unit-pod",
] as const;

/** The five policies and their bindings, from the stack's settings. Cluster-scoped: the platform render. */
export function buildAdmissionPolicies(settings: StackSettings): Desired[] {
  const ingressClasses = allowedIngressClasses(settings);
  const storageClasses = allowedStorageClasses(settings);
  const registries = allowedImagePrefixes(settings);
  const issuer = settings.web.clusterIssuer;
  const zonesNote = `the unit's DNS zones (namespace annotation ${ZONES_ANNOTATION}, from the stack's tenancy.zones)`;
  return [
    ...policy({
      name: "muni-unit-ingress",
      resources: [{ group: "networking.k8s.io", resources: ["ingresses"] }],
      variables: [
        ZONES_VARIABLE,
        {
          name: "legacyClass",
          expression:
            "has(object.metadata.annotations) && 'kubernetes.io/ingress.class' in object.metadata.annotations ? object.metadata.annotations['kubernetes.io/ingress.class'] : ''",
        },
      ],
      validations: [
        {
          expression: "!has(object.spec.defaultBackend)",
          message: "an Ingress of a unit has no defaultBackend: it would answer for every host",
        },
        {
          expression: `has(object.spec.rules) && size(object.spec.rules) > 0 && object.spec.rules.all(r, has(r.host) && ${inZones("r.host")})`,
          message: `every rule of an Ingress names a host in ${zonesNote}`,
        },
        {
          expression: `!has(object.spec.tls) || object.spec.tls.all(t, has(t.hosts) && t.hosts.all(h, ${inZones("h")}))`,
          message: `every TLS host of an Ingress lies in ${zonesNote}`,
        },
        {
          expression: `(has(object.spec.ingressClassName) || variables.legacyClass != '') && (!has(object.spec.ingressClassName) || object.spec.ingressClassName in ${list(ingressClasses)}) && (variables.legacyClass == '' || variables.legacyClass in ${list(ingressClasses)})`,
          message: `an Ingress names its class, one of: ${ingressClasses.join(", ")} (web.ingressClassName, tenancy.workloads.ingressClasses)`,
        },
        {
          expression:
            "!has(object.metadata.annotations) || object.metadata.annotations.all(k, !k.contains('snippet'))",
          message:
            "configuration-snippet annotations are refused: they run arbitrary ingress controller configuration",
        },
      ],
    }),
    ...policy({
      name: "muni-unit-certificate",
      resources: [{ group: "cert-manager.io", resources: ["certificates"] }],
      variables: [ZONES_VARIABLE],
      validations: [
        {
          expression: `(has(object.spec.dnsNames) || has(object.spec.commonName)) && (!has(object.spec.dnsNames) || object.spec.dnsNames.all(h, ${inZones("h")})) && (!has(object.spec.commonName) || ${inZones("object.spec.commonName")})`,
          message: `a Certificate's DNS names and common name lie in ${zonesNote}`,
        },
        {
          expression:
            "!has(object.spec.ipAddresses) && !has(object.spec.uris) && !has(object.spec.emailAddresses) && !has(object.spec.otherNames) && !has(object.spec.literalSubject)",
          message:
            "a unit's Certificate names DNS hosts only: no IP addresses, URIs, e-mail addresses, other names or literal subject",
        },
        {
          expression: "!has(object.spec.isCA) || !object.spec.isCA",
          message: "a unit's Certificate is never a CA",
        },
        {
          expression: `(!has(object.spec.issuerRef.group) || object.spec.issuerRef.group == 'cert-manager.io') && ((has(object.spec.issuerRef.kind) && object.spec.issuerRef.kind == 'ClusterIssuer') ? object.spec.issuerRef.name == ${lit(issuer)} : true)`,
          message: `a unit's Certificate is issued by the stack's ClusterIssuer ${issuer} (web.clusterIssuer) or an Issuer of its namespace`,
        },
      ],
    }),
    ...policy({
      name: "muni-unit-service",
      resources: [{ group: "", resources: ["services"] }],
      validations: [
        {
          expression: "!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0",
          message: "Service externalIPs are refused: they capture traffic to any address (CVE-2020-8554)",
        },
        {
          expression: "!has(object.spec.type) || object.spec.type == 'ClusterIP'",
          message:
            "a unit's Services are ClusterIP: NodePort and LoadBalancer open the nodes, ExternalName lets the ingress controller proxy to any name",
        },
      ],
    }),
    ...policy({
      name: "muni-unit-volume-claim",
      resources: [{ group: "", resources: ["persistentvolumeclaims"] }],
      validations: [
        {
          expression: `!has(object.spec.storageClassName) || object.spec.storageClassName in ${list(storageClasses)}`,
          message: `a volume claim uses the cluster default or one of the stack's storage classes: ${storageClasses.join(", ") || "(none listed)"} (web.storageClass, tenancy.workloads.storageClasses)`,
        },
        {
          expression:
            "!has(object.spec.volumeName) || request.userInfo.username.startsWith('system:') || (oldObject != null && has(oldObject.spec.volumeName) && oldObject.spec.volumeName == object.spec.volumeName)",
          message:
            "a volume claim never names a PersistentVolume: a retained volume may hold another unit's data",
        },
        {
          expression: "!has(object.spec.dataSourceRef) || !has(object.spec.dataSourceRef.namespace)",
          message: "a volume claim's data source is in its own namespace",
        },
      ],
    }),
    ...policy({
      name: "muni-unit-pod",
      resources: [{ group: "", resources: ["pods", "pods/ephemeralcontainers"] }],
      variables: [
        {
          name: "images",
          expression:
            "object.spec.containers.map(c, c.image) + (has(object.spec.initContainers) ? object.spec.initContainers.map(c, c.image) : []) + (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers.map(c, c.image) : [])",
        },
      ],
      validations: [
        {
          expression: `variables.images.all(i, ${list(registries)}.exists(p, i.startsWith(p + '/') || i.startsWith(p + ':') || i.startsWith(p + '@')))`,
          message: `images come from the stack's allowed registries: ${registries.join(", ")} (tenancy.workloads.allowedRegistries, web.image)`,
        },
      ],
    }),
  ];
}
