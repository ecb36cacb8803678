export { checkApproval, expiredApproval } from "./approval";
export {
  checkRetirements,
  type RecordedUnit,
  type RetirementOptions,
  unknownRetirements,
} from "./retirement";
export { checkTransitions, type PreviousUnit, type TransitionOptions } from "./transitions";
export {
  checkApprovals,
  checkLedger,
  massRemovalAllowedByEnv,
  previousFromLedger,
  withLedgerGuards,
} from "./ledger-guards";
