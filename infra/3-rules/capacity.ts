import {
  bytes,
  cpuMillis,
  describeBytes,
  type EffectiveQuota,
  effectiveQuota,
  formatCpu,
  type ResourceUse,
  shouldProvision,
  siteBaseName,
  siteRequests,
  timesFactor,
  vmRequests,
} from "../1-model";
import type { PathSegment } from "../2-manifest/diagnostics";
import { SETTINGS_PATH } from "../2-manifest/stack";
import { type Finding, finding, type StackCheck, type UnitInput, type StackInput } from "./finding";

/**
 * Validation-time checks of servers, sites and capacity: the VM image catalogue, site object names,
 * each unit's VMs and sites within its quota, and the sum of all quotas within the stack's capacity.
 */

/** Quota dimensions a unit's VMs and sites are checked on. */
type Dim = "cpu" | "memory" | "storage" | "pods" | "volumes";

/** One VM or site charged to its unit's quota: what it takes (CPU and memory at their limits, which are ≥ requests), and where each dimension is charged in the manifest. */
interface Consumer {
  label: string;
  use: ResourceUse;
  at: Record<Dim, PathSegment[]>;
}

/** The amount a consumer takes on one quota dimension: CPU and memory at their limits. */
const amount = (c: Consumer, dim: Dim): number =>
  dim === "cpu" ? c.use.cpuLimitMillis : dim === "memory" ? c.use.memoryLimit : c.use[dim];

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
/** A unit's consumers in the order they are charged: its sites, then its VMs. */
export function unitConsumers(u: UnitInput, stack: StackInput): Consumer[] {
  const settings = stack.settings;
  const sites = (u.unit.services.web?.sites ?? []).map((site, i): Consumer => {
    const p = ["services", "web", "sites", i];
    const label = `site "${site.hostname}" (${site.replicas} replica${site.replicas === 1 ? "" : "s"} × web.resources of stack ${stack.name}, content ${site.storage})`;
    return {
      label,
      use: siteRequests(site, settings),
      at: {
        cpu: [...p, "replicas"],
        memory: [...p, "replicas"],
        storage: [...p, "storage"],
        pods: [...p, "replicas"],
        volumes: [...p, "hostname"],
      },
    };
  });
  const vms = (u.unit.services.servers?.vms ?? []).map((vm, i): Consumer => {
    const r = vmRequests(vm, settings);
    const p = ["services", "servers", "vms", i];
    const label = `virtual machine "${vm.name}" (${vm.cpu} vCPU, ${vm.memory} + ${describeBytes(r.memory - bytes(vm.memory))} overhead, disk ${vm.disk})`;
    return {
      label,
      use: r,
      at: {
        cpu: [...p, "cpu"],
        memory: [...p, "memory"],
        storage: [...p, "disk"],
        pods: [...p, "name"],
        volumes: [...p, "name"],
      },
    };
  });
  return [...sites, ...vms];
}

/**
 * Each unit's sites and VMs fit its quota (`services.servers.quota`, or the stack's defaultQuota), on
 * CPU, memory, storage, pods and volume claims. The error is located at the first site or VM that
 * goes over, names the quota and where it is set, and says how much the unit needs in all.
 */
export const unitQuota: StackCheck = ({ stack, units, locate }) =>
  units.flatMap((u) => {
    const q = effectiveQuota(u.unit, stack.settings);
    const own = u.unit.services.servers !== undefined;
    const consumers = unitConsumers(u, stack);
    const out: Finding[] = [];
    for (const dim of ["cpu", "memory", "storage", "pods", "volumes"] as const) {
      const limit = quotaAmount(q, dim);
      const total = consumers.reduce((s, c) => s + amount(c, dim), 0);
      if (total <= limit) continue;
      let sum = 0;
      const first = consumers.find((c) => (sum += amount(c, dim)) > limit)!;
      const quotaField = own ? `services.servers.quota.${dim}` : `defaultQuota.${dim} of stack ${stack.name}`;
      const quotaAt = own
        ? locate(u.file, ["services", "servers", "quota", dim])
        : locate(stack.file, [...SETTINGS_PATH, "defaultQuota", dim]);
      const requests =
        dim === "cpu"
          ? `; requests ${formatCpu(consumers.reduce((s, c) => s + c.use.cpuMillis, 0))}`
          : dim === "memory"
            ? `; requests ${describeBytes(consumers.reduce((s, c) => s + c.use.memory, 0))}`
            : "";
      out.push(
        finding(
          u.file,
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
export const centralCapacity: StackCheck = ({ stack, units, locate }) => {
  const { capacity } = stack.settings;
  const provisioned = units.filter((u) => shouldProvision(u.unit, stack.settings));
  const out: Finding[] = [];
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
        const at = u.unit.services.servers ? locate(u.file, field) : "the stack's defaultQuota";
        return `${u.unit.id} ${d.fmt(n)} (${at})`;
      });
    const limitText =
      d.over && capacity.overcommit !== 1
        ? `${d.fmt(d.cap)} × over-commit ${capacity.overcommit} = ${d.fmt(allowed)}`
        : d.fmt(allowed);
    const what = d.dim === "vms" ? "virtual machines" : `${d.dim} quotas`;
    out.push(
      finding(
        stack.file,
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
export const vmImages: StackCheck = ({ stack, units, locate }) => {
  const images = stack.settings.vm.images;
  const names = Object.keys(images).sort();
  const catalogueAt = locate(stack.file, [...SETTINGS_PATH, "vm", "images"]);
  const out: Finding[] = [];
  for (const [name, image] of Object.entries(images)) {
    const sources = (["registry", "http", "dataSource"] as const).filter((k) => image?.[k] !== undefined);
    if (sources.length !== 1)
      out.push(
        finding(
          stack.file,
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
        finding(
          u.file,
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
export const webResources: StackCheck = ({ stack }) => {
  const r = stack.settings.web.resources;
  const out: Finding[] = [];
  const pairs = [
    ["cpu", cpuMillis(r.requests.cpu), cpuMillis(r.limits.cpu)],
    ["memory", bytes(r.requests.memory), bytes(r.limits.memory)],
  ] as const;
  for (const [dim, req, lim] of pairs)
    if (lim < req)
      out.push(
        finding(
          stack.file,
          [...SETTINGS_PATH, "web", "resources", "limits", dim],
          `limit ${r.limits[dim]} is below the request ${r.requests[dim]}`,
          `raise web.resources.limits.${dim} to at least ${r.requests[dim]}`,
        ),
      );
  return out;
};

/** Two sites of one unit must not map to the same object names (`a-b.lodz.pl` and `a.b.lodz.pl`). */
export const siteNames: StackCheck = ({ units }) =>
  units.flatMap((u) => {
    const seen = new Map<string, string>();
    const out: Finding[] = [];
    (u.unit.services.web?.sites ?? []).forEach((s, i) => {
      const base = siteBaseName(s.hostname);
      const prior = seen.get(base);
      if (prior !== undefined && prior !== s.hostname)
        out.push(
          finding(
            u.file,
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
