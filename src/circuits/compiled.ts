// The compiled circuit (r1cs + sym) against its manifest. Setup runs this
// after compiling and the registry at every start, so a reordered public
// signal, a renamed input, a private or unconstrained anchor never serves.
import { readFileSync } from "node:fs";
import type { ArtifactPaths } from "./artifacts.js";
import type { CircuitManifest } from "./manifest.js";
import { readR1csSummary } from "./r1cs.js";

export type SignalRole = "output" | "public" | "private";

export interface CompiledSignal {
  /** Name inside main, array indices included: `pathElements[3]`. */
  name: string;
  wire: number;
  role: SignalRole;
  constrained: boolean;
}

export interface CompiledCircuit {
  constraints: number;
  /** Outputs, then public inputs: snarkjs's publicSignals order. */
  publicSignals: CompiledSignal[];
  /** Inputs of main (public and private) in declaration order. */
  inputs: CompiledSignal[];
}

/** Main's own signals by witness index, from the .sym file (label,varIdx,component,name). */
function mainSignals(symText: string): Map<number, string> {
  const byWire = new Map<number, string>();
  for (const line of symText.split("\n")) {
    const [, varIdx, , name] = line.split(",");
    if (!name || !name.startsWith("main.") || name.slice(5).includes(".")) continue;
    const wire = Number(varIdx);
    if (wire > 0) byWire.set(wire, name.slice(5));
  }
  return byWire;
}

export function readCompiled(paths: Pick<ArtifactPaths, "r1cs" | "sym">): CompiledCircuit {
  const r1cs = readR1csSummary(paths.r1cs);
  const names = mainSignals(readFileSync(paths.sym, "utf8"));
  // r1cs wire order: 0 is the constant one, then outputs, public inputs, private inputs.
  const lastOutput = r1cs.nOutputs;
  const lastPublic = lastOutput + r1cs.nPubInputs;
  const lastInput = lastPublic + r1cs.nPrvInputs;
  const signal = (wire: number): CompiledSignal => ({
    name: names.get(wire) ?? `(wire ${wire})`,
    wire,
    role: wire <= lastOutput ? "output" : wire <= lastPublic ? "public" : "private",
    constrained: r1cs.constrainedWires.has(wire),
  });
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => signal(from + i));
  return { constraints: r1cs.nConstraints, publicSignals: range(1, lastPublic), inputs: range(lastOutput + 1, lastInput) };
}

/** Why `anchor` cannot carry the request's anchor in this circuit, with the fix; undefined when it can. */
export function anchorProblem(compiled: CompiledCircuit, anchor: string): string | undefined {
  const signal = [...compiled.publicSignals, ...compiled.inputs].find((s) => s.name === anchor);
  if (!signal && compiled.inputs.some((s) => s.name.startsWith(`${anchor}[`))) {
    return `anchor ${anchor}: is an array; the anchor must be a single field element (\`signal input ${anchor};\`)`;
  }
  if (!signal) {
    const inputs = compiled.inputs.map((s) => s.name).join(", ") || "none";
    return `anchor ${anchor}: not an input signal of main (its inputs: ${inputs}); declare \`signal input ${anchor};\` in the main template`;
  }
  if (signal.role === "output") return `anchor ${anchor}: is an output; the anchor must be a public input that the service fills in`;
  if (signal.role === "private") {
    return `anchor ${anchor}: is a private input, so it would not appear in the proof's public signals; list it in main's public inputs: \`component main {public [${anchor}, ...]} = ...;\``;
  }
  if (!signal.constrained) {
    return `anchor ${anchor}: appears in no constraint of the compiled circuit, so the statement does not depend on it; constrain it, for example \`signal anchorSquare; anchorSquare <== ${anchor} * ${anchor};\``;
  }
  return undefined;
}

/** Throws, listing every disagreement, unless the compiled circuit matches the manifest and binds its anchor. */
export function checkCompiled(manifest: CircuitManifest, paths: Pick<ArtifactPaths, "r1cs" | "sym">, manifestFile = `${manifest.id}.json`): CompiledCircuit {
  const compiled = readCompiled(paths);
  const problems: string[] = [];
  if (compiled.constraints !== manifest.constraints) {
    problems.push(`constraints: compiled ${compiled.constraints}, manifest says ${manifest.constraints}`);
  }
  if (compiled.publicSignals.length !== manifest.publicSignals.length) {
    problems.push(`public signals: compiled ${compiled.publicSignals.length}, manifest names ${manifest.publicSignals.length}`);
  }
  manifest.publicSignals.forEach((name, i) => {
    const actual = compiled.publicSignals[i]?.name;
    if (actual !== name) problems.push(`public signal ${i}: compiled ${actual ?? "(none)"}, manifest says ${name}`);
  });
  // Every declared input must be an input of main (arrays appear as name[0], name[1], ...).
  const inputNames = new Set(compiled.inputs.map((s) => s.name.replace(/\[\d+\]$/, "")));
  for (const input of Object.keys(manifest.inputs)) {
    if (!inputNames.has(input)) problems.push(`input ${input}: not an input signal of main`);
  }
  const anchor = anchorProblem(compiled, manifest.anchorSignal);
  if (anchor) problems.push(anchor);
  if (problems.length > 0) throw new Error(`circuit ${manifest.id} does not match ${manifestFile} or cannot bind its anchor:\n  ${problems.join("\n  ")}`);
  return compiled;
}
