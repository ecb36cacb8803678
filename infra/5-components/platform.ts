import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../1-model";
import { objectName, renderPlatform } from "../4-builders";
import { registerDesired } from "./register";

export interface PlatformArgs {
  /** The validated settings of the stack. */
  settings: StackSettings;
}

/**
 * The central mail and print servers and the cluster-wide tenancy objects, from the stack's settings
 * alone: the servers read their tenants at run time from the objects each unit stack writes into their
 * namespaces (docs/mail-and-print.md). Children named `<name>-<key>`, volumes retained on delete.
 */
export class Platform extends pulumi.ComponentResource {
  /** The platform namespaces, for units whose tenant objects live there to depend on. */
  public readonly namespaces: pulumi.CustomResource[];
  /** Names of the Kubernetes objects registered, `Kind/namespace/name`. */
  public readonly objects: pulumi.Output<string[]>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muni:platform:Platform", name, {}, opts);
    const desired = renderPlatform(args.settings);
    this.namespaces = registerDesired(desired, { parent: this, name, retain: { retainOnDelete: true } });
    this.objects = pulumi.output(desired.map(objectName));
    this.registerOutputs({ objects: this.objects });
  }
}
