/**
 * End-to-end: `stella serve` (in-process, fresh home) + the built UI in Debian's Chromium. Walks the
 * auditor's path with real fixtures — import the GHSA (OSV) Maven advisories and the CISA KEV catalog,
 * import the dropwizard-1.3.15 CycloneDX SBOM (scanned on import), read the findings, open the evidence
 * drawer, filter to KEV, save a view, reload and find the view again — and screenshots every screen to
 * test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { startServe, type ServeHandle } from '../serve/server';
import { launchChromium, needsChromium, screenshotPath } from './support';

const ADVISORIES = ['advisories/maven/osv-scalibr-maven-ghsa.jsonl.gz', 'advisories/kev/known_exploited_vulnerabilities.json.gz'];
const SBOM = 'sbom/cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json';
const JOB_TIMEOUT = 180_000;

const chromiumGate = needsChromium();
const fixturesGate = needsFixtures(SBOM);
const skip = chromiumGate.skip || fixturesGate.skip;

describe('workstation end to end (stella serve + Chromium)', { skip, timeout: 600_000 }, () => {
  let serve: ServeHandle;
  let browser: Browser;
  let page: Page;
  const serveLog: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    serve = await startServe({ home: tempDir('stella-e2e-'), log: (l) => serveLog.push(l) });
    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light', acceptDownloads: true });
    page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await serve?.close();
    if (process.exitCode && serveLog.length) process.stderr.write(`--- serve log ---\n${serveLog.slice(-40).join('\n')}\n`);
  });

  /** Waits for the newest import batch to finish; fails with the UI's own error text if it did not succeed. */
  async function waitForBatch(label: string): Promise<void> {
    const batch = page.getByTestId('import-batch').first();
    await page.waitForFunction(() => ['done', 'failed', 'cancelled'].includes(document.querySelector('[data-testid="import-batch"]')?.getAttribute('data-stage') ?? ''), undefined, { timeout: JOB_TIMEOUT });
    const stage = await batch.getAttribute('data-stage');
    if (stage !== 'done') {
      await page.screenshot({ path: screenshotPath(`failed-${label}`) });
      assert.fail(`${label} ended "${stage}": ${(await batch.textContent())?.trim()}\nserve log:\n${serveLog.slice(-20).join('\n')}`);
    }
  }

  test('dashboard of a fresh home', async () => {
    await page.goto(serve.url);
    await page.getByTestId('dashboard').waitFor();
    assert.doesNotMatch(page.url(), /token=/, 'the token is removed from the address bar');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('stella.serve.token')), serve.token, 'the UI keeps the token in sessionStorage');
    assert.deepEqual(await page.context().cookies(), [], 'no cookie carries the token');
    await page.getByTestId('card-snapshot').filter({ hasText: 'none' }).waitFor();
    await page.screenshot({ path: screenshotPath('01-dashboard-empty') });
  });

  test('import real advisories (GHSA OSV + CISA KEV) and a real SBOM, scanned on import', async () => {
    await page.getByTestId('nav-import').click();
    await page.getByTestId('file-advisories').setInputFiles(ADVISORIES.map((p) => fixture(p) as string));
    await waitForBatch('advisories-import');
    assert.match((await page.getByTestId('batch-result').first().textContent()) ?? '', /\d+ documents/);

    await page.getByTestId('file-sbom').setInputFiles(fixture(SBOM) as string);
    await waitForBatch('sbom-import');
    const result = (await page.getByTestId('batch-result').first().textContent()) ?? '';
    assert.match(result, /167 components/, 'dropwizard-1.3.15 lists 167 components');
    assert.match(result, /Scan found \d+ findings/);
    await page.screenshot({ path: screenshotPath('02-import') });
  });

  let kevCount = 0;
  test('findings of the scan, and the evidence chain of one finding', async () => {
    await page.getByTestId('open-findings').first().click();
    const rows = page.getByTestId('finding-row');
    await rows.first().waitFor();
    const total = Number(/of ([\d,]+) findings/.exec((await page.getByTestId('findings-count').textContent()) ?? '')?.[1]?.replace(/,/g, ''));
    assert.ok(total > 0, 'the scan has findings');
    await page.screenshot({ path: screenshotPath('03-findings') });

    await rows.first().click();
    const drawer = page.getByTestId('explain-drawer');
    await drawer.waitFor();
    await page.getByTestId('evidence-component').waitFor();
    await page.getByTestId('evidence-observation').first().waitFor();
    assert.match((await page.getByTestId('raw-digest').first().textContent()) ?? '', /^sha256:[0-9a-f]{64}$/);
    const cmp = page.getByTestId('comparisons').first();
    if (await cmp.count()) assert.ok((await cmp.locator('.cmp-true, .cmp-false').count()) > 0, 'comparisons show their results');
    await page.screenshot({ path: screenshotPath('04-explain-drawer') });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  test('filter to KEV and save the view', async () => {
    await page.getByTestId('filter-kev').check();
    // wait until every rendered row is a KEV row (the filter has been applied)
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="finding-row"]')];
      return rows.length > 0 && rows.every((r) => r.querySelector('.badge.kev'));
    });
    kevCount = Number(/^([\d,]+) of/.exec((await page.getByTestId('findings-count').textContent()) ?? '')?.[1]?.replace(/,/g, ''));
    assert.ok(kevCount > 0, 'CVE-2023-44487 (HTTP/2 Rapid Reset, in KEV) affects jetty http2 9.4.18 in this SBOM');
    const rows = page.getByTestId('finding-row');
    const n = await rows.count();
    for (let i = 0; i < n; i++) assert.match((await rows.nth(i).textContent()) ?? '', /KEV/);
    await page.getByTestId('view-name').fill('Known exploited');
    await page.getByTestId('save-view').click();
    await page.getByTestId('view-status').filter({ hasText: 'Saved' }).waitFor();
    await page.screenshot({ path: screenshotPath('05-findings-kev-saved-view') });
  });

  test('reload: the saved view is still there and restores the KEV filter', async () => {
    await page.reload();
    await page.getByTestId('finding-row').first().waitFor();
    assert.equal(await page.getByTestId('filter-kev').isChecked(), false);
    const select = page.getByTestId('saved-view-select');
    await select.locator('option', { hasText: 'Known exploited' }).waitFor({ state: 'attached' });
    await select.selectOption({ label: 'Known exploited' });
    assert.equal(await page.getByTestId('filter-kev').isChecked(), true);
    await page.waitForFunction((k) => (document.querySelector('[data-testid="findings-count"]')?.textContent ?? '').startsWith(`${k.toLocaleString('en')} of`), kevCount);
  });

  test('the other screens: dashboard, SBOM explorer, advisories linkset, settings, dark theme', async () => {
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('severity-chart').waitFor();
    await page.getByTestId('recent-scans').waitFor();
    // dropwizard 1.3.15 has KEV and critical findings: the shipped default pack blocks it, and says so.
    const verdict = page.getByTestId('scan-verdict').first();
    assert.equal((await verdict.textContent())?.trim(), 'blocked');
    assert.match((await verdict.getAttribute('title')) ?? '', /^stella-default@1\.0\.0 \(builtin:default\) on \d{4}-\d{2}-\d{2} — decided by block_/);
    await page.getByTestId('card-policy').filter({ hasText: 'stella-default@1.0.0' }).waitFor();
    await page.screenshot({ path: screenshotPath('06-dashboard') });

    await page.getByTestId('nav-sbom').click();
    await page.getByTestId('sbom-detail').waitFor();
    await page.getByRole('heading', { name: 'Components (167)' }).waitFor();
    await page.getByRole('searchbox', { name: 'Filter components' }).fill('http2-common');
    await page.getByRole('button', { name: /Show component http2-common/ }).first().click();
    await page.getByTestId('component-panel').waitFor();
    assert.match((await page.getByTestId('component-panel').textContent()) ?? '', /CVE-2023-44487/, 'the jetty component lists its KEV finding');
    await page.getByRole('searchbox', { name: 'Filter components' }).fill('');
    await page.screenshot({ path: screenshotPath('07-sbom') });
    for (const format of ['cyclonedx-json', 'spdx-json'] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
      const path = await download.path();
      const doc = JSON.parse(readFileSync(path, 'utf8')) as { bomFormat?: string; spdxVersion?: string; components?: unknown[]; packages?: unknown[] };
      if (format === 'cyclonedx-json') assert.equal(doc.bomFormat, 'CycloneDX');
      else assert.match(doc.spdxVersion ?? '', /^SPDX-2\.3$/);
      assert.ok((doc.components ?? doc.packages ?? []).length >= 167, `${format} export carries the components`);
    }

    await page.getByTestId('nav-advisories').click();
    await page.getByTestId('advisory-search').fill('CVE-2023-44487');
    await page.getByTestId('advisory-hits').locator('button').first().click();
    await page.getByTestId('linkset').waitFor();
    assert.ok((await page.getByTestId('observation').count()) >= 1);
    await page.screenshot({ path: screenshotPath('08-advisories-linkset') });

    await page.getByTestId('nav-settings').click();
    await page.getByText('Known exploited').waitFor();
    await page.screenshot({ path: screenshotPath('09-settings') });

    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('nav-findings').click();
    await page.getByTestId('finding-row').first().waitFor();
    await page.screenshot({ path: screenshotPath('10-findings-dark') });
    assert.deepEqual(pageErrors, []);
  });
});
