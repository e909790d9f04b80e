// The addon under test (DOURADA_NATIVE_ADDON selects another build, e.g. the sanitizer
// one) and byte helpers shared by the native tests. Native tests skip when it is not built.
import { createRequire } from "node:module";
import { afterAll, beforeAll } from "vitest";
import { defaultAddonPath, type NativeAddon } from "../../src/prover/native-loader.js";
import { REQUIRE_TOOLS_FLAG } from "../fixtures/system-tools.js";

// Loaded directly, not through the loader's self-test gate, so a unit test names the broken
// layer itself; a build that exists but does not load fails the file instead of skipping.
export const addonPath = process.env.DOURADA_NATIVE_ADDON || defaultAddonPath();
export const addon: NativeAddon | null = addonPath ? (createRequire(import.meta.url)(addonPath) as NativeAddon) : null;
export const missingReason = addon ? "" : "(skipped: the native addon is not built)";
// A skip is loud, and CI (which requires its test tools) fails instead of skipping the native suite.
if (!addon) {
  if (process.env[REQUIRE_TOOLS_FLAG] === "1") throw new Error(`the native addon is required (${REQUIRE_TOOLS_FLAG}=1) but not built: run node scripts/build-native.mjs`);
  console.warn("SKIPPED native tests: the addon is not built (npm ci builds it; node scripts/build-native.mjs by hand)");
}
/** The addon, for use inside describe.skipIf(!addon) blocks. */
export const native = (): NativeAddon => addon!;

/** DOURADA_NATIVE_TEST_MODE=1 for the enclosing describe block (the addon reads it at each call), restored after. */
export function inNativeTestMode(): void {
  const previous = process.env.DOURADA_NATIVE_TEST_MODE;
  beforeAll(() => {
    process.env.DOURADA_NATIVE_TEST_MODE = "1";
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.DOURADA_NATIVE_TEST_MODE;
    else process.env.DOURADA_NATIVE_TEST_MODE = previous;
  });
}

export function le(x: bigint, bytes = 32): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) { out[i] = Number(x & 255n); x >>= 8n; }
  return out;
}

export function fromLe(b: Uint8Array): bigint {
  return BigInt("0x" + (Buffer.from(b).reverse().toString("hex") || "0"));
}

export function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
