// The keeper: sole holder of the epoch's ML-DSA secret key, HMAC key and
// ML-KEM secret key. Signs canonical events into anchors, tags and checks
// jobs, opens sealed inputs, rotates and wipes. Nothing it returns, logs or
// throws contains a key, a signature or a shared secret. Every secret byte it
// holds comes from its SecretMemory (locked memory when its isolate has the
// native addon).
// It has no test hooks in any build: tests see the secret buffers by wrapping
// the modules the keeper draws them from (noble's ML-DSA keygen, the anchor
// signer, the CSPRNG).
import { inspect } from "node:util";
import { bytesToHex } from "@noble/hashes/utils.js";
import {
  anchorFromSignature, anchorMessage, bindingsEqual, canonicalPayload, computeBinding,
  payloadDigestHex, DEFAULT_JSON_LIMITS, type JsonLimits, type MlDsaLevel,
} from "../anchor/index.js";
import { DouradaError } from "../errors.js";
import { SEALED_INPUTS_VERSION, SEALING_KEM, toBase64Url } from "../sealing/index.js";
import { createEpoch, freshRandom, wipeEpoch, type Epoch } from "./epoch.js";
import { anchorSigner, loadAnchorSigner } from "./anchor-signer.js";
import { openSealed } from "./sealed-opening.js";
import { heapSecretMemory, type SecretMemory, type SecretMemoryStatus } from "./secret-memory.js";
import { kemKnownAnswerTest, kemPairwiseConsistencyTest, knownAnswerTest, pairwiseConsistencyTest } from "./self-test.js";

/** What a job carries from the keeper to the prover and back. Holds no secret. */
export interface AnchorTicket {
  requestId: string;
  circuitId: string;
  epoch: string;
  issuedAt: number;
  nonce: string;
  payloadDigest: string;
  anchor: bigint;
  binding: string;
}

export interface EpochInfo {
  id: string;
  algorithm: MlDsaLevel;
  /** Base64 of the ML-DSA public key. */
  publicKey: string;
  startedAt: string;
  signaturesUsed: number;
  signatureLimit: number;
  maxAgeMs: number;
  /** The key that seals inputs to this epoch (docs/sealed-inputs.md). */
  sealing: {
    version: typeof SEALED_INPUTS_VERSION;
    algorithm: typeof SEALING_KEM;
    /** Unpadded base64url of the ML-KEM-768 public (encapsulation) key. */
    publicKey: string;
  };
}

export type KeeperEvent =
  | { type: "rotated"; from: string | null; to: string; reason: string }
  | { type: "self-test"; ok: boolean; epoch: string | null }
  | { type: "wiped"; epoch: string }
  /** The epoch stopped serving; with `holdRetired` its secrets wait for `wipeRetired(epoch)`. */
  | { type: "retired"; epoch: string };

export interface KeeperOptions {
  level?: MlDsaLevel;
  signatureLimit?: number;
  maxAgeMs?: number;
  jsonLimits?: JsonLimits;
  onEvent?: (event: KeeperEvent) => void;
  now?: () => number;
  /**
   * Keep a retired epoch's secrets (unused, never serving) until
   * `wipeRetired` is called: the isolated keeper wipes only once the gateway
   * has acknowledged that it no longer trusts the epoch.
   */
  holdRetired?: boolean;
  /** Where secrets are allocated (default: ordinary memory, reported as not locked). */
  memory?: SecretMemory;
}

export type BindingVerdict = "ok" | "epoch-rotated" | "mismatch";

export class Keeper {
  #epoch: Epoch | null = null;
  readonly #retired = new Map<string, Epoch>();
  #unavailable: string | null = null;
  #closed = false;
  readonly #level: MlDsaLevel;
  readonly #signatureLimit: number;
  readonly #maxAgeMs: number;
  readonly #jsonLimits: JsonLimits;
  readonly #onEvent: (event: KeeperEvent) => void;
  readonly #now: () => number;
  readonly #holdRetired: boolean;
  readonly #memory: SecretMemory;
  /** The current epoch's public keys and start, as info() prints them (public values only). */
  #publicInfo: { epochId: string; publicKey: string; startedAt: string; sealingKey: string } | null = null;

  /** A keeper whose signer is loaded first (WebAssembly loads asynchronously; the constructor needs it loaded). */
  static async open(options: KeeperOptions = {}): Promise<Keeper> {
    await loadAnchorSigner(options.level ?? "ml-dsa-65");
    return new Keeper(options);
  }

