import { effectiveQuota, type EffectiveQuota } from "../4-builders/quota";
import { bytes, cpuMillis, describeBytes, formatCpu, timesFactor } from "../1-model/quantity";
import { siteBaseName, siteRequests } from "../4-builders/web";
import { vmRequests } from "../4-builders/vm";
import { shouldProvision } from "../1-model/lifecycle";
import type { Diagnostic, PathSegment } from "../2-manifest/diagnostics";
import type { LoadedStack } from "../2-manifest/stack";
import type { StackCheck } from "./stack";
import type { LoadedUnit } from "../2-manifest/units";

/**
 * Validation-time checks of servers, sites and capacity: the VM image catalogue, site object names,
 * each unit's VMs and sites within its quota, and the sum of all quotas within the stack's capacity.
 */

/** Where the settings live in a stack file (as ./stack's SETTINGS_PATH; not imported, to keep the module graph acyclic at load). */
const SETTINGS_PATH: readonly PathSegment[] = ["config", "muni:settings"];

/** Quota dimensions a unit's VMs and sites are checked on. */
type Dim = "cpu" | "memory" | "storage" | "pods" | "volumes";

/** What one VM or site takes, per dimension (CPU and memory: limits, which are ≥ requests), and where. */
interface Consumer {
  label: string;
  amount: Record<Dim, number>;
  /** Requests of CPU and memory, for the message. */
  requests: { cpu: number; memory: number };
  /** The manifest field each dimension is charged to. */
  at: Record<Dim, PathSegment[]>;
}

const DIM_NAME: Record<Dim, string> = {
  cpu: "CPU (limits)",
  memory: "memory (limits)",
  storage: "storage",
  pods: "pods",
  volumes: "persistent volume claims",
};

const fmt = (dim: Dim, n: number): string =>
  dim === "cpu" ? formatCpu(n) : dim === "memory" || dim === "storage" ? describeBytes(n) : String(n);
const quotaAmount = (q: EffectiveQuota, dim: Dim): number =>
  dim === "cpu"
    ? cpuMillis(q.cpu)
    : dim === "memory"
      ? bytes(q.memory)
      : dim === "storage"
        ? bytes(q.storage)
        : q[dim];
const where = (file: string, at: { line: number; col: number }) => `${file}:${at.line}:${at.col}`;

/** A consumer charged its limits (requests kept for the message), located at `at` per resource. */
function consumer(
  label: string,
  r: {
    cpuMillis: number;
    cpuLimitMillis: number;
    memory: number;
    memoryLimit: number;
    storage: number;
    pods: number;
    volumes: number;
  },
  at: Consumer["at"],
): Consumer {
  return {
    label,
    amount: {
      cpu: r.cpuLimitMillis,
      memory: r.memoryLimit,
      storage: r.storage,
      pods: r.pods,
      volumes: r.volumes,
    },
    requests: { cpu: r.cpuMillis, memory: r.memory },
    at,
  };
}

/** A unit's consumers in the order they are charged: its sites, then its VMs. */
export function unitConsumers(u: LoadedUnit, stack: LoadedStack): Consumer[] {
  const settings = stack.settings;
  const sites = (u.unit.services.web?.sites ?? []).map((site, i): Consumer => {
    const r = siteRequests(site, settings);
    const p = ["services", "web", "sites", i];
    const label = `site "${site.hostname}" (${site.replicas} replica${site.replicas === 1 ? "" : "s"} × web.resources of stack ${stack.name}, content ${site.storage})`;
    return consumer(label, r, {
      cpu: [...p, "replicas"],
      memory: [...p, "replicas"],
      storage: [...p, "storage"],
      pods: [...p, "replicas"],
      volumes: [...p, "hostname"],
    });
  });
  const vms = (u.unit.services.servers?.vms ?? []).map((vm, i): Consumer => {
    const r = vmRequests(vm, settings);
    const p = ["services", "servers", "vms", i];
    const label = `virtual machine "${vm.name}" (${vm.cpu} vCPU, ${vm.memory} + ${describeBytes(r.memory - bytes(vm.memory))} overhead, disk ${vm.disk})`;
    return consumer(label, r, {
      cpu: [...p, "cpu"],
      memory: [...p, "memory"],
      storage: [...p, "disk"],
      pods: [...p, "name"],
      volumes: [...p, "name"],
    });
  });
  return [...sites, ...vms];
}

