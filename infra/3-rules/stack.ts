import { namespaceOf, vmNamespaceOf } from "../1-model";
import { type Finding, finding, type ProjectView, type StackCheck } from "./finding";
import { mailAliases, mailPostmaster, mailQuotaSum } from "./mail";
import { apiServerNetworksListed } from "./api-server";
import { printDeviceUris, printerNetworksListed, stackNetworks } from "./print";
import { pinnedServerImages } from "./images";
import { namesInZones, unitZones } from "./dns-zones";
import { identityRules } from "./identities";
import { reservedUnitNamespaces } from "./names";
import { CAPACITY_CHECKS } from "./capacity";
import { checkApprovals } from "./lifecycle/ledger-guards";
import { pricePrecision } from "./prices";
import { SERVICE_CLASS_CHECKS } from "./service-classes";

/** Namespace names (`<prefix><id>`) must fit the 63-character DNS label limit. */
export const namespaceLength: StackCheck = ({ stack, units }) =>
  units.flatMap((u) => {
    // Units with VMs also get their VM namespace, the longer of the two.
    const ns = u.unit.services.servers?.vms.length
      ? vmNamespaceOf(u.unit, stack.settings)
      : namespaceOf(u.unit, stack.settings);
    return ns.length > 63
      ? [
          finding(
            u.file,
            ["id"],
            `namespace "${ns}" is ${ns.length} characters, over 63`,
            `shorten the id or the stack's namespacePrefix "${stack.settings.namespacePrefix}"`,
          ),
        ]
      : [];
  });

/** Mail domains and site hostnames must end in one of the stack's allowed DNS suffixes. */
export const dnsSuffixes: StackCheck = ({ stack, units }) => {
  const { sites, mail } = stack.settings.dnsSuffixes;
  const allowed = (name: string, suffixes: readonly string[]) =>
    suffixes.some((s) => name === s || name.endsWith(`.${s}`));
  return units.flatMap((u) => {
    const out: Finding[] = [];
    const m = u.unit.services.mail;
    if (m && !allowed(m.domain, mail))
      out.push(
        finding(
          u.file,
          ["services", "mail", "domain"],
          `"${m.domain}" is not under an allowed mail suffix of stack ${stack.name}`,
          `use a domain ending in ${mail.join(" or ")}`,
        ),
      );
    (u.unit.services.web?.sites ?? []).forEach((s, i) => {
      if (!allowed(s.hostname, sites))
        out.push(
          finding(
            u.file,
            ["services", "web", "sites", i, "hostname"],
            `"${s.hostname}" is not under an allowed site suffix of stack ${stack.name}`,
            `use a hostname ending in ${sites.join(" or ")}`,
          ),
        );
    });
    return out;
  });
};

/** Every check between a stack and its units, in order. Services add theirs here. */
export const STACK_CHECKS: StackCheck[] = [
  namespaceLength,
  reservedUnitNamespaces,
  dnsSuffixes,
  unitZones,
  namesInZones,
  identityRules,
  stackNetworks,
  pricePrecision,
  (p) => checkApprovals(p),
  ...CAPACITY_CHECKS,
  mailPostmaster,
  mailQuotaSum,
  mailAliases,
  printDeviceUris,
  printerNetworksListed,
  apiServerNetworksListed,
  ...SERVICE_CLASS_CHECKS,
  pinnedServerImages,
];

export function runStackChecks(project: ProjectView): Finding[] {
  return STACK_CHECKS.flatMap((check) => check(project));
}
