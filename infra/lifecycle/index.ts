export { shouldProvision, notProvisionedReason, liveWaves, ALL_WAVES } from "./provision";
export { todayOf, isIsoDate } from "./clock";
export { checkApproval, expiredApproval } from "./approval";
export { checkTransitions, type PreviousUnit, type TransitionOptions } from "./transitions";
export {
  checkLifecycle,
  checkApprovals,
  checkLedger,
  massRemovalAllowedByEnv,
  withLedgerGuards,
} from "./checks";
export {
  type Ledger,
  type LedgerEntry,
  ledgerPath,
  readLedger,
  previousFromLedger,
  nextLedger,
  ledgerText,
  writeLedger,
} from "./ledger";
export {
  holdsData,
  isDataBearing,
  retentionOptions,
  retainedData,
  type RetainedObject,
  type RetentionOptions,
} from "./retention";
export { applyLifecycle, acceptsNewData, LIFECYCLE_LABEL, KEEP_SERVING_ANNOTATION } from "./decommissioning";
export { runLedger, registerLedger, type LedgerOptions } from "./ledger-command";
