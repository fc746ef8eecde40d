/**
 * Evidence bundles and replay of a big scan: the 10,000-component SBOM of real affected Maven packages
 * scanned against the GHSA fixture (recorded), then — each measured with peak RSS — exporting the signed
 * bundle (gather, VEX, policy with explain traces, SBOM exports, five logged attestations, report.html,
 * archive), re-exporting it (byte-identical), verifying it, writing report.html alone, and replaying the
 * scan. Targets are reported, never asserted.
 */
import { loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock, sequentialIds } from '../../engine/core';
import { openStore } from '../../engine/store';
import { jobContext } from '../../engine/jobs/context';
import { importAdvisoriesJob } from '../../engine/jobs/import-advisories';
import { scanTargetJob } from '../../engine/jobs/scan';
import { generateKeyJob } from '../../engine/jobs/keys';
import { exportEvidenceJob, verifyEvidenceJob } from '../../engine/jobs/evidence';
import { reportJob } from '../../engine/jobs/report';
import { replayJob } from '../../engine/jobs/replay';
import { manifestBytes } from '../../engine/replay';
import { fixture, tempDir } from '../test-support/fixtures';
import { GHSA_FIXTURE, largeSbom } from '../test-support/large-inputs';
import { FAST_KDF, PASSPHRASE } from '../test-support/evidence';
import { measure, report } from './harness';

const BENCH = 'evidence';
const load = (): string => `load average ${loadavg()[0]?.toFixed(1)}`;
const ghsa = fixture(...GHSA_FIXTURE);
if (!ghsa) {
  report({ bench: BENCH, metric: 'skipped', value: 'the fixture corpus is absent (STELLA_FIXTURES)' });
  process.exit(0);
}
const ctx = jobContext({ clock: fixedClock('2026-01-02T03:04:05.000Z'), ids: sequentialIds() });
const home = tempDir('stella-bench-evidence-');
const store = openStore({ home });
const dir = tempDir();
const sbom = join(dir, 'large.cdx.json');
writeFileSync(sbom, largeSbom(10_000));
await importAdvisoriesJob(store, { paths: [ghsa] }, ctx);
const scan = await scanTargetJob(store, { path: sbom, record: true }, ctx);
await generateKeyJob(store, { name: 'default', profile: 'world', algorithm: 'ed25519', makeDefault: true }, async () => PASSPHRASE, ctx, FAST_KDF);
const findings = scan.scan.findings.length;
const what = `10,000 components, ${findings.toLocaleString('en')} findings`;

const first = await measure(() => exportEvidenceJob(store, { scan: scan.scan.id, output: join(dir, 'a.tar.gz') }, async () => PASSPHRASE, ctx, FAST_KDF));
report({ bench: BENCH, metric: `export evidence bundle (${what}), first export (5 attestations logged)`, value: Math.round(first.ms), unit: 'ms', note: `${(first.result.size / 1024 / 1024).toFixed(1)} MB bundle, ${first.result.files} files, ${Math.round(first.peakRssMb)} MB peak RSS, ${load()}` });
const again = await measure(() => exportEvidenceJob(store, { scan: scan.scan.id, output: join(dir, 'b.tar.gz') }, async () => PASSPHRASE, ctx, FAST_KDF));
report({ bench: BENCH, metric: `re-export of the same scan (byte-identical: ${again.result.digest === first.result.digest})`, value: Math.round(again.ms), unit: 'ms', note: `${Math.round(again.peakRssMb)} MB peak RSS` });
const verified = await measure(() => verifyEvidenceJob(store, { bundle: join(dir, 'a.tar.gz') }, ctx));
report({ bench: BENCH, metric: `export verify (outcome ${verified.result.outcome}: archive, digests, signature, signer, 5 attestations)`, value: Math.round(verified.ms), unit: 'ms', note: `${Math.round(verified.peakRssMb)} MB peak RSS` });
const page = await measure(() => reportJob(store, { scan: scan.scan.id, format: 'html' }, ctx));
report({ bench: BENCH, metric: 'report.html alone', value: Math.round(page.ms), unit: 'ms', note: `${(page.result.html.length / 1024 / 1024).toFixed(1)} MB page` });
const manifest = join(dir, 'scan.replay.json');
writeFileSync(manifest, manifestBytes(scan.replay?.manifest ?? (() => { throw new Error('not recorded'); })()));
const replayed = await measure(() => replayJob(store, { manifest }, ctx));
report({ bench: BENCH, metric: `replay of the recorded scan (${replayed.result.result})`, value: Math.round(replayed.ms), unit: 'ms', note: `${Math.round(replayed.peakRssMb)} MB peak RSS` });
store.close();
