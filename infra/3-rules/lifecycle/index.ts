export { shouldProvision, notProvisionedReason, liveWaves, ALL_WAVES } from "../../1-model/lifecycle";
export { todayOf, isIsoDate } from "../../1-model/clock";
export { checkApproval, expiredApproval } from "./approval";
export { checkTransitions, type PreviousUnit, type TransitionOptions } from "./transitions";
export {
  checkLifecycle,
  checkApprovals,
  checkLedger,
  massRemovalAllowedByEnv,
  withLedgerGuards,
} from "./ledger-guards";
export {
  type Ledger,
  type LedgerEntry,
  ledgerPath,
  readLedger,
  previousFromLedger,
  nextLedger,
  ledgerText,
  writeLedger,
} from "../../2-manifest/ledger";
export {
  holdsData,
  isDataBearing,
  retentionOptions,
  retainedData,
  type RetainedObject,
  type RetentionOptions,
} from "../../4-builders/retention";
export {
  applyLifecycle,
  acceptsNewData,
  LIFECYCLE_LABEL,
  KEEP_SERVING_ANNOTATION,
} from "../../4-builders/lifecycle";
export { runLedger, registerLedger, type LedgerOptions } from "../../6-cli/ledger";
