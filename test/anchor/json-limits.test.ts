// Caller data rules before JCS: depth, size, numbers, surrogates, prototype keys.
import { describe, expect, it } from "vitest";
import { canonicalJson, findJsonViolation } from "../../src/anchor/index.js";
import { DouradaError } from "../../src/errors.js";

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe("caller JSON limits", () => {
  it("accepts depth 64 and refuses depth 65 with invalid-request, even at 100,000 levels", () => {
    expect(findJsonViolation(nested(64))).toBeNull();
    for (const depth of [65, 2_000, 100_000]) {
      const error = (() => { try { canonicalJson(nested(depth)); } catch (e) { return e; } })();
      expect(error).toBeInstanceOf(DouradaError);
      expect((error as DouradaError).code).toBe("invalid-request");
    }
  });

  it.each([
    ["unsafe integer", { n: 9007199254740992 }],
    ["Infinity (1e400)", { n: JSON.parse("1e400") }],
    ["NaN", { n: NaN }],
    ["lone high surrogate", { s: "\ud800" }],
    ["lone low surrogate in a key", { ["\udc00"]: 1 }],
    ["undefined", { u: undefined }],
    ["bigint", { b: 1n }],
    ["Date", { d: new Date(0) }],
  ])("refuses %s", (_name, data) => {
    expect(() => canonicalJson(data)).toThrow(DouradaError);
  });

  it("canonicalises -0 as 0 and keeps __proto__ as a plain key without touching Object.prototype", () => {
    expect(canonicalJson({ z: -0 })).toBe('{"z":0}');
    const data = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}');
    expect(canonicalJson(data)).toBe('{"__proto__":{"polluted":true},"constructor":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts well-formed surrogate pairs and the largest safe integers", () => {
    expect(canonicalJson({ e: "😀", n: 9007199254740991, m: -9007199254740991 })).toBe('{"e":"😀","m":-9007199254740991,"n":9007199254740991}');
  });

  it("refuses more than the node cap", () => {
    expect(findJsonViolation(Array.from({ length: 10 }, () => 1), { maxDepth: 64, maxNodes: 5 })).not.toBeNull();
  });
});
