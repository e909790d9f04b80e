// Verifications per second: dourada's verifyBundle (all checks) on snarkjs's single-threaded
// curve and on the native pairing, next to a bare snarkjs.groth16.verify on the same proofs, and
// verifyBundles on 32 at once next to verifyBundle on the same 32 one by one; one run.
// Run: npm run bench:verify
import { randomUUID } from "node:crypto";
import * as snarkjs from "snarkjs";
import { loadRegistry } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { Keeper } from "../src/keeper/index.js";
import { assembleBundle } from "../src/pipeline/index.js";
import { createLocalProver } from "../src/prover/index.js";
import { ensureSingleThreadedCurve, verifyBundle, verifyBundles, type ProofBundle } from "../src/verifier/index.js";
import { nativePairing } from "../src/verifier/native-pairing.js";
import { keyPairingInput } from "./key-pairing.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const BATCH = 32;
const BATCH_ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 10);

async function rate(label: string, bundles: ProofBundle[], verify: (b: ProofBundle) => Promise<boolean>): Promise<number> {
  for (const b of bundles) if (!(await verify(b))) throw new Error(`${label}: a valid bundle failed`);
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) await verify(bundles[i % bundles.length]!);
  return ROUNDS / ((performance.now() - started) / 1000);
}

const config = loadConfig();
const registry = loadRegistry(config.circuitsDir, config.keysDir);
const keeper = await Keeper.open();
const prover = await createLocalProver(registry);
await ensureSingleThreadedCurve();
const circuit = registry.get("range");
const bundles: ProofBundle[] = [];
for (let i = 0; i < BATCH; i++) {
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

/** The native pairing alone: pairingCheck on the key's (alpha, beta), (alpha, gamma), (alpha, delta),
 * i.e. three G2 subgroup tests and preparations, a 3-pair Miller loop and one final exponentiation. */
function pairingCheckRate(): { perSecond: number; cpuMs: number } | null {
  const addon = nativePairing();
  if (!addon) return null;
  const pairs = keyPairingInput(circuit.verificationKey);
  addon.pairingCheck(pairs);
  const started = performance.now(), cpu = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) addon.pairingCheck(pairs);
  const used = process.cpuUsage(cpu);
  return { perSecond: ROUNDS / ((performance.now() - started) / 1000), cpuMs: (used.user + used.system) / 1000 / ROUNDS };
}
const pairingAlone = pairingCheckRate();

/** Batches of BATCH bundles per second, after one warm-up batch that must be all valid. */
async function batchRate(label: string, verify: (all: ProofBundle[]) => Promise<boolean[]>): Promise<number> {
  if (!(await verify(bundles)).every(Boolean)) throw new Error(`${label}: a valid bundle failed`);
  const started = performance.now();
  for (let i = 0; i < BATCH_ROUNDS; i++) await verify(bundles);
  return BATCH_ROUNDS / ((performance.now() - started) / 1000);
}
const oneByOne = await batchRate("verifyBundle one by one", async (all) => {
  const verdicts: boolean[] = [];
  for (const b of all) verdicts.push((await verifyBundle(b, options)).valid);
  return verdicts;
});
const batched = await batchRate("verifyBundles", async (all) => (await verifyBundles(all, options)).map((r) => r.valid));

console.log(`verify, range circuit, ${ROUNDS} verifications each, one thread`);
console.log(`  snarkjs.groth16.verify        ${plain.toFixed(1).padStart(8)} /s`);
console.log(`  verifyBundle snarkjs          ${ours.toFixed(1).padStart(8)} /s`);
console.log(`  verifyBundle native           ${native === null ? "  (addon not built)" : `${native.toFixed(1).padStart(8)} /s`}`);
console.log(`  ratio verifyBundle snarkjs/plain  ${(ours / plain).toFixed(3).padStart(7)}`);
if (native !== null) console.log(`  ratio verifyBundle native/snarkjs ${(native / ours).toFixed(2).padStart(7)}`);
if (pairingAlone !== null) console.log(`  native pairingCheck, 3 pairs   ${pairingAlone.perSecond.toFixed(1).padStart(8)} /s  ${pairingAlone.cpuMs.toFixed(3).padStart(7)} ms CPU each`);
console.log(`batch of ${BATCH} bundles, range circuit, ${BATCH_ROUNDS} batches each, one thread (the pairing native when built)`);
console.log(`  verifyBundle one by one  ${(oneByOne * BATCH).toFixed(1).padStart(7)} bundles/s  ${(1000 / oneByOne).toFixed(1).padStart(7)} ms/batch`);
console.log(`  verifyBundles (batch)    ${(batched * BATCH).toFixed(1).padStart(7)} bundles/s  ${(1000 / batched).toFixed(1).padStart(7)} ms/batch`);
console.log(`  ratio (batch/one by one) ${(batched / oneByOne).toFixed(2).padStart(7)}  (target >= 3)`);
keeper.close();
await prover.close();
