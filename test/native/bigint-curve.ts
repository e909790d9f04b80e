// BigInt references for BN254: Fq, Fr, Fq2 and affine G1/G2 arithmetic, written from the
// textbook formulas; slow and obviously right, to check the addon against.
export const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
export function pow(b: bigint, e: bigint, m: bigint): bigint {
  let acc = 1n;
  b = mod(b, m);
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) acc = (acc * b) % m;
  return acc;
}
export const inv = (a: bigint, m: bigint) => pow(a, m - 2n, m);

/** Fq2 = Fq[u]/(u^2 + 1) as [c0, c1]. */
export type F2 = [bigint, bigint];
export const f2 = {
  add: (a: F2, b: F2): F2 => [mod(a[0] + b[0], Q), mod(a[1] + b[1], Q)],
  sub: (a: F2, b: F2): F2 => [mod(a[0] - b[0], Q), mod(a[1] - b[1], Q)],
  mul: (a: F2, b: F2): F2 => [mod(a[0] * b[0] - a[1] * b[1], Q), mod(a[0] * b[1] + a[1] * b[0], Q)],
  inv: (a: F2): F2 => {
    const n = inv(mod(a[0] * a[0] + a[1] * a[1], Q), Q);
    return [mod(a[0] * n, Q), mod(-a[1] * n, Q)];
  },
  eq: (a: F2, b: F2) => a[0] === b[0] && a[1] === b[1],
};

/** A field for the generic affine formulas. */
interface Field<T> { add(a: T, b: T): T; sub(a: T, b: T): T; mul(a: T, b: T): T; inv(a: T): T; eq(a: T, b: T): boolean; zero: T; b: T; small(n: number): T }

const fq: Field<bigint> = {
  add: (a, b) => mod(a + b, Q), sub: (a, b) => mod(a - b, Q), mul: (a, b) => mod(a * b, Q), inv: (a) => inv(a, Q),
  eq: (a, b) => a === b, zero: 0n, b: 3n, small: (n) => BigInt(n),
};
const fq2: Field<F2> = {
  ...f2, zero: [0n, 0n], b: f2.mul([3n, 0n], f2.inv([9n, 1n])), small: (n) => [BigInt(n), 0n],
};

/** Affine points; null is infinity. */
export type Pt<T> = { x: T; y: T } | null;

function curve<T>(F: Field<T>) {
  const add = (p: Pt<T>, q: Pt<T>): Pt<T> => {
    if (!p) return q;
    if (!q) return p;
    let l: T;
    if (F.eq(p.x, q.x)) {
      if (!F.eq(p.y, q.y) || F.eq(p.y, F.zero)) return null;
      l = F.mul(F.mul(F.small(3), F.mul(p.x, p.x)), F.inv(F.mul(F.small(2), p.y)));
    } else {
      l = F.mul(F.sub(q.y, p.y), F.inv(F.sub(q.x, p.x)));
    }
    const x = F.sub(F.sub(F.mul(l, l), p.x), q.x);
    return { x, y: F.sub(F.mul(l, F.sub(p.x, x)), p.y) };
  };
  const neg = (p: Pt<T>): Pt<T> => (p ? { x: p.x, y: F.sub(F.zero, p.y) } : null);
  const mul = (p: Pt<T>, k: bigint): Pt<T> => {
    let acc: Pt<T> = null;
    for (let a = p; k > 0n; k >>= 1n, a = add(a, a)) if (k & 1n) acc = add(acc, a);
    return acc;
  };
  const onCurve = (p: Pt<T>) => !p || F.eq(F.mul(p.y, p.y), F.add(F.mul(F.mul(p.x, p.x), p.x), F.b));
  return { add, neg, mul, onCurve };
}

export const g1 = curve(fq);
export const g2 = curve(fq2);
export const G1_GEN: Pt<bigint> = { x: 1n, y: 2n };
export const G2_GEN: Pt<F2> = {
  x: [10857046999023057135944570762232829481370756359578518086990519993285655852781n, 11559732032986387107991004021392285783925812861821192530917403151452391805634n],
  y: [8495653923123431417604973247489272438418190587263600148770280649306958101930n, 4082367875863433681332203403145435568316851327593401208105741076214120093531n],
};
