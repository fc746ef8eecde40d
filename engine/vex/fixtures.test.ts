/**
 * Every document of the shared VEX corpus is accepted or rejected as the standards say, and each CSAF
 * validator case gives the outcome its test section states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fixture, needsFixtures } from '../../build/test-support/fixtures';
import { serializeError } from '../core';
import { parseVexDocument } from './parse';
import { validateCsaf, csafTestSection } from './_internal/csaf';

const gate = needsFixtures('vex');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
}

/** Expected outcome of every non-validator-case JSON file of the corpus (path relative to fixtures/vex). */
const EXPECTED: [RegExp, 'accept' | 'reject', string][] = [
  [/^csaf\/csaf_2\.0\/test\//, 'accept', 'validator cases are checked per test section below'],
  [/^csaf\/csaf_2\.[01]\/examples\/csaf\//, 'accept', 'official CSAF examples (VEX profile and security advisories) are valid'],
  [/^csaf\/csaf_2\.0\/examples\/(ROLIE|aggregator|provider-metadata)\//, 'reject', 'CSAF distribution metadata, not VEX'],
  [/^csaf\/csaf_2\.0\/(json_schema|referenced_schema)\//, 'reject', 'JSON schemas'],
  [/^openvex-spec\//, 'reject', 'the OpenVEX schema and JSON-LD contexts'],
  [/^openvex-vexctl\/csaf\.json$/, 'reject', 'CSAF 2.0 that fails the strict schema (a branch with 4 properties) and mandatory test 6.1.13 (a maven purl without namespace)'],
  [/^openvex-vexctl\/examples\/csaf\/sbom\.spdx\.json$/, 'reject', 'an SPDX SBOM'],
  [/\.sarif\.json$/, 'reject', 'SARIF scan reports'],
  [/^openvex-vexctl\//, 'accept', 'OpenVEX 0.0.1/0.2.0 documents as vexctl reads them, and a valid CSAF VEX'],
  [/^nodejs-security-wg\//, 'accept', 'the Node.js OpenVEX document'],
  [/^cyclonedx-bom-examples\/VEX\/.*bom(-\d)?\.json$/, 'reject', 'companion SBOMs without vulnerabilities hold no VEX'],
  [/^cyclonedx-bom-examples\/VEX\//, 'accept', 'CycloneDX 1.4 VEX (CISA use cases and others)'],
];

test('every VEX fixture is accepted or rejected as expected, rejections with exit 3 and a located message', gate, async () => {
  const root = fixture('vex') as string;
  const files = walk(root).filter((f) => !relative(root, f).startsWith('csaf/csaf_2.0/test/'));
  assert.ok(files.length > 80, `corpus has ${files.length} files`);
  const wrong: string[] = [];
  let accepted = 0;
  for (const f of files.sort()) {
    const rel = relative(root, f);
    const rule = EXPECTED.find(([re]) => re.test(rel));
    assert.ok(rule, `no expectation for ${rel}`);
    let outcome: 'accept' | 'reject';
    try {
      const parsed = await parseVexDocument(readFileSync(f), f);
      outcome = 'accept';
      accepted++;
      assert.ok(parsed.identity.length > 0, rel);
    } catch (e) {
      outcome = 'reject';
      const err = serializeError(e);
      assert.equal(err.category, 'invalid-input', `${rel}: ${err.message}`);
      assert.ok(err.message.startsWith(`${f}:`), `${rel}: the message names the file: ${err.message}`);
    }
    if (outcome !== rule[1]) wrong.push(`${rel}: ${outcome}, expected ${rule[1]} (${rule[2]})`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(accepted >= 60, `accepted ${accepted}`);
});

/** `oasis_csaf_tc-csaf_2_0-2021-6-1-27-09-03.json` → { section: '6.1.27.9', failing: true }. */
function caseOf(name: string): { section: string; failing: boolean } {
  const parts = name.replace(/^oasis_csaf_tc-csaf_2_0-2021-/, '').replace(/\.json$/, '').split('-').map(Number);
  const n = parts.pop() as number;
  return { section: parts.join('.'), failing: n < 10 };
}

test('CSAF 2.0 validator cases: each failing example fails its mandatory test, each valid example passes it', gate, async () => {
  const dir = fixture('vex', 'csaf', 'csaf_2.0', 'test', 'validator', 'data', 'mandatory') as string;
  const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  assert.equal(names.length, 147);
  const wrong: string[] = [];
  for (const name of names) {
    const doc = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { document: { title: string } };
    const { section, failing } = caseOf(name);
    // The case's own title states the outcome; the file name's number must agree with it.
    assert.equal(/failing example/.test(doc.document.title), failing, name);
    const failures = await validateCsaf(doc, '2.0');
    const sections = new Set(failures.map((x) => x.section));
    if (failing !== sections.has(section)) wrong.push(`${name}: test ${section} ${sections.has(section) ? 'failed' : 'passed'}; expected it to ${failing ? 'fail' : 'pass'} (failed: ${[...sections].join(', ') || 'none'})`);
    if (failing) {
      await assert.rejects(parseVexDocument(readFileSync(join(dir, name)), name), (e: unknown) => {
        const err = serializeError(e);
        return err.category === 'invalid-input' && err.message.includes(`mandatory test ${section} at `) && Array.isArray(err.details.failedTests);
      }, name);
    }
  }
  assert.deepEqual(wrong, []);
});

test('CSAF validator cases valid for every test are imported; the schema test names itself', gate, async () => {
  const dir = fixture('vex', 'csaf', 'csaf_2.0', 'test', 'validator', 'data', 'mandatory') as string;
  // 6.1.27.9 valid example 1 is a complete csaf_vex document: it imports with statements.
  const parsed = await parseVexDocument(readFileSync(join(dir, 'oasis_csaf_tc-csaf_2_0-2021-6-1-27-09-11.json')), 'x.json');
  assert.equal(parsed.format, 'csaf');
  assert.equal(csafTestSection('mandatoryTest_6_1_27_10'), '6.1.27.10');
  assert.equal(csafTestSection('csaf_2_0_strict'), 'csaf_2_0_strict');
});