/**
 * Each unit's sites and VMs fit its quota (`services.servers.quota`, or the stack's defaultQuota), on
 * CPU, memory, storage, pods and volume claims. The error is located at the first site or VM that
 * goes over, names the quota and where it is set, and says how much the unit needs in all.
 */
export const unitQuota: StackCheck = (stack, units) =>
  units.flatMap((u) => {
    const q = effectiveQuota(u.unit, stack.settings);
    const own = u.unit.services.servers !== undefined;
    const consumers = unitConsumers(u, stack);
    const out: Diagnostic[] = [];
    for (const dim of ["cpu", "memory", "storage", "pods", "volumes"] as const) {
      const limit = quotaAmount(q, dim);
      const total = consumers.reduce((s, c) => s + c.amount[dim], 0);
      if (total <= limit) continue;
      let sum = 0;
      const first = consumers.find((c) => (sum += c.amount[dim]) > limit)!;
      const quotaField = own ? `services.servers.quota.${dim}` : `defaultQuota.${dim} of stack ${stack.name}`;
      const quotaAt = own
        ? where(u.file, u.source.locate(["services", "servers", "quota", dim]))
        : where(stack.file, stack.source.locate([...SETTINGS_PATH, "defaultQuota", dim]));
      const requests =
        dim === "cpu"
          ? `; requests ${formatCpu(consumers.reduce((s, c) => s + c.requests.cpu, 0))}`
          : dim === "memory"
            ? `; requests ${describeBytes(consumers.reduce((s, c) => s + c.requests.memory, 0))}`
            : "";
      out.push(
        u.source.diagnostic(
          first.at[dim],
          `${first.label} brings the unit's ${DIM_NAME[dim]} to ${fmt(dim, sum)}, over its quota ${fmt(dim, limit)} (${quotaField} at ${quotaAt}); its sites and VMs need ${fmt(dim, total)} in all${requests}`,
          own
            ? `raise services.servers.quota.${dim} to at least ${fmt(dim, total)}, or make the unit's sites or VMs smaller`
            : `enrol the unit in servers with services.servers.quota.${dim} of at least ${fmt(dim, total)}, or make its sites smaller`,
        ),
      );
    }
    return out;
  });

/**
 * The quotas of all units the stack provisions fit its central capacity: CPU, memory and storage
 * times `capacity.overcommit`, and the number of VMs (never over-committed) within `capacity.vms`.
 * Located at the capacity field in the stack file, naming the units that take the most.
 */
export const centralCapacity: StackCheck = (stack, units) => {
  const { capacity } = stack.settings;
  const provisioned = units.filter((u) => shouldProvision(u.unit, stack.settings));
  const out: Diagnostic[] = [];
  const dims = [
    {
      dim: "cpu",
      cap: cpuMillis(capacity.cpu),
      of: (q: EffectiveQuota) => cpuMillis(q.cpu),
      fmt: formatCpu,
      over: true,
    },
    {
      dim: "memory",
      cap: bytes(capacity.memory),
      of: (q: EffectiveQuota) => bytes(q.memory),
      fmt: describeBytes,
      over: true,
    },
    {
      dim: "storage",
      cap: bytes(capacity.storage),
      of: (q: EffectiveQuota) => bytes(q.storage),
      fmt: describeBytes,
      over: true,
    },
    { dim: "vms", cap: capacity.vms, of: (q: EffectiveQuota) => q.vms, fmt: String, over: false },
  ] as const;
  for (const d of dims) {
    const allowed = d.over ? timesFactor(d.cap, capacity.overcommit) : d.cap;
    const takes = provisioned
      .map((u) => ({ u, q: effectiveQuota(u.unit, stack.settings) }))
      .map(({ u, q }) => ({ u, n: d.of(q) }));
    const total = takes.reduce((s, t) => s + t.n, 0);
    if (total <= allowed) continue;
    const largest = [...takes]
      .sort((a, b) => b.n - a.n || a.u.unit.id.localeCompare(b.u.unit.id))
      .slice(0, 3)
      .map(({ u, n }) => {
        const field =
          d.dim === "vms" ? ["services", "servers", "vms"] : ["services", "servers", "quota", d.dim];
        const at = u.unit.services.servers
          ? where(u.file, u.source.locate(field))
          : "the stack's defaultQuota";
        return `${u.unit.id} ${d.fmt(n)} (${at})`;
      });
    const limitText =
      d.over && capacity.overcommit !== 1
        ? `${d.fmt(d.cap)} × over-commit ${capacity.overcommit} = ${d.fmt(allowed)}`
        : d.fmt(allowed);
    const what = d.dim === "vms" ? "virtual machines" : `${d.dim} quotas`;
    out.push(
      stack.source.diagnostic(
        [...SETTINGS_PATH, "capacity", d.dim],
        `the ${what} of the ${provisioned.length} provisioned units sum to ${d.fmt(total)}, over the central capacity ${limitText}; largest: ${largest.join(", ")}`,
        d.over
          ? `raise capacity.${d.dim} to at least ${d.fmt(Math.ceil(total / capacity.overcommit))}${capacity.overcommit !== 1 ? ` (at over-commit ${capacity.overcommit})` : ""} or capacity.overcommit, or lower the largest units' quotas`
          : `raise capacity.vms to at least ${total}, or remove virtual machines`,
      ),
    );
  }
  return out;
};

