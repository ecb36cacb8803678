import { SETTINGS_PATH } from "../2-manifest/stack";
import { finding, type StackCheck } from "./finding";

/** The services whose shared servers read their tenants from the Kubernetes API (the tenant sync). */
const SYNCING_SERVICES = ["mail", "print"] as const;

/**
 * A stack whose units use mail or print must list the API server's addresses: the mail and print servers'
 * tenant sync reads the units' tenants from the Kubernetes API, and the platform fence opens the API to
 * those pods only at tenancy.apiServerNetworks. With none, their init container cannot reach the API and
 * the servers never start. Located at the setting.
 */
export const apiServerNetworksListed: StackCheck = ({ stack, units }) => {
  if (stack.settings.tenancy.apiServerNetworks.length > 0) return [];
  const using = units
    .filter((u) => SYNCING_SERVICES.some((s) => u.unit.services[s] !== undefined))
    .map((u) => u.unit.id);
  if (!using.length) return [];
  return [
    finding(
      stack.file,
      [...SETTINGS_PATH, "tenancy", "apiServerNetworks"],
      `units ${using.join(", ")} use mail or print, but the stack lists no API server networks: the mail and print servers read their tenants from the Kubernetes API, which the platform fence opens only at those addresses, so the servers would not start`,
      "list the API server's endpoint addresses under tenancy.apiServerNetworks (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes), e.g. - 10.10.0.11/32",
    ),
  ];
};
