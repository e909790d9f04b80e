// The issuer's and holder's side of the `credential` circuit, with circomlibjs's
// eddsa (the reference circomlib's EdDSAPoseidonVerifier follows): an issuer
// key, a signature over Poseidon(subject, attribute), and the proof inputs.
import { buildEddsa, type Eddsa } from "circomlibjs";
import { DouradaError } from "../errors.js";
import { toField } from "./poseidon.js";

/** The circuit's GreaterEqThan(64) is sound for 64-bit operands only. */
const ATTRIBUTE_BITS = 64n;

let built: Promise<Eddsa> | undefined;
const eddsa = () => (built ??= buildEddsa());

export interface IssuerPublicKey {
  issuerAx: string;
  issuerAy: string;
}

/** What the issuer gives the holder; the holder keeps it private (the proof reveals none of it). */
export interface SignedCredential {
  subject: string;
  attribute: string;
  R8x: string;
  R8y: string;
  S: string;
}

/** A new issuer private key: 32 bytes from the OS CSPRNG. The issuer owns it and wipes it with `.fill(0)`. */
export function newIssuerKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

function checkKey(privateKey: Uint8Array): void {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) throw new DouradaError("invalid-request", "issuer key: expected 32 bytes");
}

export async function issuerPublicKey(privateKey: Uint8Array): Promise<IssuerPublicKey> {
  checkKey(privateKey);
  const e = await eddsa();
  const [x, y] = e.prv2pub(privateKey);
  return { issuerAx: e.F.toObject(x).toString(), issuerAy: e.F.toObject(y).toString() };
}

/** Signs message = Poseidon(subject, attribute); the attribute must be below 2^64. */
export async function signCredential(privateKey: Uint8Array, subject: string | bigint, attribute: string | bigint): Promise<SignedCredential> {
  checkKey(privateKey);
  const subjectField = toField(subject, "subject");
  const attributeField = toField(attribute, "attribute");
  if (attributeField >> ATTRIBUTE_BITS !== 0n) throw new DouradaError("input-out-of-field", `attribute: must be below 2^${ATTRIBUTE_BITS}`);
  const e = await eddsa();
  const { R8, S } = e.signPoseidon(privateKey, e.poseidon([subjectField, attributeField]));
  return { subject: subjectField.toString(), attribute: attributeField.toString(), R8x: e.F.toObject(R8[0]).toString(), R8y: e.F.toObject(R8[1]).toString(), S: S.toString() };
}

/** The `credential` circuit's inputs: prove that the signed attribute is >= threshold. */
export function credentialInputs(credential: SignedCredential, issuer: IssuerPublicKey, threshold: string | bigint): Record<string, string> {
  return { ...credential, ...issuer, threshold: toField(threshold, "threshold").toString() };
}
