import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const VENDOR = join(__dirname, "..", "..", "schemas", "vendor", "k8s");

/** apiVersion/kind → vendored strict schema file. A kind missing here fails validation loudly. */
const FILES: Record<string, string> = {
  "v1/Namespace": "v1.34.1-standalone-strict/namespace-v1.json",
  "v1/ResourceQuota": "v1.34.1-standalone-strict/resourcequota-v1.json",
  "v1/LimitRange": "v1.34.1-standalone-strict/limitrange-v1.json",
  "v1/Secret": "v1.34.1-standalone-strict/secret-v1.json",
  "v1/ConfigMap": "v1.34.1-standalone-strict/configmap-v1.json",
  "v1/Service": "v1.34.1-standalone-strict/service-v1.json",
  "v1/ServiceAccount": "v1.34.1-standalone-strict/serviceaccount-v1.json",
  "v1/PersistentVolumeClaim": "v1.34.1-standalone-strict/persistentvolumeclaim-v1.json",
  "apps/v1/Deployment": "v1.34.1-standalone-strict/deployment-apps-v1.json",
  "apps/v1/StatefulSet": "v1.34.1-standalone-strict/statefulset-apps-v1.json",
  "networking.k8s.io/v1/NetworkPolicy": "v1.34.1-standalone-strict/networkpolicy-networking-v1.json",
  "networking.k8s.io/v1/Ingress": "v1.34.1-standalone-strict/ingress-networking-v1.json",
  "rbac.authorization.k8s.io/v1/Role": "v1.34.1-standalone-strict/role-rbac-v1.json",
  "rbac.authorization.k8s.io/v1/RoleBinding": "v1.34.1-standalone-strict/rolebinding-rbac-v1.json",
  "rbac.authorization.k8s.io/v1/ClusterRole": "v1.34.1-standalone-strict/clusterrole-rbac-v1.json",
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy":
    "v1.34.1-standalone-strict/validatingadmissionpolicy-admissionregistration-v1.json",
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding":
    "v1.34.1-standalone-strict/validatingadmissionpolicybinding-admissionregistration-v1.json",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding":
    "v1.34.1-standalone-strict/clusterrolebinding-rbac-v1.json",
  "policy/v1/PodDisruptionBudget": "v1.34.1-standalone-strict/poddisruptionbudget-policy-v1.json",
  "cert-manager.io/v1/Certificate": "crds-root-strict/cert-manager.io/certificate_v1.json",
  "cert-manager.io/v1/Issuer": "crds-root-strict/cert-manager.io/issuer_v1.json",
  "cert-manager.io/v1/ClusterIssuer": "crds-root-strict/cert-manager.io/clusterissuer_v1.json",
  "kubevirt.io/v1/VirtualMachine": "crds-root-strict/kubevirt.io/virtualmachine_v1.json",
  "pulumi.com/v1/Stack": "crds-root-strict/pulumi.com/stack_v1.json",
  "velero.io/v1/Schedule": "crds-root-strict/velero.io/schedule_v1.json",
  "monitoring.coreos.com/v1/Probe": "crds-root-strict/monitoring.coreos.com/probe_v1.json",
  "monitoring.coreos.com/v1/PrometheusRule": "crds-root-strict/monitoring.coreos.com/prometheusrule_v1.json",
  "monitoring.coreos.com/v1/ServiceMonitor": "crds-root-strict/monitoring.coreos.com/servicemonitor_v1.json",
};

/**
 * Patterns of the CRD schemas are Go (RE2) regular expressions. One construct JavaScript lacks appears: a
 * leading `(?i)` (case-insensitive, the Prometheus Operator's partial_response_strategy). It becomes the
 * `i` flag; every other pattern is compiled as is.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const insensitive = /^\^?\(\?i\)/.exec(pattern);
    return insensitive ? new RegExp(pattern.replace("(?i)", ""), `${flags}i`) : new RegExp(pattern, flags);
  },
  { code: "new RegExp" },
);
const ajv = new Ajv({
  strict: false,
  validateSchema: false,
  allErrors: true,
  code: { regExp: goRegExp },
});
addFormats(ajv);
for (const f of ["int32", "int64", "byte", "double", "float"]) ajv.addFormat(f, true);
const compiled = new Map<string, ValidateFunction>();

function validator(file: string): ValidateFunction {
  let v = compiled.get(file);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(join(VENDOR, file), "utf8")));
    compiled.set(file, v);
  }
  return v;
}

/**
 * Validates one object against the upstream strict schema of its kind. Custom resources also get their
 * `metadata` checked against the strict ObjectMeta (the CRD schemas leave it open). Returns the
 * problems, empty when valid.
 */
export function strictSchemaErrors(obj: {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: unknown;
}): string[] {
  const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
  const file = FILES[key];
  if (!file)
    return [
      `no vendored strict schema for ${key}: vendor one into schemas/vendor/k8s and map it in test/helpers/k8s-schemas.ts`,
    ];
  const errors: string[] = [];
  const v = validator(file);
  if (!v(obj))
    errors.push(
      ...(v.errors ?? []).map(
        (e) => `${key} ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`,
      ),
    );
  if (file.startsWith("crds")) {
    const meta = validator("v1.34.1-standalone-strict/namespace-v1.json");
    const probe = { apiVersion: "v1", kind: "Namespace", metadata: obj.metadata };
    if (!meta(probe))
      errors.push(
        ...(meta.errors ?? [])
          .filter((e) => e.instancePath.startsWith("/metadata"))
          .map((e) => `${key} ${e.instancePath} ${e.message}`),
      );
  }
  return errors;
}
