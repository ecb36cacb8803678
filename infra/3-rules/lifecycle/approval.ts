import { type Finding, finding, type UnitInput } from "../finding";

const APPROVAL = ["lifecycle", "approval"] as const;

/**
 * Checks the decommissioning approval of a unit in state decommissioning or decommissioned (the
 * schema already requires one there): it cannot be dated in the future nor expire before it was
 * given, and, where `requireUnexpired`, it must still be in force on `today`. Dates are YYYY-MM-DD,
 * so they compare as strings.
 */
export function checkApproval(u: UnitInput, today: string, requireUnexpired: boolean): Finding[] {
  const { state, approval } = u.unit.lifecycle;
  if (!approval || (state !== "decommissioning" && state !== "decommissioned")) return [];
  const out: Finding[] = [];
  const { approvedOn, expiresOn, reference } = approval;
  if (approvedOn > today)
    out.push(
      finding(
        u.file,
        [...APPROVAL, "approvedOn"],
        `approval ${reference} is dated ${approvedOn}, in the future (today is ${today})`,
        "write the date the decision was actually signed",
      ),
    );
  if (expiresOn < approvedOn)
    out.push(
      finding(
        u.file,
        [...APPROVAL, "expiresOn"],
        `approval ${reference} expires on ${expiresOn}, before it was given on ${approvedOn}`,
        "an approval cannot expire before it is given: fix expiresOn or approvedOn",
      ),
    );
  else if (requireUnexpired) out.push(...expiredApproval(u, today));
  return out;
}

/** An approval past its expiresOn on `today`: it no longer authorizes the unit's state. */
export function expiredApproval(u: UnitInput, today: string): Finding[] {
  const { state, approval } = u.unit.lifecycle;
  if (!approval || approval.expiresOn >= today) return [];
  return [
    finding(
      u.file,
      [...APPROVAL, "expiresOn"],
      `approval ${approval.reference} expired on ${approval.expiresOn} (today is ${today}): it no longer authorizes moving unit "${u.unit.id}" to ${state}`,
      "get the decommissioning approved again (new approvedOn, reference and expiresOn), or set lifecycle.state back to active",
    ),
  ];
}
