import {
  cupsName,
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

/** The name of the platform component in the program (stack.ts): its objects are `platform-<key>`. */
export const PLATFORM = "platform";

/** Above this many Pulumi resources in one stack, the plan warns (previews and updates grow slow and fragile). */
export const RESOURCE_WARNING_THRESHOLD = 1000;

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
  const platform = planPlatform(
    settings,
    project.units.filter((u, i) => units[i]!.provisioned).map((u) => u.unit),
  );
  const resources = resourceCount(units, platform);
  return {
    stack: project.stack.name,
    file: project.stack.file,
    units,
    platform,
    resources,
    warnings: resourceWarnings(project.stack.name, resources),
  };
}

/** The shared platform's objects (mail and print servers) for the provisioned units, named `platform-<key>`. */
export function planPlatform(settings: StackSettings, provisioned: readonly Unit[]): PlannedObject[] {
  return renderPlatform(settings, provisioned).map((d) => planObject(PLATFORM, d, undefined));
}

/**
 * Pulumi resources the program registers: the stack, one provider, the platform component and its
 * objects, and per provisioned unit its component, objects and secrets.
 */
export function resourceCount(
  units: ReadonlyArray<Pick<PlannedUnit, "provisioned" | "secrets"> & { objects: readonly unknown[] }>,
  platform: readonly unknown[],
): number {
  return (
    3 +
    platform.length +
    units.filter((u) => u.provisioned).reduce((n, u) => n + 1 + u.objects.length + u.secrets.length, 0)
  );
}

/** The warning of a stack over RESOURCE_WARNING_THRESHOLD Pulumi resources. */
export function resourceWarnings(stack: string, resources: number): string[] {
  return resources > RESOURCE_WARNING_THRESHOLD
    ? [
        `stack ${stack} would hold ${resources} Pulumi resources, over ${RESOURCE_WARNING_THRESHOLD}: ` +
          "previews and updates slow down and one failure blocks every unit; split the units across stacks (settings units.ids, units.waves or units.labels)",
      ]
    : [];
}

/** One unit's part of the plan. */
export function planUnit(loaded: Pick<LoadedUnit, "file" | "unit">, settings: StackSettings): PlannedUnit {
  const { unit } = loaded;
  const why = notProvisionedReason(unit, settings);
  const provisioned = why === undefined;
  const recorder = new RecordingSecrets();
  const desired = provisioned ? renderUnit(unit, settings, recorder) : [];
  const probe = desired.some((d) => d.usesSecrets) ? probeRender(loaded, settings) : undefined;
  const objects = desired.map((d) => planObject(unit.id, d, probe));
  const s = unit.services;
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
  };
}

/** The unit rendered with the probe placeholders, or null when a builder refuses them (then the conservative mask applies). */
function probeRender(loaded: Pick<LoadedUnit, "unit">, settings: StackSettings): Map<string, Desired> | null {
  try {
    return byKey(renderUnit(loaded.unit, settings, PROBE_SECRETS));
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
