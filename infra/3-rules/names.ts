import {
  KEY_FAMILIES,
  namespaceOf,
  PLATFORM_STACK_SUFFIX,
  reservedNamespace,
  vmNamespaceOf,
} from "../1-model";
import { fieldPath } from "../2-manifest/diagnostics";
import { SETTINGS_PATH } from "../2-manifest/stack";
import { type Finding, finding, type Locate, type StackCheck, type UnitInput } from "./finding";

/**
 * Names derived from a unit id never collide (issue 13, point 1):
 * - the VM namespace is `<namespace>-vm`, so an id ending in `-vm` would be another unit's VM namespace
 *   (which runs Pod Security `privileged`): refused by construction, whatever other units exist, since
 *   namespaces are shared by every stack on the cluster;
 * - Pulumi resources are named `<id>-<key>`, so `a` + `vmns-namespace` and `a-vmns` + `namespace` would be
 *   one name. That needs one id to be the other followed by `-<family>`, where the family is the first
 *   segment of a key (KEY_FAMILIES): such a pair is refused at the longer id, naming the other's file;
 * - neither of a unit's namespaces may be a reserved one (kube-*, default, platform, DNS, operator, VM
 *   image sources, the stack's list).
 */
export function checkVmSuffix({ file, unit }: UnitInput): Finding[] {
  if (!unit.id.endsWith("-vm")) return [];
  const other = unit.id.slice(0, -3);
  return [
    finding(
      file,
      ["id"],
      `id "${unit.id}" ends in "-vm": a unit's VM namespace is <namespace>-vm, so this unit's namespace would be the VM namespace of a unit "${other}"`,
      "choose an id that does not end in -vm",
    ),
  ];
}

/**
 * A unit's Pulumi stack is `<city>.<id>` and the platform's `<city>.platform`: a unit with id `platform` would be
 * the platform's stack, and its `pulumi up` would delete the shared servers. Refused whatever the stack.
 */
export function checkPlatformId({ file, unit }: UnitInput): Finding[] {
  if (unit.id !== PLATFORM_STACK_SUFFIX) return [];
  return [
    finding(
      file,
      ["id"],
      `id "${unit.id}" is reserved: the Pulumi stack <city>.${PLATFORM_STACK_SUFFIX} holds the shared servers, and a unit's stack is <city>.<id>`,
      "choose another id",
    ),
  ];
}

/** Ids where one is the other followed by `-<key family>...`: their resources could be named alike. */
export function derivedNameCollisions(units: readonly UnitInput[], locate: Locate): Finding[] {
  const byId = new Map(units.map((u) => [u.unit.id, u]));
  return units.flatMap((u) => {
    const segments = u.unit.id.split("-");
    for (let i = 1; i < segments.length; i++) {
      const family = segments[i]!;
      // An id ending in -vm is refused on its own (checkVmSuffix).
      if (family === "vm" && i === segments.length - 1) continue;
      const other = byId.get(segments.slice(0, i).join("-"));
      if (!other || !(KEY_FAMILIES as readonly string[]).includes(family)) continue;
      return [
        finding(
          u.file,
          ["id"],
          `id "${u.unit.id}" is unit ${other.unit.id}'s id followed by "-${family}" (${locate(other.file, ["id"])}): resources are named <id>-<key> and keys of unit ${other.unit.id} start with "${family}-", so the two units' resources could have one name`,
          `choose an id that does not start with "${other.unit.id}-${family}"`,
        ),
      ];
    }
    return [];
  });
}

/** Neither of the unit's namespaces is reserved. Located at the id, naming where the stack reserves it. */
export const reservedUnitNamespaces: StackCheck = ({ stack, units, locate }) =>
  units.flatMap((u) => {
    const namespaces = [
      { ns: namespaceOf(u.unit, stack.settings), which: "namespace" },
      { ns: vmNamespaceOf(u.unit, stack.settings), which: "VM namespace" },
    ];
    // One finding per unit: the namespace, else the VM namespace.
    for (const { ns, which } of namespaces) {
      const r = reservedNamespace(stack.settings, ns);
      if (!r) continue;
      const where = r.at ? ` (${fieldPath(r.at)}, ${locate(stack.file, [...SETTINGS_PATH, ...r.at])})` : "";
      return [
        finding(
          u.file,
          ["id"],
          `the unit's ${which} would be "${ns}", which is ${r.what}${where}`,
          "choose another id: a unit never shares a namespace with the cluster, the platform or another unit",
        ),
      ];
    }
    return [];
  });
