// Gas of one on-chain verification: the verifier `dourada export-solidity`
// writes, compiled by solc and run in @ethereumjs/evm, on real bundles of each circuit.
// Run: npm run bench:gas
import { randomUUID } from "node:crypto";
import { loadRegistry } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { Keeper } from "../src/keeper/index.js";
import { assembleBundle } from "../src/pipeline/index.js";
import { createLocalProver } from "../src/prover/index.js";
import { toSolidityCalldata, type ProofBundle } from "../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../test/fixtures/circuit-inputs.js";
import { compileVerifiers, deployVerifier, encodeVerifyProof, exportSolidity, solcVersion } from "../test/fixtures/evm.js";

const PER_CIRCUIT = 4;
const config = loadConfig();
const registry = loadRegistry(config.circuitsDir, config.keysDir);
const keeper = await Keeper.open();
const prover = await createLocalProver(registry);
const inputsFor = async (id: string): Promise<object> => (id === "range" ? rangeInputs() : membershipInputs());

/** EIP-2028 calldata gas: 4 per zero byte, 16 per other byte. */
function calldataGas(data: Uint8Array): bigint {
  return data.reduce((sum, byte) => sum + (byte === 0 ? 4n : 16n), 0n);
}

const ids = ["range", "membership"];
const sources = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await exportSolidity(config.projectDir, id)] as const)));
const compiled = compileVerifiers(sources);
const rows: string[] = [];
let hardfork = "";
for (const id of ids) {
  const verifier = await deployVerifier(compiled[id]!);
  hardfork = verifier.hardfork;
  const gas: bigint[] = [];
  let txData: Uint8Array = new Uint8Array();
  for (let i = 0; i < PER_CIRCUIT; i++) {
    const ticket = keeper.anchorFor(randomUUID(), id, { bench: i });
    const bundle: ProofBundle = assembleBundle(ticket, registry.get(id), await prover.prove(id, ticket.anchor, await inputsFor(id)));
    const calldata = toSolidityCalldata(bundle);
    const { valid, gasUsed } = await verifier.verifyProof(calldata);
    if (!valid) throw new Error(`${id}: a service bundle was refused on-chain`);
    gas.push(gasUsed);
    txData = encodeVerifyProof(compiled[id]!.selector, calldata);
  }
  const [min, max] = [gas.reduce((a, b) => (a < b ? a : b)), gas.reduce((a, b) => (a > b ? a : b))];
  const total = 21_000n + calldataGas(txData) + max;
  const nPublic = registry.get(id).verificationKey.nPublic;
  rows.push(`  ${id.padEnd(11)}${String(nPublic).padStart(8)}${(min === max ? String(min) : `${min}-${max}`).padStart(16)}${String(calldataGas(txData)).padStart(10)}${String(total).padStart(11)}${String(verifier.deployGas).padStart(12)}`);
}

console.log(`Groth16 verifyProof gas, snarkjs verifier template, solc ${solcVersion()}, EVM ${hardfork}, ${PER_CIRCUIT} bundles per circuit`);
console.log(`  ${"circuit".padEnd(11)}${"signals".padStart(8)}${"execution".padStart(16)}${"calldata".padStart(10)}${"tx total".padStart(11)}${"deploy".padStart(12)}`);
for (const row of rows) console.log(row);
console.log("  execution: gas the call used; tx total adds the 21000 base and EIP-2028 calldata gas");
keeper.close();
await prover.close();
