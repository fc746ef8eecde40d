/**
 * A scripted engine for the UI tests in ui.test.ts: answers `POST /api/invoke/:channel` and
 * `POST /api/upload` through Playwright routing and pushes contract events over a routed WebSocket.
 * Data is shaped like the real pipeline's (dropwizard-1.3.15 SBOM × GHSA/KEV); the real pipeline is
 * exercised by workstation.test.ts against `stella serve`.
 */
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import type {
  AuditEntryView,
  ChannelResults,
  ComponentRow,
  EventName,
  EventPayloads,
  FindingExplain,
  FindingRow,
  ImageView,
  KeyView,
  LinksetView,
  LogProofView,
  ObservationView,
  Reply,
  ScanSummary,
  SbomDetail,
  SignedItemView,
  TrustEntryView,
  VerifyReport,
  VexTrustView,
} from '../common/contract';

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

// ---------- image view, keys, trust, attestations, log, audit, VEX trust ----------
const hex = (c: string): string => c.repeat(64).slice(0, 64);

export const IMAGE: ImageView = {
  sbomId: 'sbom-1',
  sbomName: `app.tar@sha256:${hex('ab')}`,
  scan: { id: 'scan-1', subject: `app.tar@sha256:${hex('ab')}`, createdAt: '2026-11-28T10:00:00Z' },
  digest: `sha256:${hex('ab')}`,
  format: 'docker-archive',
  architecture: 'amd64',
  os: 'linux',
  created: '2026-11-20T08:00:00Z',
  refs: ['registry.example/dropwizard-app:1.3.15'],
  distro: { id: 'debian', versionId: '12', name: 'Debian GNU/Linux 12 (bookworm)' },
  layers: [
    { index: 0, digest: `sha256:${hex('10')}`, diffId: `sha256:${hex('10')}`, size: 77_123_584, createdBy: '/bin/sh -c #(nop) ADD file:bookworm-rootfs.tar.xz in / ', components: [jackson.ref] },
    { index: 1, digest: `sha256:${hex('21')}`, diffId: `sha256:${hex('21')}`, size: 12_582_912, createdBy: 'COPY target/dropwizard-app.jar /app/ # buildkit', components: [app.ref, jetty.ref] },
  ],
  unattributed: [],
};

