// Verifications per second: dourada's verifyBundle (all checks) on snarkjs's single-threaded
// curve and on the native pairing, next to a bare snarkjs.groth16.verify on the same proofs, one run.
// Run: npm run bench:verify
import { randomUUID } from "node:crypto";
import * as snarkjs from "snarkjs";
import { loadRegistry } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { Keeper } from "../src/keeper/index.js";
import { assembleBundle, createLocalProver } from "../src/prover/index.js";
import { ensureSingleThreadedCurve, verifyBundle, type ProofBundle } from "../src/verifier/index.js";
import { nativePairing } from "../src/verifier/native-pairing.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

async function rate(label: string, bundles: ProofBundle[], verify: (b: ProofBundle) => Promise<boolean>): Promise<number> {
  for (const b of bundles) if (!(await verify(b))) throw new Error(`${label}: a valid bundle failed`);
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) await verify(bundles[i % bundles.length]!);
  return ROUNDS / ((performance.now() - started) / 1000);
}

const config = loadConfig();
const registry = loadRegistry(config.circuitsDir, config.keysDir);
const keeper = new Keeper();
const prover = await createLocalProver(registry);
await ensureSingleThreadedCurve();
const circuit = registry.get("range");
const bundles: ProofBundle[] = [];
for (let i = 0; i < 8; i++) {
  const ticket = keeper.anchorFor(randomUUID(), "range", { i });
  const inputs = { value: String(20 + i), salt: String(1000 + i), min: "10", max: "100" };
  bundles.push(assembleBundle(ticket, circuit, await prover.prove("range", ticket.anchor, inputs)));
}

const options = { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex, expectedFingerprint: circuit.vkeyFingerprint };
const plain = await rate("snarkjs.groth16.verify", bundles, (b) => snarkjs.groth16.verify(circuit.verificationKey, b.publicSignals, b.proof));
const viaVerifyBundle = async (b: ProofBundle) => (await verifyBundle(b, options)).valid;
process.env.DOURADA_NATIVE_VERIFY = "0";
const ours = await rate("verifyBundle snarkjs", bundles, viaVerifyBundle);
delete process.env.DOURADA_NATIVE_VERIFY;
const native = nativePairing() ? await rate("verifyBundle native", bundles, viaVerifyBundle) : null;

console.log(`verify, range circuit, ${ROUNDS} verifications each, one thread`);
console.log(`  snarkjs.groth16.verify        ${plain.toFixed(1).padStart(8)} /s`);
console.log(`  verifyBundle snarkjs          ${ours.toFixed(1).padStart(8)} /s`);
console.log(`  verifyBundle native           ${native === null ? "  (addon not built)" : `${native.toFixed(1).padStart(8)} /s`}`);
console.log(`  ratio verifyBundle snarkjs/plain  ${(ours / plain).toFixed(3).padStart(7)}`);
if (native !== null) console.log(`  ratio verifyBundle native/snarkjs ${(native / ours).toFixed(2).padStart(7)}`);
keeper.close();
await prover.close();
