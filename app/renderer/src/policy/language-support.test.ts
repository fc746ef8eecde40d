import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt, hoverAt, insideVexAny, markersFor, wordAt } from './language-support';
import { triageArgs } from '../vex/TriageForm';

const SRC = 'policy "p" syntax "stella-dsl@1" {\n  rule r {\n    when vex.any(issuer_class == "distro") and severity.lev\n    then status := "\n  }\n}\n';

test('wordAt finds dotted names', () => {
  for (const [line, col, want] of [
    ['  when severity.level == "high"', 12, 'severity.level'],
    ['  when severity.level == "high"', 24, null],
    ['epss >= 0.5', 3, 'epss'],
  ] as const) assert.equal(wordAt(line, col)?.word ?? null, want, `${line}@${col}`);
});

test('insideVexAny: only within the open parentheses', () => {
  assert.equal(insideVexAny('when vex.any(status == "x" and '), true);
  assert.equal(insideVexAny('when vex.any(status == "x") and '), false);
  assert.equal(insideVexAny('# vex.any(\nwhen '), false);
});

test('completion: fields by prefix, statuses inside status := "…", statement fields inside vex.any', () => {
  const lines = SRC.split('\n');
  const l3 = lines[2] as string;
  const fields = completionsAt(SRC, 3, l3.length + 1).items.map((i) => i.label);
  assert.deepEqual(fields, ['severity.level']);
  const l4 = lines[3] as string;
  assert.ok(completionsAt(SRC, 4, l4.length + 1).items.map((i) => i.label).includes('blocked'));
  const inAny = completionsAt(SRC, 3, l3.indexOf('issuer_class') + 4).items.map((i) => i.label);
  assert.ok(inAny.includes('issuer_class'));
});

test('hover documents built-ins, statement fields only inside vex.any', () => {
  const lines = SRC.split('\n');
  const l3 = lines[2] as string;
  assert.match(hoverAt(SRC, 3, l3.indexOf('vex.any') + 2)?.doc.title ?? '', /^vex\.any\(/);
  assert.match(hoverAt(SRC, 3, l3.indexOf('issuer_class') + 2)?.doc.title ?? '', /VEX statement field/);
  assert.equal(hoverAt(SRC, 1, 2), null);
});

test('markers: per file, 1-based, a zero-width range widened to one character', () => {
  const d = { file: 'a.stella', line: 3, column: 10, endLine: 3, endColumn: 10, severity: 'error' as const, code: 'x', message: 'm' };
  assert.deepEqual(markersFor([d, { ...d, file: 'pack.yaml' }], 'a.stella'), [{ startLineNumber: 3, startColumn: 10, endLineNumber: 3, endColumn: 11, severity: 'error', message: 'm', code: 'x' }]);
});

test('triage arguments: not_affected needs a justification, affected an action', () => {
  assert.deepEqual(triageArgs('s', 'f', 'not_affected', '', '', ''), { problem: 'A not_affected decision needs a justification.' });
  assert.deepEqual(triageArgs('s', 'f', 'not_affected', 'component_not_present', ' x ', ''), { scanId: 's', findingId: 'f', status: 'not_affected', justification: 'component_not_present', impact: 'x' });
  assert.ok('problem' in triageArgs('s', 'f', 'affected', '', '', ' '));
  assert.deepEqual(triageArgs('s', 'f', 'fixed', '', '', ''), { scanId: 's', findingId: 'f', status: 'fixed' });
});