const KEYS: KeyView[] = [
  { name: 'default', keyId: hex('4d'), profile: 'world', algorithm: 'ed25519', isDefault: true, createdAt: '2026-11-01T09:00:00Z', publicKey: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA0000000000000000000000000000000000000000000=\n-----END PUBLIC KEY-----\n' },
];

const WORKSTATION_TRUST: TrustEntryView[] = [
  { name: 'key:default', kind: 'public-key', origin: 'workstation', purposes: ['attestations', 'kits', 'plugins'], digest: `sha256:${hex('4d')}`, keyIds: [hex('4d')], algorithm: 'ed25519', addedAt: '2026-11-01T09:00:00Z' },
  { name: 'log', kind: 'transparency-log', origin: 'workstation', purposes: ['attestations'], digest: `sha256:${hex('6c')}`, keyIds: [hex('6c')], addedAt: '2026-11-01T09:00:00Z' },
];

export const SIGNED: SignedItemView[] = [1, 0].map((i) => ({
  logIndex: i,
  uuid: hex(i ? 'a1' : 'b2'),
  kind: 'dsse',
  integratedTime: `2026-11-2${8 - i}T10:00:00.000Z`,
  digest: `sha256:${hex(i ? 'c3' : 'd4')}`,
  signers: [{ keyId: hex('4d'), keyName: 'default', algorithm: 'ed25519' }],
  signedBy: { seq: 2 + i, kind: 'attest.signed', at: `2026-11-2${8 - i}T10:00:00.000Z`, subject: `app-${i}.tar@sha256:${hex(i ? '5e' : '6f')}`, type: 'vuln', predicateTypes: ['https://in-toto.io/attestation/vulns/v0.2'], output: `app-${i}.sigstore.json` },
}));

export const PROOF: LogProofView = {
  entry: { index: 0, uuid: hex('b2'), kind: 'dsse', apiVersion: '0.0.1', integratedTime: '2026-11-28T10:00:00.000Z', body: '{\n  "apiVersion": "0.0.1",\n  "kind": "dsse"\n}' },
  leafHash: hex('b2'),
  inclusion: { treeSize: 2, rootHash: hex('99'), path: [{ hash: hex('a1'), side: 'right' }], verified: true },
  checkpoint: { note: `stella.invalid/log/0123456789abcdef\n2\nmZmZ…\n\n— stella.invalid/log/0123456789abcdef AbCdEf==\n`, origin: 'stella.invalid/log/0123456789abcdef', treeSize: 2, rootHash: hex('99'), signatureVerified: true },
  consistency: { fromSize: 1, toSize: 2, fromRoot: hex('b2'), toRoot: hex('99'), fromCheckpoint: 'stella.invalid/log/0123456789abcdef\n1\n…\n', hashes: [hex('a1')], verified: true },
  verified: true,
};

/** The report of a verification: pass, or the artifact digest check failing (a changed artifact). */
export function verifyReportFor(artifact: string, pass: boolean): VerifyReport {
  const check = (name: string, status: 'pass' | 'fail' | 'not-applicable', detail: string) => ({ name, status, detail });
  return {
    verified: pass,
    artifact: { label: artifact, digests: { sha256: hex(pass ? '5e' : '77') } },
    items: [
      {
        source: 'app-1.sigstore.json',
        kind: 'sigstore-bundle',
        verified: pass,
        checks: [
          check('signature', 'pass', 'ed25519 signature by default verifies'),
          check('signer-key', 'pass', 'key default is trusted for attestations'),
          check('certificate-chain', 'not-applicable', 'the bundle names a key, not a certificate'),
          check('tlog-inclusion', 'pass', 'entry 1 is included in the checkpoint at size 2'),
          check('timestamp', 'pass', 'integrated 2026-11-27T10:00:00Z'),
          pass ? check('artifact-digest', 'pass', 'the statement names this artifact') : check('artifact-digest', 'fail', `the statement names sha256:${hex('5e')}, the artifact is sha256:${hex('77')}`),
        ],
        signer: { keyId: hex('4d'), label: 'default' },
        statement: { predicateType: 'https://in-toto.io/attestation/vulns/v0.2', subjects: [{ name: 'app-1.tar', digest: { sha256: hex('5e') } }] },
      },
    ],
    ignored: [],
    ...(pass ? {} : { firstFailure: { source: 'app-1.sigstore.json', check: 'artifact-digest', detail: `the statement names sha256:${hex('5e')}, the artifact is sha256:${hex('77')}` } }),
  };
}

const AUDIT_KINDS = ['key.generated', 'attest.signed', 'attest.signed', 'trust.added', 'key.public-exported', 'trust.removed', 'attest.signed'];
export const AUDIT: AuditEntryView[] = AUDIT_KINDS.map((kind, i) => ({
  seq: i + 1,
  at: `2026-11-28T10:0${i}:00.000Z`,
  kind,
  subject: kind.startsWith('attest') ? `app-${i}.tar@sha256:${hex('5e')}` : kind.startsWith('trust') ? 'partner' : 'default',
  details: { n: i + 1, ...(kind === 'attest.signed' ? { logIndexes: [i] } : {}) },
  prevHash: `sha256:${hex(String(i))}`,
  entryHash: `sha256:${hex(String(i + 1))}`,
  keyId: hex('ad'),
  signature: 'c2lnbmF0dXJl',
}));

const VEX_TRUST: VexTrustView = {
  classes: { vendor: { tier: 3, weight: 1 }, distro: { tier: 3, weight: 0.9 }, internal: { tier: 4, weight: 1 }, community: { tier: 1, weight: 0.5 } },
  issuers: [],
  identity: 'Stella workstation',
};

type Handler = (args: Record<string, unknown>) => Reply<unknown> | Promise<Reply<unknown>>;

export interface MockEngine {
  /** Calls made, in order (channel + args). */
  calls: { channel: string; args: unknown }[];
  uploads: string[];
  /** The bytes of each upload, in order. */
  uploadBodies: Buffer[];
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  /** Override one channel's answer. */
  on(channel: keyof ChannelResults, h: Handler): void;
  /** `auditPageSize`: answer `audit.list` with at most this many entries (to page through the seven). */
  state: { imported: boolean; auditPageSize?: number };
}

const ok = <T>(value: T): Reply<T> => ({ ok: true, value });

/** A new page (in `ctx`, else a fresh context) of the built renderer at `url + hash`, answered by a mock engine; page errors are collected. */
export async function openMocked(browser: Browser, url: string, hash: string, ctx?: BrowserContext): Promise<{ page: Page; mock: MockEngine; ctx: BrowserContext; errors: string[] }> {
  const context = ctx ?? (await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: 'light', acceptDownloads: true }));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const mock = await installMockEngine(page);
  await page.goto(`${url}${hash}`);
  return { page, mock, ctx: context, errors };
}

