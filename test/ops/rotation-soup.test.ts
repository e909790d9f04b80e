// G10, after Vault's TestPolicyFuzzing: N clients for T seconds randomly
// prove, verify, rotate, freeze and unfreeze against the real server, with a
// signature limit of 10 per epoch. Every proof ends done, epoch-rotated or
// (while frozen) frozen; nothing else. Every bundle verifies as a proof, and
// no epoch ever signs more than 10 times.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyBundle, type ProofBundle } from "../../src/verifier/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { adminCall } from "../fixtures/process.js";
import { startTestService, type TestService } from "../fixtures/service.js";

const SLOW = process.env.SLOW_TESTS === "1";
const CLIENTS = SLOW ? 32 : 8;
const SECONDS = SLOW ? 120 : 20;
type Op = "prove" | "verify" | "rotate" | "freeze" | "unfreeze";

let t: TestService;
beforeAll(async () => {
  t = await startTestService({
    epochSignatureLimit: 10,
    maxQueue: 64,
    proofsPerMinutePerKey: 1e9, proofsPerMinutePerIp: 1e9, verifiesPerMinutePerKey: 1e9, verifiesPerMinutePerIp: 1e9,
  });
});
afterAll(() => t?.close());

describe(`rotation under load (${CLIENTS} clients x ${SECONDS} s)`, () => {
  it("ends every job done or epoch-rotated (or frozen), never anything else", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    const opArbitrary = fc.constantFrom<Op>("prove", "prove", "prove", "prove", "verify", "verify", "rotate", "freeze", "unfreeze");
    const plans = fc.sample(fc.array(opArbitrary, { minLength: 2_000, maxLength: 2_000 }), { numRuns: CLIENTS, seed });
    const bundles: ProofBundle[] = [];
    const outcomes = new Map<string, number>();
    const unexpected: string[] = [];
    let maxSignatures = 0;
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    const until = Date.now() + SECONDS * 1000;
    const admin = t.service.admin!;

    await Promise.all(plans.map(async (plan) => {
      for (const op of plan) {
        if (Date.now() > until) return;
        maxSignatures = Math.max(maxSignatures, t.service.prover.keeper.info().signaturesUsed);
        if (op === "prove") {
          const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: { op }, inputs: rangeInputs() } });
          const code = r.status === 200 ? "done" : r.body.code;
          count(`prove:${code}`);
          if (r.status === 200) bundles.push(r.body);
          else if (!["epoch-rotated", "frozen"].includes(code)) unexpected.push(`prove ${r.status} ${code}`);
        } else if (op === "verify") {
          const bundle = bundles[bundles.length - 1];
          if (!bundle) continue;
          const r = await t.request("POST", "/v1/verify", { body: { bundle }, key: t.keys.verifier });
          count("verify");
          if (r.status !== 200 || r.body.checks.proof !== true) unexpected.push(`verify ${r.status} ${JSON.stringify(r.body).slice(0, 100)}`);
        } else {
          const r = await adminCall(admin, "POST", `/admin/${op}`, t.keys.operator, op === "freeze" ? { reason: "soup" } : undefined);
          count(op);
          if (r.status !== 200) unexpected.push(`${op} ${r.status}`);
        }
      }
    }));

    expect(unexpected, `seed ${seed}`).toEqual([]);
    expect(outcomes.get("prove:done") ?? 0).toBeGreaterThan(0);
    expect((outcomes.get("rotate") ?? 0) + (outcomes.get("freeze") ?? 0)).toBeGreaterThan(0);
    expect(maxSignatures).toBeLessThanOrEqual(10);
    const perEpoch = new Map<string, number>();
    for (const b of bundles) perEpoch.set(b.epoch, (perEpoch.get(b.epoch) ?? 0) + 1);
    expect(Math.max(...perEpoch.values())).toBeLessThanOrEqual(10);
    const circuit = t.service.prover.registry.get("range");
    for (const bundle of bundles) {
      const result = await verifyBundle(bundle, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex });
      expect(result.valid).toBe(true);
    }
  });
});
