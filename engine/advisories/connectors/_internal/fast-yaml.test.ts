import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, type Tags } from 'yaml';
import { extractFixtureTarball, fixture, needsFixtures } from '../../../../build/test-support/fixtures';
import { fastParseBlockYaml } from './fast-yaml';

/** The reference: the full parser with the connectors' schema (see util.ts parseYamlDocument). */
const reference = (text: string): unknown =>
  parse(text, { customTags: (t: Tags) => t.filter((x) => !/:(int|float)$/.test(typeof x === 'string' ? x : x.tag)), uniqueKeys: true });

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

test('fast path equals the full parser on hand-made cases, or declines (null)', () => {
  const handled: [string, unknown][] = [
    ['a: 1\nb: 1.10\nc: true\nd: ~\ne:\nf: null\n', { a: '1', b: '1.10', c: true, d: null, e: null, f: null }],
    ['---\nlist:\n- a\n- b: 1\n  c: 2\n-\n  - x\n', { list: ['a', { b: '1', c: '2' }, ['x']] }],
    ['k: one\n  two\n\n  three\n', { k: 'one two\nthree' }],
    ["k: 'it''s\n  folded'\n", { k: "it's folded" }],
    ['k: "a\\tb \\u00e9\\\n  \\ c"\n', { k: 'a\tb é c' }],
    ['k: |\n  line1\n\n  line2\n\nnext: x\n', { k: 'line1\n\nline2\n', next: 'x' }],
    ['k: >-\n  one\n  two\n\n  three\n', { k: 'one two\nthree' }],
    ['k: |+\n  keep\n\n', { k: 'keep\n\n' }],
    ['# comment\nk:\n# inside\n  - a\nempty: []\nobj: {}\n', { k: ['a'], empty: [], obj: {} }],
    ['"quoted key": v\n\'single\': w\n', { 'quoted key': 'v', single: 'w' }],
    ['url: http://x.org/a:b\n', { url: 'http://x.org/a:b' }],
  ];
  for (const [text, expected] of handled) {
    assert.deepEqual(reference(text), expected, `reference agrees with the expectation: ${JSON.stringify(text)}`);
    assert.deepEqual(fastParseBlockYaml(text), expected, JSON.stringify(text));
  }
  const declined = [
    'a: &x 1\nb: *x\n', // anchors/aliases
    'a: !!str 1\n', // tags
    'a: [1, 2]\n', // flow sequence
    'a: 1\na: 2\n', // duplicate key
    'a: b # comment\n', // trailing comment
    'k: |2-\n\n  text\n', // explicit indentation indicator
    '%YAML 1.2\n---\na: 1\n',
    'a: 1\n---\nb: 2\n', // two documents
    '\ta: 1\n', // tab indentation
    'a:\n  b: 1\n c: 2\n', // bad indentation
    'just a scalar\n',
    'true: x\n', // boolean key
  ];
  for (const text of declined) assert.equal(fastParseBlockYaml(text), null, JSON.stringify(text));
});

test('fast path equals the full parser on every PYSEC and Alpine secdb file', needsFixtures('advisories', 'pypi-pysec-advisory-database.tar.gz'), (t) => {
  const files = [...yamlFiles(extractFixtureTarball('advisories', 'pypi-pysec-advisory-database.tar.gz')), ...yamlFiles(fixture('advisories', 'distro', 'alpine-secdb')!)];
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  let declined = 0;
  texts.forEach((text, i) => {
    const fast = fastParseBlockYaml(text);
    if (fast === null) {
      declined++;
      return;
    }
    assert.deepEqual(fast, reference(text), files[i]);
  });
  t.diagnostic(`${files.length} files, ${declined} declined to the full parser`);
  assert.equal(files.length, 2679);
  assert.ok(declined <= 10, `fast path handles nearly all real files (declined ${declined})`);
  let start = performance.now();
  for (const text of texts) fastParseBlockYaml(text);
  const fastMs = performance.now() - start;
  start = performance.now();
  for (const text of texts) reference(text);
  t.diagnostic(`fast path ${fastMs.toFixed(0)} ms, full parser ${(performance.now() - start).toFixed(0)} ms for ${files.length} files`);
});
