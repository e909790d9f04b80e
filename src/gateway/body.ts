// Reads a JSON request body: media type, a size limit enforced while
// streaming (never buffered past it), strict UTF-8 and the strict parser.
import type { Context } from "koa";
import { DouradaError } from "../errors.js";
import { JsonSyntaxError, parseStrictJson } from "../anchor/index.js";

export interface BodyLimits {
  maxBytes: number;
  maxDepth: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

async function readLimited(ctx: Context, maxBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get("content-length") || NaN);
  if (declared > maxBytes) throw new DouradaError("payload-too-large", `the body must be at most ${maxBytes} bytes`, { limit: maxBytes });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      // Stop reading; the connection is closed after the response so the rest is never buffered.
      ctx.set("Connection", "close");
      throw new DouradaError("payload-too-large", `the body must be at most ${maxBytes} bytes`, { limit: maxBytes });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** The parsed body; throws a coded DouradaError for every way it can be wrong. */
export async function readJsonBody(ctx: Context, limits: BodyLimits): Promise<unknown> {
  if (!ctx.is("application/json")) {
    throw new DouradaError("unsupported-media-type", "send the body as application/json");
  }
  const bytes = await readLimited(ctx, limits.maxBytes);
  if (bytes.length === 0) throw new DouradaError("invalid-request", "the body is empty; expected a JSON object");
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DouradaError("invalid-request", "the body is not valid UTF-8");
  }
  try {
    return parseStrictJson(text, limits.maxDepth);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new DouradaError("invalid-request", `the body is not acceptable JSON: ${e.message}`);
    throw e;
  }
}
