// A strict JSON parser for request bodies and opened sealed inputs (RFC 8259 + I-JSON, RFC 7493):
// duplicate member names, nesting deeper than the cap, lone surrogates and
// numbers that JavaScript cannot hold exactly are errors, not silent rewrites
// (JSON.parse keeps the last duplicate and rounds 2^53 + 1). Members are
// defined, not assigned, so "__proto__" stays a plain key.
import { cappedEcho } from "./echo.js";

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function parseStrictJson(text: string, maxDepth: number): unknown {
  let pos = 0;
  const fail = (why: string): never => {
    throw new JsonSyntaxError(why, pos);
  };
  const skipSpace = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
  };

  function parseString(): string {
    pos++; // opening quote
    let out = "";
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail("unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 0x22) break;
      if (c < 0x20) fail("control character in string");
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(start, pos);
      const e = text[pos + 1];
      if (e === "u") {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        pos += 2;
      } else fail("bad escape");
      start = pos;
    }
    out += text.slice(start, pos);
    pos++; // closing quote
    if (!out.isWellFormed()) fail("lone UTF-16 surrogate in string");
    return out;
  }

  function parseNumber(): number {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) fail("bad number");
    pos += match![0].length;
    const value = Number(match![0]);
    if (!Number.isFinite(value)) fail("number overflows a double");
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) fail("number beyond ±(2^53−1): send it as a string");
    return value;
  }

  function parseValue(depth: number): unknown {
    skipSpace();
    const c = text[pos];
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) fail(`nested deeper than ${maxDepth} levels`);
      return c === "{" ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c === '"') return parseString();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return parseNumber();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return fail(pos >= text.length ? "unexpected end of JSON" : "unexpected character");
  }

  function parseObject(depth: number): Record<string, unknown> {
    pos++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    skipSpace();
    if (text[pos] === "}") {
      pos++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail("expected a member name");
      const key = parseString();
      if (seen.has(key)) fail(`duplicate member name ${JSON.stringify(cappedEcho(key))}`);
      seen.add(key);
      skipSpace();
      if (text[pos] !== ":") fail("expected ':'");
      pos++;
      Object.defineProperty(out, key, { value: parseValue(depth), enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[pos] === ",") pos++;
      else if (text[pos] === "}") {
        pos++;
        return out;
      } else fail("expected ',' or '}'");
    }
  }

  function parseArray(depth: number): unknown[] {
    pos++;
    const out: unknown[] = [];
    skipSpace();
    if (text[pos] === "]") {
      pos++;
      return out;
    }
    for (;;) {
      out.push(parseValue(depth));
      skipSpace();
      if (text[pos] === ",") pos++;
      else if (text[pos] === "]") {
        pos++;
        return out;
      } else fail("expected ',' or ']'");
    }
  }

  const value = parseValue(0);
  skipSpace();
  if (pos !== text.length) fail("unexpected data after the JSON value");
  return value;
}
