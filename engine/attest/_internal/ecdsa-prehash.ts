/**
 * ECDSA verification over a digest that is already computed (P-256 and P-384). Node's crypto always
 * hashes the message itself, but a message-signature bundle checked against `sha256:HEX` (the artifact
 * is not at hand) only has the digest. Verification uses public values only, so plain BigInt
 * arithmetic (not constant-time) is fine here; nothing secret is ever computed with it.
 */
import type { KeyObject } from 'node:crypto';

interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
  bytes: number;
}

const CURVES: Record<string, Curve> = {
  prime256v1: {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    bytes: 32,
  },
  secp384r1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    bytes: 48,
  },
};

type Point = { x: bigint; y: bigint } | null;

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

function inv(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function add(c: Curve, P: Point, Q: Point): Point {
  if (!P) return Q;
  if (!Q) return P;
  if (P.x === Q.x) {
    if (mod(P.y + Q.y, c.p) === 0n) return null;
    const l = mod((3n * P.x * P.x + c.a) * inv(2n * P.y, c.p), c.p);
    const x = mod(l * l - 2n * P.x, c.p);
    return { x, y: mod(l * (P.x - x) - P.y, c.p) };
  }
  const l = mod((Q.y - P.y) * inv(Q.x - P.x, c.p), c.p);
  const x = mod(l * l - P.x - Q.x, c.p);
  return { x, y: mod(l * (P.x - x) - P.y, c.p) };
}

function mul(c: Curve, k: bigint, P: Point): Point {
  let R: Point = null;
  let A = P;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) R = add(c, R, A);
    A = add(c, A, A);
  }
  return R;
}

function readDerInt(buf: Buffer, off: number): { value: bigint; next: number } | undefined {
  if (buf[off] !== 0x02) return undefined;
  const len = buf[off + 1] as number;
  if (len === 0 || len > 0x7f || off + 2 + len > buf.length) return undefined;
  const bytes = buf.subarray(off + 2, off + 2 + len);
  return { value: BigInt(`0x${bytes.toString('hex')}`), next: off + 2 + len };
}

function parseSignature(sig: Buffer, c: Curve): { r: bigint; s: bigint } | undefined {
  if (sig.length === 2 * c.bytes) return { r: BigInt(`0x${sig.subarray(0, c.bytes).toString('hex')}`), s: BigInt(`0x${sig.subarray(c.bytes).toString('hex')}`) };
  if (sig[0] !== 0x30) return undefined;
  let off = 2;
  let total = sig[1] as number;
  if (total === 0x81) {
    total = sig[2] as number;
    off = 3;
  }
  if (off + total !== sig.length) return undefined;
  const r = readDerInt(sig, off);
  const s = r && readDerInt(sig, r.next);
  if (!r || !s || s.next !== sig.length) return undefined;
  return { r: r.value, s: s.value };
}

/** Verify an ECDSA signature (DER or r‖s) over `digest` with a P-256 / P-384 public key. */
export function verifyEcdsaPrehashed(publicKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const curveName = publicKey.asymmetricKeyDetails?.namedCurve;
  const c = curveName ? CURVES[curveName] : undefined;
  if (!c || publicKey.asymmetricKeyType !== 'ec') return false;
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) return false;
  const Q = { x: BigInt(`0x${Buffer.from(jwk.x, 'base64url').toString('hex')}`), y: BigInt(`0x${Buffer.from(jwk.y, 'base64url').toString('hex')}`) };
  const sig = parseSignature(Buffer.from(signature), c);
  if (!sig || sig.r <= 0n || sig.r >= c.n || sig.s <= 0n || sig.s >= c.n) return false;
  // e = leftmost bits of the digest, as many as the order has (FIPS 186-4 §6.4)
  let e = BigInt(`0x${Buffer.from(digest).toString('hex') || '0'}`);
  const excess = digest.length * 8 - c.n.toString(2).length;
  if (excess > 0) e >>= BigInt(excess);
  const w = inv(sig.s, c.n);
  const R = add(c, mul(c, mod(e * w, c.n), { x: c.gx, y: c.gy }), mul(c, mod(sig.r * w, c.n), Q));
  return R !== null && mod(R.x, c.n) === sig.r;
}
