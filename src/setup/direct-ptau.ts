// A development powers of tau made directly: tau, alpha and beta are drawn
// from the OS CSPRNG and every section of a prepared ptau (powers and their
// Lagrange forms) is computed from them, instead of snarkjs's new +
// contribute + beacon + preparePhase2 (whose group FFTs cost minutes at 2^13
// and half an hour at 2^17). The file is one contribution, named as a
// single-party development file, with the proofs of knowledge and hashes
// `snarkjs powersoftau verify` checks. Whoever ran this saw the toxic waste:
// it is for development only, and production mode refuses keys made from it.
import { renameSync, rmSync } from "node:fs";
import { FixedBaseTable } from "./fixed-base.js";
import { concat, lagrange, mulFr, powers, randomFr, type ScalarRun } from "./ptau-scalars.js";
import { contributionsSection, headerSection, PtauFileWriter, SECTION, type ContributionRecord } from "./ptau-format.js";
import { firstChallenge, newHasher, partialHashState, proofOfKnowledgeBase } from "./ptau-transcript.js";
import { FR_BYTES, WasmArena } from "./wasm-arena.js";

/** The contributor name recorded in the file: how `powersoftau verify` and `dourada setup` tell it apart. */
export const DEV_PTAU_CONTRIBUTION = "dourada single-party development ptau: INSECURE";
const CHUNK = 512;

export interface DirectPtauOptions {
  /** The WASM memory the secrets live in (default: a fresh one); zero-filled before this returns or throws. */
  arena?: WasmArena;
  print?: (line: string) => void;
}

/** All points of a run, multiplied in chunks, handed to `sink` in order. */
function multiplyRun(arena: WasmArena, table: FixedBaseTable, makeRun: () => ScalarRun, sink: (points: Uint8Array) => void): void {
  const mark = arena.position;
  const run = makeRun();
  const scalars = arena.alloc(CHUNK * FR_BYTES);
  const points = arena.alloc(CHUNK * table.affineBytes);
  for (let done = 0; done < run.count; done += CHUNK) {
    const n = Math.min(CHUNK, run.count - done);
    run.fill(scalars, n);
    table.multiply(scalars, n, points);
    sink(arena.read(points, n * table.affineBytes));
  }
  arena.release(mark);
}

function collect(arena: WasmArena, table: FixedBaseTable, makeRun: () => ScalarRun): Uint8Array {
  const chunks: Uint8Array[] = [];
  multiplyRun(arena, table, makeRun, (points) => chunks.push(points));
  return Buffer.concat(chunks);
}

/** The toxic waste and the tables, all inside the arena. */
interface Secrets {
  arena: WasmArena;
  power: number;
  tau: number;
  alpha: number;
  beta: number;
  one: number;
  g1: FixedBaseTable;
  g2: FixedBaseTable;
}

/** Sections 2-6, kept in memory: the contribution's hashes cover them before the file is written. */
interface Powers {
  tauG1: Uint8Array;
  tauG2: Uint8Array;
  alphaTauG1: Uint8Array;
  betaTauG1: Uint8Array;
  betaG2: Uint8Array;
}

function computePowers({ arena, power, tau, alpha, beta, one, g1, g2 }: Secrets): Powers {
  const n = 2 ** power;
  return {
    tauG1: collect(arena, g1, () => powers(arena, one, tau, 2 * n - 1)),
    tauG2: collect(arena, g2, () => powers(arena, one, tau, n)),
    alphaTauG1: collect(arena, g1, () => powers(arena, alpha, tau, n)),
    betaTauG1: collect(arena, g1, () => powers(arena, beta, tau, n)),
    betaG2: collect(arena, g2, () => powers(arena, beta, tau, 1)),
  };
}

