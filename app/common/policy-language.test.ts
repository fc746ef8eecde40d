// The policy editor's language data (policy-language.gen.ts) is generated from engine/policy: this fails
// when it is out of date (run node build/scripts/gen-policy-language.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('app/common/policy-language.gen.ts is current with engine/policy/language.ts and the shipped packs', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const r = spawnSync(process.execPath, ['build/scripts/gen-policy-language.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
