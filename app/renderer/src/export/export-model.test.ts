import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canAdvance, freeSpaceText, initialForm, isExportsTarget, outputName, typeProblems, type WizardForm } from './export-model';

const form = (p: Partial<WizardForm>): WizardForm => ({ ...initialForm(), ...p });
const cases: [string, Partial<WizardForm>, RegExp | null][] = [
  ['evidence without a scan', { type: 'evidence' }, /choose the scan/],
  ['evidence with a scan', { type: 'evidence', scanId: 'scan_1' }, null],
  ['full mirror', { type: 'mirror' }, null],
  ['delta mirror without a base', { type: 'mirror', mirrorMode: 'delta', since: 'x' }, /delta needs/],
  ['kit with a bad version', { type: 'kit', version: '1.0', feeds: [{ kind: 'upload', uploadId: 'u1234567', name: 'osv.json' }] }, /semantic version/],
  ['kit without feeds', { type: 'kit', version: '1.0.0' }, /at least one advisory feed/],
  ['kit complete', { type: 'kit', version: '1.0.0-rc.1', feeds: [{ kind: 'folder', path: '/f' }] }, null],
];
for (const [name, p, problem] of cases) {
  test(`typeProblems: ${name}`, () => {
    const got = typeProblems(form(p));
    if (problem) assert.match(got.join('; '), problem);
    else assert.deepEqual(got, []);
    assert.equal(canAdvance('type', form(p), null), problem === null);
  });
}

test('output names, free space, exports target, target step', () => {
  assert.equal(outputName(form({ type: 'kit', channel: 'edge', version: ' 2.0.0 ' })), 'stella-kit-edge-2.0.0.tar.gz');
  assert.equal(outputName(form({ type: 'mirror', mirrorMode: 'delta' })), 'stella-mirror-delta');
  assert.equal(freeSpaceText({ freeBytes: 2048, sizeBytes: 4096 }, (n) => `${n}B`), '2048B free of 4096B');
  assert.equal(freeSpaceText({ freeBytes: null, sizeBytes: null }, String), null);
  assert.equal(isExportsTarget({ kind: 'folder', path: '/h/exports' }, { kind: 'folder', path: '/h/exports' }), true);
  assert.equal(isExportsTarget({ kind: 'folder', path: '/media/usb' }, undefined), false);
  assert.equal(canAdvance('target', form({}), null), false);
  assert.equal(canAdvance('target', form({}), { kind: 'folder', path: '/m' }), true);
});