/** The one contribution: proofs of knowledge of tau, alpha, beta answering the blank accumulator's challenge, and its hashes. */
async function contributionRecord(secrets: Secrets, p: Powers): Promise<ContributionRecord> {
  const { arena, one, g1 } = secrets;
  const curve = arena.curve;
  const challenge = firstChallenge(curve, secrets.power);
  const g1Keys: Uint8Array[] = [];
  const g2Keys: Uint8Array[] = [];
  [secrets.tau, secrets.alpha, secrets.beta].forEach((secret, personalisation) => {
    const k = randomFr(arena);
    const g1s = collect(arena, g1, () => powers(arena, k, one, 1));
    const g1sx = collect(arena, g1, () => powers(arena, mulFr(arena, k, secret), one, 1));
    g1Keys.push(g1s, g1sx);
    g2Keys.push(timesSecret(arena, proofOfKnowledgeBase(curve, personalisation, challenge, g1s, g1sx), secret));
  });
  const publicKey = Buffer.concat([...g1Keys, ...g2Keys]);
  const sections = [[curve.G1, p.tauG1], [curve.G2, p.tauG2], [curve.G1, p.alphaTauG1], [curve.G1, p.betaTauG1], [curve.G2, p.betaG2]] as const;
  const response = newHasher().update(challenge);
  for (const [G, points] of sections) response.update(await G.batchLEMtoC(points));
  const partialHash = partialHashState(response);
  response.update(await curve.G1.batchLEMtoU(publicKey.subarray(0, 6 * 64)));
  response.update(await curve.G2.batchLEMtoU(publicKey.subarray(6 * 64)));
  const next = newHasher().update(response.digest());
  for (const [G, points] of sections) next.update(await G.batchLEMtoU(points));
  return {
    tauG1: p.tauG1.subarray(64, 128), tauG2: p.tauG2.subarray(128, 256), alphaG1: p.alphaTauG1.subarray(0, 64), betaG1: p.betaTauG1.subarray(0, 64), betaG2: p.betaG2,
    publicKey, partialHash, nextChallenge: next.digest(), name: DEV_PTAU_CONTRIBUTION,
  };
}

/** Sections 12-15, streamed: each holds every domain 2^0 .. 2^top in turn; tauG1's goes one domain further. */
function writeLagrangeSections(writer: PtauFileWriter, { arena, power, tau, alpha, beta, one, g1, g2 }: Secrets): void {
  const section = (id: number, table: FixedBaseTable, factor: number, top: number) => {
    const domains = Array.from({ length: top + 1 }, (_, p) => p);
    const run = () => concat(arena, domains.map((p) => 2 ** p), (p) => lagrange(arena, tau, { power: p, factor, withoutTopPower: p === power + 1, chunk: CHUNK }));
    writer.begin(id, (2 ** (top + 1) - 1) * table.affineBytes);
    multiplyRun(arena, table, run, (points) => writer.write(points));
  };
  section(SECTION.lagrangeTauG1, g1, one, power + 1);
  section(SECTION.lagrangeTauG2, g2, one, power);
  section(SECTION.lagrangeAlphaTauG1, g1, alpha, power);
  section(SECTION.lagrangeBetaTauG1, g1, beta, power);
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Writes a prepared development ptau of 2^power to `file` (through a temporary file, renamed when complete). */
export async function writeDirectPtau(file: string, power: number, options: DirectPtauOptions = {}): Promise<void> {
  const arena = options.arena ?? (await WasmArena.open());
  const print = options.print ?? (() => {});
  const temporary = `${file}.partial`;
  try {
    const one = arena.alloc(FR_BYTES);
    arena.fn.frm_one(one);
    const secrets: Secrets = { arena, power, tau: randomFr(arena), alpha: randomFr(arena), beta: randomFr(arena), one, g1: new FixedBaseTable(arena, "G1"), g2: new FixedBaseTable(arena, "G2") };
    let started = performance.now();
    const p = computePowers(secrets);
    print(`    powers (sections 2-6): ${seconds(started)}`);
    const record = await contributionRecord(secrets, p);
    const writer = new PtauFileWriter(temporary);
    try {
      writer.section(SECTION.header, headerSection(arena.curve.q, power));
      for (const [id, points] of [[SECTION.tauG1, p.tauG1], [SECTION.tauG2, p.tauG2], [SECTION.alphaTauG1, p.alphaTauG1], [SECTION.betaTauG1, p.betaTauG1], [SECTION.betaG2, p.betaG2]] as const) writer.section(id, points);
      writer.section(SECTION.contributions, contributionsSection([record]));
      started = performance.now();
      writeLagrangeSections(writer, secrets);
      writer.finish();
      print(`    Lagrange forms (sections 12-15): ${seconds(started)}`);
    } finally {
      writer.close();
    }
    renameSync(temporary, file);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  } finally {
    arena.wipe();
  }
}

/** secret * P for an affine G2 point P in the ptau layout (variable base: the proof-of-knowledge point). */
function timesSecret(arena: WasmArena, point: Uint8Array, secret: number): Uint8Array {
  const mark = arena.position;
  const base = arena.put(point);
  const plain = arena.alloc(FR_BYTES);
  arena.fn.frm_batchFromMontgomery(secret, 1, plain);
  const product = arena.alloc(arena.curve.G2.F.n8 * 3);
  const affine = arena.alloc(point.byteLength);
  arena.fn.g2m_timesScalarAffine!(base, plain, FR_BYTES, product);
  arena.fn.g2m_batchToAffine!(product, 1, affine);
  const out = arena.read(affine, point.byteLength);
  arena.release(mark);
  return out;
}
