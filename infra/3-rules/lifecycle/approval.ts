import type { Diagnostic } from "../../2-manifest/diagnostics";
import type { LoadedUnit } from "../../2-manifest/units";

const APPROVAL = ["lifecycle", "approval"] as const;

/**
 * Checks the decommissioning approval of a unit in state decommissioning or decommissioned (the
 * schema already requires one there): it cannot be dated in the future nor expire before it was
 * given, and, where `requireUnexpired`, it must still be in force on `today`. Dates are YYYY-MM-DD,
 * so they compare as strings.
 */
export function checkApproval(u: LoadedUnit, today: string, requireUnexpired: boolean): Diagnostic[] {
  const { state, approval } = u.unit.lifecycle;
  if (!approval || (state !== "decommissioning" && state !== "decommissioned")) return [];
  const out: Diagnostic[] = [];
  const { approvedOn, expiresOn, reference } = approval;
  if (approvedOn > today)
    out.push(
      u.source.diagnostic(
        [...APPROVAL, "approvedOn"],
        `approval ${reference} is dated ${approvedOn}, in the future (today is ${today})`,
        "write the date the decision was actually signed",
      ),
    );
  if (expiresOn < approvedOn)
    out.push(
      u.source.diagnostic(
        [...APPROVAL, "expiresOn"],
        `approval ${reference} expires on ${expiresOn}, before it was given on ${approvedOn}`,
        "an approval cannot expire before it is given: fix expiresOn or approvedOn",
      ),
    );
  else if (requireUnexpired) out.push(...expiredApproval(u, today));
  return out;
}

/** An approval past its expiresOn on `today`: it no longer authorizes the unit's state. */
export function expiredApproval(u: LoadedUnit, today: string): Diagnostic[] {
  const { state, approval } = u.unit.lifecycle;
  if (!approval || approval.expiresOn >= today) return [];
  return [
    u.source.diagnostic(
      [...APPROVAL, "expiresOn"],
      `approval ${approval.reference} expired on ${approval.expiresOn} (today is ${today}): it no longer authorizes moving unit "${u.unit.id}" to ${state}`,
      "get the decommissioning approved again (new approvedOn, reference and expiresOn), or set lifecycle.state back to active",
    ),
  ];
}
