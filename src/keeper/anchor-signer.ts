// The anchor's ML-DSA signatures (spec v2 step 2), made by liboqs: the Open Quantum Safe
// project's ML-DSA compiled to WebAssembly (@oqs/liboqs-js). About 0.5 ms per ML-DSA-65
// signature here against about 8 ms in @noble/post-quantum, which still makes and checks
// the keys (./ml-dsa.ts). The package's own wrapper copies the secret key into the
// module's memory and frees it unwiped, so this drives the module directly:
// - the secret key is copied in for one signature and zero-filled right after it;
// - `erase()` puts the module's whole linear memory back to the image it had before any
//   key was seen (rotation and close call it), so no freed block or stack frame keeps a
//   secret byte.
// One instance per parameter set, loaded on demand (about 9 MiB each) and only in the isolate
// that signs: the gateway never loads one. Signing is synchronous, so calls never overlap.
import type { MlDsaLevel } from "../anchor/index.js";

/** The part of the Emscripten module this file uses. */
export interface OqsModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _OQS_init(): void;
  _OQS_SIG_new(name: number): number;
  _OQS_SIG_sign(sig: number, signature: number, signatureLength: number, message: number, messageLength: number, secretKey: number): number;
}
export type OqsFactory = () => Promise<OqsModule>;

export interface AnchorSigner {
  /** A hedged ML-DSA signature of `message` (FIPS 204, empty context), in a fresh array the caller wipes. */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** Returns the module's memory to its image from before any key: every byte a signature left is gone. */
  erase(): void;
}

const SIZES: Record<MlDsaLevel, { name: string; secretKey: number; signature: number }> = {
  "ml-dsa-44": { name: "ML-DSA-44", secretKey: 2560, signature: 2420 },
  "ml-dsa-65": { name: "ML-DSA-65", secretKey: 4032, signature: 3309 },
  "ml-dsa-87": { name: "ML-DSA-87", secretKey: 4896, signature: 4627 },
};

/** The package's Emscripten factory for one parameter set (its exports map names only the wrapper classes). */
export function oqsFactory(level: MlDsaLevel): OqsFactory {
  const file = new URL(`../dist/${level}.min.js`, import.meta.resolve("@oqs/liboqs-js")).href;
  return async () => ((await import(file)) as { default: () => Promise<OqsModule> }).default();
}

/** malloc that refuses to hand out address 0 (where a failed allocation would point the next write). */
function allocate(oqs: OqsModule, size: number): number {
  const at = oqs._malloc(size);
  if (!at) throw new Error(`liboqs: no memory for ${size} bytes`);
  return at;
}

const PAGE = 4096;

/** The memory's non-zero pages, copied: all a fresh module holds (the rest of its memory is zeros). */
function pristinePages(memory: Uint8Array): Map<number, Uint8Array> {
  const pages = new Map<number, Uint8Array>();
  const words = new BigUint64Array(memory.buffer, memory.byteOffset, memory.byteLength / 8);
  for (let page = 0; page < memory.byteLength; page += PAGE) {
    for (let w = page / 8; w < (page + PAGE) / 8; w++) {
      if (words[w] !== 0n) {
        pages.set(page, memory.slice(page, page + PAGE));
        break;
      }
    }
  }
  return pages;
}

export async function createAnchorSigner(level: MlDsaLevel, load: OqsFactory = oqsFactory(level)): Promise<AnchorSigner> {
  const oqs = await load();
  const sizes = SIZES[level];
  oqs._OQS_init();
  const name = allocate(oqs, sizes.name.length + 1);
  oqs.HEAPU8.set(new TextEncoder().encode(`${sizes.name}\0`), name);
  const sig = oqs._OQS_SIG_new(name);
  oqs._free(name);
  if (!sig) throw new Error(`liboqs has no ${sizes.name}`);
  // Fixed places, allocated before the image is taken so they survive erase().
  const secretKeyAt = allocate(oqs, sizes.secretKey);
  const signatureAt = allocate(oqs, sizes.signature);
  const lengthAt = allocate(oqs, 8);
  const pristine = pristinePages(oqs.HEAPU8);
  return {
    sign(message, secretKey) {
      if (secretKey.length !== sizes.secretKey) throw new Error(`${sizes.name}: the secret key must be ${sizes.secretKey} bytes`);
      const messageAt = allocate(oqs, Math.max(1, message.length));
      try {
        oqs.HEAPU8.set(message, messageAt);
        oqs.HEAPU8.set(secretKey, secretKeyAt);
        const status = oqs._OQS_SIG_sign(sig, signatureAt, lengthAt, messageAt, message.length, secretKeyAt);
        // HEAPU8 is read again after the call: the module replaces it when its memory grows.
        const heap = oqs.HEAPU8;
        const length = new DataView(heap.buffer, heap.byteOffset).getUint32(lengthAt, true);
        if (status !== 0 || length !== sizes.signature) throw new Error(`${sizes.name}: liboqs could not sign`);
        return heap.slice(signatureAt, signatureAt + length);
      } finally {
        const heap = oqs.HEAPU8;
        heap.fill(0, secretKeyAt, secretKeyAt + sizes.secretKey);
        heap.fill(0, signatureAt, signatureAt + sizes.signature);
        oqs._free(messageAt);
      }
    },
    erase() {
      const heap = oqs.HEAPU8;
      heap.fill(0);
      for (const [at, page] of pristine) heap.set(page, at);
    },
  };
}

const loading = new Map<MlDsaLevel, Promise<AnchorSigner>>();
const loaded = new Map<MlDsaLevel, AnchorSigner>();

/** Loads `level`'s signer once per isolate (instantiating WebAssembly is asynchronous); a Keeper of that level needs it. */
export function loadAnchorSigner(level: MlDsaLevel): Promise<AnchorSigner> {
  let signer = loading.get(level);
  if (!signer) {
    signer = createAnchorSigner(level).then(
      (made) => (loaded.set(level, made), made),
      (e: unknown) => (loading.delete(level), Promise.reject(e)),
    );
    loading.set(level, signer);
  }
  return signer;
}

/** `level`'s signer, once loadAnchorSigner(level) has resolved in this isolate. */
export function anchorSigner(level: MlDsaLevel): AnchorSigner {
  const signer = loaded.get(level);
  if (!signer) throw new Error(`the ${level} anchor signer is not loaded in this isolate (Keeper.open loads it)`);
  return signer;
}
