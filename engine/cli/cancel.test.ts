// Ctrl-C in the `stella` binary (spawned, real SIGINT): a 10,000-component scan and a 5,000-document
// advisory import, interrupted mid-way, exit 130 within 2 s and leave the store as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsFixtures } from '../../build/test-support/fixtures';
import { signalWhen } from '../../build/test-support/signal-when';
import { cancellationSetup, GHSA_FIXTURE, storeState } from '../../build/test-support/large-inputs';

test('Ctrl-C ends a 10,000-component scan and a 5,000-document import: exit 130 within 2 s, the store as it was', needsFixtures(...GHSA_FIXTURE), async () => {
  const { home, sbom, feed, before } = await cancellationSetup();

  const midway = (re: RegExp) => (line: string) => {
    const m = re.exec(line);
    return !!m && Number(m[1]) > 0 && (m[2] === undefined || Number(m[1]) < Number(m[2]));
  };
  const cases = [
    { name: 'scan', args: ['scan', sbom, '--json'], when: midway(/^stella: matching (\d+)\/(\d+)/) },
    { name: 'advisories import', args: ['advisories', 'import', feed, '--json'], when: midway(/^stella: importing advisories (\d+)/) },
  ];
  for (const k of cases) {
    const r = await signalWhen(['--home', home, ...k.args], k.when, 'SIGINT');
    assert.ok(r.at, `${k.name}: interrupted mid-way (stderr: ${r.stderr.slice(-500)})`);
    assert.equal(r.code, 130, `${k.name}: exit code (after "${r.at}"); stderr: ${r.stderr.slice(-500)}`);
    assert.ok(r.ms < 2000, `${k.name}: exited ${Math.round(r.ms)} ms after SIGINT`);
    assert.match(r.stderr, /cancelling/);
    assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'cancelled');
    assert.deepEqual(storeState(home), before, `${k.name}: the store is as it was`);
  }
});
