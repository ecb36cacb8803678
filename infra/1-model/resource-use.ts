import { bytes, ceilMi, cpuMillis } from "./quantity";
import type { Site, Vm } from "./services";
import type { StackSettings } from "./stack.generated";
import type { Unit } from "./unit.generated";

/**
 * What one workload (a VM, a site) takes from its unit's quota: the one shape the VM and site builders
 * size their objects from, the VM namespace's quota sums, and the capacity check charges.
 */
export interface ResourceUse {
  cpuMillis: number;
  cpuLimitMillis: number;
  /** Memory requested (bytes). */
  memory: number;
  memoryLimit: number;
  storage: number;
  pods: number;
  volumes: number;
  vms: number;
}

/** Nothing: the start of a sum. */
export function noUse(): ResourceUse {
  return {
    cpuMillis: 0,
    cpuLimitMillis: 0,
    memory: 0,
    memoryLimit: 0,
    storage: 0,
    pods: 0,
    volumes: 0,
    vms: 0,
  };
}

/** The sum of several uses. */
export function sumUse(uses: Iterable<ResourceUse>): ResourceUse {
  const sum = noUse();
  for (const u of uses) for (const k of Object.keys(sum) as (keyof ResourceUse)[]) sum[k] += u[k];
  return sum;
}

/**
 * KubeVirt's per-VM memory overhead as muni estimates it from the stack's `vm.memoryOverhead`:
 * base + perVcpu × vCPUs + guestPermille/1000 × guest memory, rounded up to a whole MiB.
 */
export function vmMemoryOverhead(
  vm: Pick<Vm, "cpu" | "memory">,
  settings: Pick<StackSettings, "vm">,
): number {
  const o = settings.vm.memoryOverhead;
  return ceilMi(
    bytes(o.base) + vm.cpu * bytes(o.perVcpu) + Math.ceil((bytes(vm.memory) * o.guestPermille) / 1000),
  );
}

/**
 * The quota a VM takes. CPU: its vCPUs, requested and limited. Memory: guest + overhead, as both
 * request and limit — the VM sets its limit to exactly that, and KubeVirt adds its own (smaller or
 * equal) overhead to the guest memory for the request. One launcher pod (counted even when halted, so
 * starting it never fails on quota), one system disk volume.
 */
export function vmRequests(vm: Vm, settings: Pick<StackSettings, "vm">): ResourceUse {
  const memory = bytes(vm.memory) + vmMemoryOverhead(vm, settings);
  return {
    cpuMillis: cpuMillis(vm.cpu),
    cpuLimitMillis: cpuMillis(vm.cpu),
    memory,
    memoryLimit: memory,
    storage: bytes(vm.disk),
    pods: 1,
    volumes: 1,
    vms: 1,
  };
}

/**
 * The quota a site takes, from the same stack settings the Deployment and the PVC are built from.
 * Rollouts never surge (maxSurge 0), so replicas × container is the most the site ever holds.
 */
export function siteRequests(site: Site, settings: Pick<StackSettings, "web">): ResourceUse {
  const r = settings.web.resources;
  return {
    cpuMillis: site.replicas * cpuMillis(r.requests.cpu),
    cpuLimitMillis: site.replicas * cpuMillis(r.limits.cpu),
    memory: site.replicas * bytes(r.requests.memory),
    memoryLimit: site.replicas * bytes(r.limits.memory),
    storage: bytes(site.storage),
    pods: site.replicas,
    volumes: 1,
    vms: 0,
  };
}

/** The sum of what a unit's VMs take from its quota (zeros without VMs): the quota of its VM namespace. */
export function vmShare(ctx: { unit: Unit; settings: Pick<StackSettings, "vm"> }): ResourceUse {
  return sumUse((ctx.unit.services.servers?.vms ?? []).map((vm) => vmRequests(vm, ctx.settings)));
}