  constructor(options: KeeperOptions = {}) {
    this.#level = options.level ?? "ml-dsa-65";
    this.#signatureLimit = options.signatureLimit ?? 1_000_000;
    this.#maxAgeMs = options.maxAgeMs ?? 24 * 3600 * 1000;
    this.#jsonLimits = options.jsonLimits ?? DEFAULT_JSON_LIMITS;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#now = options.now ?? Date.now;
    this.#holdRetired = options.holdRetired ?? false;
    this.#memory = options.memory ?? heapSecretMemory("no secure allocator was given to this keeper; secrets are in ordinary memory");
    anchorSigner(this.#level); // throws unless loaded: see Keeper.open
    this.rotate("start");
    if (!this.#epoch) throw new Error(`keeper: ${this.#unavailable}`);
  }

  /** Replaces the epoch: new keys, self-tested, the old secret bytes zero-filled first. */
  rotate(reason: string): EpochInfo | null {
    if (this.#closed) throw new Error("keeper: closed");
    const previous = this.#epoch;
    this.#epoch = null;
    if (previous) this.#retire(previous);
    const next = createEpoch(this.#level, this.#now(), this.#memory);
    let ok = false;
    try {
      ok =
        knownAnswerTest(this.#level) && pairwiseConsistencyTest(this.#level, next.secretKey, next.publicKey) &&
        kemKnownAnswerTest() && kemPairwiseConsistencyTest(next.kemSecretKey, next.kemPublicKey);
    } catch {
      // A self-test that throws (a trap in the signer) fails like one that answers wrong: the new keys are wiped below.
    }
    this.#onEvent({ type: "self-test", ok, epoch: ok ? next.id : null });
    if (!ok) {
      this.#wipe(next);
      this.#unavailable = "the ML-DSA or ML-KEM self-test failed; no epoch serves until a rotation passes it";
      return null;
    }
    this.#epoch = next;
    this.#unavailable = null;
    this.#onEvent({ type: "rotated", from: previous?.id ?? null, to: next.id, reason });
    return this.info();
  }

  /** Signs the canonical event and returns the anchor ticket; the signature is wiped before this returns. */
  anchorFor(requestId: string, circuitId: string, data: unknown): AnchorTicket {
    const issuedAt = this.#now();
    const nonce = bytesToHex(freshRandom(16));
    // Validates data (depth, numbers, surrogates) before any signature is spent.
    const payload = canonicalPayload(data, issuedAt, nonce, this.#jsonLimits);
    const epoch = this.#servingEpoch();
    // The signer returns the signature in a fresh heap array: moved into the epoch's scratch (and zero-filled) at once.
    const signature = this.#memory.adopt(anchorSigner(epoch.level).sign(anchorMessage(payload), epoch.secretKey), epoch.signature);
    epoch.signatures += 1;
    let anchor: bigint;
    try {
      anchor = anchorFromSignature(signature);
    } finally {
      this.#memory.wipe(signature);
    }
    const payloadDigest = payloadDigestHex(payload);
    const binding = computeBinding(epoch.hmacKey, { requestId, circuitId, anchor, payloadDigest });
    return { requestId, circuitId, epoch: epoch.id, issuedAt, nonce, payloadDigest, anchor, binding };
  }

  /**
   * Opens inputs sealed to the current epoch for `circuitId` (no signature is
   * spent): `epoch-rotated` when they were sealed to another epoch,
   * `invalid-request` when malformed or tampered with.
   */
  openSealedInputs(circuitId: string, sealed: unknown): Record<string, unknown> {
    return openSealed(this.#servingEpoch(false), circuitId, sealed);
  }

  /**
   * Checks the binding a prover returned for a ticket: recomputed under the
   * ticket's epoch key and compared in constant time. A wiped epoch cannot
   * vouch for anything, so its jobs are `epoch-rotated`.
   */
  checkJobBinding(ticket: AnchorTicket, returned: unknown): BindingVerdict {
    const epoch = this.#epoch;
    if (!epoch || epoch.id !== ticket.epoch) return "epoch-rotated";
    const expected = computeBinding(epoch.hmacKey, ticket);
    return bindingsEqual(expected, returned) && bindingsEqual(ticket.binding, returned) ? "ok" : "mismatch";
  }

  /** Whether a bundle's binding was issued by the current epoch of this keeper. Never throws. */
  isCurrentBinding(fields: { epoch: unknown; requestId: unknown; circuitId: unknown; anchor: unknown; payloadDigest: unknown; binding: unknown }): boolean {
    const epoch = this.#epoch;
    if (!epoch || fields.epoch !== epoch.id) return false;
    if (typeof fields.requestId !== "string" || typeof fields.circuitId !== "string" || typeof fields.anchor !== "bigint") return false;
    try {
      const expected = computeBinding(epoch.hmacKey, { requestId: fields.requestId, circuitId: fields.circuitId, anchor: fields.anchor, payloadDigest: fields.payloadDigest as string });
      return bindingsEqual(expected, fields.binding);
    } catch {
      return false; // malformed digest or anchor out of range
    }
  }

  info(): EpochInfo {
    const epoch = this.#servingEpoch(false);
    // The isolate sends this with every answer: the public keys are encoded once per epoch, not per call.
    let fixed = this.#publicInfo;
    if (fixed?.epochId !== epoch.id) {
      fixed = {
        epochId: epoch.id,
        publicKey: Buffer.from(epoch.publicKey).toString("base64"),
        startedAt: new Date(epoch.startedAt).toISOString(),
        sealingKey: toBase64Url(epoch.kemPublicKey),
      };
      this.#publicInfo = fixed;
    }
    return {
      id: epoch.id,
      algorithm: epoch.level,
      publicKey: fixed.publicKey,
      startedAt: fixed.startedAt,
      signaturesUsed: epoch.signatures,
      signatureLimit: this.#signatureLimit,
      maxAgeMs: this.#maxAgeMs,
      sealing: { version: SEALED_INPUTS_VERSION, algorithm: SEALING_KEM, publicKey: fixed.sealingKey },
    };
  }

  get currentEpochId(): string | null {
    return this.#epoch?.id ?? null;
  }

  /** Whether the secrets are in locked, non-dumpable memory, and why not. */
  get secretMemory(): SecretMemoryStatus {
    return this.#memory.status();
  }

  /** Why no epoch serves (self-test failure), or null. */
  get unavailableReason(): string | null {
    return this.#closed ? "the keeper is closed" : this.#unavailable;
  }

  /** Wipes a retired epoch held for the gateway's acknowledgement; unknown ids are ignored. */
  wipeRetired(epochId: string): void {
    const epoch = this.#retired.get(epochId);
    if (!epoch) return;
    this.#retired.delete(epochId);
    this.#wipe(epoch);
  }

  /** Wipes every secret; the keeper refuses all further work. */
  close(): void {
    if (this.#epoch) this.#wipe(this.#epoch);
    this.#epoch = null;
    for (const id of [...this.#retired.keys()]) this.wipeRetired(id);
    this.#closed = true;
  }

  #servingEpoch(rotateIfDue = true): Epoch {
    if (this.#closed) throw new DouradaError("not-ready", "the key epoch is closed");
    let epoch = this.#epoch;
    if (epoch && rotateIfDue) {
      if (epoch.signatures >= this.#signatureLimit) this.rotate("signature limit reached");
      else if (this.#now() - epoch.startedAt >= this.#maxAgeMs) this.rotate("maximum epoch age reached");
      epoch = this.#epoch;
    }
    if (!epoch) throw new DouradaError("not-ready", this.#unavailable ?? "no key epoch");
    return epoch;
  }

  #retire(epoch: Epoch): void {
    this.#onEvent({ type: "retired", epoch: epoch.id });
    if (this.#holdRetired) this.#retired.set(epoch.id, epoch);
    else this.#wipe(epoch);
  }

  #wipe(epoch: Epoch): void {
    wipeEpoch(epoch, this.#memory);
    // What the epoch's signatures left in the signer's memory (freed blocks, stack frames).
    anchorSigner(epoch.level).erase();
    this.#onEvent({ type: "wiped", epoch: epoch.id });
  }

  /** Prints a safe summary: never the keys. */
  [inspect.custom](): string {
    return `Keeper { epoch: ${this.#epoch?.id ?? "none"}, algorithm: ${this.#level} }`;
  }

  toJSON(): object {
    return { epoch: this.#epoch?.id ?? null, algorithm: this.#level };
  }
}
