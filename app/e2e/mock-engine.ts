/**
 * A scripted engine for the UI tests in ui.test.ts: answers `POST /api/invoke/:channel` and
 * `POST /api/upload` through Playwright routing and pushes contract events over a routed WebSocket.
 * Data is shaped like the real pipeline's (dropwizard-1.3.15 SBOM × GHSA/KEV); the real pipeline is
 * exercised by workstation.test.ts against `stella serve`.
 */
import type { Page, WebSocketRoute } from 'playwright-core';
import type { ChannelResults, ComponentRow, EventName, EventPayloads, FindingExplain, FindingRow, LinksetView, ObservationView, Reply, ScanSummary, SbomDetail } from '../common/contract';

const jetty: ComponentRow = {
  ref: 'pkg:maven/org.eclipse.jetty.http2/http2-common@9.4.18.v20190429?type=jar',
  name: 'http2-common',
  group: 'org.eclipse.jetty.http2',
  version: '9.4.18.v20190429',
  purl: 'pkg:maven/org.eclipse.jetty.http2/http2-common@9.4.18.v20190429?type=jar',
  type: 'library',
  ecosystem: 'Maven',
  licenses: ['Apache-2.0', 'EPL-1.0'],
  hashes: [{ alg: 'SHA-1', content: '7d4f5e2ac3e3d0e4e2b1a4f2d6d2c6c0c1f2a3b4' }],
  locations: [],
};
const jackson: ComponentRow = {
  ref: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar',
  name: 'jackson-databind',
  group: 'com.fasterxml.jackson.core',
  version: '2.9.10',
  purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar',
  type: 'library',
  ecosystem: 'Maven',
  licenses: ['Apache-2.0'],
  hashes: [],
  locations: [],
};
const app: ComponentRow = { ref: 'pkg:maven/io.dropwizard/dropwizard-core@1.3.15?type=jar', name: 'dropwizard-core', group: 'io.dropwizard', version: '1.3.15', purl: 'pkg:maven/io.dropwizard/dropwizard-core@1.3.15?type=jar', type: 'library', ecosystem: 'Maven', licenses: ['Apache-2.0'], hashes: [], locations: [] };

const finding = (id: string, over: Partial<FindingRow>): FindingRow => ({
  id,
  vulnerabilityId: 'GHSA-0000-0000-0000',
  aliases: [],
  packageName: 'com.fasterxml.jackson.core:jackson-databind',
  ecosystem: 'Maven',
  purl: jackson.purl,
  componentRef: jackson.ref,
  installedVersion: '2.9.10',
  fixedVersions: ['2.9.10.1'],
  severity: 'high',
  score: 8.1,
  kev: false,
  ...over,
});

export const FINDINGS: FindingRow[] = [
  finding('f1', { vulnerabilityId: 'GHSA-qppj-fm5r-hxr3', aliases: ['CVE-2023-44487'], packageName: 'org.eclipse.jetty.http2:http2-common', purl: jetty.purl, componentRef: jetty.ref, installedVersion: '9.4.18.v20190429', fixedVersions: ['9.4.53'], severity: 'high', score: 7.5, kev: true }),
  finding('f2', { vulnerabilityId: 'GHSA-gww7-p5w4-wrfv', aliases: ['CVE-2019-20330'], severity: 'critical', score: 9.8 }),
  finding('f3', { vulnerabilityId: 'GHSA-h592-38cm-4ggp', aliases: ['CVE-2019-17531'], severity: 'critical', score: 9.8 }),
  finding('f4', { vulnerabilityId: 'GHSA-57j2-w4cx-62h2', aliases: ['CVE-2020-36518'], severity: 'high', score: 7.5, fixedVersions: ['2.12.6.1'] }),
  finding('f5', { vulnerabilityId: 'GHSA-jjjh-jjxp-wpff', aliases: ['CVE-2022-42003'], severity: 'high', score: 7.5, fixedVersions: [] }),
  finding('f6', { vulnerabilityId: 'GHSA-rgv9-q543-rqg4', aliases: ['CVE-2022-42004'], severity: 'medium', score: 5.3, fixedVersions: ['2.12.7.1'] }),
];

