// noble's ML-DSA (keys, verification) and the anchor signer (liboqs) with
// switchable faults (installed with vi.mock), so each self-test can be shown to
// catch the broken implementation it exists for.
type MlDsaModule = typeof import("@noble/post-quantum/ml-dsa.js");
type MlDsa = MlDsaModule["ml_dsa65"];
type AnchorSignerModule = typeof import("../../src/keeper/anchor-signer.js");
type AnchorSigner = import("../../src/keeper/anchor-signer.js").AnchorSigner;

export const faults = {
  /** keygen derives from a different seed: keys stay consistent, answers differ. */
  twistKeygenSeed: false,
  /** Flips a byte of rho in the next N secret keys: the halves of the pair no longer match. */
  corruptNextSecretKeys: 0,
  /** The signer flips a byte of every signature. */
  corruptSignatures: false,
  /** The signer signs a message one bit off the one it was given: valid, but for something else. */
  signOtherMessage: false,
  /** The signer throws (as a trap in its WebAssembly would). */
  signerThrows: false,
  /** verify answers true or false whatever it is given. */
  verifyAnswers: null as boolean | null,
};

const HEALTHY = { ...faults };

export function resetFaults(): void {
  Object.assign(faults, HEALTHY);
}

function faulty(alg: MlDsa): MlDsa {
  return {
    ...alg,
    keygen: (seed) => {
      const twisted = seed && faults.twistKeygenSeed ? Uint8Array.from(seed, (b, i) => (i === 0 ? b ^ 1 : b)) : seed;
      const keys = alg.keygen(twisted);
      if (faults.corruptNextSecretKeys > 0) {
        faults.corruptNextSecretKeys -= 1;
        keys.secretKey[0]! ^= 1;
      }
      return keys;
    },
    verify: (signature, message, publicKey, options) => faults.verifyAnswers ?? alg.verify(signature, message, publicKey, options),
  };
}

export function faultyMlDsa(real: MlDsaModule): MlDsaModule {
  return { ...real, ml_dsa44: faulty(real.ml_dsa44 as MlDsa), ml_dsa65: faulty(real.ml_dsa65), ml_dsa87: faulty(real.ml_dsa87 as MlDsa) } as MlDsaModule;
}

function faultySigner(signer: AnchorSigner): AnchorSigner {
  return {
    sign: (message, secretKey) => {
      if (faults.signerThrows) throw new Error("liboqs: no memory for 4032 bytes");
      const signed = faults.signOtherMessage ? Uint8Array.from(message, (b, i) => (i === message.length - 1 ? b ^ 1 : b)) : message;
      const signature = signer.sign(signed, secretKey);
      if (faults.corruptSignatures) signature[0]! ^= 1;
      return signature;
    },
    erase: () => signer.erase(),
  };
}

export function faultyAnchorSigners(real: AnchorSignerModule): AnchorSignerModule {
  return { ...real, anchorSigner: (level) => faultySigner(real.anchorSigner(level)) };
}
