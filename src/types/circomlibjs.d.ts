declare module "circomlibjs" {
  export interface Poseidon {
    (inputs: Array<bigint | string | number>): Uint8Array;
    F: { toString(value: Uint8Array): string };
  }
  export function buildPoseidon(): Promise<Poseidon>;
}
