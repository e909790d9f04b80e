// The hashes a powers-of-tau contribution record carries, as snarkjs 0.7.6
// computes and checks them (`powersoftau verify`), so a development ptau made
// here reads as one well-formed contribution:
//   challenge    BLAKE2b-512 of BLAKE2b-512("") and the blank accumulator (generators, uncompressed)
//   g2_sp        hash-to-G2 of (personalisation, challenge, g1_s, g1_sx): ChaCha seeded from BLAKE2b-512
//   response     BLAKE2b-512 of challenge, the new points compressed, then the public key uncompressed;
//                the record keeps the hasher's state before the key (216 bytes, snarkjs's layout)
//   next         BLAKE2b-512 of response and the new points uncompressed
import { blake2b } from "@noble/hashes/blake2.js";
import { ChaCha } from "ffjavascript";
import type { GroupApi, WasmCurve } from "./wasm-arena.js";

export type Hasher = ReturnType<typeof blake2b.create>;

export const newHasher = (): Hasher => blake2b.create({ dkLen: 64 });

function uncompressed(G: GroupApi, point: Uint8Array): Uint8Array {
  const out = new Uint8Array(G.F.n8 * 2);
  G.toRprUncompressed(out, 0, point);
  return out;
}

/** Feeds `count` copies of `bytes`, a block of copies at a time. */
function updateRepeated(hasher: Hasher, bytes: Uint8Array, count: number): void {
  const perBlock = Math.max(1, Math.floor((1 << 20) / bytes.byteLength));
  const block = new Uint8Array(perBlock * bytes.byteLength);
  for (let i = 0; i < perBlock; i++) block.set(bytes, i * bytes.byteLength);
  for (let left = count; left > 0; left -= perBlock) hasher.update(left >= perBlock ? block : block.subarray(0, left * bytes.byteLength));
}

/** The challenge the first contribution answers: the hash of the accumulator `powersoftau new` writes. */
export function firstChallenge(curve: WasmCurve, power: number): Uint8Array {
  const n = 2 ** power;
  const g1 = uncompressed(curve.G1, curve.G1.g);
  const g2 = uncompressed(curve.G2, curve.G2.g);
  const hasher = newHasher();
  hasher.update(newHasher().digest());
  updateRepeated(hasher, g1, 2 * n - 1); // tauG1
  updateRepeated(hasher, g2, n); // tauG2
  updateRepeated(hasher, g1, n); // alphaTauG1
  updateRepeated(hasher, g1, n); // betaTauG1
  hasher.update(g2); // betaG2
  return hasher.digest();
}

/**
 * The G2 point a proof of knowledge of x pairs with: g1_sx = x * g1_s is
 * checked against g2_spx = x * g2_sp, where g2_sp is derived from the
 * challenge so a contributor cannot choose it. Personalisation 0, 1, 2 for
 * tau, alpha, beta. Takes and returns affine points in the ptau layout.
 */
export function proofOfKnowledgeBase(curve: WasmCurve, personalisation: number, challenge: Uint8Array, g1s: Uint8Array, g1sx: Uint8Array): Uint8Array {
  const G1 = curve.G1;
  const hash = newHasher()
    .update(Uint8Array.of(personalisation))
    .update(challenge)
    .update(uncompressed(G1, G1.fromRprLEM(g1s)))
    .update(uncompressed(G1, G1.fromRprLEM(g1sx)))
    .digest();
  const view = new DataView(hash.buffer, hash.byteOffset, hash.byteLength);
  const seed = Array.from({ length: 8 }, (_, i) => view.getUint32(i * 4, false));
  const point = curve.G2.fromRng(new ChaCha(seed));
  const out = new Uint8Array(curve.G2.F.n8 * 2);
  curve.G2.toRprLEM(out, 0, point);
  return out;
}

// @noble/hashes keeps BLAKE2b's state in protected fields; snarkjs serialises the same fields.
interface Blake2bInternals {
  buffer: Uint8Array;
  length: number;
  pos: number;
  get(): number[];
}

/**
 * The hasher's state in snarkjs's 216-byte "partial hash" layout: the
 * 128-byte block buffer, the sixteen 32-bit state words, then the bytes
 * compressed so far and the bytes buffered, as 64-bit little-endian numbers.
 * snarkjs resumes it and feeds the public key to get the response hash.
 */
export function partialHashState(hasher: Hasher): Uint8Array {
  const state = hasher as unknown as Blake2bInternals;
  const out = new Uint8Array(216);
  const words = new DataView(out.buffer, 128);
  out.set(state.buffer);
  state.get().forEach((word, i) => words.setUint32(i * 4, word >>> 0, true));
  words.setBigUint64(64, BigInt(state.length - state.pos), true);
  words.setBigUint64(72, BigInt(state.pos), true);
  return out;
}
