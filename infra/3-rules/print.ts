import {
  type Cidr,
  cidrContains,
  cidrsOverlap,
  inZone,
  parseAddress,
  parseCidr,
  unreachableRange,
  zonesOf,
} from "../1-model";
import { SETTINGS_PATH } from "../2-manifest/stack";
import { finding, type StackCheck } from "./finding";

/**
 * Print device URIs (issue 13, point 5). A queue's device URI is where the shared print server connects,
 * so it must name a printer of the unit and nothing else: it is parsed as a URL (WHATWG, Node's own
 * parser) and refused with user info, a fragment, a percent-encoded host, a numeric, hex or short IPv4
 * form (`2130706433`, `0x7f000001`, `127.1`: the resolver reads them as addresses), loopback, link-local
 * (cloud metadata) or other never-reachable addresses, cluster-internal names (`*.svc`, `*.cluster.local`,
 * single-label names the cluster's search domains would complete), an address outside the stack's printer
 * networks, or a host name outside the unit's own DNS zones (another unit's printer, a platform host).
 */

/** Where a unit's printers may be: its DNS zones and the stack's printer networks. */
export interface PrinterScope {
  zones: readonly string[];
  networks: readonly Cidr[];
}

const SCHEMES = new Set(["ipp", "ipps", "socket", "lpd"]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** What is wrong with a queue's device URI, and the fix; undefined when it is fine. */
export function deviceUriProblem(
  uri: string,
  driverless: boolean,
  scope: PrinterScope,
): { message: string; hint: string } | undefined {
  const shape =
    "use ipps://<printer>.<unit's zone>/ipp/print, or socket://<address in a printer network>:9100";
  // A port beyond 65535 makes the URL parser fail; say so rather than "not a device URI".
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(uri)?.[1] ?? "";
  const bigPort = /:([0-9]+)$/.exec(authority.replace(/^.*\]/, ""))?.[1];
  if (bigPort !== undefined && Number(bigPort) > 65535)
    return {
      message: `"${uri}" has port ${bigPort}, outside 1-65535`,
      hint: "use the printer's port, e.g. 631 for IPP or 9100 for socket",
    };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { message: `"${uri}" is not a device URI`, hint: shape };
  }
  const scheme = url.protocol.slice(0, -1);
  if (!SCHEMES.has(scheme) || !uri.startsWith(`${scheme}://`))
    return { message: `"${uri}" is not an ipp, ipps, socket or lpd device URI`, hint: shape };
  if (url.username || url.password)
    return {
      message: `"${uri}" carries user information before the host`,
      hint: "remove the user name and password: printers are reached without credentials in the URI",
    };
  if (url.hash)
    return { message: `"${uri}" has a fragment (${url.hash})`, hint: "remove the part from # on" };
  if (driverless && scheme !== "ipp" && scheme !== "ipps")
    return {
      message: `"${uri}" uses ${scheme}://, but driverless (IPP Everywhere) queues need ipp:// or ipps://`,
      hint: "use the printer's ipps://host/ipp/print URI, or set driverless: false and give model",
    };
  const host = url.hostname.toLowerCase();
  const port = url.port;
  if (port !== "" && (Number(port) < 1 || Number(port) > 65535))
    return {
      message: `"${uri}" has port ${port}, outside 1-65535`,
      hint: "use the printer's port, e.g. 631 for IPP or 9100 for socket",
    };
  const hostProblem = printerHostProblem(uri, host, scope);
  if (hostProblem) return hostProblem;
  const path = url.pathname;
  if ((scheme === "ipp" || scheme === "ipps") && (!path || path === "/"))
    return {
      message: `"${uri}" has no resource path; IPP printers are reached at a path such as /ipp/print`,
      hint: `use ${scheme}://${url.host}/ipp/print`,
    };
  if (scheme === "lpd" && (!path || path === "/"))
    return { message: `"${uri}" names no LPD queue`, hint: `use lpd://${url.host}/<queue>` };
  return undefined;
}

function printerHostProblem(
  uri: string,
  host: string,
  scope: PrinterScope,
): { message: string; hint: string } | undefined {
  const zones = scope.zones.join(" or ");
  const networks = scope.networks.map((n) => n.canonical).join(", ");
  if (host === "") return { message: `"${uri}" names no host`, hint: "name the printer's host" };
  if (host.startsWith("[")) {
    const address = parseAddress(host.slice(1, -1));
    if (!address)
      return { message: `"${uri}" has a malformed IPv6 address ${host}`, hint: "fix the address" };
    return addressProblem(uri, host, address, scope, networks);
  }
  if (host.includes("%"))
    return {
      message: `"${uri}" has a percent-encoded host "${host}"`,
      hint: "write the printer's host name or address plainly",
    };
  const labels = host.split(".");
  const last = labels.at(-1)!;
  if (/^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last)) {
    const address = parseAddress(host);
    if (!address)
      return {
        message: `"${uri}" writes an address in a numeric, hex or short form ("${host}"), which resolvers read differently from how it looks`,
        hint: "write an IPv4 address as four decimal numbers, e.g. 10.20.1.15",
      };
    return addressProblem(uri, host, address, scope, networks);
  }
  if (!labels.every((l) => DNS_LABEL.test(l)))
    return {
      message: `"${uri}" has a host "${host}" that is no DNS name`,
      hint: "use letters, digits and dashes between the dots",
    };
  if (labels.length === 1 || host === "localhost" || host.endsWith(".localhost"))
    return {
      message: `"${uri}" names "${host}", which the print server would resolve inside the cluster (single-label names get the cluster's search domains)`,
      hint: `name the printer by its full host name under ${zones}`,
    };
  if (labels.includes("svc") || inZone(host, "cluster.local"))
    return {
      message: `"${uri}" names the cluster-internal host "${host}"`,
      hint: `a queue reaches a printer, never a cluster service: name it under ${zones}`,
    };
  if (!scope.zones.some((z) => inZone(host, z)))
    return {
      message: `"${uri}" names host "${host}", outside the unit's zone${scope.zones.length > 1 ? "s" : ""} ${scope.zones.join(", ")}`,
      hint: `name the unit's own printer under ${zones}${networks ? `, or give its address in ${networks}` : ""}`,
    };
  return undefined;
}

