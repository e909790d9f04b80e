// The circuit manifest: what a caller and the setup need to know about a
// circuit, read from circuits/<id>.json and checked once.

export interface InputSpec {
  visibility: "private" | "public";
  /** Array length; absent for a single field element. */
  length?: number;
  /** Values must be below 2^bits; absent means any element below r. */
  bits?: number;
  description?: string;
}

export interface CircuitManifest {
  id: string;
  version: string;
  description: string;
  /** circom source file, relative to circuits/. */
  source: string;
  /** Names of the public signals in snarkjs order (outputs, then public inputs). */
  publicSignals: string[];
  /** Which public signal the service fills with the anchor. */
  anchorSignal: string;
  /** Constraint count of the compiled r1cs (checked by setup). */
  constraints: number;
  /** The caller's inputs (the anchor is not among them). */
  inputs: Record<string, InputSpec>;
}

/** Circuit ids: lowercase, URL- and file-safe. */
export const CIRCUIT_ID = /^[a-z][a-z0-9-]{0,31}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A public signal may be an element of an array: `hashes[2]`, `grid[0][1]`. */
const SIGNAL = /^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*$/;

/** Validates a parsed manifest file; throws with the file's problem. */
export function parseManifest(raw: unknown, file: string): CircuitManifest {
  const fail = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  if (typeof raw !== "object" || raw === null) return fail("not a JSON object");
  const m = raw as Record<string, unknown>;
  if (typeof m.id !== "string" || !CIRCUIT_ID.test(m.id)) fail("id must match " + CIRCUIT_ID);
  for (const key of ["version", "description", "source", "anchorSignal"]) {
    if (typeof m[key] !== "string") fail(`${key} must be a string`);
  }
  if (!Array.isArray(m.publicSignals) || !m.publicSignals.every((s) => typeof s === "string" && SIGNAL.test(s))) {
    fail("publicSignals must be an array of signal names");
  }
  const publicSignals = m.publicSignals as string[];
  if (!NAME.test(m.anchorSignal as string)) fail("anchorSignal must name a single signal, not an array element");
  if (!publicSignals.includes(m.anchorSignal as string)) fail("anchorSignal must be one of publicSignals");
  if (!Number.isSafeInteger(m.constraints) || (m.constraints as number) <= 0) fail("constraints must be a positive integer");
  if (typeof m.inputs !== "object" || m.inputs === null) fail("inputs must be an object");
  const inputs = m.inputs as Record<string, InputSpec>;
  for (const [name, spec] of Object.entries(inputs)) {
    if (!NAME.test(name) || name === m.anchorSignal) fail(`input ${name}: bad name`);
    if (spec.visibility !== "private" && spec.visibility !== "public") fail(`input ${name}: visibility`);
    if (spec.length !== undefined && !(Number.isSafeInteger(spec.length) && spec.length > 0 && spec.length <= 1024)) {
      fail(`input ${name}: length must be 1..1024`);
    }
    if (spec.bits !== undefined && !(Number.isSafeInteger(spec.bits) && spec.bits > 0 && spec.bits <= 253)) {
      fail(`input ${name}: bits must be 1..253`);
    }
  }
  return Object.freeze({ ...(m as unknown as CircuitManifest), publicSignals: [...publicSignals] });
}

/** Index of the anchor in the proof's publicSignals. */
export function anchorIndex(manifest: CircuitManifest): number {
  return manifest.publicSignals.indexOf(manifest.anchorSignal);
}
