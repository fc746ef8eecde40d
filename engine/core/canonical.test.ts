import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { fixturesDir, needsFixtures } from '../../build/test-support/fixtures';
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

// ---------- the fast path behind canonicalJson agrees with the generic RFC 8785 implementation ----------
// `canonicalize` (by an author of RFC 8785) is the reference; canonicalJson takes its own fast path for
// plain data, so every value below checks the fast path byte for byte against it.

const adversarial: [string, unknown][] = [
  ['negative zero', { a: -0, b: [-0] }],
  ['exponent boundaries', [1e21, 1e20, 1e-7, 1e-6, 123456789012345680000, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE]],
  ['integers past 2^53', [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, -(2 ** 60)]],
  ['RFC 8785 number samples', [333333333.3333333, 1e23, 4.5, 0.1 + 0.2, 2e-3, 9007199254740993]],
  ['keys in UTF-16 code-unit order, not code-point order', { '\u{1F600}': 1, '\uFFFF': 2, '\uE000': 3, '\u00e9': 4, e: 5, E: 6, '': 7, '10': 8, '9': 9 }],
  ['unicode and escapes in strings', ['\u0000\u0007\b\t\n\f\r\u001f', '"\\/', '\u2028\u2029', '\u{1F600}', 'é', '\u007f', '\u00a0']],
  ['lone surrogates', ['\uD800', '\uDFFF', 'a\uD83Db', { '\uDC00': '\uD800x' }]],
  ['a __proto__ member (as JSON.parse makes it)', JSON.parse('{"__proto__":{"x":1},"a":[{"__proto__":null}]}') as unknown],
  ['undefined members are omitted, undefined items become null', { a: undefined, b: [undefined, 1], c: { d: undefined } }],
  ['empty containers and literals', [{}, [], [[]], [{}], '', true, false, null, 0]],
  ['deep nesting', JSON.parse(`${'{"a":['.repeat(200)}1${']}'.repeat(200)}`) as unknown],
  ['an object with toJSON (generic path)', { when: new Date(0), nested: [{ toJSON: () => ({ z: 1, a: 2 }) }] }],
];

test('canonicalJson agrees byte for byte with the generic RFC 8785 implementation on adversarial values', () => {
  for (const [name, v] of adversarial) assert.equal(canonicalJson(v), canonicalize(v), name);
});

test('canonicalJson agrees with the generic implementation on real fixture documents', needsFixtures('sbom'), () => {
  const root = fixturesDir() as string;
  const files: string[] = [];
  for (const dir of ['sbom/cyclonedx-bom-examples', 'sbom/spdx-examples', 'advisories', 'vex', 'attest']) {
    if (!existsSync(join(root, dir))) continue;
    for (const f of readdirSync(join(root, dir), { recursive: true }) as string[]) if (f.endsWith('.json')) files.push(join(root, dir, f));
  }
  let checked = 0;
  for (const f of files.sort()) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
    } catch {
      continue; // the corpus holds deliberately broken JSON too
    }
    assert.equal(canonicalJson(doc), canonicalize(doc), f);
    checked++;
  }
  assert.ok(checked >= 100, `only ${checked} fixture documents checked`);
});

test('property: canonicalJson agrees with the generic implementation on random JSON data', () => {
  const fullUnicodeJson = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string({ unit: 'binary' }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 6 }),
    ),
  })).value;
  fc.assert(
    fc.property(fullUnicodeJson, (v) => canonicalJson(v) === canonicalize(v)),
    { numRuns: 2000, seed: 8785 },
  );
});

test('canonicalJson refuses what JSON cannot hold, wherever it sits', () => {
  const bad: [string, unknown][] = [['undefined', undefined], ['NaN', Number.NaN], ['-Infinity', -Infinity], ['nested NaN', { a: Number.NaN }], ['Infinity in an array', [Infinity]], ['a function', { f: () => 1 }], ['a symbol', [Symbol('s')]], ['a bigint', { n: 10n }]];
  for (const [name, v] of bad) assert.throws(() => canonicalJson(v), (e: unknown) => e instanceof CoreError && e.code === 'non-canonicalizable', name);
});
