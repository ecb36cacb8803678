/**
 * The layers of infra/ (docs/architecture.md): a folder may import its own folder and the layers below it,
 * never a layer above nor a sibling of its own layer. `npm test` runs this (npm run lint:layers) and fails
 * on any violation, naming the import.
 *
 *   1-model → 2-manifest → 3-rules → 4-builders → {5-components, 5-plan, 5-report} → 6-cli → 7-program
 */
const LAYERS = [
  ["1-model", []],
  ["2-manifest", ["1-model"]],
  ["3-rules", ["1-model", "2-manifest"]],
  ["4-builders", ["1-model", "2-manifest", "3-rules"]],
  ["5-components", ["1-model", "2-manifest", "3-rules", "4-builders"]],
  ["5-plan", ["1-model", "2-manifest", "3-rules", "4-builders"]],
  ["5-report", ["1-model", "2-manifest", "3-rules", "4-builders"]],
  ["6-cli", ["1-model", "2-manifest", "3-rules", "4-builders", "5-plan", "5-report"]],
];

const layerRules = LAYERS.map(([layer, below]) => ({
  name: `layer-${layer}`,
  comment: `infra/${layer} may import only ${[layer, ...below].map((l) => `infra/${l}`).join(", ")}`,
  severity: "error",
  from: { path: `^infra/${layer}/` },
  to: { path: "^infra/", pathNot: `^infra/(${[layer, ...below].join("|")})/` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "an import cycle: modules that need each other belong in one file, or the shared part moves down a layer",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: "pulumi-only-in-components-and-program",
      comment:
        "only infra/5-components and infra/7-program register Pulumi resources; everything below is pure",
      severity: "error",
      from: { path: "^infra/", pathNot: "^infra/(5-components|7-program|6-cli/automation)/" },
      to: { path: "node_modules/@pulumi/" },
    },
    {
      // The one exception to the rule above (issue 15): `muni preview`, `up`, `migrate` and `dns` drive the
      // Pulumi CLI through the Automation API, from this folder only, and load it lazily so that the other
      // commands stay fast. It registers no resources: nothing of @pulumi/* but the Automation API.
      name: "automation-api-only",
      comment: "infra/6-cli/automation may import @pulumi/pulumi/automation and nothing else of @pulumi/*",
      severity: "error",
      from: { path: "^infra/6-cli/automation/" },
      to: { path: "node_modules/@pulumi/", pathNot: "node_modules/@pulumi/pulumi/automation/" },
    },
    {
      name: "commander-only-in-cli",
      comment: "command-line parsing belongs to infra/6-cli",
      severity: "error",
      from: { path: "^infra/", pathNot: "^infra/6-cli/" },
      to: { path: "node_modules/commander/" },
    },
    {
      name: "barrel-own-folder",
      comment: "an index.ts re-exports its own folder (and its subfolders) only",
      severity: "error",
      from: { path: "^(infra/.+)/index\\.ts$" },
      to: { path: "^infra/", pathNot: "^$1/" },
    },
    {
      name: "infra-never-imports-tests-or-bench",
      severity: "error",
      from: { path: "^infra/" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
