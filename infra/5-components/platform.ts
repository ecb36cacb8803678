import * as pulumi from "@pulumi/pulumi";
import { registerObject } from "./register";
import { type Desired, objectName } from "../4-builders/types";
import { isDataBearing, namespacesHoldingData } from "../4-builders/retention";
import type { Unit } from "../1-model";
import type { StackSettings } from "../1-model/stack";
import { buildMailServer } from "../4-builders/mail/server";
import { buildPrintServer } from "../4-builders/print/server";

/** Every platform object of a stack: the shared mail server and the shared CUPS server. Pure. */
export function renderPlatform(settings: StackSettings, units: readonly Unit[]): Desired[] {
  return [...buildMailServer(settings, units), ...buildPrintServer(settings, units)];
}

export interface PlatformArgs {
  /** The validated settings of the stack. */
  settings: StackSettings;
  /** The provisioned units: those enrolled in mail and print are the servers' tenants. */
  units: readonly Unit[];
}

/**
 * The central mail and print servers, in the same stack as the units (docs/mail-and-print.md says
 * why): children named `<name>-<key>`, volumes retained on delete.
 */
export class Platform extends pulumi.ComponentResource {
  /** The platform namespaces, for units whose tenant objects live there to depend on. */
  public readonly namespaces: pulumi.CustomResource[];
  /** Names of the Kubernetes objects registered, `Kind/namespace/name`. */
  public readonly objects: pulumi.Output<string[]>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muni:platform:Platform", name, {}, opts);
    const desired = renderPlatform(args.settings, args.units);
    // A namespace holding a data volume is retained too: deleting the namespace would delete the volume.
    const dataNamespaces = namespacesHoldingData(desired);
    const namespaces = desired
      .filter((d) => d.object.kind === "Namespace")
      .map((d) =>
        registerObject(`${name}-${d.key}`, d.object, d.object, {
          parent: this,
          ...(dataNamespaces.has(d.object.metadata.name) ? { retainOnDelete: true } : {}),
        }),
      );
    for (const d of desired) {
      if (d.object.kind === "Namespace") continue;
      registerObject(`${name}-${d.key}`, d.object, d.object, {
        parent: this,
        dependsOn: namespaces,
        ...(isDataBearing(d) ? { retainOnDelete: true } : {}),
      });
    }
    this.namespaces = namespaces;
    this.objects = pulumi.output(desired.map(objectName));
    this.registerOutputs({ objects: this.objects });
  }
}
