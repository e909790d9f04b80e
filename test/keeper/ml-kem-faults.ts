// noble's ML-KEM-768 with switchable faults (installed with vi.mock), so each
// ML-KEM self-test can be shown to catch the broken implementation it exists for.
type MlKemModule = typeof import("@noble/post-quantum/ml-kem.js");
type MlKem = MlKemModule["ml_kem768"];

export const kemFaults = {
  /** keygen derives from a different seed: keys stay consistent, answers differ. */
  twistKeygenSeed: false,
  /** Flips a byte of every decapsulated secret. */
  corruptSharedSecrets: false,
  /** Decapsulation answers the last encapsulated secret whatever the ciphertext: no implicit rejection. */
  ignoreCiphertext: false,
};

const HEALTHY = { ...kemFaults };

export function resetKemFaults(): void {
  Object.assign(kemFaults, HEALTHY);
}

function faulty(alg: MlKem): MlKem {
  let last: Uint8Array | null = null;
  return {
    ...alg,
    keygen: (seed) => alg.keygen(seed && kemFaults.twistKeygenSeed ? Uint8Array.from(seed, (b, i) => (i === 0 ? b ^ 1 : b)) : seed),
    encapsulate: (publicKey, message) => {
      const result = alg.encapsulate(publicKey, message);
      last = result.sharedSecret.slice();
      return result;
    },
    decapsulate: (cipherText, secretKey) => {
      const secret = kemFaults.ignoreCiphertext && last ? last.slice() : alg.decapsulate(cipherText, secretKey);
      if (kemFaults.corruptSharedSecrets) secret[0]! ^= 1;
      return secret;
    },
  };
}

export function faultyMlKem(real: MlKemModule): MlKemModule {
  return { ...real, ml_kem768: faulty(real.ml_kem768) } as MlKemModule;
}