const scan: ScanSummary = {
  id: 'scan-1',
  subject: 'dropwizard-1.3.15',
  sbomId: 'sbom-1',
  snapshot: 'snap-1',
  createdAt: '2026-11-28T10:00:00Z',
  findingCount: FINDINGS.length,
  bySeverity: { critical: 2, high: 3, medium: 1, low: 0, none: 0, unknown: 0 },
  kevCount: 1,
  fixableCount: 5,
  verdict: {
    verdict: 'BLOCKED',
    pack: { name: 'stella-default', version: '1.0.0', digest: 'sha256:5f0c3b3d7f3e1c4a9d8e2b6a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e', source: 'builtin:default' },
    evaluationDate: '2026-11-28',
    vexSetDigest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    counts: { PASS: 1, WARN: 2, BLOCKED: 3 },
    rules: [
      { rule: 'block_critical', because: 'Critical severity', findings: 2 },
      { rule: 'block_kev', because: "Listed in CISA's Known Exploited Vulnerabilities catalog: attackers use it", findings: 1 },
    ],
    evaluatedAt: '2026-11-28T10:00:01Z',
    // Made before the last VEX import: the dashboard offers a re-evaluation.
    current: false,
  },
};

const activePack = { name: 'stella-default', version: '1.0.0', digest: 'sha256:5f0c3b3d7f3e1c4a9d8e2b6a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e', ref: 'builtin:default', builtin: 'default', activatedAt: null, approvals: [], shippedDefault: true };

const ghsaObs: ObservationView = {
  id: 'obs-ghsa',
  source: 'ghsa',
  advisoryId: 'GHSA-qppj-fm5r-hxr3',
  aliases: ['CVE-2023-44487'],
  summary: 'HTTP/2 Stream Cancellation Attack',
  published: '2023-10-10T21:28:24Z',
  modified: '2024-08-01T00:00:00Z',
  severities: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
  affected: [{ ecosystem: 'Maven', name: 'org.eclipse.jetty.http2:http2-common', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '9.3.0' }, { fixed: '9.4.53' }] }], versions: [] }],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2023-44487' }],
  raw: { digest: 'sha256:5f1c0e9a4b3d2c1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e', source: 'ghsa', uri: 'osv-scalibr-maven-ghsa.jsonl.gz#line=212', format: 'osv', specVersion: '1.6.0', importedAt: '2026-11-28T09:59:00Z' },
};
const kevObs: ObservationView = {
  id: 'obs-kev',
  source: 'kev',
  advisoryId: 'CVE-2023-44487',
  aliases: [],
  summary: 'IETF HTTP/2 Incorrect Resource Control Vulnerability',
  published: '2023-10-10T00:00:00Z',
  severities: [{ type: 'CVSS_V3', score: '5.3' }],
  affected: [{ ecosystem: 'Maven', name: 'org.eclipse.jetty.http2:http2-common', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '9.3.0' }, { fixed: '9.4.52' }] }], versions: [] }],
  references: [],
  raw: { digest: 'sha256:aa11bb22cc33dd44ee55ff6677889900aabbccddeeff00112233445566778899', source: 'kev', uri: 'known_exploited_vulnerabilities.json.gz', format: 'cisa-kev', importedAt: '2026-11-28T09:59:01Z' },
};
const linkset: LinksetView = {
  id: 'GHSA-qppj-fm5r-hxr3',
  aliases: ['CVE-2023-44487', 'GHSA-qppj-fm5r-hxr3'],
  observations: [ghsaObs, kevObs],
  conflicts: [
    { type: 'severity-mismatch', field: 'severities', observations: ['obs-ghsa', 'obs-kev'], message: 'ghsa says 7.5 (high), kev says 5.3 (medium)' },
    { type: 'affected-range-divergence', field: 'affected', observations: ['obs-ghsa', 'obs-kev'], message: 'fixed 9.4.53 vs 9.4.52' },
  ],
};

const sbomDetail: SbomDetail = {
  summary: { id: 'sbom-1', digest: 'sha256:0f0e0d0c0b0a09080706050403020100ffeeddccbbaa99887766554433221100', name: 'dropwizard-1.3.15', format: 'cyclonedx', specVersion: '1.1', componentCount: 3, dependencyCount: 2, importedAt: '2026-11-28T09:59:30Z' },
  subject: app,
  components: [app, jackson, jetty],
  dependencies: [
    { ref: app.ref, dependsOn: [jackson.ref, jetty.ref] },
    { ref: jetty.ref, dependsOn: [] },
  ],
};

