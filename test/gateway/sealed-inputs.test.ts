// Sealed inputs over real HTTP (issue 12 item 8), with the keeper in its own
// thread and in its own process: a sealed request proves (sync, async, dry
// run) for both circuits; one sealed to a rotated epoch answers epoch-rotated
// and a tampered one invalid-request, neither spending a signature; and the
// request logs, the audit log, every response and a heap snapshot of the
// gateway's isolate hold no copy of a plaintext input value. The values are
// distinctive and kept by the test only as bytes, so that the test itself
// leaves no string of them in the heap it scans.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { membershipRoot } from "../../src/circuits/input-helpers.js";
import { fromBase64Url, sealInputs, toBase64Url, type SealedInputs } from "../../src/sealing/index.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { randomField } from "../fixtures/circuit-inputs.js";
import { expectDocumented } from "../fixtures/openapi.js";
import { adminCall } from "../fixtures/process.js";
import { heapSnapshotStrings } from "../fixtures/secret-scan.js";
import { startTestService, type TestService } from "../fixtures/service.js";

/** Private input values, as bytes (ASCII digits): needles for the scans. */
const needles: Buffer[] = [];
const needle = (digits: string) => {
  const bytes = Buffer.from(digits, "latin1");
  needles.push(bytes);
  return bytes;
};
/** A value of 60 bits (in range for `range`, below 2^64) and a salt: both private, both distinctive. */
const rangeSecrets = () => ({ value: needle((2n ** 59n + BigInt(randomField()) % 2n ** 59n).toString()), salt: needle(randomField()) });
const membershipSecrets = () => ({ leaf: needle(randomField()), pathElements: Array.from({ length: 16 }, () => needle(randomField())) });

type Body = Record<string, unknown>;

