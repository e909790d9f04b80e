// The `credential` circuit over HTTP: an issuer signs an attribute (EdDSA-
// Poseidon over BabyJubJub, circomlibjs), the holder proves attribute >=
// threshold; a tampered attribute, another issuer's key or a false predicate
// is `constraint-unsatisfied`, and the attribute, subject and signature never
// appear in logs, the audit log or any response.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialInputs, issuerPublicKey, newIssuerKey, signCredential, type IssuerPublicKey, type SignedCredential } from "../../src/circuits/input-helpers.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { randomField } from "../fixtures/circuit-inputs.js";
import { startTestService, type TestService } from "../fixtures/service.js";

// Distinctive values (not a timestamp or a counter), so a scan for them cannot match by chance.
const ATTRIBUTE = 7_123_456_789_012_345_678n;
const THRESHOLD = 7_000_000_000_000_000_000n;

let t: TestService;
let issuer: IssuerPublicKey;
let otherIssuer: IssuerPublicKey;
let credential: SignedCredential;
const responses: string[] = [];

async function prove(inputs: Record<string, string>) {
  const response = await t.request("POST", "/v1/proofs", { body: { circuit: "credential", data: { check: "credential" }, inputs } });
  responses.push(response.text);
  return response;
}

beforeAll(async () => {
  t = await startTestService({ threads: 1 });
  const key = newIssuerKey();
  const otherKey = newIssuerKey();
  issuer = await issuerPublicKey(key);
  otherIssuer = await issuerPublicKey(otherKey);
  credential = await signCredential(key, randomField(), ATTRIBUTE);
  key.fill(0);
  otherKey.fill(0);
});
afterAll(async () => {
  await t?.close();
});

describe("credential", () => {
  it("proves a signed attribute above a public threshold; the bundle verifies and reveals only key, threshold and anchor", async () => {
    const response = await prove(credentialInputs(credential, issuer, THRESHOLD));
    expect(response.status).toBe(200);
    const bundle = response.body;
    expect(bundle.publicSignals).toEqual([issuer.issuerAx, issuer.issuerAy, THRESHOLD.toString(), bundle.anchor]);
    const verificationKey = (await t.request("GET", "/v1/circuits/credential/verification-key")).body;
    expect((await verifyBundle(bundle, { verificationKey, anchorIndex: 3 })).valid).toBe(true);
  });

  it.each([
    ["a tampered attribute", () => credentialInputs({ ...credential, attribute: (ATTRIBUTE + 1n).toString() }, issuer, THRESHOLD)],
    ["another issuer's key", () => credentialInputs(credential, otherIssuer, THRESHOLD)],
    ["a false predicate (threshold above the attribute)", () => credentialInputs(credential, issuer, ATTRIBUTE + 1n)],
  ])("refuses %s with constraint-unsatisfied", async (_name, inputs) => {
    const response = await prove(inputs());
    expect([response.status, response.body.code]).toEqual([422, "constraint-unsatisfied"]);
  });

  it("keeps the attribute, subject and signature out of logs, the audit log and responses", () => {
    expect(responses.length).toBe(4);
    const audit = readFileSync(join(t.keysDir, "audit.log"), "utf8");
    const seen = [...t.logs, audit, ...responses].join("\n");
    for (const secret of [ATTRIBUTE.toString(), (ATTRIBUTE + 1n).toString(), credential.subject, credential.S, credential.R8x]) {
      expect(seen.includes(secret), secret).toBe(false);
    }
  });

  it("refuses an attribute of 2^64 or more at signing, as the circuit's comparison needs", async () => {
    await expect(signCredential(newIssuerKey(), "1", 1n << 64n)).rejects.toMatchObject({ code: "input-out-of-field" });
  });
});
