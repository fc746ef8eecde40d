/**
 * report.html: opened in Chromium (Debian's, through playwright-core) it fetches nothing, logs no error,
 * runs no script and passes axe-core's rules; a screenshot goes to test-artifacts/screenshots/. Data that
 * carries markup (an SBOM, an advisory, a VEX statement and a file name written by an attacker) comes out
 * as text. `stella report` writes the very page the bundle carries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTarGz } from '../core';
import { openStore } from '../store';
import { tempDir } from '../../build/test-support/fixtures';
import { launchChromium, needsChromiumBinary, screenshotPath } from '../../build/test-support/chromium';
import { FAST_KDF, PASSPHRASE, needsScannedHome, scanContext, scannedHome } from '../../build/test-support/evidence';
import { exportEvidenceJob } from '../jobs/evidence';
import { reportJob } from '../jobs/report';
import { importAdvisoriesJob } from '../jobs/import-advisories';
import { scanTargetJob } from '../jobs/scan';
import { createVexStatement } from '../jobs/vex';
import { esc } from './report';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const HOSTILE = {
  subject: `<script>alert('subject')</script>`,
  component: 'x <img src=x onerror=alert(1)>',
  alias: 'GHSA-<svg onload=alert(3)>',
  file: 'adv-<b>bold<i>.json',
  action: `<script>alert('vex')</script> upgrade "now" & 'later'`,
};

/** A home whose SBOM, advisory, VEX decision and advisory file name all carry markup. */
async function hostileHome(): Promise<{ home: string; scanId: string }> {
  const home = tempDir('stella-hostile-report-');
  const dir = tempDir();
  const advisory = join(dir, HOSTILE.file);
  writeFileSync(
    advisory,
    JSON.stringify({
      schema_version: '1.6.0',
      id: 'PYSEC-2099-1',
      aliases: ['CVE-2099-0001', HOSTILE.alias],
      modified: '2026-01-01T00:00:00Z',
      summary: '</title><script>alert(4)</script>',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, versions: ['1'] }],
    }),
  );
  const sbom = join(dir, 'bom.json');
  writeFileSync(
    sbom,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      metadata: { component: { type: 'application', 'bom-ref': 'app', name: HOSTILE.subject, version: '1' } },
      components: [{ type: 'library', 'bom-ref': 'x', name: HOSTILE.component, version: '1', purl: 'pkg:pypi/x@1' }],
    }),
  );
  const store = openStore({ home });
  try {
    const ctx = scanContext();
    await importAdvisoriesJob(store, { paths: [advisory] }, ctx);
    const r = await scanTargetJob(store, { path: sbom }, ctx);
    assert.equal(r.scan.findings.length, 1);
    await createVexStatement(store, { vulnerability: 'CVE-2099-0001', purl: 'pkg:pypi/x@1', status: 'affected', action: HOSTILE.action }, ctx);
    return { home, scanId: r.scan.id };
  } finally {
    store.close();
  }
}

/** Open a page from a file and report what a careful reader would object to. */
async function openInChromium(file: string, screenshot?: string): Promise<{ requests: string[]; errors: string[]; dialogs: string[]; active: number; text: string; violations: unknown[] }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    const active = (await page.evaluate('document.querySelectorAll("script, img, iframe, object, embed, link, [onerror], [onload]").length')) as number;
    const text = (await page.evaluate('document.body.innerText')) as string;
    if (screenshot) await page.screenshot({ path: screenshotPath(screenshot), fullPage: true });
    // axe-core through the debugger (the page's CSP rightly refuses injected scripts)
    await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ rule: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`)) as unknown[];
    return { requests, errors, dialogs, active, text, violations };
  } finally {
    await browser.close();
  }
}

const needsBoth = (): { skip: string | false } => {
  const c = needsChromiumBinary();
  return c.skip ? c : needsScannedHome();
};

test('esc() leaves no markup', () => {
  assert.equal(esc(`<a href="x" onclick='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  assert.equal(esc(42), '42');
});

test('the bundle’s report.html opens in Chromium with no request, no console error and no axe-core violation (screenshot saved)', needsBoth(), async () => {
  const h = await scannedHome();
  const store = openStore({ home: h.home });
  let file: string;
  let standalone: string;
  try {
    const bundle = join(tempDir(), 'e.tar.gz');
    const r = await exportEvidenceJob(store, { scan: h.scanId, output: bundle }, async () => PASSPHRASE, scanContext(), FAST_KDF);
    const page = (await readTarGz(bundle, 'e')).find((m) => m.path === `${r.root}/report.html`);
    assert.ok(page);
    file = join(tempDir(), 'report.html');
    writeFileSync(file, page.bytes);
    // stella report writes the very same page
    standalone = join(tempDir(), 'standalone.html');
    const rep = await reportJob(store, { scan: h.scanId, format: 'html', output: standalone }, scanContext());
    assert.ok(readFileSync(standalone).equals(Buffer.from(page.bytes)), 'stella report and the bundle carry the same bytes');
    assert.equal(rep.verdict, r.verdict);
  } finally {
    store.close();
  }
  const html = readFileSync(file, 'utf8');
  for (const want of ['Subject and snapshot', 'Verdict', 'Findings by severity', 'Known exploited vulnerabilities', 'Evidence chain of each blocking finding', 'How to verify this evidence', 'verify.sh', h.keyId]) assert.ok(html.includes(want), want);
  assert.ok(!/<script|https?:\/\/(?!stella\.invalid)[a-z]/i.test(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')), 'no script, no external address');
  const seen = await openInChromium(file, 'report-html');
  assert.deepEqual(seen.requests, []);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.dialogs, []);
  assert.equal(seen.active, 0);
  assert.deepEqual(seen.violations, []);
  assert.match(seen.text, /BLOCKED/);
  assert.match(seen.text, /vulnerable_code_not_in_execute_path/, 'the triage decision is in the findings table');
});

test('markup in an SBOM, an advisory, a VEX statement and a file name is shown as text, never run', needsChromiumBinary(), async () => {
  const { home, scanId } = await hostileHome();
  const store = openStore({ home });
  const file = join(tempDir(), 'hostile.html');
  try {
    await reportJob(store, { scan: scanId, format: 'html', output: file }, scanContext());
  } finally {
    store.close();
  }
  const html = readFileSync(file, 'utf8');
  for (const bad of ['<script>alert', '<img src=x', '<svg onload', '<b>bold<i>', '</title><script>']) assert.ok(!html.includes(bad), `${bad} is escaped`);
  assert.ok(html.includes(esc(HOSTILE.subject)) && html.includes(esc(HOSTILE.component)) && html.includes(esc(HOSTILE.action)) && html.includes(esc(HOSTILE.alias)));
  const seen = await openInChromium(file, 'report-html-hostile');
  assert.deepEqual(seen.dialogs, [], 'no script ran');
  assert.deepEqual(seen.requests, []);
  assert.deepEqual(seen.errors, []);
  assert.equal(seen.active, 0);
  for (const s of Object.values(HOSTILE)) if (s !== HOSTILE.file) assert.ok(seen.text.includes(s), `shown as text: ${s}`);
  assert.ok(seen.text.includes(HOSTILE.file), 'the file name too');
  assert.deepEqual(seen.violations, []);
});
