import { namespaceOf } from "../1-model";
import { renderUnit } from "../4-builders/render";
import { shouldProvision } from "../1-model";
import { enrolledServices, type ServiceName, type Unit } from "../1-model";
import type { Desired } from "../4-builders/types";
import { orderedUnits, type ReportInput, seatAddress } from "./units";

/** One provisioned object, as a configuration database records it. */
export interface InventoryObject {
  key: string;
  service: Desired["service"];
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  dataBearing: boolean;
}

export interface InventoryUnit {
  id: string;
  name: string;
  shortName: string;
  address: string;
  costCentre: string;
  state: Unit["lifecycle"]["state"];
  wave: number;
  provisioned: boolean;
  namespace: string;
  services: ServiceName[];
  /** Mail domains. */
  domains: string[];
  /** Full addresses of the mailboxes. */
  mailboxes: string[];
  /** Site host names, with their kind. */
  sites: Array<{ hostname: string; kind: "www" | "bip" }>;
  /** Print queues with their CUPS names (<unit id>-<name>). */
  queues: Array<{ name: string; cupsName: string; location: string; deviceUri: string }>;
  vms: Array<{ name: string; cpu: number; memory: string; disk: string; image: string }>;
  /** Every object the stack provisions for the unit, from the same builders as the program (none when not provisioned). */
  objects: InventoryObject[];
}

export interface Inventory {
  stack: string;
  cluster: { context?: string };
  namespacePrefix: string;
  units: InventoryUnit[];
}

/** The configuration-database feed: every unit, service, host name, domain, queue and provisioned object. */
export function inventory(input: ReportInput): Inventory {
  const { settings } = input;
  return {
    stack: input.stack,
    cluster: settings.cluster.context === undefined ? {} : { context: settings.cluster.context },
    namespacePrefix: settings.namespacePrefix,
    units: orderedUnits(input).map((unit): InventoryUnit => {
      const s = unit.services;
      const provisioned = shouldProvision(unit, settings);
      return {
        id: unit.id,
        name: unit.name,
        shortName: unit.shortName,
        address: seatAddress(unit),
        costCentre: unit.costCentre,
        state: unit.lifecycle.state,
        wave: unit.lifecycle.wave,
        provisioned,
        namespace: namespaceOf(unit, settings),
        services: enrolledServices(unit),
        domains: s.mail ? [s.mail.domain] : [],
        mailboxes: (s.mail?.mailboxes ?? []).map((m) => `${m.localPart}@${s.mail!.domain}`),
        sites: (s.web?.sites ?? []).map((w) => ({ hostname: w.hostname, kind: w.kind })),
        queues: (s.print?.queues ?? []).map((q) => ({
          name: q.name,
          cupsName: `${unit.id}-${q.name}`,
          location: q.location,
          deviceUri: q.deviceUri,
        })),
        vms: (s.servers?.vms ?? []).map((v) => ({
          name: v.name,
          cpu: v.cpu,
          memory: v.memory,
          disk: v.disk,
          image: v.image,
        })),
        objects: provisioned ? renderUnit(unit, settings).map(inventoryObject) : [],
      };
    }),
  };
}

export function inventoryObject(d: Desired): InventoryObject {
  const o = d.object;
  return {
    key: d.key,
    service: d.service,
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace }),
    name: o.metadata.name,
    dataBearing: d.dataBearing === true,
  };
}
