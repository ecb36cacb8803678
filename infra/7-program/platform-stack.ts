import type * as pulumi from "@pulumi/pulumi";
import { platformStackName } from "../1-model";
import { type Diagnostic, sortDiagnostics } from "../2-manifest/diagnostics";
import { ledgerPath } from "../2-manifest/ledger";
import { readLedgerPart } from "../2-manifest/ledger-entry";
import { type LoadedStack } from "../2-manifest/stack";
import { locateFindings } from "../3-rules/finding";
import { sourcesOf } from "../3-rules/sources";
import { Platform } from "../5-components/platform";
import { clusterProvider, loadCity, refuse } from "./common";

/** The outputs of the platform stack. */
export interface PlatformStackOutputs {
  /** The platform's Kubernetes objects, `Kind/namespace/name`. */
  objects: pulumi.Output<string[]>;
}

/** What the platform stack needs: the city's settings, nothing of any unit. */
export interface LoadedPlatformStack {
  stack?: LoadedStack;
  diagnostics: Diagnostic[];
}

/**
 * Loads what stack `<city>.platform` needs: the city's settings file and the platform's record in the ledger,
 * which must not name another stack (the city-wide stack still holding the servers: `muni migrate` moves
 * them first). No manifest is read: the shared servers discover their tenants at run time from the labelled
 * Secrets and ConfigMaps the unit stacks write (docs/mail-and-print.md), so a unit's change never touches
 * this stack and a broken manifest cannot hold the platform back.
 */
export function loadPlatformStack(root: string, city: string): LoadedPlatformStack {
  const { stack, diagnostics } = loadCity(root, city);
  if (!stack) return { diagnostics };
  const { ledger, diagnostics: ledgerProblems } = readLedgerPart(ledgerPath(stack.file, city), {
    platform: true,
  });
  diagnostics.push(...ledgerProblems);
  const own = platformStackName(city);
  const recorded = ledger?.platform?.stack;
  if (recorded !== undefined && recorded !== own && ledger?.source)
    diagnostics.push(
      ...locateFindings(
        [
          {
            file: ledger.file,
            path: ["platform", "stack"],
            at: ledger.source.locate(["platform", "stack"]),
            message: `the platform's resources are still in Pulumi stack ${recorded}: stack ${own} would create them a second time`,
            hint: `move them first: npx muni migrate --stack ${city} --run (docs/operator.md, "Moving a live city")`,
          },
        ],
        sourcesOf(stack, []),
      ),
    );
  return { stack, diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * The Pulumi program of stack `<city>.platform`: the shared mail and print servers and the cluster-wide
 * tenancy (the `Platform` component named `platform`, children `platform-<key>`: the URNs of the city-wide
 * stack), through one explicit Kubernetes provider. Registers nothing when anything is invalid.
 */
export function definePlatformStack(args: { root: string; city: string }): PlatformStackOutputs {
  const loaded = loadPlatformStack(args.root, args.city);
  if (!loaded.stack || loaded.diagnostics.length) refuse(platformStackName(args.city), loaded.diagnostics);
  const { settings } = loaded.stack!;
  const platform = new Platform("platform", { settings }, { providers: [clusterProvider(settings)] });
  return { objects: platform.objects };
}
