// Turns a checked proving result and its anchor ticket into the bundle of design.md.
import type { AnchorTicket } from "../keeper/index.js";
import type { RegisteredCircuit } from "../circuits/index.js";
import { BUNDLE_VERSION, type ProofBundle } from "../verifier/index.js";
import type { RawProof } from "../prover/index.js";

export function assembleBundle(ticket: AnchorTicket, circuit: RegisteredCircuit, raw: RawProof): ProofBundle {
  return {
    version: BUNDLE_VERSION,
    requestId: ticket.requestId,
    circuit: { id: circuit.manifest.id, vkeyFingerprint: circuit.vkeyFingerprint },
    epoch: ticket.epoch,
    issuedAt: ticket.issuedAt,
    nonce: ticket.nonce,
    payloadDigest: ticket.payloadDigest,
    anchor: ticket.anchor.toString(),
    publicSignals: raw.publicSignals,
    proof: raw.proof,
    binding: ticket.binding,
  };
}
