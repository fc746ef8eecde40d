import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { extractFixtureTarball, needsFixtures } from '../../build/test-support/fixtures';
import { MemoryTree, consistencyProof, inclusionProof, leafHash, verifyConsistency, verifyInclusion, EMPTY_ROOT } from './merkle';

const MERKLE = needsFixtures('merkle', 'transparency-dev-merkle.tar.gz');

/** The leaves of RFC 6962's reference tests (certificate-transparency), which the vectors' happy paths use. */
const RFC_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));

function rfcTree(): MemoryTree {
  const t = new MemoryTree();
  for (const l of RFC_LEAVES) t.append(leafHash(l));
  return t;
}

function vectorFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const b64 = (s: string | null | undefined): Buffer => Buffer.from(s ?? '', 'base64');

test('transparency-dev/merkle inclusion vectors are decided as the reference decides them', MERKLE, () => {
  const root = join(extractFixtureTarball('merkle', 'transparency-dev-merkle.tar.gz'), 'transparency-dev-merkle', 'testdata', 'inclusion');
  const files = vectorFiles(root);
  assert.ok(files.length > 50, `found ${files.length} inclusion vectors`);
  let happy = 0;
  for (const f of files) {
    const v = JSON.parse(readFileSync(f, 'utf8')) as { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; wantErr: boolean; desc: string };
    let err: unknown;
    try {
      verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
    } catch (e) {
      err = e;
    }
    assert.equal(err !== undefined, v.wantErr, `${f}: ${v.desc} (${String(err)})`);
    if (!v.wantErr && v.treeSize <= RFC_LEAVES.length && v.treeSize > 0) {
      // happy paths are over the RFC leaves: our generated proof must be the reference proof
      const t = rfcTree();
      if (leafHash(RFC_LEAVES[v.leafIdx] as Buffer).equals(b64(v.leafHash))) {
        assert.deepEqual(inclusionProof(t, v.leafIdx, v.treeSize).map((h) => h.toString('base64')), v.proof ?? [], f);
        assert.equal(t.root(v.treeSize).toString('base64'), v.root, f);
        happy++;
      }
    }
  }
  assert.ok(happy >= 4, `generated proofs compared with ${happy} reference proofs`);
});

test('transparency-dev/merkle consistency vectors are decided as the reference decides them', MERKLE, () => {
  const root = join(extractFixtureTarball('merkle', 'transparency-dev-merkle.tar.gz'), 'transparency-dev-merkle', 'testdata', 'consistency');
  const files = vectorFiles(root);
  assert.ok(files.length > 50, `found ${files.length} consistency vectors`);
  let happy = 0;
  for (const f of files) {
    const v = JSON.parse(readFileSync(f, 'utf8')) as { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; wantErr: boolean; desc: string };
    let err: unknown;
    try {
      verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
    } catch (e) {
      err = e;
    }
    assert.equal(err !== undefined, v.wantErr, `${f}: ${v.desc} (${String(err)})`);
    if (!v.wantErr && v.size2 <= RFC_LEAVES.length && v.size1 > 0) {
      const t = rfcTree();
      if (t.root(v.size1).equals(b64(v.root1)) && t.root(v.size2).equals(b64(v.root2))) {
        assert.deepEqual(consistencyProof(t, v.size1, v.size2).map((h) => h.toString('base64')), v.proof ?? [], f);
        happy++;
      }
    }
  }
  assert.ok(happy >= 3, `generated proofs compared with ${happy} reference proofs`);
});

test('generated inclusion and consistency proofs verify for every index and size pair up to 40 leaves; any changed hash fails', () => {
  const t = new MemoryTree();
  assert.ok(t.root(0).equals(EMPTY_ROOT));
  for (let i = 0; i < 40; i++) t.append(leafHash(Buffer.from(`leaf ${i}`)));
  for (let size = 1; size <= 40; size++) {
    const r = t.root(size);
    for (let i = 0; i < size; i++) {
      const p = inclusionProof(t, i, size);
      verifyInclusion(i, size, t.node(0, i), p, r);
      if (p.length) {
        const bad = p.map((h) => Buffer.from(h));
        const first = bad[0] as Buffer;
        first[0] = (first[0] as number) ^ 1;
        assert.throws(() => verifyInclusion(i, size, t.node(0, i), bad, r), /inclusion proof/);
      }
    }
    for (let s1 = 1; s1 <= size; s1++) {
      const p = consistencyProof(t, s1, size);
      verifyConsistency(s1, size, p, t.root(s1), r);
      if (p.length) {
        const bad = p.map((h) => Buffer.from(h));
        const last = bad[p.length - 1] as Buffer;
        last[5] = (last[5] as number) ^ 0x80;
        assert.throws(() => verifyConsistency(s1, size, bad, t.root(s1), r), /consistency proof/);
      }
    }
  }
});

test('property: proofs over random tree sizes verify and a fork (different leaf) is detected', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), (size, a, b) => {
      const t = new MemoryTree();
      for (let i = 0; i < size; i++) t.append(leafHash(Buffer.from([i & 0xff, i >> 8])));
      const index = a % size;
      const s1 = 1 + (b % size);
      verifyInclusion(index, size, t.node(0, index), inclusionProof(t, index, size), t.root());
      verifyConsistency(s1, size, consistencyProof(t, s1, size), t.root(s1), t.root());
      // a log that rewrote one leaf before s1 cannot prove consistency with the old root
      const forked = new MemoryTree();
      for (let i = 0; i < size; i++) forked.append(leafHash(Buffer.from([i === index % s1 ? 0xee : i & 0xff, i >> 8])));
      assert.throws(() => verifyConsistency(s1, size, consistencyProof(forked, s1, size), t.root(s1), forked.root()));
    }),
    { numRuns: 60 },
  );
});
