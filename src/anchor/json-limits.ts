// Checks caller JSON before it is canonicalised. canonicalize 4.0.0 recurses
// (stack overflow near depth 2,000) and JSON numbers beyond 2^53 are already
// rounded by the time we see them, so both are refused here with a reason.
import { POINTER_ECHO_LIMIT, cappedEcho, pointerToken } from "./echo.js";

export interface JsonLimits {
  /** Deepest nesting of arrays/objects allowed (the top value is depth 0). */
  maxDepth: number;
  /** Most array elements + object members + scalars in the whole value. */
  maxNodes: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = Object.freeze({ maxDepth: 64, maxNodes: 100_000 });

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` is not acceptable JSON data, as a JSON pointer (member names capped for echo) and a reason; null when it is. */
export function findJsonViolation(
  value: unknown,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): { pointer: string; reason: string } | null {
  const found = (pointer: string, reason: string) => ({ pointer: cappedEcho(pointer, POINTER_ECHO_LIMIT), reason });
  // Iterative walk: the point of this check is to run before anything recursive does.
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [{ value, pointer: "", depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (++nodes > limits.maxNodes) return found(item.pointer, `more than ${limits.maxNodes} JSON values`);
    const v = item.value;
    if (v === null || typeof v === "boolean") continue;
    if (typeof v === "string") {
      if (LONE_SURROGATE.test(v)) return found(item.pointer, "string holds a lone UTF-16 surrogate (RFC 8785 §3.2.2.2)");
      continue;
    }
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return found(item.pointer, "number is not finite");
      if (Math.abs(v) > Number.MAX_SAFE_INTEGER) {
        return found(item.pointer, "number beyond ±(2^53−1) cannot be represented exactly; send it as a string");
      }
      continue;
    }
    if (typeof v !== "object") return found(item.pointer, `${typeof v} is not a JSON value`);
    if (item.depth >= limits.maxDepth) return found(item.pointer, `nested deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], pointer: `${item.pointer}/${i}`, depth: item.depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return found(item.pointer, "not a plain JSON object");
    for (const key of Object.keys(v)) {
      const pointer = `${item.pointer}/${pointerToken(key)}`;
      if (LONE_SURROGATE.test(key)) return found(pointer, "member name holds a lone UTF-16 surrogate (RFC 8785 §3.2.2.2)");
      stack.push({ value: (v as Record<string, unknown>)[key], pointer, depth: item.depth + 1 });
    }
  }
  return null;
}
