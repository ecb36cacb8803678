import { bytes, cpuMillis, effectiveQuota, formatBytes, formatCpu, vmShare } from "../1-model";
import type { BuildContext, Desired } from "./types";

/** Container defaults applied by the LimitRange, clamped to the quota so a tiny quota stays usable. */
const CONTAINER_DEFAULT = { cpu: 500, memory: 512 * 2 ** 20 };
const CONTAINER_DEFAULT_REQUEST = { cpu: 100, memory: 128 * 2 ** 20 };

/**
 * ResourceQuota (requests and limits of CPU and memory, storage, PVCs, pods; no VMs, LoadBalancer or
 * NodePort services) and LimitRange (container defaults, per-container and per-claim maximums) of the
 * unit's namespace. The unit's VMs live in its VM namespace, which gets their share of the quota: this
 * namespace gets the rest (the stack checks make sure the VMs fit).
 */
export function buildQuota(ctx: BuildContext): Desired[] {
  const total = effectiveQuota(ctx.unit, ctx.settings);
  const vm = vmShare(ctx);
  const q = {
    cpu: formatCpu(Math.max(0, cpuMillis(total.cpu) - vm.cpuMillis)),
    memory: formatBytes(Math.max(0, bytes(total.memory) - vm.memory)),
    storage: formatBytes(Math.max(0, bytes(total.storage) - vm.storage)),
    volumes: Math.max(0, total.volumes - vm.volumes),
    pods: Math.max(0, total.pods - vm.pods),
  };
  const meta = (name: string) => ({ name, namespace: ctx.namespace, labels: ctx.labels });
  const cpu = cpuMillis(q.cpu);
  const mem = bytes(q.memory);
  const clamp = (d: { cpu: number; memory: number }) => ({
    cpu: formatCpu(Math.min(d.cpu, cpu)),
    memory: formatBytes(Math.min(d.memory, mem)),
  });
  return [
    {
      key: "quota",
      service: "baseline",
      object: {
        apiVersion: "v1",
        kind: "ResourceQuota",
        metadata: meta("unit-quota"),
        spec: {
          hard: {
            "requests.cpu": q.cpu,
            "limits.cpu": q.cpu,
            "requests.memory": q.memory,
            "limits.memory": q.memory,
            "requests.storage": q.storage,
            persistentvolumeclaims: String(q.volumes),
            pods: String(q.pods),
            "services.loadbalancers": "0",
            "services.nodeports": "0",
            "count/virtualmachines.kubevirt.io": "0",
          },
        },
      },
    },
    {
      key: "limits",
      service: "baseline",
      object: {
        apiVersion: "v1",
        kind: "LimitRange",
        metadata: meta("unit-limits"),
        spec: {
          limits: [
            {
              type: "Container",
              default: clamp(CONTAINER_DEFAULT),
              defaultRequest: clamp(CONTAINER_DEFAULT_REQUEST),
              max: { cpu: q.cpu, memory: q.memory },
            },
            { type: "PersistentVolumeClaim", max: { storage: q.storage } },
          ],
        },
      },
    },
  ];
}
