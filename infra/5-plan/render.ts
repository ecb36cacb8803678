import {
  cupsName,
  type DataHistory,
  EMPTY_HISTORY,
  effectiveQuota,
  namespaceOf,
  notProvisionedReason,
  type StackSettings,
  type Unit,
} from "../1-model";
import type { LoadedUnit } from "../2-manifest/units";
import type { LoadedProject } from "../3-rules/project";
import { type Desired, RecordingSecrets, renderPlatform, renderUnit } from "../4-builders";
import { differingPaths, placeholderPaths, PROBE_SECRETS, redactObject } from "./redact";
import type { PlannedObject, PlannedStack, PlannedUnit } from "./types";
import { platformProtectionOf, protectionOf } from "./protection";

/** The name of the platform component in the program (stack.ts): its objects are `platform-<key>`. */
export const PLATFORM = "platform";

/** Above this many Pulumi resources in one Pulumi stack, the plan warns (previews and updates grow slow and fragile). */
export const RESOURCE_WARNING_THRESHOLD = 1000;

/** Resources every Pulumi stack of a city holds besides its objects: the root stack, the cluster provider, the component. */
export const STACK_OVERHEAD = 3;

/**
 * The desired state of a validated project, rendered through the same path as the Pulumi program:
 * the stack's units → lifecycle (`shouldProvision`) → `renderUnit` with placeholder secrets. Values built
 * from generated secrets and every Secret's data are redacted. Pure apart from CPU: no I/O.
 */
export function planProject(
  project: Required<Pick<LoadedProject, "stack">> & Pick<LoadedProject, "units">,
): PlannedStack {
  const { settings } = project.stack;
  const units = project.units.map((u) => planUnit(u, settings));
  const platform = planPlatform(settings);
  const resources = resourceCount(units, platform);
  const platformProtection = platformProtectionOf(platform.map((o) => o.object));
  return {
    stack: project.stack.name,
    file: project.stack.file,
    units,
    platform,
    ...(platformProtection ? { platformProtection } : {}),
    resources,
    warnings: resourceWarnings(project.stack.name, units, platform),
  };
}

/** The shared platform's objects (mail and print servers) for the provisioned units, named `platform-<key>`. */
export function planPlatform(settings: StackSettings): PlannedObject[] {
  return renderPlatform(settings).map((d) => planObject(PLATFORM, d, undefined));
}

type Counted = Pick<PlannedUnit, "id" | "provisioned" | "secrets"> & { objects: readonly unknown[] };

/** Pulumi resources of one provisioned unit's stack `<city>.<unit id>`: the overhead, its objects and generated secrets. */
export function unitStackResources(u: Omit<Counted, "id" | "provisioned">): number {
  return STACK_OVERHEAD + u.objects.length + u.secrets.length;
}

/**
 * Pulumi resources the city's programs register, over all its stacks (one per provisioned unit and the
 * platform's): each stack's root, provider and component, then its objects and generated secrets.
 */
export function resourceCount(units: readonly Counted[], platform: readonly unknown[]): number {
  return (
    STACK_OVERHEAD +
    platform.length +
    units.filter((u) => u.provisioned).reduce((n, u) => n + unitStackResources(u), 0)
  );
}

/**
 * The warning of a Pulumi stack over RESOURCE_WARNING_THRESHOLD resources: the platform's, or a unit's (a unit
 * so large it should be split into units of its own). The city as a whole is never one stack any more.
 */
export function resourceWarnings(
  city: string,
  units: readonly Counted[],
  platform: readonly unknown[],
): string[] {
  const sizes: Array<[string, number]> = [
    [`${city}.platform`, STACK_OVERHEAD + platform.length],
    ...units
      .filter((u) => u.provisioned)
      .map((u): [string, number] => [`${city}.${u.id}`, unitStackResources(u)]),
  ];
  return sizes
    .filter(([, n]) => n > RESOURCE_WARNING_THRESHOLD)
    .map(
      ([stack, n]) =>
        `Pulumi stack ${stack} would hold ${n} Pulumi resources, over ${RESOURCE_WARNING_THRESHOLD}: previews and updates slow down; ` +
        (stack.endsWith(".platform")
          ? "the platform's tenants should live outside its stack (tenant discovery)"
          : "split the unit into smaller units"),
    );
}

/** One unit's part of the plan. */
export function planUnit(
  loaded: Pick<LoadedUnit, "file" | "unit">,
  settings: StackSettings,
  history: DataHistory = EMPTY_HISTORY,
): PlannedUnit {
  const { unit } = loaded;
  const why = notProvisionedReason(unit, settings);
  const provisioned = why === undefined;
  const recorder = new RecordingSecrets();
  const desired = provisioned ? renderUnit(unit, settings, recorder, history) : [];
  const probe = desired.some((d) => d.usesSecrets) ? probeRender(loaded, settings, history) : undefined;
  const objects = desired.map((d) => planObject(unit.id, d, probe));
  const s = unit.services;
  const protection = provisioned ? protectionOf(unit, settings, desired) : undefined;
  return {
    id: unit.id,
    name: unit.name,
    file: loaded.file,
    state: unit.lifecycle.state,
    wave: unit.lifecycle.wave,
    provisioned,
    ...(why === undefined ? {} : { notProvisioned: why }),
    namespace: namespaceOf(unit, settings),
    objects,
    secrets: [...recorder.requests.keys()],
    quota: effectiveQuota(unit, settings),
    hostnames: (s.web?.sites ?? []).map((x) => x.hostname),
    mailDomains: s.mail ? [s.mail.domain] : [],
    queues: (s.print?.queues ?? []).map((q) => cupsName(unit.id, q.name)),
    ...(protection ? { protection } : {}),
  };
}

/** The unit rendered with the probe placeholders, or null when a builder refuses them (then the conservative mask applies). */
function probeRender(
  loaded: Pick<LoadedUnit, "unit">,
  settings: StackSettings,
  history: DataHistory,
): Map<string, Desired> | null {
  try {
    return byKey(renderUnit(loaded.unit, settings, PROBE_SECRETS, history));
  } catch {
    return null;
  }
}

function planObject(
  unitId: string,
  d: Desired,
  probe: Map<string, Desired> | null | undefined,
): PlannedObject {
  const other = probe?.get(d.key);
  if (d.usesSecrets && probe && !other)
    throw new Error(
      `object ${d.key} of unit ${unitId} vanished between renders: builders must be deterministic`,
    );
  const paths = !d.usesSecrets
    ? []
    : other
      ? differingPaths(d.object, other.object)
      : placeholderPaths(d.object);
  const { object, redacted } = redactObject(d.object, paths);
  return {
    key: d.key,
    resource: `${unitId}-${d.key}`,
    service: d.service,
    object,
    dataBearing: d.dataBearing === true,
    usesSecrets: d.usesSecrets === true,
    redacted,
  };
}

function byKey(all: Desired[]): Map<string, Desired> {
  return new Map(all.map((d) => [d.key, d]));
}
