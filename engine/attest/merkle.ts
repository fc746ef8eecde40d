/**
 * RFC 6962 / RFC 9162 Merkle trees: leaf and node hashing, inclusion and consistency proofs (generation
 * and verification). Verification follows transparency-dev/merkle's algorithms (the reference the test
 * vectors come from); generation follows the RFC's PATH/SUBPROOF recursion over a `NodeSource` that
 * can answer "hash of the perfect subtree at (level, index)" — from memory or from the store.
 */
import { createHash } from 'node:crypto';
import { AttestError } from './errors';

export const HASH_SIZE = 32;

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = sha256();

export function leafHash(data: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, data);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** Hashes of perfect subtrees: level 0 are leaf hashes; (level, index) covers leaves [index·2^level, (index+1)·2^level). */
export interface NodeSource {
  node(level: number, index: number): Buffer;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n)) && 2 ** Math.log2(n) === n;
}

/** Largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start:end]); every range the RFC recursion asks for decomposes into stored perfect subtrees. */
export function subtreeHash(src: NodeSource, start: number, end: number): Buffer {
  const n = end - start;
  if (n <= 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && start % n === 0) return src.node(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(subtreeHash(src, start, start + k), subtreeHash(src, start + k, end));
}

export function rootHash(src: NodeSource, size: number): Buffer {
  return subtreeHash(src, 0, size);
}

function checkSizes(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new AttestError('invalid-proof', `leaf index ${index} is not inside a tree of size ${size}`);
  }
}

/** RFC 6962 PATH(m, D[n]) for leaf `index` in the tree of the first `size` leaves, leaf to root. */
export function inclusionProof(src: NodeSource, index: number, size: number): Buffer[] {
  checkSizes(index, size);
  const path = (m: number, start: number, end: number): Buffer[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k ? [...path(m, start, start + k), subtreeHash(src, start + k, end)] : [...path(m - k, start + k, end), subtreeHash(src, start, start + k)];
  };
  return path(index, 0, size);
}

