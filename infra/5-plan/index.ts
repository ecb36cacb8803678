export * from "./types";
export { planProject, planUnit, planPlatform, RESOURCE_WARNING_THRESHOLD } from "./render";
export { streamPlan, type PlanSide, type PlanSink } from "./stream";
export { REDACTED, PROBE_SECRETS, differingPaths, redactObject, secretDataPaths } from "./redact";
export {
  diffPlans,
  diffUnit,
  diffPlatform,
  diffFields,
  hasChanges,
  type PlanDiff,
  type UnitDiff,
  type ObjectChange,
  type FieldChange,
  type UnitStatus,
} from "./diff";
export { loadBaseProject, BaseError, type BaseProject } from "./base";
export { writePlan, PlanWriter, unitYaml, PLAN_MARKER, PlanDirError } from "./write";
export { planText, planMarkdown, MARKDOWN_LIMIT } from "./format";
export { planJson, planJsonValue, planJsonPieces } from "./json";
export { notProvisionedText, type PlanReport, type NotTakenUnit, type LedgerPreview } from "./report";
export { PLAN_GUARDS, runPlanGuards, type PlanGuard } from "./guards";
export { toYaml } from "./yaml";
export { nextLedger, ledgerText, writeLedger, ledgerChanges } from "./ledger";
export * from "./protection";