export async function installMockEngine(page: Page): Promise<MockEngine> {
  const sockets = new Set<WebSocketRoute>();
  const state: MockEngine['state'] = { imported: true };
  const added: TrustEntryView[] = [];
  let vexTrust: VexTrustView = VEX_TRUST;
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
    // The policy studio and the VEX screen: a lint that flags `severity.levl` where it is typed, and one finding's VEX.
    [
      'policy.lint',
      (a) => {
        const files = ((a.pack as { files?: { path: string; text: string }[] }).files ?? []);
        const diagnostics = files.flatMap((f) =>
          f.text.split('\n').flatMap((l, i) => {
            const c = l.indexOf('severity.levl');
            return c < 0 ? [] : [{ file: f.path, line: i + 1, column: c + 1, endLine: i + 1, endColumn: c + 14, severity: 'error' as const, code: 'unknown-identifier', message: 'unknown identifier severity.levl (did you mean severity.level?)' }];
          }),
        );
        return ok({ pack: { source: 'editor', name: 'stella-default', version: '1.0.0', digest: null }, ok: diagnostics.length === 0, errors: diagnostics.length, warnings: 0, diagnostics });
      },
    ],
    ['policy.packs', () => ok({ active: activePack, versions: [], builtins: [{ ref: 'builtin:default', name: 'stella-default', version: '1.0.0', digest: activePack.digest, active: true }] })],
    ['policy.history', () => ok({ events: [] })],
    [
      'policy.evaluate',
      () =>
        ok({
          verdict: 'BLOCKED',
          findingsVerdict: 'BLOCKED',
          evaluationDate: '2026-11-28',
          pack: { name: activePack.name, version: activePack.version, digest: activePack.digest, source: 'builtin:default' },
          scan: { id: 'scan-1', subject: scan.subject },
          vex: { lookup: 'stored', setDigest: null },
          counts: { PASS: 1, WARN: 3, BLOCKED: 2 },
          rules: [],
          unknowns: { componentsWithoutPurl: 0, unresolvableRanges: 0, vexConflicts: 0, total: 0, budget: null, exceeded: false },
          findings: FINDINGS.map((f) => {
            const status = f.kev || f.severity === 'critical' ? 'blocked' : f.severity === 'high' ? 'warn' : 'pass';
            const rule = f.kev ? 'block_kev' : f.severity === 'critical' ? 'block_critical' : f.severity === 'high' ? 'warn_high' : null;
            return { findingId: f.id, vulnerabilityId: f.vulnerabilityId, purl: f.purl ?? null, status, verdict: status === 'blocked' ? 'BLOCKED' : status === 'warn' ? 'WARN' : 'PASS', rule, because: rule, ruleStatus: status, exception: null, severity: f.severity, vex: { status: 'none' } };
          }),
        }),
    ],
    ['vex.statements', () => ok([])],
    ['vex.consensus', (a) => ok({ vulnerability: { id: String(a.vulnerabilityId), aliases: [] }, component: { purl: String(a.purl ?? '') }, status: 'none', confidence: 0, statements: [], conflicts: [], digest: `sha256:${hex('c0')}` })],
    ['vex.unmatched', () => ok([])],
    ['policy.reevaluate', () => ok({ jobId: 'job_reevaluate_1' })],
    ['jobs.list', () => ok([])],
    ['jobs.cancel', () => ok({ cancelled: true })],
    ['image.get', () => ok(IMAGE)],
    ['keys.list', () => ok({ keys: KEYS, profiles: [{ profile: 'world', algorithms: ['ed25519', 'p256'], available: true }, { profile: 'fips', algorithms: ['p256', 'p384', 'rsa-pss-3072'], available: true }, { profile: 'sm', algorithms: ['sm2'], available: false, reason: 'OpenSSL has no SM2' }] })],
    ['keys.generate', (a) => ok({ name: String(a.name), keyId: hex('e7'), profile: a.profile, algorithm: a.algorithm ?? 'ed25519', isDefault: false, createdAt: '2026-11-28T11:00:00Z', publicKey: KEYS[0]?.publicKey })],
    ['keys.exportPublic', (a) => ok({ name: String(a.name), keyId: hex('4d'), algorithm: 'ed25519', fileName: `${String(a.name)}.pub.pem`, pem: KEYS[0]?.publicKey })],
    ['trust.list', () => ok([...WORKSTATION_TRUST, ...added])],
    [
      'trust.add',
      (a) => {
        const t: TrustEntryView = { name: String(a.name ?? 'partner'), kind: 'public-key', origin: 'added', purposes: a.purposes as TrustEntryView['purposes'], digest: `sha256:${hex('71')}`, keyIds: [hex('71')], algorithm: 'p256', addedAt: '2026-11-28T11:00:00Z' };
        added.push(t);
        return ok(t);
      },
    ],
    [
      'trust.remove',
      (a) => {
        const i = added.findIndex((t) => t.name === a.name);
        const [t] = added.splice(i, 1);
        return t ? ok(t) : { ok: false, error: { code: 'not-found', message: `no trust entry ${String(a.name)}` } };
      },
    ],
    ['attest.list', (a) => ok({ total: SIGNED.length, offset: Number(a.offset ?? 0), items: SIGNED.slice(Number(a.offset ?? 0)) })],
    ['attest.verify', () => ok(verifyReportFor('app-1.tar', true))],
    ['log.info', () => ok({ origin: PROOF.checkpoint.origin, baseUrl: `https://${PROOF.checkpoint.origin}`, logId: 'bG9nLWlk', publicKey: KEYS[0]?.publicKey, treeSize: 2, rootHash: 'mZmZ', checkpoint: PROOF.checkpoint.note })],
    ['log.proof', (a) => ok({ ...PROOF, entry: { ...PROOF.entry, index: Number(/^\d+$/.test(String(a.entry)) ? a.entry : 0) } })],
    [
      'audit.list',
      (a) => {
        const kind = a.kind ? String(a.kind) : undefined;
        const all = AUDIT.filter((e) => !kind || e.kind === kind || e.kind.startsWith(`${kind}.`)).reverse();
        const from = a.beforeSeq !== undefined ? all.filter((e) => e.seq < Number(a.beforeSeq)) : all;
        const limit = Math.min(Number(a.limit ?? 50), state.auditPageSize ?? Infinity);
        const entries = from.slice(0, limit);
        const kinds = [...new Set(AUDIT.map((e) => e.kind))].sort().map((k) => ({ kind: k, count: AUDIT.filter((e) => e.kind === k).length }));
        return ok({ entries, total: all.length, ...(from.length > limit ? { nextBeforeSeq: entries[entries.length - 1]?.seq } : {}), kinds, head: { seq: AUDIT.length, entryHash: AUDIT[AUDIT.length - 1]?.entryHash } });
      },
    ],
    ['audit.verify', () => ok({ ok: true, entries: AUDIT.length, head: { seq: AUDIT.length, entryHash: AUDIT[AUDIT.length - 1]?.entryHash } })],
    ['vex.trust', () => ok(vexTrust)],
    [
      'vex.trust.set',
      (a) => {
        const t = a.target as { kind: 'class' | 'issuer' | 'identity'; issuerClass?: 'vendor'; issuer?: string; tier?: number; weight?: number; name?: string };
        if (t.kind === 'class' && t.issuerClass) vexTrust = { ...vexTrust, classes: { ...vexTrust.classes, [t.issuerClass]: { tier: t.tier ?? vexTrust.classes[t.issuerClass].tier, weight: t.weight ?? vexTrust.classes[t.issuerClass].weight } } };
        if (t.kind === 'identity') vexTrust = { ...vexTrust, identity: String(t.name) };
        if (t.kind === 'issuer')
          vexTrust = {
            ...vexTrust,
            issuers: [
              ...vexTrust.issuers.filter((i) => i.issuer !== t.issuer),
              ...(t.issuerClass || t.tier !== undefined || t.weight !== undefined ? [{ issuer: String(t.issuer), ...(t.issuerClass ? { class: t.issuerClass } : {}), ...(t.tier !== undefined ? { tier: t.tier } : {}), ...(t.weight !== undefined ? { weight: t.weight } : {}) }] : []),
            ],
          };
        return ok(vexTrust);
      },
    ],
    // offline kits, export targets, notifications (the kit/export screens' data; jobs finish by mock.emit)
    ['feeds.age', () => ok({ asOf: '2026-11-20T00:00:00Z', ageDays: 8.2, stale: true, staleAfterDays: 7, basis: 'kit', snapshot: 'snap-1', message: 'advisory data is 8 days old' })],
    ['kits.status', () => ok({ channels: [{ channel: 'stable', kind: 'kit', version: '1.0.0', feedDate: '2026-11-20T00:00:00Z', activatedAt: '2026-11-21T10:00:00Z', forced: false, kitDigest: `sha256:${hex('a1')}` }], feedAge: { asOf: '2026-11-20T00:00:00Z', ageDays: 8.2, stale: true, staleAfterDays: 7, basis: 'kit', snapshot: 'snap-1', message: '' }, snapshot: 'snap-1', documents: 1823 })],
    ['kits.quarantine', () => ok([{ id: 'q1', quarantinedAt: '2026-11-22T09:00:00Z', source: '/media/usb/stella-kit-stable-0.9.0.tar.gz', kind: 'kit', check: 'version', code: 'non-monotonic', exitCode: 8, message: 'version 0.9.0 is not newer than the active 1.0.0', digest: `sha256:${hex('b2')}`, dir: '/tmp/q/q1' }])],
    ['kits.import', () => ok({ jobId: 'job_kit_1' })],
    ['kits.build', () => ok({ jobId: 'job_build_1' })],
    ['export.evidence', () => ok({ jobId: 'job_evidence_1' })],
    [
      'media.list',
      () =>
        ok([
          { ref: { kind: 'folder', path: '/tmp/stella-ui-test/exports', name: 'Exports folder (in the Stella home)' }, label: 'Exports folder (in the Stella home)', kind: 'exports', device: null, fsType: null, sizeBytes: 100 * 2 ** 30, freeBytes: 40 * 2 ** 30, writable: true },
          { ref: { kind: 'folder', path: '/run/media/auditor/KIT', name: 'KIT' }, label: 'KIT', kind: 'removable', device: '/dev/sdb1', fsType: 'vfat', sizeBytes: 16 * 2 ** 30, freeBytes: 15 * 2 ** 30, writable: true },
        ]),
    ],
    ['notify.since', () => ok({ last: 2, notifications: [{ seq: 1, at: '2026-11-21T10:00:00Z', kind: 'kit.imported', subject: 'k', title: 'Offline kit stable 1.0.0 activated', body: '364 advisories', severity: 'none', kev: false, channels: ['desktop'] }, { seq: 2, at: '2026-11-28T10:00:00Z', kind: 'feed.stale', subject: 's', title: 'Advisory data is 8 days old', body: '', severity: 'medium', kev: false, channels: ['desktop'] }] })],
    ['notify.rules', () => ok({ source: 'default', updatedAt: null, settings: { rules: [{ id: 'kits', enabled: true, kinds: ['kit.imported', 'kit.rejected'], channels: ['desktop', 'stderr', 'digest'] }] } })],
    [
      'plugins.list',
      () =>
        ok({
          sdkApi: 1,
          plugins: [
            { name: 'os/dpkg', version: 2, kind: 'analyzer', source: 'built-in', origin: 'built-in', digest: `sha256:${hex('d9')}`, status: 'loaded', folder: 'os-dpkg' },
            { name: 'acme/lockfile', version: 1, kind: 'analyzer', source: 'third-party', origin: 'unverified', digest: `sha256:${hex('e0')}`, status: 'refused', code: 'unsigned', reason: 'no plugin.sig.dsse.json: third-party plug-ins load only when signed', folder: 'acme-lockfile' },
          ],
        }),
    ],
  ]);
  const mock: MockEngine = {
    calls: [],
    uploads: [],
    uploadBodies: [],
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
      mock.uploadBodies.push(route.request().postDataBuffer() ?? Buffer.alloc(0));
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
