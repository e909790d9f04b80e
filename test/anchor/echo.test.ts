// Every place that names a caller's member in a problem caps what it echoes
// (one helper, cappedEcho): a 100 KB member name gives a short detail and pointer.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ECHO_LIMIT, POINTER_ECHO_LIMIT, canonicalJson, cappedEcho, findJsonViolation, parseStrictJson, pointerToken } from "../../src/anchor/index.js";
import { parseManifest, validateInputs } from "../../src/circuits/index.js";
import { DouradaError } from "../../src/errors.js";
import { parseProveBody } from "../../src/gateway/prove-request.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";

const LONG = "m".repeat(100_000);
// Detail and pointer may hold fixed text around the name, never much more than one capped echo.
const BOUND = 4 * ECHO_LIMIT;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

const range = parseManifest(JSON.parse(readFileSync("circuits/range.json", "utf8")), "circuits/range.json");

describe("capped echoes of caller member names", () => {
  it("cuts at ECHO_LIMIT characters with a mark, keeps short text, and never splits a surrogate pair", () => {
    expect(cappedEcho("salt")).toBe("salt");
    expect(cappedEcho(LONG)).toBe("m".repeat(ECHO_LIMIT) + "…");
    const emoji = "x".repeat(ECHO_LIMIT - 1) + "😀" + "y";
    expect(cappedEcho(emoji)).toBe("x".repeat(ECHO_LIMIT - 1) + "…");
    expect(cappedEcho(emoji).isWellFormed()).toBe(true);
    expect(pointerToken("a/b~c")).toBe("a~1b~0c");
  });

  it.each([
    ["an unknown circuit input (circuits/inputs)", () => validateInputs(range, { ...rangeInputs(), [LONG]: "1" })],
    ["an unknown member of the prove request (gateway/prove-request)", () => parseProveBody({ circuit: "range", data: 1, inputs: {}, [LONG]: 1 })],
    ["a JSON-limit violation under a long member name (anchor/json-limits)", () => canonicalJson({ [LONG]: { [LONG]: Number.NaN } })],
  ])("caps %s", (_name, fn) => {
    const error = thrown(fn);
    expect(error).toBeInstanceOf(DouradaError);
    const { message, extras } = error as DouradaError;
    expect(message).toContain("m".repeat(ECHO_LIMIT) + "…");
    expect(message.length).toBeLessThan(BOUND * 2);
    expect(String(extras.pointer).length).toBeLessThan(BOUND * 2);
    expect(String(extras.pointer)).toMatch(/\/m{64}…/);
  });

  it("caps a JSON pointer many long member names deep (anchor/json-limits)", () => {
    let data: unknown = Number.NaN;
    for (let i = 0; i < 60; i++) data = { ["n".repeat(1_000)]: data };
    const violation = findJsonViolation(data);
    expect(violation?.reason).toBe("number is not finite");
    expect(violation!.pointer.length).toBeLessThanOrEqual(POINTER_ECHO_LIMIT + 1);
    expect(violation!.pointer.startsWith(`/${"n".repeat(ECHO_LIMIT)}…/`)).toBe(true);
  });

  it("caps a duplicate member name in the strict JSON parser (anchor/strict-json)", () => {
    const error = thrown(() => parseStrictJson(`{"${LONG}":1,"${LONG}":2}`, 64));
    expect(error.message).toContain(`"${"m".repeat(ECHO_LIMIT)}…"`);
    expect(error.message.length).toBeLessThan(BOUND);
  });
});