export function explainOf(id: string): FindingExplain {
  const f = FINDINGS.find((x) => x.id === id) ?? (FINDINGS[0] as FindingRow);
  return {
    finding: f,
    component: f.componentRef === jetty.ref ? jetty : jackson,
    evidence: [
      {
        observation: f.id === 'f1' ? ghsaObs : { ...ghsaObs, id: `obs-${f.id}`, advisoryId: f.vulnerabilityId, aliases: f.aliases },
        matchedBy: 'purl + ECOSYSTEM range (maven comparator)',
        range: { type: 'ECOSYSTEM', events: [{ introduced: '9.3.0' }, { fixed: f.fixedVersions[0] ?? '9.4.53' }] },
        comparisons: [
          { left: f.installedVersion, op: '>=', right: '9.3.0', result: true, event: 'introduced' },
          { left: f.installedVersion, op: '<', right: f.fixedVersions[0] ?? '9.4.53', result: true, event: 'fixed' },
        ],
        rawExcerpt: '{"schema_version":"1.6.0","id":"GHSA-qppj-fm5r-hxr3","modified":"2024-08-01T00:00:00Z","aliases":["CVE-2023-44487"],"summary":"HTTP/2 Stream Cancellation Attack", ...',
      },
    ],
  };
}

type Handler = (args: Record<string, unknown>) => Reply<unknown> | Promise<Reply<unknown>>;

export interface MockEngine {
  /** Calls made, in order (channel + args). */
  calls: { channel: string; args: unknown }[];
  uploads: string[];
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  /** Override one channel's answer. */
  on(channel: keyof ChannelResults, h: Handler): void;
  state: { imported: boolean };
}

const ok = <T>(value: T): Reply<T> => ({ ok: true, value });

export async function installMockEngine(page: Page): Promise<MockEngine> {
  const sockets = new Set<WebSocketRoute>();
  const state = { imported: true };
  const handlers = new Map<string, Handler>([
    ['app.info', () => ok({ version: '0.1.0', mode: 'serve', home: '/tmp/stella-ui-test', platform: 'linux', nativeDialogs: false })],
    ['advisories.snapshot', () => ok({ id: 'snap-1-sha256:9a8b7c6d5e4f', documentCount: 1823, createdAt: new Date(Date.now() - 3 * 3600_000).toISOString(), sources: [{ source: 'ghsa', documents: 364, observations: 364, newestImportAt: '2026-11-28T09:59:00Z' }, { source: 'kev', documents: 1, observations: 1459, newestImportAt: '2026-11-28T09:59:01Z' }] })],
    ['sbom.list', () => ok(state.imported ? [sbomDetail.summary] : [])],
    ['sbom.get', () => ok(sbomDetail)],
    ['sbom.export', (a) => ok({ fileName: `dropwizard-1.3.15.${String(a.format).includes('xml') ? 'xml' : 'json'}`, mediaType: 'application/json', contentBase64: Buffer.from('{"bomFormat":"CycloneDX"}').toString('base64'), digest: 'sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef' })],
    ['scan.list', () => ok(state.imported ? [scan] : [])],
    ['findings.list', () => ok(FINDINGS)],
    ['findings.explain', (a) => ok(explainOf(String(a.findingId)))],
    ['advisories.search', (a) => ok(String(a.query).length ? [{ id: linkset.id, aliases: linkset.aliases, sources: ['ghsa', 'kev'], summary: ghsaObs.summary }] : [])],
    ['advisories.linkset', () => ok(linkset)],
    ['policy.active', () => ok(activePack)],
    ['policy.reevaluate', () => ok({ jobId: 'job_reevaluate_1' })],
    ['jobs.list', () => ok([])],
    ['jobs.cancel', () => ok({ cancelled: true })],
  ]);
  const mock: MockEngine = {
    calls: [],
    uploads: [],
    state,
    emit(event, payload) {
      for (const ws of sockets) ws.send(JSON.stringify({ event, payload }));
    },
    on(channel, h) {
      handlers.set(channel, h);
    },
  };
  await page.routeWebSocket(/\/api\/ws/, (ws) => {
    sockets.add(ws);
    ws.onClose(() => sockets.delete(ws));
  });
  await page.route(/\/api\/(invoke\/[^?]+|upload)/, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/api/upload') {
      const name = url.searchParams.get('name') ?? 'x';
      mock.uploads.push(name);
      await route.fulfill({ json: ok({ kind: 'upload', uploadId: `up_${mock.uploads.length}_abcdefgh`, name }) });
      return;
    }
    const channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
    const args = JSON.parse(route.request().postData() || '{}') as Record<string, unknown>;
    mock.calls.push({ channel, args });
    const h = handlers.get(channel);
    const reply = h ? await h(args) : { ok: false, error: { code: 'unknown-channel', message: `mock has no ${channel}` } };
    await route.fulfill({ json: reply });
  });
  return mock;
}
