// The sealed-inputs construction as the product implements it: a round trip
// with a fresh ML-KEM key, every single-bit change refused (a seeded
// fast-check run that counts its cases), each malformed envelope refused
// with the member at fault and without echoing caller bytes, the sealer's
// own refusals, and the leaf importing nothing of the project.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SEALED_INPUTS_VERSION, SealedInputsError, decodeSealedInputs, fromBase64Url, openSealedInputs, sealInputs, toBase64Url, type SealedInputs,
} from "../../src/sealing/index.js";

const EPOCH = "00112233445566778899aabbccddeeff";
const keys = ml_kem768.keygen();
const sealingKey = { epoch: EPOCH, publicKey: toBase64Url(keys.publicKey) };
const inputs = { value: "42", salt: "918273645546372819", min: "10", max: "100" };
const open = (sealed: SealedInputs, circuit = "range", secretKey = keys.secretKey) =>
  openSealedInputs(decodeSealedInputs(sealed), circuit, (ct) => ml_kem768.decapsulate(ct, secretKey));
const text = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

/** The envelope with one bit of a byte-string member flipped. */
function flipped(sealed: SealedInputs, member: "kemCiphertext" | "nonce" | "ciphertext", bit: number): SealedInputs {
  const bytes = fromBase64Url(sealed[member])!;
  bytes[Math.floor(bit / 8) % bytes.length]! ^= 1 << (bit % 8);
  return { ...sealed, [member]: toBase64Url(bytes) };
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** 1088 bytes leave 2 unused bits in the last character: setting one gives a second spelling of the same bytes. */
const strayBits = (canonical: string) => canonical.slice(0, -1) + ALPHABET[ALPHABET.indexOf(canonical.at(-1)!) | 1];

function refusal(value: unknown): SealedInputsError {
  try {
    decodeSealedInputs(value);
  } catch (e) {
    expect(e).toBeInstanceOf(SealedInputsError);
    return e as SealedInputsError;
  }
  throw new Error("the envelope was accepted");
}

describe("sealing and opening", () => {
  it("opens what it sealed, for the circuit and epoch it was sealed for, to the JSON of the inputs", () => {
    const sealed = sealInputs(sealingKey, "range", inputs);
    expect(sealed).toMatchObject({ version: SEALED_INPUTS_VERSION, epoch: EPOCH });
    expect(text(open(sealed))).toBe(JSON.stringify(inputs));
    // Fresh randomness every time: the same inputs never seal to the same bytes.
    const again = sealInputs(sealingKey, "range", inputs);
    expect(again.kemCiphertext).not.toBe(sealed.kemCiphertext);
    expect(again.nonce).not.toBe(sealed.nonce);
  });

  it("refuses every single-bit change of the KEM ciphertext, the nonce and the ciphertext", () => {
    const sealed = sealInputs(sealingKey, "range", inputs);
    let runs = 0;
    fc.assert(
      fc.property(fc.constantFrom("kemCiphertext", "nonce", "ciphertext" as const), fc.nat({ max: 1088 * 8 - 1 }), (member, bit) => {
        runs += 1;
        return open(flipped(sealed, member, bit)) === null;
      }),
      { seed: 0x5ea1, numRuns: 60 },
    );
    expect(runs).toBe(60);
  });

  it("refuses another circuit, another epoch in the AD, and another epoch's key", () => {
    const sealed = sealInputs(sealingKey, "range", inputs);
    expect(open(sealed, "membership")).toBeNull();
    expect(open({ ...sealed, epoch: "ffeeddccbbaa99887766554433221100" })).toBeNull();
    expect(open(sealed, "range", ml_kem768.keygen().secretKey)).toBeNull();
  });

  it("wipes the shared secret it was given, opened or not", () => {
    const sealed = sealInputs(sealingKey, "range", inputs);
    const secrets: Uint8Array[] = [];
    const decapsulate = (ct: Uint8Array) => {
      const secret = ml_kem768.decapsulate(ct, keys.secretKey);
      secrets.push(secret);
      return secret;
    };
    expect(openSealedInputs(decodeSealedInputs(sealed), "range", decapsulate)).not.toBeNull();
    expect(openSealedInputs(decodeSealedInputs(sealed), "membership", decapsulate)).toBeNull();
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(secret.every((b) => b === 0)).toBe(true);
  });

  it("refuses a key that is not an ML-KEM-768 public key, inputs that are not an object, and inputs over 64 KiB", () => {
    expect(() => sealInputs({ epoch: EPOCH, publicKey: toBase64Url(keys.publicKey.subarray(1)) }, "range", inputs)).toThrow(RangeError);
    expect(() => sealInputs({ epoch: EPOCH, publicKey: "not base64url!" }, "range", inputs)).toThrow(RangeError);
    expect(() => sealInputs(sealingKey, "range", ["1"] as unknown as object)).toThrow(RangeError);
    expect(() => sealInputs(sealingKey, "range", { big: "1".repeat(65_536) })).toThrow(/at most 65536/);
  });
});

describe("decoding an envelope", () => {
  const sealed = sealInputs(sealingKey, "range", inputs);
  const secretText = "a-member-name-that-must-not-come-back";
  const cases: Array<[string, unknown, string]> = [
    ["not an object", "x", "/sealedInputs"],
    ["an array", [sealed], "/sealedInputs"],
    ["an unknown member", { ...sealed, [secretText]: 1 }, "/sealedInputs"],
    ["a missing member", { ...sealed, nonce: undefined, ...{} }, "/sealedInputs/nonce"],
    ["another version", { ...sealed, version: "dourada.sealed.v2" }, "/sealedInputs/version"],
    ["an epoch in upper case", { ...sealed, epoch: EPOCH.toUpperCase() }, "/sealedInputs/epoch"],
    ["a short epoch", { ...sealed, epoch: EPOCH.slice(2) }, "/sealedInputs/epoch"],
    ["a padded nonce", { ...sealed, nonce: `${sealed.nonce}=` }, "/sealedInputs/nonce"],
    ["a nonce in the base64 alphabet", { ...sealed, nonce: sealed.nonce.replace(/.$/, "+") }, "/sealedInputs/nonce"],
    ["a KEM ciphertext with stray trailing bits", { ...sealed, kemCiphertext: strayBits(sealed.kemCiphertext) }, "/sealedInputs/kemCiphertext"],
    ["a 23-byte nonce", { ...sealed, nonce: toBase64Url(new Uint8Array(23)) }, "/sealedInputs/nonce"],
    ["a KEM ciphertext one byte short", { ...sealed, kemCiphertext: toBase64Url(new Uint8Array(1087)) }, "/sealedInputs/kemCiphertext"],
    ["a KEM ciphertext with a space", { ...sealed, kemCiphertext: ` ${sealed.kemCiphertext.slice(1)}` }, "/sealedInputs/kemCiphertext"],
    ["a ciphertext that is only a tag", { ...sealed, ciphertext: toBase64Url(new Uint8Array(16)) }, "/sealedInputs/ciphertext"],
    ["a ciphertext over the limit", { ...sealed, ciphertext: toBase64Url(new Uint8Array(65_553)) }, "/sealedInputs/ciphertext"],
    ["a number for the ciphertext", { ...sealed, ciphertext: 7 }, "/sealedInputs/ciphertext"],
  ];
  it.each(cases)("refuses %s, naming the member", (_name, value, pointer) => {
    const missing = typeof value === "object" && value !== null && "nonce" in value && (value as { nonce?: unknown }).nonce === undefined;
    const envelope = missing ? Object.fromEntries(Object.entries(value as object).filter(([k]) => k !== "nonce")) : value;
    const error = refusal(envelope);
    expect(error.pointer).toBe(pointer);
    expect(error.message.startsWith(pointer)).toBe(true);
    expect(error.message).not.toContain(secretText);
  });

  it("accepts the envelope it made, and only the five members", () => {
    expect(decodeSealedInputs(sealed).epoch).toBe(EPOCH);
    expect(Object.keys(sealed).sort()).toEqual(["ciphertext", "epoch", "kemCiphertext", "nonce", "version"]);
  });
});

describe("src/sealing", () => {
  it("imports nothing of the project: only its own files, noble and scure", () => {
    const dir = join(process.cwd(), "src", "sealing");
    const files = readdirSync(dir).filter((name) => name.endsWith(".ts"));
    const specifiers = files.flatMap((name) => [...readFileSync(join(dir, name), "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => `${name}: ${m[1]}`));
    expect(files).toContain("index.ts");
    expect(specifiers.length).toBeGreaterThan(5);
    expect(specifiers.filter((line) => !/: (\.\/[a-z-]+\.js|@noble\/[a-z-]+\/[a-z0-9-]+\.js|@scure\/base)$/.test(line))).toEqual([]);
  });
});
