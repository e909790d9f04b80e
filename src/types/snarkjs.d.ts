declare module "snarkjs" {
  export interface Groth16Proof {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  }
  export type Logger = { debug?: (m: string) => void; info?: (m: string) => void; warn?: (m: string) => void; error?: (m: string) => void };
  type FileLike = string | Uint8Array | { type: "mem"; data?: Uint8Array };
  export const groth16: {
    prove(zkey: FileLike, witness: FileLike, logger?: Logger, options?: object): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    fullProve(input: object, wasm: FileLike, zkey: FileLike, logger?: Logger, wtnsOptions?: object, proverOptions?: object): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: object, publicSignals: unknown, proof: unknown, logger?: Logger): Promise<boolean>;
    exportSolidityCallData(proof: Groth16Proof, publicSignals: string[]): Promise<string>;
  };
  export const zKey: {
    newZKey(r1cs: FileLike, ptau: FileLike, zkey: FileLike, logger?: Logger): Promise<unknown>;
    contribute(zkeyOld: FileLike, zkeyNew: FileLike, name: string, entropy: string, logger?: Logger): Promise<Uint8Array>;
    beacon(zkeyOld: FileLike, zkeyNew: FileLike, name: string, beaconHashStr: string, numIterationsExp: number, logger?: Logger): Promise<Uint8Array>;
    verifyFromR1cs(r1cs: FileLike, ptau: FileLike, zkey: FileLike, logger?: Logger): Promise<boolean>;
    verifyFromInit(init: FileLike, ptau: FileLike, zkey: FileLike, logger?: Logger): Promise<boolean>;
    exportVerificationKey(zkey: FileLike, logger?: Logger): Promise<Record<string, unknown>>;
    exportSolidityVerifier(zkey: FileLike, templates: Record<string, string>, logger?: Logger): Promise<string>;
  };
  export const powersOfTau: {
    newAccumulator(curve: unknown, power: number, file: FileLike, logger?: Logger): Promise<unknown>;
    contribute(oldPtau: FileLike, newPtau: FileLike, name: string, entropy: string, logger?: Logger): Promise<unknown>;
    beacon(oldPtau: FileLike, newPtau: FileLike, name: string, beaconHashStr: string, numIterationsExp: number, logger?: Logger): Promise<unknown>;
    preparePhase2(oldPtau: FileLike, newPtau: FileLike, logger?: Logger): Promise<unknown>;
    verify(ptau: FileLike, logger?: Logger): Promise<boolean>;
  };
  export const r1cs: { info(file: FileLike, logger?: Logger): Promise<{ nConstraints: number; nPubInputs: number; nOutputs: number; nPrvInputs: number; nVars: number }> };
  export const wtns: { calculate(input: object, wasm: FileLike, wtns: FileLike, options?: object): Promise<void> };
}
declare module "ffjavascript" {
  export interface Curve { terminate(): Promise<void>; name: string }
  export function buildBn128(singleThread?: boolean): Promise<Curve>;
  export function getCurveFromName(name: string): Promise<Curve>;
  export class F1Field { constructor(p: bigint) }
  /** The seeded stream cipher snarkjs derives proof-of-knowledge points from. */
  export class ChaCha { constructor(seed?: number[]) }
}
declare module "r1csfile" {
  /** Only what the tests compare against (snarkjs's own r1cs reader). */
  export function readR1cs(file: string, options: { loadConstraints?: boolean; loadMap?: boolean; loadCustomGates?: boolean; F?: unknown }): Promise<{ nConstraints: number; nVars: number; nOutputs: number; nPubInputs: number; nPrvInputs: number; constraints: Array<[Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]> }>;
}
declare module "circom_runtime" {
  export interface WitnessCalculator {
    calculateWTNSBin(input: object, sanityCheck?: boolean): Promise<Uint8Array>;
  }
  export function WitnessCalculatorBuilder(code: Uint8Array | WebAssembly.Instance, options?: object): Promise<WitnessCalculator>;
}
