// The baseline for bench/load.ts: a plain koa server that answers each POST
// {circuit, inputs} with snarkjs.groth16.fullProve (snarkjs defaults, no
// pool, no checks, no signing), for any of this project's circuits.
import { createServer } from "node:http";
import Koa from "koa";
import * as snarkjs from "snarkjs";
import { loadRegistry, validateInputs, withAnchor } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";

const config = loadConfig();
const registry = loadRegistry(config.circuitsDir, config.keysDir);
const app = new Koa();
app.use(async (ctx) => {
  let text = "";
  for await (const chunk of ctx.req) text += chunk;
  const body = JSON.parse(text) as { circuit: string; inputs: Record<string, string> };
  const circuit = registry.get(body.circuit);
  const input = withAnchor(circuit.manifest, validateInputs(circuit.manifest, body.inputs), 12345n);
  ctx.body = await snarkjs.groth16.fullProve(input, circuit.paths.wasm, circuit.paths.zkey);
});
const server = createServer(app.callback()).listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});
