// The keeper: the only holder of secrets (ML-DSA secret key, HMAC key, ML-KEM
// secret key). It runs in its own isolate (KeeperClient: a worker thread or a
// child process), with its secrets in the native addon's locked memory where it
// can (SecretMemory); the gateway holds only the client. No export, option or mode hands a secret out;
// tests wrap noble, the anchor signer and the CSPRNG (inside the isolate through a preload).
export { Keeper, type AnchorTicket, type EpochInfo, type KeeperEvent, type KeeperOptions, type BindingVerdict } from "./keeper.js";
export { KeeperClient, type KeeperClientEvent, type KeeperClientOptions } from "./client.js";
export type { KeeperMode } from "./channel.js";
export type { BindingFields, Rotation } from "./protocol.js";
export { knownAnswerTest, pairwiseConsistencyTest, kemKnownAnswerTest, kemPairwiseConsistencyTest } from "./self-test.js";
export { epochIdOf } from "./epoch.js";
export { heapSecretMemory, openSecretMemory, type SecretMemory, type SecretMemoryStatus } from "./secret-memory.js";
