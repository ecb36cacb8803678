import {
  credentialVariables,
  type PulumiSettings,
  platformStackName,
  type StackSettings,
  unitStackName,
} from "../../1-model";
import type { K8sObject } from "../types";
import { provisionerRbac } from "./rbac";

/** What `muni operator` renders for a city. */
export interface OperatorInput {
  /** The city's settings name (stacks/Pulumi.<city>.yaml). */
  city: string;
  /** The city's validated settings; `pulumi` with `repository` is required. */
  settings: StackSettings & {
    pulumi: PulumiSettings & { repository: NonNullable<PulumiSettings["repository"]> };
  };
  /** The unit ids with a Pulumi stack (the units the city takes). */
  units: readonly string[];
  /** The Pulumi CLI version pinned in .pulumi.version (the workspace image's tag). */
  pulumiVersion: string;
}

/** The objects, by where `muni operator` writes them. */
export interface OperatorObjects {
  /** The operator's namespace (restricted Pod Security: the workspaces run as the restricted profile). */
  namespace: K8sObject;
  /** The provisioner's ServiceAccount and RBAC (rbac.ts). */
  rbac: K8sObject[];
  /** The kubeconfig the workspaces use: the cluster context of the settings, reached from inside the cluster. */
  kubeconfig: K8sObject;
  /** One `Stack` per Pulumi stack: the platform's first, then one per unit in the order given. */
  stacks: K8sObject[];
}

/** Where the in-cluster kubeconfig is mounted in each workspace pod. */
export const KUBECONFIG_DIR = "/etc/muni/kubeconfig";
/** The workspace pod's container (the operator's `WorkspaceContainerName`). */
const WORKSPACE_CONTAINER = "server";
/** Longest Stack name: the operator names the workspace's Service `<name>-workspace`, a 63-character DNS label. */
export const MAX_STACK_OBJECT_NAME = 53;

/** The Stack object's name for a Pulumi stack (`lodz-prod.css` → `lodz-prod-css`): a DNS label, unlike the stack name. */
export function stackObjectName(pulumiStack: string): string {
  return pulumiStack.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
}

/** The kubeconfig (YAML) of the workspaces: context `name` → the API server, with the pod's ServiceAccount token. */
export function inClusterKubeconfig(context: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: in-cluster",
    "    cluster:",
    "      server: https://kubernetes.default.svc",
    "      certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
    "users:",
    "  - name: provisioner",
    "    user:",
    "      tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token",
    "contexts:",
    `  - name: ${JSON.stringify(context)}`,
    "    context:",
    "      cluster: in-cluster",
    "      user: provisioner",
    `current-context: ${JSON.stringify(context)}`,
    "",
  ].join("\n");
}

/**
 * The Pulumi Kubernetes Operator (v2) objects for a city: one `pulumi.com/v1` Stack per Pulumi stack —
 * `<city>.platform` and `<city>.<unit id>` — from the repository and branch, with the state backend and
 * secrets provider of the settings and their credentials from one Secret, `refresh: true`, the platform as
 * every unit stack's prerequisite, the resync and drift mode of the settings, the provisioner's
 * ServiceAccount, the workspace's image and resources, and `destroyOnFinalize: false` (deleting a Stack
 * object never deletes what it provisioned). Plus the ServiceAccount's RBAC. Pure.
 */
export function operatorObjects(input: OperatorInput): OperatorObjects {
  const p = input.settings.pulumi;
  const op = p.operator;
  const labels = { "app.kubernetes.io/managed-by": "muni", "app.kubernetes.io/part-of": "muni-operator" };
  const context = input.settings.cluster.context ?? "muni";
  const kubeconfig: K8sObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "muni-kubeconfig", namespace: op.namespace, labels },
    data: { config: inClusterKubeconfig(context) },
  };
  const envRefs = Object.fromEntries(
    credentialVariables(p).map((v) => [
      v,
      { type: "Secret", secret: { name: p.credentials.secretName, key: v } },
    ]),
  );
  const resources = op.workspace.resources;
  const workspaceTemplate = {
    spec: {
      image: op.workspace.image.replace("{pulumiVersion}", input.pulumiVersion),
      securityProfile: "restricted",
      ...(resources.requests || resources.limits
        ? {
            resources: {
              ...(resources.requests ? { requests: resources.requests } : {}),
              ...(resources.limits ? { limits: resources.limits } : {}),
            },
          }
        : {}),
      env: [{ name: "KUBECONFIG", value: `${KUBECONFIG_DIR}/config` }],
      podTemplate: {
        spec: {
          volumes: [{ name: "muni-kubeconfig", configMap: { name: "muni-kubeconfig" } }],
          containers: [
            {
              name: WORKSPACE_CONTAINER,
              volumeMounts: [{ name: "muni-kubeconfig", mountPath: KUBECONFIG_DIR, readOnly: true }],
            },
          ],
        },
      },
    },
  };
  const platform = platformStackName(input.city);
  const stack = (name: string, extraLabels: Record<string, string>, prerequisite?: string): K8sObject => ({
    apiVersion: "pulumi.com/v1",
    kind: "Stack",
    metadata: {
      name: stackObjectName(name),
      namespace: op.namespace,
      labels: { ...labels, "muni.lodz.pl/stack": input.city, ...extraLabels },
    },
    spec: {
      stack: name,
      projectRepo: p.repository.url,
      branch: p.repository.branch,
      ...(p.repository.tokenSecret
        ? {
            gitAuth: {
              accessToken: { type: "Secret", secret: { name: p.repository.tokenSecret, key: "accessToken" } },
            },
          }
        : {}),
      backend: p.backend,
      secretsProvider: p.secretsProvider,
      envRefs,
      refresh: true,
      ...(op.mode === "preview" ? { preview: true } : {}),
      continueResyncOnCommitMatch: op.mode !== "deploy",
      resyncFrequencySeconds: op.resyncFrequencySeconds,
      destroyOnFinalize: false,
      ...(prerequisite
        ? {
            prerequisites: [
              {
                name: stackObjectName(prerequisite),
                requirement: { succeededWithinDuration: op.platformSucceededWithin },
              },
            ],
          }
        : {}),
      serviceAccountName: op.serviceAccount,
      workspaceReclaimPolicy: op.workspace.reclaim,
      workspaceTemplate,
    },
  });
  return {
    namespace: {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: op.namespace,
        labels: {
          ...labels,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    },
    rbac: provisionerRbac({ namespace: op.namespace, serviceAccount: op.serviceAccount }, input.settings),
    kubeconfig,
    stacks: [
      stack(platform, { "app.kubernetes.io/component": "platform" }),
      ...input.units.map((id) =>
        stack(
          unitStackName(input.city, id),
          { "app.kubernetes.io/component": "unit", "muni.lodz.pl/unit": id },
          platform,
        ),
      ),
    ],
  };
}
