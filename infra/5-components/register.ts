import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  type Desired,
  type K8sObject,
  namespacesHoldingData,
  type RetentionOptions,
  isDataBearing,
} from "../4-builders";

type Ctor = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** Typed @pulumi/kubernetes classes for every built-in kind muni emits, by `apiVersion/kind`. */
const TYPED: Record<string, Ctor> = {
  "v1/Namespace": k8s.core.v1.Namespace,
  "v1/ResourceQuota": k8s.core.v1.ResourceQuota,
  "v1/LimitRange": k8s.core.v1.LimitRange,
  "v1/Secret": k8s.core.v1.Secret,
  "v1/ConfigMap": k8s.core.v1.ConfigMap,
  "v1/Service": k8s.core.v1.Service,
  "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
  "v1/PersistentVolumeClaim": k8s.core.v1.PersistentVolumeClaim,
  "apps/v1/Deployment": k8s.apps.v1.Deployment,
  "apps/v1/StatefulSet": k8s.apps.v1.StatefulSet,
  "networking.k8s.io/v1/NetworkPolicy": k8s.networking.v1.NetworkPolicy,
  "networking.k8s.io/v1/Ingress": k8s.networking.v1.Ingress,
  "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
  "rbac.authorization.k8s.io/v1/ClusterRole": k8s.rbac.v1.ClusterRole,
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy":
    k8s.admissionregistration.v1.ValidatingAdmissionPolicy,
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding":
    k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding,
  "policy/v1/PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget,
};

/** API groups whose kinds are custom resources, registered as `apiextensions.CustomResource`. */
const CUSTOM_GROUPS = new Set([
  "cert-manager.io",
  "kubevirt.io",
  "cdi.kubevirt.io",
  "velero.io",
  "monitoring.coreos.com",
]);

/** What registerObject can register: the typed kinds (`apiVersion/kind`) and the custom resource groups (the operator's RBAC must cover them). */
export const REGISTRABLE = { typed: Object.keys(TYPED), customGroups: [...CUSTOM_GROUPS] } as const;

/**
 * Registers one object under its typed class (or as a CustomResource for a CRD kind). `shape` gives
 * the kind statically; `object` may be an Output when built from generated secrets.
 */
export function registerObject(
  name: string,
  shape: Pick<K8sObject, "apiVersion" | "kind">,
  object: pulumi.Input<K8sObject>,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  const typed = TYPED[`${shape.apiVersion}/${shape.kind}`];
  if (typed) return new typed(name, object as never, opts);
  const group = shape.apiVersion.includes("/") ? shape.apiVersion.split("/")[0]! : "";
  if (CUSTOM_GROUPS.has(group)) {
    if (pulumi.Output.isInstance(object) || object instanceof Promise)
      throw new Error(
        `${shape.kind} ${name}: custom resources are registered from plain objects, not generated secrets`,
      );
    return new k8s.apiextensions.CustomResource(name, object as k8s.apiextensions.CustomResourceArgs, opts);
  }
  throw new Error(
    `muni does not know how to register ${shape.apiVersion}/${shape.kind}: add it to infra/5-components/register.ts`,
  );
}

/** How a component registers its rendered objects. */
export interface RegisterOptions {
  /** The component: every object is its child, named `<name>-<key>`. */
  parent: pulumi.Resource;
  name: string;
  /** Options of data-bearing objects, and of the namespaces that hold them. */
  retain: RetentionOptions;
  /** Namespaces that have held data before (the unit's ledger record): retained even when nothing data-bearing is rendered in them now. Default: none. */
  retainNamespaces?: readonly string[];
  /** What every object other than a namespace waits for, besides the component's own namespaces. */
  dependsOn?: pulumi.Resource[];
  /** The object to send for a key, when it differs from the rendered one (built from generated secrets). */
  objectOf?: (d: Desired) => pulumi.Input<K8sObject>;
}

/**
 * The one registration loop of the Unit and Platform components: namespaces first (retained when they
 * hold data-bearing objects: deleting a namespace deletes what is in it), then every other object,
 * waiting for the namespaces; data-bearing objects retained. Returns the namespaces.
 */
export function registerDesired(desired: readonly Desired[], o: RegisterOptions): pulumi.CustomResource[] {
  const dataNamespaces = new Set([...namespacesHoldingData(desired), ...(o.retainNamespaces ?? [])]);
  const namespaces = desired
    .filter((d) => d.object.kind === "Namespace")
    .map((d) =>
      registerObject(`${o.name}-${d.key}`, d.object, d.object, {
        parent: o.parent,
        ...(dataNamespaces.has(d.object.metadata.name) ? o.retain : {}),
      }),
    );
  const dependsOn = [...namespaces, ...(o.dependsOn ?? [])];
  for (const d of desired) {
    if (d.object.kind === "Namespace") continue;
    registerObject(`${o.name}-${d.key}`, d.object, o.objectOf?.(d) ?? d.object, {
      parent: o.parent,
      ...(dependsOn.length ? { dependsOn } : {}),
      ...(isDataBearing(d) ? o.retain : {}),
    });
  }
  return namespaces;
}
