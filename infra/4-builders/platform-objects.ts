import { createHash } from "node:crypto";
import type { Desired } from "./types";

/** Labels on every platform object. */
export function platformLabels(component: string): Record<string, string> {
  return {
    "app.kubernetes.io/managed-by": "muni",
    "app.kubernetes.io/part-of": "muni-platform",
    "app.kubernetes.io/component": component,
  };
}

/** The platform namespace: Pod Security `baseline` (Postfix's master and cupsd start as root, then drop privileges). */
export function platformNamespace(key: string, name: string, component: string): Desired {
  return {
    key,
    service: "platform",
    object: {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name,
        labels: {
          ...platformLabels(component),
          "pod-security.kubernetes.io/enforce": "baseline",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    },
  };
}

/** A retained volume claim (data-bearing: kept when removed from the program). */
export function retainedClaim(
  key: string,
  name: string,
  namespace: string,
  component: string,
  storage: string,
): Desired {
  return {
    key,
    service: "platform",
    dataBearing: true,
    object: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        name,
        namespace,
        labels: platformLabels(component),
        annotations: { "muni.lodz.pl/retain": "true" },
      },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } } },
    },
  };
}

/** Short content hash for a pod annotation, so the pod rolls when what it was built from changes. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}
