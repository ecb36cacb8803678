import { cupsName, type PrintService, printGroupOf, type StackSettings, type Unit } from "../../1-model";

/** One queue on the shared CUPS server, as muni configures it. */
export interface PrintQueue {
  /** Global CUPS name `<unit id>-<queue name>`. */
  cupsName: string;
  info: string;
  location: string;
  deviceUri: string;
  driverless: boolean;
  model?: string;
  /** CUPS AllowUser entries: only the unit's staff group may print. */
  allowUsers: string[];
}

/** The unit's queues ([] when not enrolled in print). */
export function printQueues(unit: Unit, settings: StackSettings): PrintQueue[] {
  const print: PrintService | undefined = unit.services.print;
  if (!print) return [];
  return print.queues.map((q) => ({
    cupsName: cupsName(unit.id, q.name),
    info: q.description ?? `${unit.shortName} ${q.name}`,
    location: q.location,
    deviceUri: q.deviceUri,
    driverless: q.driverless,
    ...(q.model !== undefined ? { model: q.model } : {}),
    allowUsers: [`@${printGroupOf(unit, settings)}`],
  }));
}

/**
 * The unit's part of CUPS's printers.conf: one <Printer> per queue, not shared (no browsing), and
 * AllowUser limiting it to the unit's group. Driverless queues need no PPD (IPP Everywhere); the
 * platform's setup step attaches one for driver-based queues (see print/server.ts).
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
      "Shared No",
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
    "client.conf": `# muni: CUPS client settings of unit ${unitId}\nServerName ${server}\nEncryption IfRequested\n`,
    ...(print.defaultQueue ? { lpoptions: `Default ${cupsName(unitId, print.defaultQueue)}\n` } : {}),
  };
}