describe.each(["thread", "process"] as const)("sealed inputs over HTTP (keeper %s)", (mode) => {
  let t: TestService;
  const responses: string[] = [];
  beforeAll(async () => {
    t = await startTestService({ threads: 1, keeper: mode, logLevel: "debug" });
  });
  afterAll(() => t?.close());

  const epoch = async () => (await t.request("GET", "/v1/epoch", { key: null })).body as { id: string; signaturesUsed: number; sealing: { publicKey: string; algorithm: string; version: string } };
  const signatures = () => t.service.prover.keeper.info().signaturesUsed;
  const post = async (body: Body) => {
    const r = await t.request("POST", "/v1/proofs", { body });
    responses.push(r.text);
    expectDocumented("POST", "/v1/proofs", r);
    return r;
  };
  /** Seals inputs built from needle bytes; the strings made here are garbage once this returns. */
  async function sealedRange(secrets = rangeSecrets(), key?: { epoch: string; publicKey: string }): Promise<SealedInputs> {
    const current = await epoch();
    const inputs = { value: secrets.value.toString("latin1"), salt: secrets.salt.toString("latin1"), min: "10", max: "18446744073709551615" };
    return sealInputs(key ?? { epoch: current.id, publicKey: current.sealing.publicKey }, "range", inputs);
  }
  async function sealedMembership(): Promise<SealedInputs> {
    const { leaf, pathElements } = membershipSecrets();
    const path = pathElements.map((e) => e.toString("latin1"));
    const pathIndices = Array.from({ length: 16 }, (_, i) => String(i % 2));
    const inputs = { leaf: leaf.toString("latin1"), pathElements: path, pathIndices, root: await membershipRoot(leaf.toString("latin1"), path, pathIndices) };
    const current = await epoch();
    return sealInputs({ epoch: current.id, publicKey: current.sealing.publicKey }, "membership", inputs);
  }

  it("publishes the epoch's ML-KEM-768 sealing key", async () => {
    const current = await epoch();
    expect(current.sealing).toMatchObject({ version: "dourada.sealed.v1", algorithm: "ml-kem-768" });
    expect(fromBase64Url(current.sealing.publicKey)).toHaveLength(1184);
  });

  it("proves from sealed inputs for both circuits, and the bundles verify", async () => {
    for (const [circuit, sealed] of [["range", await sealedRange()], ["membership", await sealedMembership()]] as const) {
      const r = await post({ circuit, data: { sealed: circuit }, sealedInputs: sealed });
      expect(r.status, r.text).toBe(200);
      const registered = t.service.prover.registry.get(circuit);
      expect((await verifyBundle(r.body, { verificationKey: registered.verificationKey, anchorIndex: registered.anchorIndex })).valid).toBe(true);
      if (circuit === "range") expect(r.body.publicSignals).toEqual(expect.arrayContaining(["10", "18446744073709551615"]));
    }
  });

  it("accepts sealed inputs in async mode and in dry runs (satisfied and not)", async () => {
    const accepted = await post({ circuit: "range", data: { sealed: "async" }, sealedInputs: await sealedRange(), mode: "async" });
    expect(accepted.status).toBe(202);
    const before = signatures();
    const satisfied = await post({ circuit: "membership", sealedInputs: await sealedMembership(), mode: "check" });
    expect(satisfied.body).toMatchObject({ satisfied: true });
    const current = await epoch();
    const low = { value: "5", salt: randomField(), min: "10", max: "100" }; // below min
    const unsatisfied = await post({ circuit: "range", sealedInputs: sealInputs({ epoch: current.id, publicKey: current.sealing.publicKey }, "range", low), mode: "check" });
    expect(unsatisfied.status).toBe(422);
    expect(unsatisfied.body.code).toBe("constraint-unsatisfied");
    expect(signatures()).toBe(before);
    // The async job finishes with a bundle like any other.
    for (;;) {
      const view = (await t.request("GET", `/v1/proofs/${accepted.body.id}`)).body;
      responses.push(JSON.stringify(view));
      if (view.status !== "pending") {
        expect(view.status).toBe("done");
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it("answers epoch-rotated for inputs sealed to a rotated epoch, without spending a signature", async () => {
    const stale = await sealedRange();
    await adminCall(t.service.admin!, "POST", "/admin/rotate", t.keys.operator);
    const rotated = await epoch();
    expect(rotated.id).not.toBe(stale.epoch);
    const before = signatures();
    const r = await post({ circuit: "range", data: { sealed: "stale" }, sealedInputs: stale });
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ code: "epoch-rotated", pointer: "/sealedInputs/epoch" });
    const unknown = await post({ circuit: "range", data: {}, sealedInputs: { ...(await sealedRange()), epoch: "00".repeat(16) } });
    expect(unknown.body).toMatchObject({ code: "epoch-rotated", pointer: "/sealedInputs/epoch" });
    expect(signatures()).toBe(before);
    expect((await epoch()).id).toBe(rotated.id);
  });

  it("answers invalid-request for tampered inputs (any part, another circuit or epoch in the AD), without spending a signature", async () => {
    const sealed = await sealedRange();
    const flip = (member: "kemCiphertext" | "nonce" | "ciphertext", at: number): SealedInputs => {
      const bytes = fromBase64Url(sealed[member])!;
      bytes[at < 0 ? bytes.length + at : at]! ^= 0x40;
      return { ...sealed, [member]: toBase64Url(bytes) };
    };
    const current = await epoch();
    const otherEpochInAad = { ...(await sealedRange(rangeSecrets(), { epoch: "ab".repeat(16), publicKey: current.sealing.publicKey })), epoch: current.id };
    const tampered: Array<[string, Body]> = [
      ["KEM ciphertext", { circuit: "range", sealedInputs: flip("kemCiphertext", 500) }],
      ["nonce", { circuit: "range", sealedInputs: flip("nonce", 0) }],
      ["ciphertext", { circuit: "range", sealedInputs: flip("ciphertext", 3) }],
      ["tag", { circuit: "range", sealedInputs: flip("ciphertext", -1) }],
      ["another circuit", { circuit: "membership", sealedInputs: sealed }],
      ["another epoch in the AD", { circuit: "range", sealedInputs: otherEpochInAad }],
    ];
    const before = signatures();
    for (const [what, body] of tampered) {
      const r = await post({ data: { tampered: what }, ...body });
      expect(r.status, what).toBe(400);
      expect(r.body, what).toMatchObject({ code: "invalid-request", pointer: "/sealedInputs", detail: "/sealedInputs: cannot be opened: altered on the way, or sealed for another circuit or epoch" });
    }
    // The untouched envelope still proves: only the changes were refused.
    expect((await post({ circuit: "range", data: {}, sealedInputs: sealed })).status).toBe(200);
    expect(signatures()).toBe(before + 1);
  });

  it("refuses both inputs and sealedInputs, neither, and malformed envelopes, naming the member", async () => {
    const sealed = await sealedRange();
    const cases: Array<[Body, string]> = [
      [{ circuit: "range", data: {}, inputs: {}, sealedInputs: sealed }, "/sealedInputs"],
      [{ circuit: "range", data: {} }, "/inputs"],
      [{ circuit: "range", data: {}, sealedInputs: "x" }, "/sealedInputs"],
      [{ circuit: "range", data: {}, sealedInputs: { ...sealed, version: "dourada.sealed.v0" } }, "/sealedInputs/version"],
      [{ circuit: "range", data: {}, sealedInputs: { ...sealed, nonce: `${sealed.nonce}=` } }, "/sealedInputs/nonce"],
    ];
    const before = signatures();
    for (const [body, pointer] of cases) {
      const r = await post(body);
      expect(r.body, pointer).toMatchObject({ code: "invalid-request", pointer });
    }
    expect(signatures()).toBe(before);
  });

  it("leaves no plaintext input value in the request logs, the audit log, any response or the gateway's heap", async () => {
    const audit = readFileSync(join(t.keysDir, "audit.log"), "utf8");
    expect(audit.split("\n").filter((line) => line.includes('"sealed":true')).length).toBeGreaterThanOrEqual(6);
    expect(t.logs.filter((line) => line.includes('"msg":"request"')).length).toBeGreaterThan(15);
    // Snapshot before the needles become strings: they would find themselves.
    const heap = await heapSnapshotStrings(15);
    expect(heap.length).toBeGreaterThan(1000);
    expect(needles.length).toBeGreaterThan(40);
    const values = needles.map((n) => n.toString("latin1"));
    const found = (texts: readonly string[]) => values.filter((v) => texts.some((text) => text.includes(v))).length;
    expect(found(t.logs)).toBe(0);
    expect(found([audit])).toBe(0);
    expect(found(responses)).toBe(0);
    expect(found(heap)).toBe(0);
    // Positive control: now that `values` holds them as strings, the same scan finds every one.
    expect(found(await heapSnapshotStrings(15))).toBe(values.length);
  });
}, 600_000);
