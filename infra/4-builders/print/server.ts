import { platformCupsLayout, renderCupsdConf, renderCupsFilesConf } from "./server-config";
import type { Desired } from "../types";
import { printQueuesConfigMapName, type StackSettings, type Unit } from "../../1-model";
import { contentHash, platformLabels, platformNamespace, retainedClaim } from "../platform-objects";

const COMPONENT = "print";
/** Where each unit's printers.conf part is mounted: `<QUEUES_DIR>/<unit id>/printers.conf`. */
export const QUEUES_DIR = "/run/muni/print";

/** The init step: every unit's part, in unit-id order, becomes /etc/cups/printers.conf. */
export function printAssembleScript(serverRoot: string, queuesDir: string = QUEUES_DIR): string {
  return [
    "#!/bin/sh",
    "# muni: assemble printers.conf from every unit's queues (generated, do not edit)",
    "set -eu",
    "export LC_ALL=C",
    `cp /etc/muni/config/cupsd.conf /etc/muni/config/cups-files.conf ${serverRoot}/`,
    `: > ${serverRoot}/printers.conf.new`,
    `for d in ${queuesDir}/*/; do [ -f "$d/printers.conf" ] && cat "$d/printers.conf" >> ${serverRoot}/printers.conf.new; done`,
    `mv ${serverRoot}/printers.conf.new ${serverRoot}/printers.conf`,
    `chmod 0600 ${serverRoot}/printers.conf`,
    "",
  ].join("\n");
}

/**
 * The shared CUPS server: namespace, configuration, a retained spool volume, the StatefulSet (an init
 * step assembles printers.conf from every unit's `print-queues-<id>` ConfigMap) and its Service.
 */
export function buildPrintServer(settings: StackSettings, units: readonly Unit[]): Desired[] {
  const p = settings.platform.print;
  const ns = p.namespace;
  const port = p.ports[0] ?? 631;
  const layout = platformCupsLayout(port);
  const enrolled = units
    .filter((u) => u.services.print)
    .map((u) => u.id)
    .sort();
  const labels = platformLabels(COMPONENT);
  const podLabels = { ...labels, ...(p.podLabels as Record<string, string>) };
  const config = {
    "cupsd.conf": renderCupsdConf(layout),
    "cups-files.conf": renderCupsFilesConf(layout),
    "assemble.sh": printAssembleScript(layout.serverRoot),
  };
  const queues = units.filter((u) => u.services.print).map((u) => [u.id, u.services.print]);
  return [
    platformNamespace("print-namespace", ns, COMPONENT),
    {
      key: "print-config",
      service: "platform",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cups-config", namespace: ns, labels },
        data: config,
      },
    },
    retainedClaim("print-data", "cups-data", ns, COMPONENT, p.storage),
    {
      key: "print-service",
      service: "platform",
      object: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "cups", namespace: ns, labels },
        spec: { selector: podLabels, ports: [{ name: "ipp", port, targetPort: port, protocol: "TCP" }] },
      },
    },
    {
      key: "print-statefulset",
      service: "platform",
      object: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "cups", namespace: ns, labels },
        spec: {
          serviceName: "cups",
          replicas: 1,
          selector: { matchLabels: podLabels },
          template: {
            metadata: {
              labels: podLabels,
              annotations: { "muni.lodz.pl/config-hash": contentHash({ config, queues }) },
            },
            spec: {
              initContainers: [
                {
                  name: "assemble",
                  image: p.image,
                  command: ["sh", "/etc/muni/config/assemble.sh"],
                  volumeMounts: [
                    { name: "queues", mountPath: QUEUES_DIR, readOnly: true },
                    { name: "config", mountPath: "/etc/muni/config", readOnly: true },
                    { name: "server-root", mountPath: layout.serverRoot },
                  ],
                },
              ],
              containers: [
                {
                  name: "cupsd",
                  image: p.image,
                  command: [
                    "cupsd",
                    "-f",
                    "-c",
                    `${layout.serverRoot}/cupsd.conf`,
                    "-s",
                    `${layout.serverRoot}/cups-files.conf`,
                  ],
                  ports: [{ containerPort: port, protocol: "TCP" }],
                  volumeMounts: [
                    { name: "server-root", mountPath: layout.serverRoot },
                    { name: "data", mountPath: layout.requestRoot },
                  ],
                },
              ],
              volumes: [
                { name: "config", configMap: { name: "cups-config" } },
                { name: "server-root", emptyDir: {} },
                { name: "data", persistentVolumeClaim: { claimName: "cups-data" } },
                {
                  name: "queues",
                  projected: {
                    sources: enrolled.map((id) => ({
                      configMap: {
                        name: printQueuesConfigMapName(id),
                        optional: true,
                        items: [{ key: "printers.conf", path: `${id}/printers.conf` }],
                      },
                    })),
                  },
                },
              ],
            },
          },
        },
      },
    },
  ];
}
