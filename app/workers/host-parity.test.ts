// The same SBOM and the same advisories through the CLI (spawned `stella scan --json`) and through the
// app (engine host → writer worker): the scans carry the same subject and snapshot, and the findings are
// byte-identical — stored in either home, printed by the CLI, listed by the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { EventPayloads, FindingRow, JobResults, Reply } from '../common/contract';
import { canonicalJson } from '../../engine/core';
import { getScan } from '../../engine/match';
import { openStore } from '../../engine/store';
import { scanJson } from '../../engine/cli/commands/scan';
import { fixture, needsFixtures, REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { GHSA_FIXTURE } from '../../build/test-support/large-inputs';
import { EngineHost } from '../main/host/engine-host';
import { fileResolver, PathGrants } from '../main/host/files';
import { EnginePool } from './pool';
import { defaultWorkerScript } from './worker-script';

const KEV = ['advisories', 'kev', 'known_exploited_vulnerabilities.json.gz'];
const DROPWIZARD = ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.xml'];

function stella(home: string, args: string[], status = 0): string {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), '--home', home, '-q', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, status, `stella ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function storedFindingBodies(home: string): string[] {
  const store = openStore({ home, readonly: true });
  try {
    return (store.db.prepare('SELECT body FROM match_findings ORDER BY rowid').all() as { body: string }[]).map((r) => r.body);
  } finally {
    store.close();
  }
}

test('the CLI and the app produce byte-identical findings for the same SBOM and snapshot', needsFixtures(...DROPWIZARD), async (t) => {
  const advisories = [fixture(...GHSA_FIXTURE), fixture(...KEV)];
  const sbom = fixture(...DROPWIZARD);
  if (advisories.some((p) => !p) || !sbom) return t.skip('fixtures (GHSA, KEV, dropwizard SBOM) not found');

  // CLI
  const cliHome = tempDir();
  stella(cliHome, ['advisories', 'import', ...(advisories as string[]), '--json']);
  // dropwizard 1.3.15 has KEV and critical findings: the active (shipped default) pack blocks it, exit 1.
  const cli = JSON.parse(stella(cliHome, ['scan', sbom, '--json'], 1)) as ReturnType<typeof scanJson>;

  // App
  const appHome = tempDir();
  const pool = new EnginePool({ home: appHome, workerScript: defaultWorkerScript(), readers: 1, log: () => {} });
  await pool.start();
  const host = new EngineHost({ backend: pool, files: fileResolver({ paths: new PathGrants(true) }), info: { version: '0', mode: 'serve', home: appHome, platform: process.platform } });
  let app: JobResults['scan.target'];
  let rows: FindingRow[];
  try {
    const runJob = async (start: Promise<Reply<unknown>>): Promise<EventPayloads['job.finished']> => {
      let off = (): void => undefined;
      const finished = new Promise<EventPayloads['job.finished']>((resolve) => (off = host.bus.on('job.finished', resolve)));
      const r = await start;
      assert.ok(r.ok, JSON.stringify(r));
      const f = await finished;
      off();
      assert.equal(f.state, 'succeeded', JSON.stringify(f.error));
      return f;
    };
    await runJob(host.invoke('advisories.import', { files: (advisories as string[]).map((path) => ({ kind: 'path', path })) }));
    app = (await runJob(host.invoke('scan.target', { file: { kind: 'path', path: sbom } }))).result as JobResults['scan.target'];
    const listed = await host.invoke('findings.list', { scanId: app.id });
    assert.ok(listed.ok);
    rows = listed.value as FindingRow[];
  } finally {
    await host.close({ drainMs: 1000 });
  }

  assert.equal(app.subject, cli.subject);
  assert.equal(app.snapshot, cli.snapshot);
  // One verdict from one job: the same pack, the same VEX set, the same counts and deciding rules.
  assert.equal(app.verdict?.verdict, cli.verdict);
  assert.equal(app.verdict?.pack.digest, cli.policy?.packDigest);
  assert.equal(app.verdict?.vexSetDigest, cli.vex?.setDigest);
  assert.deepEqual(app.verdict?.counts, cli.policy?.counts);
  assert.deepEqual(app.verdict?.rules, cli.policy?.rules);
  assert.ok(cli.findings.length > 10, `${cli.findings.length} findings`);
  // Stored in either home: the same bytes, in the same order.
  assert.deepEqual(storedFindingBodies(appHome), storedFindingBodies(cliHome));
  // What the CLI printed is exactly the app's stored scan in the CLI's JSON shape.
  const appStore = openStore({ home: appHome, readonly: true });
  try {
    assert.equal(canonicalJson(scanJson(getScan(appStore, app.id)).findings), canonicalJson(cli.findings.map(({ policy: _policy, ...f }) => f)));
  } finally {
    appStore.close();
  }
  // What the app lists is the same findings in the same order.
  assert.deepEqual(
    rows.map((r) => `${r.id} ${r.vulnerabilityId} ${r.purl} ${r.severity} ${r.kev}`),
    cli.findings.map((f) => `${f.id} ${f.vulnerabilityId} ${f.purl} ${f.severity.level} ${f.kev}`),
  );
});
