// What sealing costs per request, side by side in one run: the client's seal
// and the keeper's open (ML-KEM-768 + HKDF + XChaCha20-Poly1305 + I-JSON parse)
// against the strict parse plain inputs get anyway, and against the ML-DSA-65
// signature every proof pays. Median of BENCH_SAMPLES runs (default 200).
// Run: npm run bench:sealed
import { anchorMessage, parseStrictJson } from "../src/anchor/index.js";
import { createEpoch, wipeEpoch } from "../src/keeper/epoch.js";
import { openSecretMemory } from "../src/keeper/secret-memory.js";
import { loadAnchorSigner } from "../src/keeper/anchor-signer.js";
import { openSealed } from "../src/keeper/sealed-opening.js";
import { sealInputs, toBase64Url } from "../src/sealing/index.js";
import { defaultAddonPath } from "../src/prover/index.js";
import { benchInputs } from "./inputs.js";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);

function medianUs(work: () => unknown): number {
  const runs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = process.hrtime.bigint();
    work();
    runs.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

// The keeper's own memory (locked when the addon loads), as in the service.
const memory = openSecretMemory(defaultAddonPath() ?? null);
const epoch = createEpoch("ml-dsa-65", Date.now(), memory);
const key = { epoch: epoch.id, publicKey: toBase64Url(epoch.kemPublicKey) };
const payload = new TextEncoder().encode(`{"event":"bench"}:${Date.now()}:00112233445566778899aabbccddeeff`);
const signer = await loadAnchorSigner("ml-dsa-65");
const sign = medianUs(() => signer.sign(anchorMessage(payload), epoch.secretKey).fill(0));

console.log(`sealed inputs, median of ${SAMPLES} (µs per request; ML-DSA-65 sign: ${sign.toFixed(0)} µs)`);
console.log("  circuit       plaintext   seal (client)   open (keeper)   plain parse   open / sign");
for (const circuit of ["range", "membership"]) {
  const inputs = await benchInputs(circuit);
  const text = JSON.stringify(inputs);
  const sealed = sealInputs(key, circuit, inputs);
  const seal = medianUs(() => sealInputs(key, circuit, inputs));
  const open = medianUs(() => openSealed(epoch, circuit, sealed));
  const plain = medianUs(() => parseStrictJson(text, 8));
  console.log(`  ${circuit.padEnd(12)}${`${text.length} B`.padStart(11)}${seal.toFixed(0).padStart(16)}${open.toFixed(0).padStart(16)}${plain.toFixed(1).padStart(14)}${(open / sign).toFixed(2).padStart(13)}x`);
}
wipeEpoch(epoch, memory);
signer.erase();
