// The input boundary table of design.md's pitfalls (G2): canonical decimal
// strings 0 <= x < r (and the manifest's narrower ranges) pass, everything the
// witness calculator would silently reduce is refused before any witness.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FIELD_R } from "../../src/anchor/index.js";
import { loadRegistry, validateInputs, type CircuitRegistry } from "../../src/circuits/index.js";
import { loadConfig } from "../../src/config/index.js";
import { DouradaError } from "../../src/errors.js";
import { createLocalProver, WitnessCache, type LocalProver } from "../../src/prover/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";

let registry: CircuitRegistry;
let prover: LocalProver;
beforeAll(async () => {
  const config = loadConfig();
  registry = loadRegistry(config.circuitsDir, config.keysDir);
  prover = await createLocalProver(registry);
});
afterAll(() => prover?.close());

const R = FIELD_R;
const REJECTED: Array<[string, unknown]> = [
  ["r", R.toString()], ["r + 1", (R + 1n).toString()], ["r + 3", (R + 3n).toString()], ["2^256 - 1", ((1n << 256n) - 1n).toString()],
  ["-1", "-1"], ['""', ""], ['" 3"', " 3"], ['"3 "', "3 "], ['"0x03"', "0x03"], ['"003"', "003"], ['"+3"', "+3"], ['"3e0"', "3e0"],
  ["3 (number)", 3], ["1.5", 1.5], ["true", true], ["null", null], ["[]", []], ["{}", {}],
];

function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return e instanceof DouradaError ? e.code : "not a DouradaError"; }
  return undefined;
}

describe("circuit input validation", () => {
  it("names an unknown input back, except for opened sealed inputs (quoteUnknownNames: false)", () => {
    const manifest = registry.get("range").manifest;
    const given = { ...rangeInputs(), "name-of-a-secret": "1" };
    const thrown = (options?: { quoteUnknownNames: boolean }) => {
      try {
        validateInputs(manifest, given, options);
      } catch (e) {
        return e as DouradaError;
      }
      throw new Error("accepted");
    };
    expect(thrown()).toMatchObject({ code: "invalid-request", extras: { pointer: "/inputs/name-of-a-secret" } });
    const sealed = thrown({ quoteUnknownNames: false });
    expect(sealed).toMatchObject({ code: "invalid-request", extras: { pointer: "/inputs" } });
    expect(`${sealed.message} ${JSON.stringify(sealed.extras)}`).not.toContain("name-of-a-secret");
  });

  it("accepts r - 1 for a full-field input", () => {
    const inputs = { ...rangeInputs(), salt: (R - 1n).toString() };
    expect(validateInputs(registry.get("range").manifest, inputs).salt).toBe((R - 1n).toString());
  });

  it.each(REJECTED)("rejects %s for a full-field input", (_name, salt) => {
    expect(codeOf(() => validateInputs(registry.get("range").manifest, { ...rangeInputs(), salt }))).toMatch(/^(invalid-request|input-out-of-field)$/);
  });

  it("rejects value 2^64 for range, accepts 2^64 - 1 as an element", () => {
    const manifest = registry.get("range").manifest;
    expect(codeOf(() => validateInputs(manifest, { ...rangeInputs(), value: (1n << 64n).toString() }))).toBe("input-out-of-field");
    expect(validateInputs(manifest, { ...rangeInputs(), value: ((1n << 64n) - 1n).toString() }).value).toBe(((1n << 64n) - 1n).toString());
  });

  it("rejects path indices other than 0 and 1, and wrong array lengths", async () => {
    const manifest = registry.get("membership").manifest;
    const good = await membershipInputs();
    expect(codeOf(() => validateInputs(manifest, { ...good, pathIndices: [...good.pathIndices.slice(1), "2"] }))).toBe("input-out-of-field");
    expect(codeOf(() => validateInputs(manifest, { ...good, pathElements: good.pathElements.slice(1) }))).toBe("invalid-request");
  });

  it("rejects missing, extra and anchor inputs with a JSON pointer", () => {
    const manifest = registry.get("range").manifest;
    const { salt: _s, ...missing } = rangeInputs();
    for (const inputs of [missing, { ...rangeInputs(), extra: "1" }, { ...rangeInputs(), anchor: "1" }]) {
      try {
        validateInputs(manifest, inputs);
        expect.unreachable();
      } catch (e) {
        expect((e as DouradaError).code).toBe("invalid-request");
        expect((e as DouradaError).extras.pointer).toMatch(/^\/inputs\//);
      }
    }
  });

  it("agrees with 0 <= x < r on 1,000 random big integers around 0 and r", () => {
    const manifest = registry.get("range").manifest;
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: R - 1000n, max: R + 1000n }), fc.bigInt({ min: -(1n << 300n), max: 1n << 300n })), (x) => {
        const accepted = codeOf(() => validateInputs(manifest, { ...rangeInputs(), salt: x.toString() })) === undefined;
        return accepted === (x >= 0n && x < R);
      }),
      { numRuns: 1_000 },
    );
  });

  it("computes no witness and no proof for a rejected input", async () => {
    const witness = vi.spyOn(WitnessCache.prototype, "compute");
    for (const [, salt] of REJECTED) {
      await expect(prover.prove("range", 5n, { ...rangeInputs(), salt })).rejects.toBeInstanceOf(DouradaError);
    }
    await expect(prover.prove("range", 5n, { ...rangeInputs(), value: (1n << 64n).toString() })).rejects.toBeInstanceOf(DouradaError);
    expect(witness).not.toHaveBeenCalled();
    witness.mockRestore();
  });

  it("answers constraint-unsatisfied for canonical inputs outside [min, max], and proves again afterwards", async () => {
    await expect(prover.prove("range", 5n, rangeInputs(9n, 10n, 100n))).rejects.toMatchObject({ code: "constraint-unsatisfied" });
    const { publicSignals } = await prover.prove("range", 5n, rangeInputs(50n));
    expect(publicSignals[1]).toBe("5");
  });

  it("answers unknown-circuit for ids outside the registry, including path tricks", () => {
    for (const id of ["nope", "../../etc/passwd", "range/../range", "x".repeat(10_000), "rаnge", 7, null]) {
      expect(codeOf(() => registry.get(id))).toBe("unknown-circuit");
    }
  });
});
