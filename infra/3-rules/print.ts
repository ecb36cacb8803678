import { finding, type StackCheck } from "./finding";

const LOOPBACK = /^(localhost|localhost\.localdomain|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\])$/i;

/** What is wrong with a queue's device URI, and the fix; undefined when it is fine. */
export function deviceUriProblem(
  uri: string,
  driverless: boolean,
): { message: string; hint: string } | undefined {
  const m = /^([a-z]+):\/\/(\[[^\]]*\]|[^/:]+)(?::([0-9]+))?(\/.*)?$/.exec(uri);
  if (!m) return { message: `"${uri}" is not a device URI`, hint: "use ipps://host/ipp/print" };
  const [, scheme, host, port, path] = m as unknown as [
    string,
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  if (driverless && scheme !== "ipp" && scheme !== "ipps")
    return {
      message: `"${uri}" uses ${scheme}://, but driverless (IPP Everywhere) queues need ipp:// or ipps://`,
      hint: "use the printer's ipps://host/ipp/print URI, or set driverless: false and give model",
    };
  if (LOOPBACK.test(host))
    return {
      message: `"${uri}" points at the print server itself (${host})`,
      hint: "use the printer's own host name or address",
    };
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return {
      message: `"${uri}" has port ${port}, outside 1-65535`,
      hint: "use the printer's port, e.g. 631 for IPP or 9100 for socket",
    };
  if ((scheme === "ipp" || scheme === "ipps") && (!path || path === "/"))
    return {
      message: `"${uri}" has no resource path; IPP printers are reached at a path such as /ipp/print`,
      hint: `use ${scheme}://${host}${port ? `:${port}` : ""}/ipp/print`,
    };
  if (scheme === "lpd" && (!path || path === "/"))
    return { message: `"${uri}" names no LPD queue`, hint: `use lpd://${host}/<queue>` };
  return undefined;
}

/** Device URIs: driverless queues use IPP, no loopback targets, a valid port, IPP and LPD paths present. */
export const printDeviceUris: StackCheck = ({ units }) => {
  return units.flatMap((u) =>
    (u.unit.services.print?.queues ?? []).flatMap((q, i) => {
      const p = deviceUriProblem(q.deviceUri, q.driverless);
      return p ? [finding(u.file, ["services", "print", "queues", i, "deviceUri"], p.message, p.hint)] : [];
    }),
  );
};
