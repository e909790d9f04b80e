// G10, after Vault's TestPolicyFuzzing: N clients for T seconds randomly
// prove, verify, rotate, freeze and unfreeze against the real server, with a
// signature limit of 10 per epoch. Every proof ends done, epoch-rotated or
// (while frozen) frozen; nothing else. Every bundle verifies as a proof. The
// limit is what rotates: operator rotations are rare enough that epochs run
// into it, each signature is counted from the audit log (one prove entry
// with its epoch per signature), no epoch has more than 10, and every
// "signature limit reached" rotation left an epoch with exactly 10.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyBundle, type ProofBundle } from "../../src/verifier/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { adminCall } from "../fixtures/process.js";
import { startTestService, type TestService } from "../fixtures/service.js";

const SLOW = process.env.SLOW_TESTS === "1";
const CLIENTS = SLOW ? 32 : 8;
const SECONDS = SLOW ? 120 : 20;
const LIMIT = 10;
type Op = "prove" | "verify" | "rotate" | "freeze" | "unfreeze";

let t: TestService;
beforeAll(async () => {
  t = await startTestService({
    epochSignatureLimit: LIMIT,
    maxQueue: 64,
    proofsPerMinutePerKey: 1e9, proofsPerMinutePerIp: 1e9, verifiesPerMinutePerKey: 1e9, verifiesPerMinutePerIp: 1e9,
  });
});
afterAll(() => t?.close());

describe(`rotation under load (${CLIENTS} clients x ${SECONDS} s)`, () => {
  it("ends every job done or epoch-rotated (or frozen), never anything else", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    // One operator rotation in ~23 operations against ~16 proofs, frozen about a third of the time: epochs reach the limit.
    const weighted: Array<[Op, number]> = [["prove", 16], ["verify", 3], ["rotate", 1], ["freeze", 1], ["unfreeze", 2]];
    const opArbitrary = fc.constantFrom<Op>(...weighted.flatMap(([op, weight]) => Array<Op>(weight).fill(op)));
    const plans = fc.sample(fc.array(opArbitrary, { minLength: 2_000, maxLength: 2_000 }), { numRuns: CLIENTS, seed });
    const bundles: ProofBundle[] = [];
    const outcomes = new Map<string, number>();
    const unexpected: string[] = [];
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    const until = Date.now() + SECONDS * 1000;
    const admin = t.service.admin!;

    await Promise.all(plans.map(async (plan) => {
      for (const op of plan) {
        if (Date.now() > until) return;
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

    // However the soup fell, eleven signatures in a row cross the limit at least once.
    expect((await adminCall(admin, "POST", "/admin/unfreeze", t.keys.operator)).status).toBe(200);
    for (let i = 0; i < LIMIT + 1; i++) {
      const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: { tail: i }, inputs: rangeInputs() } });
      expect(r.status).toBe(200);
      bundles.push(r.body);
    }

    const signatures = new Map<string, number>();
    for (const line of readFileSync(join(t.keysDir, "audit.log"), "utf8").split("\n").filter(Boolean)) {
      const entry = JSON.parse(line) as { route: string; epoch?: string };
      if (entry.route === "prove" && entry.epoch) signatures.set(entry.epoch, (signatures.get(entry.epoch) ?? 0) + 1);
    }
    expect(Math.max(...signatures.values())).toBe(LIMIT);
    const limitRotations = t.logs
      .map((l) => JSON.parse(l) as { event?: string; from?: string; reason?: string })
      .filter((l) => l.event === "epoch-rotated" && l.reason === "signature limit reached");
    expect(limitRotations.length).toBeGreaterThan(0);
    for (const rotation of limitRotations) expect(signatures.get(rotation.from!), `epoch ${rotation.from}`).toBe(LIMIT);
    for (const b of bundles) expect(signatures.get(b.epoch)).toBeLessThanOrEqual(LIMIT);
    const circuit = t.service.prover.registry.get("range");
    for (const bundle of bundles) {
      const result = await verifyBundle(bundle, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex });
      expect(result.valid).toBe(true);
    }
  });
});
