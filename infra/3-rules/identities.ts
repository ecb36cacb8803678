import { type Identity, printGroupOf, SYSTEM_PREFIX, type Unit } from "../1-model";
import type { PathSegment } from "../2-manifest/diagnostics";
import { SETTINGS_PATH } from "../2-manifest/stack";
import { type Finding, finding, type Locate, type StackCheck, type UnitInput } from "./finding";

/**
 * Who a unit may name in its roles (issue 13, point 3): never a name in Kubernetes' reserved `system:`
 * space (`system:masters`, service accounts, nodes), never the stack's central administrators (they come
 * from the stack only), a directory group belongs to one unit, a person serves several units only where the
 * stack allows it, and groups follow the stack's pattern of unit group names.
 */

const ROLES = ["localAdministrators", "operationsLeads"] as const;

/** Every identity a unit names, with where. */
function identitiesOf(unit: Unit): { who: Identity; path: PathSegment[] }[] {
  return ROLES.flatMap((role) =>
    unit.roles[role].map((who, i) => ({ who, path: ["roles", role, i, "name"] as PathSegment[] })),
  );
}

/** No role subject in Kubernetes' reserved `system:` space (compared without case: a directory may fold it). */
export function checkSystemSubjects({ file, unit }: UnitInput): Finding[] {
  return identitiesOf(unit)
    .filter(({ who }) => who.name.toLowerCase().startsWith(SYSTEM_PREFIX))
    .map(({ who, path }) =>
      finding(
        file,
        path,
        `${who.kind} "${who.name}" is in Kubernetes' reserved "${SYSTEM_PREFIX}" space (system users, groups such as system:masters, service accounts)`,
        "name a user or group of the city's directory",
      ),
    );
}

/**
 * A directory group belongs to one unit: named in the roles of two units, or equal to another unit's print
 * group (`<id><groupSuffix>`), it is refused at the second, naming the first.
 */
export function uniqueGroups(units: readonly UnitInput[], locate: Locate): Finding[] {
  const first = new Map<string, { u: UnitInput; path: PathSegment[] }>();
  const out: Finding[] = [];
  for (const u of units)
    for (const { who, path } of identitiesOf(u.unit)) {
      if (who.kind !== "group") continue;
      // Directories (Active Directory among them) compare names without case.
      const key = who.name.toLowerCase();
      const prior = first.get(key);
      if (!prior) first.set(key, { u, path });
      // Two files of one id are refused as such (cross-unit.ts), not once more for each group.
      else if (prior.u.unit.id !== u.unit.id)
        out.push(
          finding(
            u.file,
            path,
            `group "${who.name}" is already a group of unit ${prior.u.unit.id} (${locate(prior.u.file, prior.path)})`,
            "a directory group belongs to one unit: name the unit's own group",
          ),
        );
    }
  return out;
}

/** The stack's rules on identities: central administrators, the unit-group pattern, users in several units, print groups. */
export const identityRules: StackCheck = ({ stack, units, locate }) => {
  const out: Finding[] = [];
  const { centralAdministrators: central, tenancy, platform } = stack.settings;
  const centralAt = locate(stack.file, [...SETTINGS_PATH, "centralAdministrators", "name"]);
  const patternPath = [...SETTINGS_PATH, "tenancy", "identities", "groupPattern"];
  const pattern = tenancy.identities.groupPattern;
  let compile: ((id: string) => RegExp) | undefined;
  if (pattern !== undefined) {
    try {
      new RegExp(pattern.replaceAll("{id}", "x"), "u");
      compile = (id) => new RegExp(`^(?:${pattern.replaceAll("{id}", escapeRegExp(id))})$`, "u");
    } catch (e) {
      out.push(
        finding(
          stack.file,
          patternPath,
          `"${pattern}" is not a regular expression: ${(e as Error).message}`,
          "write a JavaScript regular expression, e.g. ^{id}-[a-z0-9-]+$",
        ),
      );
    }
  }
  const printGroups = new Map(units.map((u) => [printGroupOf(u.unit, stack.settings).toLowerCase(), u]));
  const users = new Map<string, { u: UnitInput; path: PathSegment[] }>();
  const shared = new Set(tenancy.identities.sharedUsers.map((n) => n.toLowerCase()));
  for (const u of units)
    for (const { who, path } of identitiesOf(u.unit)) {
      if (who.name.toLowerCase() === central.name.toLowerCase())
        out.push(
          finding(
            u.file,
            path,
            `"${who.name}" is the stack's central administrators ${central.kind} (${centralAt}), who are admins in every unit from the stack`,
            "name the unit's own administrators: central administrators come from the stack only",
          ),
        );
      if (who.kind === "group") {
        if (compile && !compile(u.unit.id).test(who.name))
          out.push(
            finding(
              u.file,
              path,
              `group "${who.name}" does not match the stack's pattern of unit groups "${pattern!.replaceAll("{id}", u.unit.id)}" (${locate(stack.file, patternPath)})`,
              "name the unit's own directory group",
            ),
          );
        const owner = printGroups.get(who.name.toLowerCase());
        if (owner && owner.unit.id !== u.unit.id)
          out.push(
            finding(
              u.file,
              path,
              `group "${who.name}" is unit ${owner.unit.id}'s staff group (<id>${platform.print.groupSuffix}, platform.print.groupSuffix)`,
              "a directory group belongs to one unit: name the unit's own group",
            ),
          );
        continue;
      }
      const prior = users.get(who.name.toLowerCase());
      if (!prior) users.set(who.name.toLowerCase(), { u, path });
      else if (
        prior.u.unit.id !== u.unit.id &&
        !tenancy.identities.allowSharedUsers &&
        !shared.has(who.name.toLowerCase())
      )
        out.push(
          finding(
            u.file,
            path,
            `user "${who.name}" already serves unit ${prior.u.unit.id} (${locate(prior.u.file, prior.path)}), and stack ${stack.name} lets no user serve several units`,
            `name another person, or have the central administrators add the user to tenancy.identities.sharedUsers`,
          ),
        );
    }
  return out;
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
