// verifyBundle with the native pairing against verifyBundle on snarkjs (DOURADA_NATIVE_VERIFY=0):
// identical results for >= 10,000 bundles (valid ones, every mutation class, cross-bundle swaps
// and random mutations, many of them reaching the pairing), a twist point outside the order-r
// subgroup refused with a reason naming the subgroup, and the loader's gate and switch.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentEpochBindingCheck } from "../../src/pipeline/index.js";
import { nativePairing, PAIRING_SELF_TEST_SHA256 } from "../../src/verifier/native-pairing.js";
import { PAIRING_FAILED } from "../../src/verifier/native-verify.js";
import { ensureSingleThreadedCurve, verifyBundle, type ProofBundle, type VerifyResult } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { createIssuer, type Issuer } from "../fixtures/issue.js";
import { MUTATIONS, mutate, twistPointOutsideSubgroup } from "../fixtures/mutations.js";
import { addon, concat, le, missingReason } from "./addon.js";
import { Q } from "./bigint-curve.js";

type Json = any; // mutated bundles deliberately break the type
type Curve = Record<string, any>;
let issuer: Issuer;
let bundles: ProofBundle[];
let curve: Curve;

function optionsFor(bundle: ProofBundle) {
  const circuit = issuer.registry.get(bundle.circuit.id === "membership" ? "membership" : "range");
  return { verificationKey: circuit.verificationKey, expectedFingerprint: circuit.vkeyFingerprint, anchorIndex: circuit.anchorIndex, checkBinding: currentEpochBindingCheck(issuer.keeper) };
}

async function verifyWith(native: boolean, bundle: unknown, options = optionsFor(bundle as ProofBundle)): Promise<VerifyResult> {
  process.env.DOURADA_NATIVE_VERIFY = native ? "1" : "0";
  try {
    return await verifyBundle(bundle, options);
  } finally {
    delete process.env.DOURADA_NATIVE_VERIFY;
  }
}

const g1Json = (p: Uint8Array): string[] => { const [x, y] = curve.G1.toObject(curve.G1.toAffine(p)); return [String(x), String(y), "1"]; };

// Random edits beyond the fixed classes; about half of them keep every encoding valid and reach the pairing.
const RANDOM_EDITS: ((b: Json, k: bigint, i: number) => void)[] = [
  (b, k) => { b.proof.pi_a = g1Json(curve.G1.timesScalar(curve.G1.g, k)); },                      // on the curve, wrong
  (b, k) => { b.proof.pi_c = g1Json(curve.G1.timesScalar(curve.G1.fromObject(b.proof.pi_c.map(BigInt)), k)); },
  (b, k, i) => { const j = i % b.publicSignals.length; if (b.publicSignals[j] !== b.anchor) b.publicSignals[j] = String(k); },
  (b, k, i) => { b.proof.pi_a[i % 2] = String(k % Q); },                                             // almost surely off the curve
  (b, k, i) => { b.proof.pi_b[i % 2][(i >> 1) % 2] = String(k % Q); },
  (b, _k, i) => { const m = MUTATIONS[i % MUTATIONS.length]!; m.apply(b, i); },
];

