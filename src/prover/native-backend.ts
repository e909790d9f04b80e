// ProverBackend over the native addon: one parsed circuit per zkey per process (the
// addon's registry, keyed by the zkey's SHA-256), proofs as snarkjs-shaped JSON.
import { createHash } from "node:crypto";
import type { Groth16ProofJson } from "../verifier/index.js";
import type { CircuitArtifacts, ProverBackend, RawProof } from "./backend.js";
import type { NativeAddon } from "./native-loader.js";

const PROOF_BYTES = 256;

/** Little-endian 32-byte integer at `offset` as a decimal string. */
function decimalAt(bytes: Uint8Array, offset: number): string {
  return BigInt("0x" + Buffer.from(bytes.subarray(offset, offset + 32)).reverse().toString("hex")).toString();
}

/** The addon's affine plain coordinates in snarkjs's JSON (infinity as snarkjs prints it). */
export function proofJson(bytes: Uint8Array): Groth16ProofJson {
  const d = (o: number) => decimalAt(bytes, o);
  const zero = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  const g1 = (o: number): Groth16ProofJson["pi_a"] => (zero(o, o + 64) ? ["0", "1", "0"] : [d(o), d(o + 32), "1"]);
  const pi_b: Groth16ProofJson["pi_b"] = zero(64, 192)
    ? [["0", "0"], ["1", "0"], ["0", "0"]]
    : [[d(64), d(96)], [d(128), d(160)], ["1", "0"]];
  return { pi_a: g1(0), pi_b, pi_c: g1(192), protocol: "groth16", curve: "bn128" };
}

export interface NativeProverBackend extends ProverBackend {
  /**
   * Parses the circuit now (worker warm-up), not on the first proof; tables follow after a
   * few proofs. The addon keeps the parsed key for the process, so this takes the zkey bytes:
   * `artifacts.zkey` is left empty and the JS copy (MiBs per worker) can be collected.
   */
  prepare(artifacts: CircuitArtifacts): void;
}

const NO_BYTES = new Uint8Array(0);

export function createNativeBackend(addon: NativeAddon): NativeProverBackend {
  // artifacts -> addon handle; the artifacts live as long as the worker's (or local prover's) map.
  const handles = new WeakMap<CircuitArtifacts, number>();
  const handleFor = (artifacts: CircuitArtifacts) => {
    let handle = handles.get(artifacts);
    if (handle === undefined) {
      handle = addon.loadCircuit(createHash("sha256").update(artifacts.zkey).digest("hex"), artifacts.zkey);
      handles.set(artifacts, handle);
    }
    return handle;
  };
  const loaded = new Set<number>();
  return {
    name: "native",
    async init() {},
    prepare(artifacts: CircuitArtifacts) {
      loaded.add(handleFor(artifacts));
      artifacts.zkey = NO_BYTES;
    },
    async prove(artifacts: CircuitArtifacts, witness: Uint8Array): Promise<RawProof> {
      const handle = handleFor(artifacts);
      loaded.add(handle);
      const out = addon.proveSync(handle, witness);
      const publicSignals: string[] = [];
      for (let o = PROOF_BYTES; o < out.length; o += 32) publicSignals.push(decimalAt(out, o));
      return { proof: proofJson(out), publicSignals };
    },
    async close() {
      for (const handle of loaded) addon.release(handle);
      loaded.clear();
    },
  };
}
