// The body of POST /v1/proofs: {circuit, data, inputs | sealedInputs, mode?,
// deadlineMs?} (`data` may be left out of a dry run, mode "check"). Errors
// name the member by JSON pointer. The circuit's own input schema is checked
// by the prover (circuits/validateInputs) before any signature or witness;
// sealed inputs are checked and opened by the keeper first.
import { pointerToken } from "../anchor/index.js";
import { DouradaError } from "../errors.js";
import type { RequestInputs } from "../pipeline/index.js";

export type ProveBody = RequestInputs & {
  circuit: string;
  data: unknown;
  /** sync and async prove; check is a dry run (witness only: nothing signed, no proof). */
  mode: "sync" | "async" | "check";
  /** The caller's deadline for the whole request, in ms. */
  deadlineMs?: number;
};

const MODES = ["sync", "async", "check"] as const;
const ALLOWED = new Set(["circuit", "data", "inputs", "sealedInputs", "mode", "deadlineMs"]);

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null && !Array.isArray(value);

/** Exactly one of `inputs` (plain) and `sealedInputs` (opened by the keeper, docs/sealed-inputs.md). */
function requestInputs(b: Record<string, unknown>): RequestInputs {
  const plain = Object.hasOwn(b, "inputs");
  const sealed = Object.hasOwn(b, "sealedInputs");
  if (plain && sealed) throw new DouradaError("invalid-request", "/sealedInputs: give the inputs either plainly (inputs) or sealed (sealedInputs), not both", { pointer: "/sealedInputs" });
  if (sealed) {
    if (!isObject(b.sealedInputs)) throw new DouradaError("invalid-request", "/sealedInputs: expected the sealed inputs envelope, an object", { pointer: "/sealedInputs" });
    return { sealedInputs: b.sealedInputs };
  }
  if (!isObject(b.inputs)) throw new DouradaError("invalid-request", "/inputs: expected an object of circuit inputs (or sealedInputs instead)", { pointer: "/inputs" });
  return { inputs: b.inputs };
}

export function parseProveBody(body: unknown): ProveBody {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new DouradaError("invalid-request", "the body must be a JSON object {circuit, data, inputs | sealedInputs, mode?}", { pointer: "" });
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!ALLOWED.has(key)) {
      const pointer = `/${pointerToken(key)}`;
      throw new DouradaError("invalid-request", `${pointer}: unknown member; allowed: circuit, data, inputs, sealedInputs, mode, deadlineMs`, { pointer });
    }
  }
  if (typeof b.circuit !== "string") throw new DouradaError("invalid-request", "/circuit: expected a circuit id string", { pointer: "/circuit" });
  const mode = b.mode ?? "sync";
  if (!(MODES as readonly unknown[]).includes(mode)) throw new DouradaError("invalid-request", '/mode: expected "sync", "async" or "check"', { pointer: "/mode" });
  if (mode !== "check" && !Object.hasOwn(b, "data")) throw new DouradaError("invalid-request", "/data: missing (the event to anchor; any JSON value)", { pointer: "/data" });
  const inputs = requestInputs(b);
  const deadlineMs = b.deadlineMs;
  if (deadlineMs !== undefined && !(Number.isSafeInteger(deadlineMs) && (deadlineMs as number) >= 1)) {
    throw new DouradaError("invalid-request", "/deadlineMs: expected a whole number of milliseconds >= 1", { pointer: "/deadlineMs" });
  }
  return { circuit: b.circuit, data: b.data, ...inputs, mode: mode as ProveBody["mode"], ...(deadlineMs !== undefined ? { deadlineMs: deadlineMs as number } : {}) };
}

/** The body's inputs as the pipeline takes them: plain or sealed, never both. */
export function inputsOf(body: ProveBody): RequestInputs {
  return body.sealedInputs !== undefined ? { sealedInputs: body.sealedInputs } : { inputs: body.inputs };
}
