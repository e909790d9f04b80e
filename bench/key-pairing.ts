// The pairing-check input the benchmarks time: a verification key's alpha with beta, gamma
// and delta, as the addon's pairingCheck takes pairs (32-byte little-endian coordinates).
// Three subgroup tests and preparations, a 3-pair Miller loop, one final exponentiation.
import type { VerificationKey } from "../src/verifier/index.js";

/** 32-byte little-endian field elements, concatenated. */
function le(values: string[]): Uint8Array {
  const out = new Uint8Array(32 * values.length);
  values.forEach((v, i) => {
    let n = BigInt(v);
    for (let j = 0; j < 32; j++, n >>= 8n) out[32 * i + j] = Number(n & 0xffn);
  });
  return out;
}

export function keyPairingInput(vk: VerificationKey): Uint8Array {
  const alpha = le(vk.vk_alpha_1.slice(0, 2));
  const g2 = (p: string[][]) => le([p[0]![0]!, p[0]![1]!, p[1]![0]!, p[1]![1]!]);
  return Buffer.concat([alpha, g2(vk.vk_beta_2), alpha, g2(vk.vk_gamma_2), alpha, g2(vk.vk_delta_2)]);
}
