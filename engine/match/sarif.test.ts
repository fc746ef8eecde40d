import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stellaVersion } from '../core';
import { REPO_ROOT } from '../../build/test-support/fixtures';
import { toSarif, type ScanResult } from './index';

const scan: ScanResult = {
  id: 'scan_1',
  subject: 'app@sha256:00',
  snapshot: 'sha256:11',
  createdAt: '2026-01-01T00:00:00.000Z',
  options: { cpe: false, detection: 'default' },
  summary: { components: 0, componentsMatched: 0, findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 }, kev: 0, fixable: 0, withdrawnExcluded: 0, skippedRanges: [], skippedRangeCount: 0 },
  findings: [],
};

test('SARIF names the tool with the workstation version from package.json', () => {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(stellaVersion(), version);
  const sarif = toSarif(scan) as { runs: { tool: { driver: { name: string; version: string } } }[] };
  assert.deepEqual([sarif.runs[0]?.tool.driver.name, sarif.runs[0]?.tool.driver.version], ['stella', version]);
});
