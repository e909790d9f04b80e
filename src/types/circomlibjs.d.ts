declare module "circomlibjs" {
  export interface Poseidon {
    (inputs: Array<bigint | string | number>): Uint8Array;
    F: { toString(value: Uint8Array): string };
  }
  export function buildPoseidon(): Promise<Poseidon>;
  /** Field elements of BabyJubJub's base field (BN254's r), in circomlibjs's internal form. */
  type F = Uint8Array;
  export interface Eddsa {
    F: { e(value: bigint | string): F; toObject(value: F): bigint };
    poseidon(inputs: Array<bigint | F>): F;
    prv2pub(privateKey: Uint8Array): [F, F];
    signPoseidon(privateKey: Uint8Array, message: F): { R8: [F, F]; S: bigint };
    verifyPoseidon(message: F, signature: { R8: [F, F]; S: bigint }, publicKey: [F, F]): boolean;
  }
  export function buildEddsa(): Promise<Eddsa>;
}
