// The manifest `dourada circuits add` proposes from a compiled circuit: public
// signal order, anchor, inputs with their array lengths, constraint count.
// The user reviews it (and may add `bits` bounds and descriptions).
import { anchorProblem, type CompiledCircuit } from "./compiled.js";
import { parseManifest, type CircuitManifest, type InputSpec } from "./manifest.js";

export interface DraftOptions {
  id: string;
  /** The .circom file name inside the circuits directory. */
  source: string;
  anchor: string;
  description: string;
}

/** The manifest for a compiled circuit, or an error naming every signal that cannot be served and how to fix it. */
export function draftManifest(compiled: CompiledCircuit, options: DraftOptions): CircuitManifest {
  const problems: string[] = [];
  const anchor = anchorProblem(compiled, options.anchor);
  if (anchor) problems.push(anchor);
  const inputs: Record<string, InputSpec> = {};
  for (const signal of compiled.inputs) {
    if (signal.name === options.anchor) continue;
    const [, base, indices] = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$/.exec(signal.name) ?? [];
    if (!base || (indices!.match(/\[/g)?.length ?? 0) > 1) {
      problems.push(`input ${signal.name}: only single field elements and one-dimensional arrays can be served; flatten it`);
      continue;
    }
    const visibility = signal.role === "public" ? "public" : "private";
    const spec = (inputs[base] ??= { visibility });
    if (indices) spec.length = (spec.length ?? 0) + 1;
  }
  if (problems.length > 0) throw new Error(`circuit ${options.id} cannot be served as it is:\n  ${problems.join("\n  ")}`);
  const manifest = {
    id: options.id,
    version: "1.0.0",
    description: options.description,
    source: options.source,
    publicSignals: compiled.publicSignals.map((s) => s.name),
    anchorSignal: options.anchor,
    constraints: compiled.constraints,
    inputs,
  };
  return parseManifest(manifest, `${options.id}.json`);
}
