import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, digestJson, sha256Digest, isDigest, assertDigest, CoreError } from './index';

// RFC 8785 §3.2.2–3.2.4 examples and Appendix B number serialization samples.
const CASES: [string, unknown, string][] = [
  ['object keys sorted by UTF-16 code units', { b: 1, a: 2, '\u20ac': 3, '\r': 4, '1': 5, '\u00f6': 6 }, '{"\\r":4,"1":5,"a":2,"b":1,"ö":6,"€":3}'],
  ['nested arrays keep order', { z: [3, 1, { y: true, x: null }] }, '{"z":[3,1,{"x":null,"y":true}]}'],
  ['numbers as ECMAScript shortest form', [1e21, 1e-7, 0.000001, -0, 333333333.3333333, 1e23, 4.5], '[1e+21,1e-7,0.000001,0,333333333.3333333,1e+23,4.5]'],
  ['strings escaped minimally', ['\u0000\u001f"\\/\u2028é'], '["\\u0000\\u001f\\"\\\\/\u2028é"]'],
  ['literals', [true, false, null], '[true,false,null]'],
];

for (const [name, value, expected] of CASES) {
  test(`canonicalJson: ${name}`, () => {
    assert.equal(canonicalJson(value), expected);
  });
}

test('canonicalJson rejects values JSON cannot represent', () => {
  assert.throws(() => canonicalJson(Number.NaN), (e: unknown) => e instanceof CoreError && e.code === 'non-canonicalizable');
  assert.throws(() => canonicalJson(Infinity), CoreError);
});

test('digests: sha256 prefix, stable across key order', () => {
  assert.equal(sha256Digest('abc'), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(digestJson({ a: 1, b: 2 }), digestJson({ b: 2, a: 1 }));
  assert.notEqual(digestJson({ a: 1 }), digestJson({ a: 2 }));
  assert.ok(isDigest(digestJson([])));
  assert.equal(isDigest('sha256:ABC'), false);
  assert.throws(() => assertDigest('md5:00', 'layer digest'), /layer digest: expected "sha256:"/);
});
