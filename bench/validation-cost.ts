// How validation cost grows with body size: the fitted exponent of time
// against size (log-log slope) for the gateway's strict parse + JCS, next to
// plain JSON.parse + JSON.stringify, over three hostile shapes. Near 1 is
// linear; the target is <= 1.6 (a quadratic path would show near 2).
// Run: npm run bench:validation
import { canonicalJson, parseStrictJson } from "../src/anchor/index.js";

const SIZES = [32_000, 64_000, 128_000, 256_000, 512_000];
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
const TARGET = 1.6;

const SHAPES: Array<[string, (n: number) => string]> = [
  ["long string", (n) => JSON.stringify({ s: "é".repeat(n) })],
  ["wide object", (n) => JSON.stringify(Object.fromEntries(Array.from({ length: n / 16 }, (_, i) => [`k${i}`, i])))],
  ["many small arrays", (n) => JSON.stringify(Array.from({ length: n / 64 }, () => [[[[1]]]]))],
];

/** Median nanoseconds of `samples` runs of `work`. */
function medianNs(work: () => unknown): number {
  const runs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = process.hrtime.bigint();
    work();
    runs.push(Number(process.hrtime.bigint() - start));
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

/** Least-squares slope of log(time) over log(size). */
function exponent(sizes: number[], times: number[]): number {
  const xs = sizes.map(Math.log), ys = times.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
  return xs.reduce((acc, x, i) => acc + (x - mx) * (ys[i]! - my), 0) / xs.reduce((acc, x) => acc + (x - mx) ** 2, 0);
}

console.log(`validation cost exponent, sizes ${SIZES[0]}..${SIZES.at(-1)} chars, median of ${SAMPLES}`);
console.log("  shape               dourada (strict + JCS)   JSON.parse + stringify   time ratio at largest");
let missed = 0;
for (const [name, shape] of SHAPES) {
  const texts = SIZES.map(shape);
  const ours = texts.map((t) => medianNs(() => canonicalJson(parseStrictJson(t, 66))));
  const plain = texts.map((t) => medianNs(() => JSON.stringify(JSON.parse(t))));
  const e = exponent(SIZES, ours);
  if (e > TARGET) missed += 1;
  console.log(`  ${name.padEnd(20)}${e.toFixed(2).padStart(10)}${" ".repeat(15)}${exponent(SIZES, plain).toFixed(2).padStart(10)}${" ".repeat(15)}${(ours.at(-1)! / plain.at(-1)!).toFixed(1).padStart(8)}x`);
}
console.log(missed === 0 ? `target <= ${TARGET}: met for every shape` : `target <= ${TARGET}: MISSED for ${missed} shape(s)`);
process.exitCode = missed === 0 ? 0 : 1;
