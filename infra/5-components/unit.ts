import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import {
  type DataHistory,
  EMPTY_HISTORY,
  type SecretRequest,
  type StackSettings,
  type Unit as UnitManifest,
} from "../1-model";
import {
  type K8sObject,
  objectName,
  RecordingSecrets,
  renderUnit,
  retentionOptions,
  secretsFromValues,
} from "../4-builders";
import { type DnsRecord, unitDnsRecords } from "../4-builders/mail";
import { registerDesired } from "./register";

export interface UnitArgs {
  /** The validated unit manifest (defaults filled in). */
  unit: UnitManifest;
  /** The validated settings of the stack. */
  settings: StackSettings;
  /** Platform namespaces the unit's tenant objects (mail tenant Secret, print queues) are created in; they wait for them. Default: none. */
  platformNamespaces?: pulumi.Resource[];
  /** The unit's record in the stack's ledger: retired VMs and sites stay (halted, volume kept), mailboxes get their incarnations, namespaces that held data stay retained. Default: none. */
  history?: DataHistory;
}

/**
 * One organizational unit on the cluster: every object its builders render (namespace, quota,
 * isolation, RBAC and its services), registered as typed Kubernetes resources under this component.
 * Children are named `<name>-<key>` with keys that never change; data-bearing objects are retained
 * on delete. Generated secrets (passwords, salts) live in Pulumi state as @pulumi/random resources.
 */
export class Unit extends pulumi.ComponentResource {
  /** The unit's namespace. */
  public readonly namespace: pulumi.Output<string>;
  /** Names of the Kubernetes objects registered, `Kind/namespace/name`, for reports. */
  public readonly objects: pulumi.Output<string[]>;
  /** DNS records the city must publish for the unit's mail domain (MX, SPF, DKIM, DMARC); [] without mail. */
  public readonly mailDns: pulumi.Output<DnsRecord[]>;

  constructor(name: string, args: UnitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muni:unit:Unit", name, {}, opts);
    const recorder = new RecordingSecrets();
    const history = args.history ?? EMPTY_HISTORY;
    const desired = renderUnit(args.unit, args.settings, recorder, history);
    const generated = this.generateSecrets(name, recorder.requests);
    // Objects built from generated secrets are rendered again once the values exist; only those objects
    // are kept from that render (the others were registered from the first one).
    const real = desired.some((d) => d.usesSecrets)
      ? pulumi.all(generated).apply(
          (values) =>
            new Map(
              renderUnit(args.unit, args.settings, secretsFromValues(values), history)
                .filter((d) => d.usesSecrets)
                .map((d) => [d.key, d.object]),
            ),
        )
      : undefined;

    registerDesired(desired, {
      parent: this,
      name,
      retain: retentionOptions(args.unit, args.settings),
      retainNamespaces: history.namespaces,
      ...(args.platformNamespaces ? { dependsOn: args.platformNamespaces } : {}),
      objectOf: (d) => (d.usesSecrets ? real!.apply((byKey) => secretObject(byKey, d.key)) : d.object),
    });
    const nsDesired = desired.filter((d) => d.object.kind === "Namespace");
    this.namespace = pulumi.output(nsDesired[0]?.object.metadata.name ?? "");
    this.objects = pulumi.output(desired.map(objectName));
    // Only the DKIM key feeds the records; the public key derived from it is not secret.
    const keys = Object.fromEntries(
      [...recorder.requests.values()]
        .filter((r) => r.kind === "rsa-key")
        .map((r) => [r.id, generated[r.id]!]),
    );
    this.mailDns = pulumi.unsecret(
      pulumi
        .all(keys)
        .apply((values) =>
          unitDnsRecords({ unit: args.unit, settings: args.settings, secrets: secretsFromValues(values) }),
        ),
    );
    this.registerOutputs({ namespace: this.namespace, objects: this.objects, mailDns: this.mailDns });
  }

  private generateSecrets(
    name: string,
    requests: ReadonlyMap<string, SecretRequest>,
  ): Record<string, pulumi.Output<string>> {
    const out: Record<string, pulumi.Output<string>> = {};
    for (const r of requests.values()) {
      out[r.id] =
        r.kind === "rsa-key"
          ? new tls.PrivateKey(`${name}-${r.id}`, { algorithm: "RSA", rsaBits: r.length }, { parent: this })
              .privateKeyPem
          : r.kind === "password"
            ? new random.RandomPassword(
                `${name}-${r.id}`,
                { length: r.length, special: false, minLower: 1, minUpper: 1, minNumeric: 1 },
                { parent: this },
              ).result
            : new random.RandomString(
                `${name}-${r.id}`,
                { length: r.length, special: false },
                { parent: this },
              ).result;
    }
    return out;
  }
}

function secretObject(byKey: ReadonlyMap<string, K8sObject>, key: string): K8sObject {
  const o = byKey.get(key);
  if (!o) throw new Error(`object ${key} vanished between renders: builders must be deterministic`);
  return o;
}
