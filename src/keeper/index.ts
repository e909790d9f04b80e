// The keeper: the only holder of secrets (ML-DSA secret key, HMAC key). No
// export, option or mode hands a secret out; tests wrap noble and the CSPRNG.
export { Keeper, type AnchorTicket, type EpochInfo, type KeeperEvent, type KeeperOptions, type BindingVerdict } from "./keeper.js";
export { knownAnswerTest, pairwiseConsistencyTest } from "./self-test.js";
export { epochIdOf } from "./epoch.js";
