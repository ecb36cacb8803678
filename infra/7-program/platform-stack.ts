import type * as pulumi from "@pulumi/pulumi";
import { notProvisionedReason, PLATFORM_STACK_SUFFIX, platformStackName, type Unit } from "../1-model";
import { type Diagnostic, sortDiagnostics } from "../2-manifest/diagnostics";
import { ledgerPath } from "../2-manifest/ledger";
import { readLedgerPart } from "../2-manifest/ledger-entry";
import { type LoadedStack } from "../2-manifest/stack";
import { locateFindings } from "../3-rules/finding";
import { loadProject } from "../3-rules/project";
import { withLedgerGuards } from "../3-rules/lifecycle/ledger-guards";
import { sourcesOf } from "../3-rules/sources";
import { Platform } from "../5-components/platform";
import { clusterProvider, loadCity, refuse } from "./common";

/** The outputs of the platform stack. */
export interface PlatformStackOutputs {
  /** The platform's Kubernetes objects, `Kind/namespace/name`. */
  objects: pulumi.Output<string[]>;
  /** How many units are tenants of the shared servers now (provisioned units). */
  tenants: number;
}

/** What the platform stack needs: the city's settings and, until the tenant discovery lands, the provisioned units. */
export interface LoadedPlatformStack {
  stack?: LoadedStack;
  /** The provisioned units (see definePlatformStack). */
  tenants: Unit[];
  diagnostics: Diagnostic[];
}

/**
 * Loads what stack `<city>.platform` needs. The platform's record in the ledger must not name another stack
 * (the city-wide stack still holding the servers: `muni migrate` moves them first).
 *
 * TEMPORARY (for the lead, issue 14): the mail and print server builders still take the tenant list, so the
 * platform stack loads and validates every manifest of the city, as the city-wide stack did. When the
 * servers discover their tenants at run time from the labelled Secrets and ConfigMaps the unit stacks
 * write, `renderPlatform(settings)` needs no unit: drop the loadProject call below and `tenants`.
 */
export function loadPlatformStack(root: string, city: string): LoadedPlatformStack {
  const { stack, diagnostics } = loadCity(root, city);
  if (!stack) return { tenants: [], diagnostics };
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
  // TEMPORARY: every manifest, for the tenant list (see above).
  const project = withLedgerGuards(loadProject(root, city));
  diagnostics.push(...project.diagnostics);
  for (const u of project.units)
    if (u.unit.id === PLATFORM_STACK_SUFFIX)
      diagnostics.push({
        file: u.file,
        line: 1,
        col: 1,
        field: "id",
        message: `unit id "${PLATFORM_STACK_SUFFIX}" is reserved: stack ${own} is the shared platform's`,
        hint: "give the unit another id",
      });
  const tenants = project.units
    .map((u) => u.unit)
    .filter((u) => notProvisionedReason(u, stack.settings) === undefined);
  // A broken ledger is reported by both reads: once is enough.
  const unique = [...new Map(diagnostics.map((d) => [JSON.stringify(d), d])).values()];
  return { stack, tenants, diagnostics: sortDiagnostics(unique) };
}

/**
 * The Pulumi program of stack `<city>.platform`: the shared mail and print servers (the `Platform`
 * component named `platform`, children `platform-<key>`: the URNs of the city-wide stack), through one
 * explicit Kubernetes provider. Registers nothing when anything is invalid.
 */
export function definePlatformStack(args: { root: string; city: string }): PlatformStackOutputs {
  const loaded = loadPlatformStack(args.root, args.city);
  if (!loaded.stack || loaded.diagnostics.length) refuse(platformStackName(args.city), loaded.diagnostics);
  const { settings } = loaded.stack!;
  // TEMPORARY (issue 14): becomes `new Platform("platform", { settings }, ...)` with renderPlatform(settings).
  const platform = new Platform(
    "platform",
    { settings, units: loaded.tenants },
    { providers: [clusterProvider(settings)] },
  );
  return { objects: platform.objects, tenants: loaded.tenants.length };
}
