// The addon under test (DOURADA_NATIVE_ADDON selects another build, e.g. the sanitizer
// one) and byte helpers shared by the native tests. Native tests skip when it is not built.
import { loadNativeAddon, type NativeAddon } from "../../src/prover/native-loader.js";

const explicit = process.env.DOURADA_NATIVE_ADDON || undefined;
const loaded = loadNativeAddon(explicit);
// An explicitly named build (the sanitizer run) must load: skipping would hide its failure.
if (explicit && !loaded.addon) throw new Error(`DOURADA_NATIVE_ADDON=${explicit}: ${loaded.reason}`);
export const addon: NativeAddon | null = loaded.addon;
export const missingReason = loaded.reason ?? "";
/** The addon, for use inside describe.skipIf(!addon) blocks. */
export const native = (): NativeAddon => addon!;

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