describe.skipIf(!addon)(`native pairing in verifyBundle ${missingReason}`, () => {
  beforeAll(async () => {
    curve = (await ensureSingleThreadedCurve()) as Curve;
    issuer = await createIssuer();
    bundles = [];
    for (let i = 0; i < 5; i++) bundles.push(await issuer.issue("range", rangeInputs(20n + BigInt(i)), { i }));
    bundles.push(await issuer.issue("membership", await membershipInputs(), { member: 1 }));
    bundles.push(await issuer.issue("membership", await membershipInputs(), { member: 2 }));
  });
  afterAll(async () => { await issuer?.close(); });

  it("loads: the addon's e(G1, G2) is snarkjs's (the loader's known answer)", () => {
    // Gt.toObject lists the 12 Fq coefficients in the tower order the addon writes them in.
    const theirs = (curve.Gt.toObject(curve.pairing(curve.G1.g, curve.G2.g)) as bigint[][][]).flat(2);
    expect(createHash("sha256").update(concat(theirs.map((c) => le(c)))).digest("hex")).toBe(PAIRING_SELF_TEST_SHA256);
    expect(nativePairing()).not.toBeNull();
    process.env.DOURADA_NATIVE_VERIFY = "0";
    expect(nativePairing()).toBeNull();
    delete process.env.DOURADA_NATIVE_VERIFY;
  });

  it("refuses a B on the twist but outside the order-r subgroup, naming the subgroup; snarkjs accepts the encoding", async () => {
    const outside = await twistPointOutsideSubgroup();
    const point = curve.G2.fromObject(outside.slice(0, 2).map((c) => c.map(BigInt)));
    expect(curve.G2.isValid(point)).toBe(true);  // snarkjs's own point check lets it through
    const bundle = structuredClone(bundles[0]!) as Json;
    bundle.proof.pi_b = outside;
    const native = await verifyWith(true, bundle);
    expect(native.valid).toBe(false);
    expect(native.reason).toMatch(/order-r subgroup/);
    expect(await verifyWith(false, bundle)).toEqual(native);
  });

  it("the CLI (dist) gives the same output with the addon and without it (a missing file), and exits on its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dourada-native-verify-"));
    try {
      const tampered = structuredClone(bundles[0]!);
      tampered.publicSignals[0] = "12345";
      const range = issuer.registry.get("range");
      const vkey = range.paths.vkey;
      for (const [name, bundle] of [["good", bundles[0]!], ["tampered", tampered]] as const) {
        writeFileSync(join(dir, `${name}.json`), JSON.stringify(bundle));
        const cli = (env: NodeJS.ProcessEnv) =>
          promisify(execFile)(process.execPath, ["bin/dourada.js", "verify", join(dir, `${name}.json`), "--vkey", vkey, "--anchor-index", String(range.anchorIndex), "--fingerprint", range.vkeyFingerprint, "--json"], { env, timeout: 60_000 })
            .then((r) => r.stdout, (e: { code: number; stdout: string }) => `exit ${e.code}: ${e.stdout}`);
        const withAddon = await cli(process.env);
        expect(withAddon).toBe(await cli({ ...process.env, DOURADA_NATIVE_ADDON: join(dir, "missing.node") }));
        expect(withAddon).toContain(name === "good" ? '"valid":true' : "pairing check failed");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("agrees with snarkjs on >= 10,000 bundles: valid, every mutation class, swaps, random edits", async () => {
    const cases: unknown[] = [];
    for (let round = 0; round < 6; round++) cases.push(...bundles);
    for (const b of bundles) for (const m of MUTATIONS) for (let pick = 0; pick < 6; pick++) cases.push(mutate(b, m, pick * 7919 + 1));
    for (const a of bundles) for (const b of bundles) {
      if (a === b) continue;
      cases.push({ ...structuredClone(a), proof: { ...structuredClone(a.proof), pi_b: structuredClone(b.proof.pi_b) } });
      cases.push({ ...structuredClone(a), proof: { ...structuredClone(b.proof) } });
    }
    // One random edit in eight keeps the encodings valid (3 of 24 draws): enough pairing-reaching
    // cases without paying a snarkjs pairing for most of the 10,000.
    const edit = fc.nat({ max: 23 }).map((n) => (n < 3 ? n : 3 + (n % 3)));
    const random = fc.sample(fc.record({ bundle: fc.nat({ max: bundles.length - 1 }), edit, k: fc.bigInt({ min: 2n, max: Q - 1n }), i: fc.nat({ max: 1 << 20 }) }), { numRuns: 10_000 - cases.length, seed: 20261123 });
    for (const { bundle, edit, k, i } of random) {
      const copy = structuredClone(bundles[bundle]!) as Json;
      RANDOM_EDITS[edit]!(copy, k, i);
      cases.push(copy);
    }
    expect(cases.length).toBeGreaterThanOrEqual(10_000);
    let valid = 0, pairing = 0;
    for (const bundle of cases) {
      const native = await verifyWith(true, bundle);
      expect(await verifyWith(false, bundle), JSON.stringify(bundle)).toEqual(native);
      if (native.valid) valid++;
      if (native.checks.proof || native.reason === PAIRING_FAILED) pairing++;  // the pairing itself ran
    }
    expect(valid).toBeGreaterThanOrEqual(6 * bundles.length);
    expect(pairing).toBeGreaterThanOrEqual(1_500);
  }, 1_800_000);
});