/** RFC 6962 PROOF(m, D[n]): consistency between the trees of the first size1 and size2 leaves. */
export function consistencyProof(src: NodeSource, size1: number, size2: number): Buffer[] {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) throw new AttestError('invalid-proof', `no consistency proof from size ${size1} to size ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const sub = (m: number, start: number, end: number, complete: boolean): Buffer[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [subtreeHash(src, start, end)];
    const k = splitPoint(n);
    return m <= k ? [...sub(m, start, start + k, complete), subtreeHash(src, start + k, end)] : [...sub(m - k, start + k, end, false), subtreeHash(src, start, start + k)];
  };
  return sub(size1, 0, size2, true);
}

// ---------------------------------------------------------------------------------------------------
// Verification (transparency-dev/merkle proof/verify.go), with BigInt so sizes past 2^32 stay exact.

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

function onesCount(n: bigint): number {
  return n.toString(2).split('').filter((c) => c === '1').length;
}

function trailingZeros(n: bigint): number {
  if (n === 0n) return 64;
  let z = 0;
  while (((n >> BigInt(z)) & 1n) === 0n) z++;
  return z;
}

function decompInclProof(index: bigint, size: bigint): { inner: number; border: number } {
  const inner = bitLength(index ^ (size - 1n));
  return { inner, border: onesCount(index >> BigInt(inner)) };
}

function chainInner(seed: Buffer, proof: readonly Buffer[], index: bigint): Buffer {
  return proof.reduce((acc, h, i) => (((index >> BigInt(i)) & 1n) === 0n ? nodeHash(acc, h) : nodeHash(h, acc)), seed);
}

function chainInnerRight(seed: Buffer, proof: readonly Buffer[], index: bigint): Buffer {
  return proof.reduce((acc, h, i) => (((index >> BigInt(i)) & 1n) === 1n ? nodeHash(h, acc) : acc), seed);
}

function chainBorderRight(seed: Buffer, proof: readonly Buffer[]): Buffer {
  return proof.reduce((acc, h) => nodeHash(h, acc), seed);
}

function fail(message: string): never {
  throw new AttestError('proof-failed', message);
}

function checkHashes(proof: readonly Uint8Array[], what: string): void {
  proof.forEach((h, i) => {
    if (h.length !== HASH_SIZE) fail(`${what}: proof hash ${i} has ${h.length} bytes, expected ${HASH_SIZE}`);
  });
}

/**
 * Which side each hash of an inclusion proof joins on, leaf to root (for showing the path): `right`
 * means the proof hash is the right child (node = H(acc, hash)), `left` the left child.
 */
export function inclusionProofSides(index: bigint | number, size: bigint | number): ('left' | 'right')[] {
  const i = BigInt(index);
  const n = BigInt(size);
  if (i < 0n || i >= n) fail(`inclusion proof: index ${i} is beyond the tree size ${n}`);
  const { inner, border } = decompInclProof(i, n);
  return [...Array.from({ length: inner }, (_, k) => (((i >> BigInt(k)) & 1n) === 0n ? ('right' as const) : ('left' as const))), ...Array.from({ length: border }, () => 'left' as const)];
}

/** The root an inclusion proof implies for leaf `index` of a tree of `size` leaves. */
export function rootFromInclusionProof(index: bigint | number, size: bigint | number, leaf: Uint8Array, proof: readonly Uint8Array[]): Buffer {
  const i = BigInt(index);
  const n = BigInt(size);
  if (i < 0n || i >= n) fail(`inclusion proof: index ${i} is beyond the tree size ${n}`);
  if (leaf.length !== HASH_SIZE) fail(`inclusion proof: the leaf hash has ${leaf.length} bytes, expected ${HASH_SIZE}`);
  checkHashes(proof, 'inclusion proof');
  const { inner, border } = decompInclProof(i, n);
  if (proof.length !== inner + border) fail(`inclusion proof: ${proof.length} hashes, expected ${inner + border} for index ${i} in a tree of ${n}`);
  const hashes = proof.map((p) => Buffer.from(p));
  return chainBorderRight(chainInner(Buffer.from(leaf), hashes.slice(0, inner), i), hashes.slice(inner));
}

/** Throws `proof-failed` unless `proof` shows leaf `index` is in the tree of `size` leaves with `root`. */
export function verifyInclusion(index: bigint | number, size: bigint | number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const got = rootFromInclusionProof(index, size, leaf, proof);
  if (!got.equals(Buffer.from(root))) fail(`inclusion proof: the computed root ${got.toString('base64')} does not match the expected root ${Buffer.from(root).toString('base64')}`);
}

/** Throws `proof-failed` unless `proof` shows the tree (size1, root1) is a prefix of (size2, root2). */
export function verifyConsistency(size1: bigint | number, size2: bigint | number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): void {
  const s1 = BigInt(size1);
  const s2 = BigInt(size2);
  const r1 = Buffer.from(root1);
  const r2 = Buffer.from(root2);
  checkHashes(proof, 'consistency proof');
  if (s2 < s1) fail(`consistency proof: size2 (${s2}) < size1 (${s1})`);
  // Every tree extends the empty one, so such a "proof" shows nothing; the reference vectors refuse it.
  if (s1 === 0n) fail('consistency proof: a proof from the empty tree proves nothing');
  if (s1 === s2) {
    if (proof.length > 0) fail('consistency proof: equal sizes need an empty proof');
    if (!r1.equals(r2)) fail('consistency proof: equal sizes but different roots (a fork)');
    return;
  }

  if (proof.length === 0) fail('consistency proof: empty proof');
  const decomp = decompInclProof(s1 - 1n, s2);
  const shift = trailingZeros(s1);
  const inner = decomp.inner - shift;
  const border = decomp.border;
  const hashes = proof.map((p) => Buffer.from(p));
  let seed = hashes[0] as Buffer;
  let start = 1;
  if (s1 === 1n << BigInt(shift)) {
    seed = r1;
    start = 0;
  }
  if (hashes.length !== start + inner + border) fail(`consistency proof: ${hashes.length} hashes, expected ${start + inner + border}`);
  const rest = hashes.slice(start);
  const mask = (s1 - 1n) >> BigInt(shift);
  const h1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!h1.equals(r1)) fail(`consistency proof: the proof does not lead to the old root ${r1.toString('base64')}`);
  const h2 = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!h2.equals(r2)) fail(`consistency proof: the proof does not lead to the new root ${r2.toString('base64')}`);
}

/** An in-memory tree over leaf hashes (verification of a whole log, tests). */
export class MemoryTree implements NodeSource {
  private readonly levels: Buffer[][] = [[]];

  get size(): number {
    return (this.levels[0] as Buffer[]).length;
  }

  append(leaf: Buffer): void {
    (this.levels[0] as Buffer[]).push(leaf);
    let level = 0;
    let index = this.size - 1;
    // complete every perfect subtree this leaf closes
    while (index % 2 === 1) {
      const row = this.levels[level] as Buffer[];
      const parent = nodeHash(row[index - 1] as Buffer, row[index] as Buffer);
      level++;
      if (!this.levels[level]) this.levels[level] = [];
      (this.levels[level] as Buffer[]).push(parent);
      index = (index - 1) / 2;
    }
  }

  node(level: number, index: number): Buffer {
    const h = this.levels[level]?.[index];
    if (!h) throw new AttestError('invalid-proof', `no complete subtree at level ${level}, index ${index} in a tree of ${this.size}`);
    return h;
  }

  root(size = this.size): Buffer {
    return rootHash(this, size);
  }
}
