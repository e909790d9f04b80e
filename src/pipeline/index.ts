// The request pipeline: validate (sealed inputs opened by the keeper first) ->
// keeper signs -> prover (the local pool) proves -> self-verify -> keeper's
// last gate -> bundle; and the service's own verification (offline checks
// plus the current epoch's binding).
export { createProver, type Prover, type StartedProof, type ProveRequest, type RequestInputs, type CheckRequest, type CheckResult, type ProverEvent, type ProverStats, type CreateProverOptions } from "./pipeline.js";
export { TIMING_STEPS, type ProofTimings } from "./timings.js";
export { assembleBundle } from "./assemble.js";
export { currentEpochBindingCheck } from "./binding-check.js";
