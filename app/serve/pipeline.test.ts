// The whole contract over HTTP + WebSocket against the real engine in real workers: upload an SBOM and
// an OSV advisory, import both as jobs (progress + finished events), scan, list findings, explain one,
// export the SBOM. Documents are built here so the test does not depend on the fixture corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startServe } from './server';
import { createHttpClient, type JobResults, type WebSocketCtor } from '../common/contract';
import { runJob, value, waitForSockets } from '../../build/test-support/serve-client';

const SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  metadata: { component: { type: 'application', name: 'demo-app', version: '1.0.0', 'bom-ref': 'demo-app' } },
  components: [
    { type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', 'bom-ref': 'pkg:npm/lodash@4.17.20' },
    { type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', 'bom-ref': 'pkg:npm/left-pad@1.3.0' },
  ],
  dependencies: [{ ref: 'demo-app', dependsOn: ['pkg:npm/lodash@4.17.20', 'pkg:npm/left-pad@1.3.0'] }],
};

const OSV = {
  schema_version: '1.6.0',
  id: 'GHSA-35jh-r3h4-6jhm',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  modified: '2024-01-01T00:00:00Z',
  published: '2021-02-15T00:00:00Z',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' }],
};


test('import, scan, findings, explain and export over HTTP + WebSocket', { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'stella-pipeline-'));
  const s = await startServe({ home, readers: 1, log: () => {} });
  const client = createHttpClient(`http://127.0.0.1:${s.port}`, s.token, { WebSocket: WebSocket as unknown as WebSocketCtor });
  try {
    client.subscribe('store.changed', () => {});
    await waitForSockets(s);

    const sbomFile = value(await client.upload(new TextEncoder().encode(JSON.stringify(SBOM)), 'demo.cdx.json'));
    const imp = await runJob(client, () => client.invoke('sbom.import', { file: sbomFile }));
    assert.equal(imp.finished.state, 'succeeded', JSON.stringify(imp.finished.error));
    const summary = imp.finished.result as JobResults['sbom.import'];
    assert.equal(summary.componentCount, 2);
    assert.equal(summary.format, 'cyclonedx-json');
    assert.ok(imp.progress.length >= 1);

    const list = value(await client.invoke('sbom.list', {}));
    assert.deepEqual(list.map((x) => x.id), [summary.id]);
    const detail = value(await client.invoke('sbom.get', { id: summary.id }));
    assert.deepEqual(detail.components.map((c) => c.name).sort(), ['left-pad', 'lodash']);
    assert.equal(detail.components.find((c) => c.name === 'lodash')?.ecosystem, 'npm');

    const noAdvisories = await runJob(client, () => client.invoke('scan.run', { sbomId: summary.id }));
    assert.equal(noAdvisories.finished.state, 'failed');
    assert.equal(noAdvisories.finished.error?.code, 'missing-data');

    const advFile = value(await client.upload(new TextEncoder().encode(JSON.stringify(OSV)), 'GHSA-35jh-r3h4-6jhm.json'));
    const adv = await runJob(client, () => client.invoke('advisories.import', { files: [advFile] }));
    assert.equal(adv.finished.state, 'succeeded', JSON.stringify(adv.finished.error));
    const report = adv.finished.result as JobResults['advisories.import'];
    assert.equal(report.documents, 1);
    assert.equal(report.new, 1);
    const snap = value(await client.invoke('advisories.snapshot', {}));
    assert.equal(snap.documentCount, 1);
    const hits = value(await client.invoke('advisories.search', { query: 'lodash' }));
    assert.ok(hits.some((h) => h.id === 'GHSA-35jh-r3h4-6jhm'));
    const linkset = value(await client.invoke('advisories.linkset', { id: 'CVE-2021-23337' }));
    assert.equal(linkset.observations.length, 1);

    const scan = await runJob(client, () => client.invoke('scan.run', { sbomId: summary.id }));
    assert.equal(scan.finished.state, 'succeeded', JSON.stringify(scan.finished.error));
    const scanSummary = scan.finished.result as JobResults['scan.run'];
    assert.equal(scanSummary.findingCount, 1);
    assert.equal(value(await client.invoke('scan.list', {}))[0]?.id, scanSummary.id);

    const findings = value(await client.invoke('findings.list', { scanId: scanSummary.id }));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.packageName, 'lodash');
    assert.deepEqual(findings[0]?.fixedVersions, ['4.17.21']);
    const explain = value(await client.invoke('findings.explain', { scanId: scanSummary.id, findingId: findings[0]!.id }));
    assert.equal(explain.component?.name, 'lodash');
    assert.equal(explain.evidence[0]?.observation.advisoryId, 'GHSA-35jh-r3h4-6jhm');
    assert.match(explain.evidence[0]?.rawExcerpt ?? '', /lodash|GHSA/);

    // Provenance records the name the advisory was uploaded under, not the temporary copy's path.
    assert.equal(explain.evidence[0]?.observation.raw.uri, 'upload:GHSA-35jh-r3h4-6jhm.json');

    // A lockfile (or image, or filesystem archive) is inventoried, stored as an SBOM and scanned in one job.
    const lock = { name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0', dependencies: { lodash: '4.17.20' } }, 'node_modules/lodash': { version: '4.17.20' } } };
    const lockFile = value(await client.upload(new TextEncoder().encode(JSON.stringify(lock)), 'package-lock.json'));
    const target = await runJob(client, () => client.invoke('scan.target', { file: lockFile }));
    assert.equal(target.finished.state, 'succeeded', JSON.stringify(target.finished.error));
    const targetSummary = target.finished.result as JobResults['scan.target'];
    assert.equal(targetSummary.findingCount, 1);
    const targetFindings = value(await client.invoke('findings.list', { scanId: targetSummary.id }));
    assert.equal(targetFindings[0]?.purl, 'pkg:npm/lodash@4.17.20');
    assert.ok(targetSummary.sbomId && value(await client.invoke('sbom.list', {})).some((x) => x.id === targetSummary.sbomId), 'the inventory is stored as an SBOM');

    const out = value(await client.invoke('sbom.export', { id: summary.id, format: 'spdx-json' }));
    assert.match(out.fileName, /\.json$/);
    const doc = JSON.parse(Buffer.from(out.contentBase64, 'base64').toString('utf8')) as { spdxVersion: string };
    assert.equal(doc.spdxVersion, 'SPDX-2.3');

    const missing = await client.invoke('sbom.get', { id: 'sbom_nope' });
    assert.equal(missing.ok ? 'ok' : missing.error.code, 'not-found');
    const badDoc = value(await client.upload(new TextEncoder().encode('{"not":"an sbom"}'), 'junk.json'));
    const rejected = await runJob(client, () => client.invoke('sbom.import', { file: badDoc }));
    assert.equal(rejected.finished.state, 'failed');
    assert.equal(rejected.finished.error?.code, 'invalid-input');
  } finally {
    client.close();
    await s.close();
    rmSync(home, { recursive: true, force: true });
  }
});
