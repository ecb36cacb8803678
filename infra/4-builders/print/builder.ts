import { LABEL, printQueuesConfigMapName } from "../../1-model";
import type { BuildContext, Desired } from "../types";
import { printQueues, renderClientFiles, renderPrintersConf } from "./queues";

/** Label on every queue ConfigMap in the print platform's namespace; its value is the unit id. */
export const PRINT_TENANT_LABEL = "muni.lodz.pl/print-tenant";

/** Host:port the unit's clients print to. */
export function printServerOf(settings: BuildContext["settings"]): string {
  const p = settings.platform.print;
  return `${p.hostname ?? `cups.${p.namespace}.svc`}:${p.ports[0] ?? 631}`;
}

/**
 * A unit's print queues: `print-queues` — ConfigMap `print-queues-<id>` in the platform's namespace
 * with the unit's printers.conf part, which the CUPS server mounts; `print-client` — ConfigMap in the
 * unit's namespace with client.conf and lpoptions (the unit's default queue) for its workstations.
 */
export function buildPrint(ctx: BuildContext): Desired[] {
  const print = ctx.unit.services.print;
  if (!print) return [];
  const labels = { ...ctx.labels, [LABEL.service]: "print" };
  const id = ctx.unit.id;
  return [
    {
      key: "print-queues",
      service: "print",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: printQueuesConfigMapName(id),
          namespace: ctx.settings.platform.print.namespace,
          labels: { ...labels, [PRINT_TENANT_LABEL]: id },
        },
        data: { "printers.conf": renderPrintersConf(id, printQueues(ctx.unit, ctx.settings)) },
      },
    },
    {
      key: "print-client",
      service: "print",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "print-client", namespace: ctx.namespace, labels },
        data: renderClientFiles(id, print, printServerOf(ctx.settings)),
      },
    },
  ];
}
