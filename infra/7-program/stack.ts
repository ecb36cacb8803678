import type * as pulumi from "@pulumi/pulumi";
import { EMPTY_HISTORY, notProvisionedReason } from "../1-model";
import { ledgerPath, readLedger } from "../2-manifest/ledger";
import { loadProject } from "../3-rules/project";
import { withLedgerGuards } from "../3-rules/lifecycle/ledger-guards";
import { retainedData } from "../4-builders/retention";
import type { DnsRecord } from "../4-builders/mail/dns";
import { bipRegistry } from "../4-builders/web/bip-registry";
import { Platform } from "../5-components/platform";
import { Unit } from "../5-components/unit";
import { clusterProvider, refuse, type StackOutputs } from "./common";

export type { StackOutputs } from "./common";

export interface StackArgs {
  /** Project root (the folder of Pulumi.yaml). */
  root: string;
  /** The city's settings name; its settings file is stacks/Pulumi.<stack>.yaml. */
  stack: string;
  /** The `muni:settings` value, when the caller holds one (validated; the file only locates errors). Default: the file's. */
  settings?: unknown;
}

/**
 * A whole city in one program: the platform and every unit the settings take, as the city-wide Pulumi stack
 * held them before one stack per unit (issue 15). The Pulumi entry point no longer runs this: it runs
 * `<city>.platform` and `<city>.<unit id>` (programs.ts) and refuses the city-wide name. Kept because it
 * registers every object of a city at once under the same names, for the tests that load them all into
 * the real daemons (test/daemons/program.ts) and compare them with the plan.
 */
export function defineStack(args: StackArgs): StackOutputs {
  const project = loadProject(args.root, args.stack, args.settings);
  // The lifecycle guards against the stack's ledger (docs/lifecycle.md): refused like invalid input.
  withLedgerGuards(project);
  if (!project.stack || project.diagnostics.length) refuse(args.stack, project.diagnostics);
  const { settings } = project.stack!;
  const { ledger } = readLedger(ledgerPath(project.stack!.file, project.stack!.name));
  const historyOf = (id: string) => ledger?.units[id]?.data ?? EMPTY_HISTORY;
  const provider = clusterProvider(settings);
  const namespaces: Record<string, pulumi.Output<string>> = {};
  const notProvisioned: Record<string, string> = {};
  const provisioned = project.units
    .map(({ unit }) => unit)
    .filter((unit) => {
      const reason = notProvisionedReason(unit, settings);
      if (reason !== undefined) notProvisioned[unit.id] = reason;
      return reason === undefined;
    });
  // The shared mail and print servers; units' tenant objects live in their namespaces (docs/mail-and-print.md).
  const platform = new Platform("platform", { settings }, { providers: [provider] });
  const mailDns: Record<string, pulumi.Output<DnsRecord[]>> = {};
  for (const unit of provisioned) {
    const component = new Unit(
      unit.id,
      { unit, settings, platformNamespaces: platform.namespaces, history: historyOf(unit.id) },
      { providers: [provider] },
    );
    namespaces[unit.id] = component.namespace;
    if (unit.services.mail) mailDns[unit.id] = component.mailDns;
  }
  return {
    namespaces,
    notProvisioned,
    retainedData: project.units.flatMap(({ unit }) => retainedData(unit, settings, historyOf(unit.id))),
    bipRegistry: bipRegistry(
      project.units.filter(({ unit }) => namespaces[unit.id] !== undefined).map(({ unit }) => unit),
    ),
    mailDns,
  };
}
