import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstDifference, valueAt } from './diff';

const CASES: { name: string; a: unknown; b: unknown; want: string | null }[] = [
  { name: 'equal scalars', a: 1, b: 1, want: null },
  { name: 'different scalars', a: 'x', b: 'y', want: '' },
  { name: 'type change', a: { x: 1 }, b: { x: '1' }, want: '/x' },
  { name: 'null vs object', a: { x: null }, b: { x: {} }, want: '/x' },
  { name: 'member order does not matter', a: { a: 1, b: [1, 2] }, b: { b: [1, 2], a: 1 }, want: null },
  { name: 'undefined members are absent', a: { a: 1, u: undefined }, b: { a: 1 }, want: null },
  { name: 'missing member', a: { a: 1, b: 2 }, b: { a: 1 }, want: '/b' },
  { name: 'first in code-unit order', a: { b: 1, a: 1, Z: 1 }, b: { b: 2, a: 2, Z: 2 }, want: '/Z' },
  { name: 'array item', a: [1, 2, 3], b: [1, 5, 3], want: '/1' },
  { name: 'longer array', a: [1, 2], b: [1, 2, 3], want: '/2' },
  { name: 'nested', a: { findings: [{ severity: { level: 'low' } }] }, b: { findings: [{ severity: { level: 'high' } }] }, want: '/findings/0/severity/level' },
  { name: 'escaped tokens', a: { 'a/b': { '~x': 1 } }, b: { 'a/b': { '~x': 2 } }, want: '/a~1b/~0x' },
];

for (const c of CASES) {
  test(`firstDifference: ${c.name}`, () => {
    assert.equal(firstDifference(c.a, c.b), c.want);
    if (c.want !== null && c.want !== '') assert.notDeepEqual(valueAt(c.a, c.want), valueAt(c.b, c.want));
  });
}

test('valueAt follows escaped pointers and refuses what is not there', () => {
  const doc = { 'a/b': { '~x': [10, 20] } };
  assert.equal(valueAt(doc, '/a~1b/~0x/1'), 20);
  assert.equal(valueAt(doc, '/a~1b/~0x/2'), undefined);
  assert.equal(valueAt(doc, '/a~1b/~0x/01'), undefined);
  assert.equal(valueAt(doc, '/nope'), undefined);
  assert.deepEqual(valueAt(doc, ''), doc);
});