/**
 * Every VM's image is in the stack's catalogue (`vm.images`), and every catalogue image has exactly
 * one source.
 */
export const vmImages: StackCheck = (stack, units) => {
  const images = stack.settings.vm.images;
  const names = Object.keys(images).sort();
  const catalogueAt = where(stack.file, stack.source.locate([...SETTINGS_PATH, "vm", "images"]));
  const out: Diagnostic[] = [];
  for (const [name, image] of Object.entries(images)) {
    const sources = (["registry", "http", "dataSource"] as const).filter((k) => image?.[k] !== undefined);
    if (sources.length !== 1)
      out.push(
        stack.source.diagnostic(
          [...SETTINGS_PATH, "vm", "images", name],
          sources.length
            ? `image "${name}" has ${sources.length} sources (${sources.join(", ")})`
            : `image "${name}" has no source`,
          "give exactly one of registry, http or dataSource",
        ),
      );
  }
  for (const u of units)
    (u.unit.services.servers?.vms ?? []).forEach((vm, i) => {
      if (images[vm.image]) return;
      out.push(
        u.source.diagnostic(
          ["services", "servers", "vms", i, "image"],
          `image "${vm.image}" is not in the VM image catalogue of stack ${stack.name} (vm.images at ${catalogueAt})`,
          names.length
            ? `use one of: ${names.join(", ")}; or add "${vm.image}" to the catalogue`
            : `the catalogue is empty: add "${vm.image}" under vm.images in the stack settings`,
        ),
      );
    });
  return out;
};

/** The stack's web container limits are at least its requests (Kubernetes rejects a pod otherwise). */
export const webResources: StackCheck = (stack) => {
  const r = stack.settings.web.resources;
  const out: Diagnostic[] = [];
  const pairs = [
    ["cpu", cpuMillis(r.requests.cpu), cpuMillis(r.limits.cpu)],
    ["memory", bytes(r.requests.memory), bytes(r.limits.memory)],
  ] as const;
  for (const [dim, req, lim] of pairs)
    if (lim < req)
      out.push(
        stack.source.diagnostic(
          [...SETTINGS_PATH, "web", "resources", "limits", dim],
          `limit ${r.limits[dim]} is below the request ${r.requests[dim]}`,
          `raise web.resources.limits.${dim} to at least ${r.requests[dim]}`,
        ),
      );
  return out;
};

/** Two sites of one unit must not map to the same object names (`a-b.lodz.pl` and `a.b.lodz.pl`). */
export const siteNames: StackCheck = (_stack, units) =>
  units.flatMap((u) => {
    const seen = new Map<string, string>();
    const out: Diagnostic[] = [];
    (u.unit.services.web?.sites ?? []).forEach((s, i) => {
      const base = siteBaseName(s.hostname);
      const prior = seen.get(base);
      if (prior !== undefined && prior !== s.hostname)
        out.push(
          u.source.diagnostic(
            ["services", "web", "sites", i, "hostname"],
            `"${s.hostname}" gives the same object name "${base}" as site "${prior}" (dots become dashes)`,
            "choose hostnames that differ in more than dots and dashes",
          ),
        );
      else seen.set(base, s.hostname);
    });
    return out;
  });

/** The checks of this module, in order (appended to STACK_CHECKS). */
export const CAPACITY_CHECKS: StackCheck[] = [vmImages, webResources, siteNames, unitQuota, centralCapacity];
