export { checkApproval, expiredApproval } from "./approval";
export { checkTransitions, type PreviousUnit, type TransitionOptions } from "./transitions";
export {
  checkApprovals,
  checkLedger,
  massRemovalAllowedByEnv,
  previousFromLedger,
  withLedgerGuards,
} from "./ledger-guards";
