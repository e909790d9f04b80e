// Input helpers for callers of the built-in circuits (Merkle trees, commitments,
// credentials), apart from the registry barrel: they load circomlibjs, which the
// service and its pool workers never need, so those do not pay its import.
export { buildMembershipTree, membershipRoot, MEMBERSHIP_DEPTH, type MembershipTree, type MembershipPath } from "./membership-tree.js";
export { rangeCommitment } from "./range-commitment.js";
export { newIssuerKey, issuerPublicKey, signCredential, credentialInputs, type IssuerPublicKey, type SignedCredential } from "./credential.js";
