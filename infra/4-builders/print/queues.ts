import { cupsName, type PrintService, type StackSettings, type Unit } from "../../1-model";

/** One queue on the shared CUPS server, as muni configures it. */
export interface PrintQueue {
  /** Global CUPS name `<unit id>-<queue name>`. */
  cupsName: string;
  info: string;
  location: string;
  deviceUri: string;
  driverless: boolean;
  model?: string;
  /** CUPS AllowUser entries: only the unit's print account (printAccountOf) may print. */
  allowUsers: string[];
}

/**
 * The unit's print account: the user name its workstations authenticate as (HTTP Basic over TLS) to
 * submit jobs to its queues; the password is generated (see print/builder.ts).
 */
export function printAccountOf(unitId: string): string {
  return `print-${unitId}`;
}

/** The unit's queues ([] when not enrolled in print). */
export function printQueues(unit: Unit, _settings: StackSettings): PrintQueue[] {
  const print: PrintService | undefined = unit.services.print;
  if (!print) return [];
  return print.queues.map((q) => ({
    cupsName: cupsName(unit.id, q.name),
    info: q.description ?? `${unit.shortName} ${q.name}`,
    location: q.location,
    deviceUri: q.deviceUri,
    driverless: q.driverless,
    ...(q.model !== undefined ? { model: q.model } : {}),
    allowUsers: [printAccountOf(unit.id)],
  }));
}

/**
 * The unit's part of CUPS's printers.conf: one <Printer> per queue, shared (remote clients may submit;
 * the server does not browse), and AllowUser limiting it to the unit's print account. Queues have no
 * PPD: jobs pass to the device as the client sent them (IPP Everywhere clients send PDF or raster).
 * The print server's tenant sync accepts only these directives (images/common/tenant_sync.py).
 */
export function renderPrintersConf(unitId: string, queues: readonly PrintQueue[]): string {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");
  const blocks = queues.map((q) =>
    [
      `<Printer ${q.cupsName}>`,
      `Info ${oneLine(q.info)}`,
      `Location ${oneLine(q.location)}`,
      ...(q.model ? [`MakeModel ${oneLine(q.model)}`] : []),
      `DeviceURI ${q.deviceUri}`,
      "State Idle",
      "Accepting Yes",
      "Shared Yes",
      ...q.allowUsers.map((u) => `AllowUser ${u}`),
      "</Printer>",
    ].join("\n"),
  );
  return `# muni print queues of unit ${unitId}: generated from units/${unitId}.yaml, do not edit\n${blocks.join("\n")}\n`;
}

/** The unit's clients' CUPS settings: the server, and the unit's default queue (lpoptions `Default`). */
export function renderClientFiles(
  unitId: string,
  print: PrintService,
  server: string,
): Record<string, string> {
  return {
    "client.conf": `# muni: CUPS client settings of unit ${unitId}\nServerName ${server}\nEncryption Required\nUser ${printAccountOf(unitId)}\n`,
    ...(print.defaultQueue ? { lpoptions: `Default ${cupsName(unitId, print.defaultQueue)}\n` } : {}),
  };
}
