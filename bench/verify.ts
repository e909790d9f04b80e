// Verifications per second: dourada's verifyBundle (all checks) next to a bare
// snarkjs.groth16.verify on the same proofs, and verifyBundles on 32 at once next
// to verifyBundle on the same 32 one by one; same single-threaded curve, one run.
// Run: npm run bench:verify
import { randomUUID } from "node:crypto";
import * as snarkjs from "snarkjs";
import { loadRegistry } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { Keeper } from "../src/keeper/index.js";
import { assembleBundle } from "../src/pipeline/index.js";
import { createLocalProver } from "../src/prover/index.js";
import { ensureSingleThreadedCurve, verifyBundle, verifyBundles, type ProofBundle } from "../src/verifier/index.js";

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
const keeper = new Keeper();
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
const ours = await rate("verifyBundle", bundles, async (b) => (await verifyBundle(b, options)).valid);

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
console.log(`  snarkjs.groth16.verify   ${plain.toFixed(1).padStart(7)} /s`);
console.log(`  dourada verifyBundle     ${ours.toFixed(1).padStart(7)} /s`);
console.log(`  ratio (dourada/snarkjs)  ${(ours / plain).toFixed(3).padStart(7)}`);
console.log(`batch of ${BATCH} bundles, range circuit, ${BATCH_ROUNDS} batches each, one thread`);
console.log(`  verifyBundle one by one  ${(oneByOne * BATCH).toFixed(1).padStart(7)} bundles/s  ${(1000 / oneByOne).toFixed(1).padStart(7)} ms/batch`);
console.log(`  verifyBundles (batch)    ${(batched * BATCH).toFixed(1).padStart(7)} bundles/s  ${(1000 / batched).toFixed(1).padStart(7)} ms/batch`);
console.log(`  ratio (batch/one by one) ${(batched / oneByOne).toFixed(2).padStart(7)}  (target >= 3)`);
keeper.close();
await prover.close();
