import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findTextLimitViolation, lineColumnAt, textShapeOf, type TextLimitViolation } from './text-limits';

const cases: { name: string; doc: string; limits: { maxDepth?: number; maxStringBytes?: number }; expect: Partial<TextLimitViolation> | null }[] = [
  { name: 'short strings pass', doc: '{"a":"bcd","e":["fg"]}', limits: { maxStringBytes: 3, maxDepth: 2 }, expect: null },
  { name: 'a long string is found at its opening quote', doc: '{"a":"bcde"}', limits: { maxStringBytes: 3 }, expect: { kind: 'string', shape: 'json', offset: 5, length: 4, limit: 3 } },
  { name: 'a long key counts too', doc: '{"abcd":1}', limits: { maxStringBytes: 3 }, expect: { kind: 'string', offset: 1, length: 4 } },
  { name: 'escaped quotes do not end a string', doc: '{"a":"x\\"y\\"z"}', limits: { maxStringBytes: 6 }, expect: { kind: 'string', offset: 5, length: 7 } },
  { name: 'an escaped backslash before the closing quote ends it', doc: '{"a":"x\\\\","b":"yy"}', limits: { maxStringBytes: 3 }, expect: null },
  { name: 'three backslashes escape the quote', doc: '["x\\\\\\"abc"]', limits: { maxStringBytes: 7 }, expect: { kind: 'string', offset: 1, length: 8 } },
  { name: 'brackets inside strings are not nesting', doc: '["[[[[", "]]]"]', limits: { maxDepth: 1 }, expect: null },
  { name: 'too deep is found at the bracket that passes the limit', doc: '[[[1]]]', limits: { maxDepth: 2 }, expect: { kind: 'depth', offset: 2, limit: 2 } },
  { name: 'an unterminated string runs to the end', doc: '{"a":"bcdef', limits: { maxStringBytes: 3 }, expect: { kind: 'string', offset: 5, length: 5 } },
  { name: 'XML: a long text node', doc: '<a><b>0123456789</b></a>', limits: { maxStringBytes: 5 }, expect: { kind: 'string', shape: 'xml', offset: 6, length: 10 } },
  { name: 'XML: a long attribute value (inside a tag)', doc: '<a x="0123456789"/>', limits: { maxStringBytes: 8 }, expect: { kind: 'string', shape: 'xml', offset: 1, length: 17 } },
  { name: 'XML: short runs pass', doc: '<a><b>x</b><c y="z"/></a>', limits: { maxStringBytes: 8 }, expect: null },
  { name: 'lines: a long line', doc: 'SPDXVersion: SPDX-2.3\nPackageName: xxxxxxxxxxxxxxxxxxxx\n', limits: { maxStringBytes: 25 }, expect: { kind: 'string', shape: 'lines', offset: 22, length: 33 } },
  { name: 'lines: the last line without a newline counts', doc: 'a\nbbbbbb', limits: { maxStringBytes: 5 }, expect: { kind: 'string', shape: 'lines', offset: 2, length: 6 } },
];

for (const c of cases) {
  test(`text limits: ${c.name}`, () => {
    for (const src of [c.doc, Buffer.from(c.doc)]) {
      const v = findTextLimitViolation(src, c.limits);
      if (c.expect === null) assert.equal(v, null, typeof src);
      else {
        assert.ok(v, typeof src);
        for (const [k, want] of Object.entries(c.expect)) assert.equal((v as Record<string, unknown>)[k], want, `${typeof src} ${k}`);
      }
    }
  });
}

test('text limits: shape by first significant character (BOM and whitespace skipped)', () => {
  assert.equal(textShapeOf('  \n{"a":1}'), 'json');
  assert.equal(textShapeOf(Buffer.from('\ufeff[1]')), 'json');
  assert.equal(textShapeOf('\ufeff<bom/>'), 'xml');
  assert.equal(textShapeOf('spdxVersion: SPDX-2.3'), 'lines');
  assert.equal(textShapeOf(''), 'lines');
});

test('text limits: bytes count UTF-8 bytes, text counts code units', () => {
  const doc = '{"a":"ééé"}';
  assert.equal(findTextLimitViolation(Buffer.from(doc), { maxStringBytes: 5 })?.kind, 'string', '6 bytes');
  assert.equal(findTextLimitViolation(doc, { maxStringBytes: 5 }), null, '3 code units');
});

test('lineColumnAt: 1-based line and column for text and bytes', () => {
  for (const src of ['ab\ncd\nef', Buffer.from('ab\ncd\nef')]) {
    assert.deepEqual(lineColumnAt(src, 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumnAt(src, 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumnAt(src, 6), { line: 3, column: 1 });
  }
});
