// G3: hostile bodies over real HTTP (fast-check JSON values, byte mutations,
// deep nesting, surrogates, duplicate keys, oversize): never a 500, always
// problem+json for errors, no exits, no unhandled rejections. Plus the JSON
// edge table of reliability.md §b 1-9. (Validation cost is timing: bench/validation-cost.ts.)
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { startTestService, type TestService } from "../fixtures/service.js";

const SLOW = process.env.SLOW_TESTS === "1";
let t: TestService;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  t = await startTestService({ proofsPerMinutePerKey: 1e9, proofsPerMinutePerIp: 1e9, verifiesPerMinutePerKey: 1e9, verifiesPerMinutePerIp: 1e9 });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await t?.close();
});

const validBody = () => JSON.stringify({ circuit: "range", data: { a: [1, "x"] }, inputs: rangeInputs(5n) });

function nested(depth: number): string {
  return '{"circuit":"range","inputs":{},"data":' + "[".repeat(depth) + "]".repeat(depth) + "}";
}

const bodyArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? "null")) },
  { weight: 2, arbitrary: fc.record({ circuit: fc.oneof(fc.constant("range"), fc.string()), data: fc.jsonValue(), inputs: fc.dictionary(fc.string(), fc.jsonValue()) }).map((v) => Buffer.from(JSON.stringify(v))) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("flip", "insert", "delete")), { minLength: 1, maxLength: 4 })).map(([, edits]) => {
      const bytes = [...Buffer.from(validBody())];
      for (const [at, byte, op] of edits) {
        const i = at % bytes.length;
        if (op === "flip") bytes[i] = byte;
        else if (op === "insert") bytes.splice(i, 0, byte);
        else bytes.splice(i, 1);
      }
      return Buffer.from(bytes);
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(2, 65, 66, 67, 2_000, 100_000).map((d) => Buffer.from(nested(d))) },
  { weight: 1, arbitrary: fc.constantFrom('"\\ud800"', '"\\udc00x"', '{"\\ud800":1}', '"\\ud83d\\ude00"').map((s) => Buffer.from(`{"circuit":"range","inputs":{},"data":${s}}`)) },
  { weight: 1, arbitrary: fc.constantFrom('{"a":1,"a":2}', '{"circuit":"range","circuit":"range","data":1,"inputs":{}}', '{"x":{"k":1,"k":1}}').map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 200_000 }).map((n) => Buffer.from(`{"circuit":"range","inputs":{},"data":"${"x".repeat(n)}"}`)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
);

describe("fuzzed bodies (G3)", () => {
  it(`answers ${SLOW ? 50_000 : 5_000} hostile bodies without a 500 or a non-problem error`, async () => {
    const runs = SLOW ? 50_000 : 5_000;
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    const bodies = fc.sample(bodyArbitrary, { numRuns: runs, seed });
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const path = i % 3 === 0 ? "/v1/verify" : "/v1/proofs";
        const r = await t.request("POST", path, { raw: bodies[i]! });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500 && r.status !== 503) bad.push(`${r.status} ${r.text.slice(0, 120)}`);
        if (r.status >= 400 && !r.type.startsWith("application/problem+json")) bad.push(`non-problem ${r.status} ${r.type}`);
        if (r.status >= 400 && typeof r.body?.code !== "string") bad.push(`uncoded ${r.status}`);
      }
    }));
    expect(bad, `seed ${seed}`).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(runs);
    expect(unhandled).toEqual([]);
    expect((await t.request("GET", "/healthz", { key: null })).status).toBe(200);
  });
});

describe("JSON edge cases", () => {
  it.each([
    ["not JSON", "{nope", 400, "invalid-request"],
    ["truncated JSON", '{"circuit":"range"', 400, "invalid-request"],
    ["empty body", "", 400, "invalid-request"],
    ["null body", "null", 400, "invalid-request"],
    ["array body", "[]", 400, "invalid-request"],
    ["number body", "7", 400, "invalid-request"],
    ["depth 2,000", nested(2_000), 400, "invalid-request"],
    ["depth 30,000 (within the size limit)", nested(30_000), 400, "invalid-request"],
    ["depth 100,000 (200 KB: over the size limit)", nested(100_000), 413, "payload-too-large"],
    ["lone surrogate", '{"circuit":"range","inputs":{},"data":"\\ud800"}', 400, "invalid-request"],
    ["duplicate keys", '{"circuit":"range","data":{"a":1,"a":2},"inputs":{}}', 400, "invalid-request"],
    ["unsafe integer", '{"circuit":"range","data":9007199254740993,"inputs":{}}', 400, "invalid-request"],
    ["1e400", '{"circuit":"range","data":1e400,"inputs":{}}', 400, "invalid-request"],
    ["mode fast", JSON.stringify({ circuit: "range", data: 1, inputs: {}, mode: "fast" }), 400, "invalid-request"],
    ["circuit 7", JSON.stringify({ circuit: 7, data: 1, inputs: {} }), 400, "invalid-request"],
    ["extra member", JSON.stringify({ circuit: "range", data: 1, inputs: {}, x: 1 }), 400, "invalid-request"],
    ["path-like circuit", JSON.stringify({ circuit: "../../etc/passwd", data: 1, inputs: {} }), 404, "unknown-circuit"],
    ["input r", JSON.stringify({ circuit: "range", data: 1, inputs: { ...rangeInputs(), salt: "21888242871839275222246405745257275088548364400416034343698204186575808495617" } }), 422, "input-out-of-field"],
    ["input 0x03", JSON.stringify({ circuit: "range", data: 1, inputs: { ...rangeInputs(), salt: "0x03" } }), 422, "input-out-of-field"],
    ["input number", JSON.stringify({ circuit: "range", data: 1, inputs: { ...rangeInputs(), salt: 3 } }), 400, "invalid-request"],
    ["body over 64 KiB", `{"circuit":"range","inputs":{},"data":"${"x".repeat(70_000)}"}`, 413, "payload-too-large"],
  ])("%s", async (_name, raw, status, code) => {
    const signaturesBefore = t.service.prover.keeper.info().signaturesUsed;
    const submitted = t.service.prover.pool.stats().submitted;
    const r = await t.request("POST", "/v1/proofs", { raw });
    expect(r.status).toBe(status);
    expect(r.body.code).toBe(code);
    expect(t.service.prover.pool.stats().submitted).toBe(submitted);
    expect(t.service.prover.keeper.info().signaturesUsed).toBe(signaturesBefore);
  });

  it("answers 415 for other media types", async () => {
    const r = await t.request("POST", "/v1/proofs", { raw: validBody(), contentType: "text/plain" });
    expect(r.status).toBe(415);
    expect(r.body.code).toBe("unsupported-media-type");
  });

  it("keeps __proto__ as plain data and leaves Object.prototype alone", async () => {
    const raw = '{"circuit":"range","data":{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}},"inputs":' + JSON.stringify(rangeInputs()) + "}";
    const r = await t.request("POST", "/v1/proofs", { raw });
    expect(r.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