function addressProblem(
  uri: string,
  host: string,
  address: NonNullable<ReturnType<typeof parseAddress>>,
  scope: PrinterScope,
  networks: string,
): { message: string; hint: string } | undefined {
  const never = unreachableRange(address);
  if (never)
    return {
      message: `"${uri}" points at ${host}, in ${never} (loopback, link-local, metadata or other addresses no printer has)`,
      hint: "use the printer's own address in a printer network of the stack",
    };
  if (!scope.networks.some((n) => cidrContains(n, address)))
    return {
      message: networks
        ? `"${uri}" points at ${host}, outside the stack's printer networks ${networks}`
        : `"${uri}" points at ${host}, but the stack lists no printer networks (platform.print.printerNetworks)`,
      hint: `use a printer's address in the printer networks, or its host name under ${scope.zones.join(" or ")}`,
    };
  return undefined;
}

/** Device URIs of every queue, against the unit's zones and the stack's printer networks. */
export const printDeviceUris: StackCheck = ({ stack, units }) => {
  const networks = stack.settings.platform.print.printerNetworks
    .map(parseCidr)
    .filter((c): c is Cidr => c !== undefined);
  return units.flatMap((u) => {
    const scope = { zones: zonesOf(u.unit.id, stack.settings).zones, networks };
    return (u.unit.services.print?.queues ?? []).flatMap((q, i) => {
      const p = deviceUriProblem(q.deviceUri, q.driverless, scope);
      return p ? [finding(u.file, ["services", "print", "queues", i, "deviceUri"], p.message, p.hint)] : [];
    });
  });
};

/** The stack's printer and API-server networks: valid, canonical, never loopback or link-local, printers apart from the API server. */
export const stackNetworks: StackCheck = ({ stack }) => {
  const lists = [
    { key: ["platform", "print", "printerNetworks"], values: stack.settings.platform.print.printerNetworks },
    { key: ["tenancy", "apiServerNetworks"], values: stack.settings.tenancy.apiServerNetworks },
  ];
  const api = stack.settings.tenancy.apiServerNetworks
    .map(parseCidr)
    .filter((c): c is Cidr => c !== undefined);
  return lists.flatMap(({ key, values }) =>
    values.flatMap((text, i) => {
      const at = [...SETTINGS_PATH, ...key, i];
      const c = parseCidr(text);
      if (!c)
        return [
          finding(stack.file, at, `"${text}" is not a network in CIDR notation`, "write e.g. 10.20.0.0/16"),
        ];
      if (c.text !== c.canonical)
        return [
          finding(
            stack.file,
            at,
            `"${text}" has host bits set or is not in canonical form`,
            `write ${c.canonical}`,
          ),
        ];
      if (key[0] === "tenancy") return [];
      const never = unreachableRange(c);
      if (never)
        return [
          finding(
            stack.file,
            at,
            `printer network ${text} overlaps ${never}, where no printer is (loopback, link-local, cloud metadata)`,
            "list only the networks the printers are in",
          ),
        ];
      const clash = api.find((a) => cidrsOverlap(a, c));
      return clash
        ? [
            finding(
              stack.file,
              at,
              `printer network ${text} overlaps the API server's ${clash.text} (tenancy.apiServerNetworks)`,
              "the print server must never reach the Kubernetes API: list the printers' networks only",
            ),
          ]
        : [];
    }),
  );
};

/**
 * A stack whose units print must list the printers' networks: the print server's NetworkPolicy lets it
 * reach only those, so with none every queue would hold its jobs forever. Located at the setting.
 */
export const printerNetworksListed: StackCheck = ({ stack, units }) => {
  if (stack.settings.platform.print.printerNetworks.length > 0) return [];
  const printing = units.filter((u) => u.unit.services.print?.queues.length).map((u) => u.unit.id);
  if (!printing.length) return [];
  return [
    finding(
      stack.file,
      [...SETTINGS_PATH, "platform", "print", "printerNetworks"],
      `units ${printing.join(", ")} print, but the stack lists no printer networks: the print server may reach only those, so no job would ever reach a printer`,
      "list the CIDRs of the printers' networks (VLANs) under platform.print.printerNetworks, e.g. - 10.60.0.0/16",
    ),
  ];
};
