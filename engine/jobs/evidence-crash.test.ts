/**
 * Crash safety of evidence export: a child process exporting bundles is killed with SIGKILL at random
 * points. Afterwards the target path holds nothing or a complete bundle that verifies (never a part), and
 * the store's audit trail and transparency log verify.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openStore } from '../store';
import { verifyAudit } from '../audit';
import { verifyLog } from '../attest';
import { REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { FAST_KDF, PASSPHRASE, needsScannedHome, scanContext, scannedHome } from '../../build/test-support/evidence';
import { generateKeyJob } from './keys';
import { verifyEvidenceJob } from './evidence';

const ROUNDS = 8;

test('SIGKILL while exporting evidence: no partial file at the target path; the audit trail and the log verify', needsScannedHome(), async (t) => {
  const h = await scannedHome();
  const setup = openStore({ home: h.home });
  try {
    // one key per round, so each round signs (and logs) attestations the log has not seen
    for (let r = 0; r < ROUNDS; r++) await generateKeyJob(setup, { name: `k${r}`, profile: 'world', algorithm: 'ed25519' }, async () => PASSPHRASE, scanContext(), FAST_KDF);
  } finally {
    setup.close();
  }
  const target = join(tempDir(), 'out', 'evidence.tar.gz');
  const child = join(REPO_ROOT, 'engine', 'jobs', 'testdata', 'export-loop.child.ts');
  let completedBeforeKill = 0;
  let killedBeforeFirst = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const lines = await new Promise<string[]>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', child, h.home, target, `k${round}`], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => {
        if (out === '' && d.toString().startsWith('ready')) setTimeout(() => p.kill('SIGKILL'), 100 + Math.floor(Math.random() * 1800));
        out += d.toString();
      });
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(out.split('\n').filter((l) => l.startsWith('{'))) : reject(new Error(`the child ended without being killed: ${err}`))));
    });
    if (lines.length) completedBeforeKill++;
    else killedBeforeFirst++;
    const store = openStore({ home: h.home });
    try {
      if (existsSync(target)) {
        const v = await verifyEvidenceJob(store, { bundle: target }, scanContext());
        assert.equal(v.outcome, 'ok', `round ${round}: the file at the target path is a complete bundle (${v.failure?.name}: ${v.failure?.detail})`);
      } else assert.equal(lines.length, 0, `round ${round}: an export completed, so its bundle must be there`);
      const audit = await verifyAudit(store, { signal: new AbortController().signal });
      assert.equal(audit.ok, true, `round ${round}: ${JSON.stringify(audit.firstBad)}`);
      const log = await verifyLog(store, { signal: new AbortController().signal });
      assert.deepEqual(log.problems, [], `round ${round}`);
      // every completed export was audited before its file appeared
      const exported = (store.db.prepare("SELECT COUNT(*) AS n FROM audit_entries WHERE kind = 'export.evidence'").get() as { n: number }).n;
      assert.ok(exported >= lines.length);
    } finally {
      store.close();
    }
    // temp files of an interrupted write may remain beside the target, never under its name
    if (existsSync(dirname(target))) for (const f of readdirSync(dirname(target))) assert.ok(f === 'evidence.tar.gz' || /^\.evidence\.tar\.gz\.[0-9a-f]{12}\.tmp$/.test(f), f);
  }
  t.diagnostic(`${completedBeforeKill} rounds killed after a complete export, ${killedBeforeFirst} before the first one completed`);
  assert.equal(completedBeforeKill + killedBeforeFirst, ROUNDS);
});
