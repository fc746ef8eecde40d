/**
 * End-to-end: `stella serve` (in-process, fresh home) + the built UI in Debian's Chromium. Walks the
 * auditor's path with real fixtures — import the GHSA (OSV) Maven advisories and the CISA KEV catalog,
 * import the dropwizard-1.3.15 CycloneDX SBOM (scanned on import), read the findings, open the evidence
 * drawer, filter to KEV, save a view, reload and find the view again; scan a two-layer image built from
 * real fixture folders and read its image view; sign with the CLI, find it under Attestations, verify it
 * and a changed artifact, open its log proof; add a trust root in Settings and verify the audit chain —
 * and screenshots every screen to test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { cli } from '../../build/test-support/cli';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { filesUnder, writeDockerArchive } from '../../build/test-support/images';
import { startServe, type ServeHandle } from '../serve/server';
import { launchChromium, needsChromium, screenshotPath } from './support';

const ADVISORIES = ['advisories/maven/osv-scalibr-maven-ghsa.jsonl.gz', 'advisories/kev/known_exploited_vulnerabilities.json.gz'];
const SBOM = 'sbom/cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json';
/** A Debian bookworm dpkg database and Debian's Python dist-packages: the two layers of the image scanned below. */
const IMAGE_LAYERS = ['analyzers/dpkg-rootfs/debian-bookworm-built', 'analyzers/python-site-packages/debian-bookworm-dist-packages'];
const PASSPHRASE = 'e2e passphrase for the signing key';
const JOB_TIMEOUT = 180_000;

const chromiumGate = needsChromium();
const fixturesGate = [SBOM, ...IMAGE_LAYERS].map((f) => needsFixtures(f)).find((g) => g.skip) ?? { skip: false as const };
const skip = chromiumGate.skip || fixturesGate.skip;

describe('workstation end to end (stella serve + Chromium)', { skip, timeout: 600_000 }, () => {
  let serve: ServeHandle;
  let home: string;
  let browser: Browser;
  let page: Page;
  const serveLog: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    home = tempDir('stella-e2e-');
    serve = await startServe({ home, log: (l) => serveLog.push(l) });
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

  test('scan a real image: each layer’s progress, then the image view with its layers, build steps and the packages each layer added', async () => {
    await page.getByTestId('theme-toggle').click(); // back to light for the remaining screenshots
    const image = join(tempDir(), 'bookworm-app.tar');
    const built = await writeDockerArchive(image, [
      { files: filesUnder(fixture(...(IMAGE_LAYERS[0] as string).split('/')) as string), createdBy: '/bin/sh -c #(nop) ADD file:bookworm-rootfs in / ' },
      { files: filesUnder(fixture(...(IMAGE_LAYERS[1] as string).split('/')) as string), createdBy: 'RUN /bin/sh -c apt-get install -y python3-requests # buildkit' },
    ]);
    await page.getByTestId('nav-import').click();
    await page.getByTestId('file-image').setInputFiles(image);
    await waitForBatch('image-scan');
    const layers = page.getByTestId('layer-progress-item');
    assert.equal(await layers.count(), 2, 'both layers reported');
    for (const [i, l] of built.layers.entries()) {
      assert.match((await layers.nth(i).getAttribute('data-state')) ?? '', /^(done|cached)$/);
      assert.equal(await layers.nth(i).locator('[title]').getAttribute('title'), l.diffId);
    }
    await page.screenshot({ path: screenshotPath('11-image-scan') });
    await page.getByTestId('open-image').first().click();
    await page.getByTestId('image-view').waitFor();
    assert.match((await page.locator('main h1').textContent()) ?? '', /stella-test\/app:1\.0/);
    assert.match((await page.getByTestId('image-distro').textContent()) ?? '', /Debian GNU\/Linux 12/);
    const rows = page.getByTestId('image-layer');
    assert.equal(await rows.count(), 2);
    assert.match((await rows.nth(0).textContent()) ?? '', /ADD file:bookworm-rootfs in \//);
    assert.match((await rows.nth(1).textContent()) ?? '', /apt-get install -y python3-requests/);
    await page.getByRole('button', { name: /^7 packages added by layer 2$/ }).click();
    const added = page.getByTestId('layer-packages');
    await added.waitFor();
    const names = (await added.getByTestId('layer-package').allTextContents()).join('\n');
    for (const p of ['certifi', 'chardet', 'charset-normalizer', 'idna', 'requests', 'six', 'urllib3']) assert.match(names, new RegExp(p), `${p} was added by the Python layer`);
    assert.doesNotMatch(names, /base-files/, 'nothing of the Debian layer');
    const baseCount = Number(/^(\d+)/.exec((await rows.nth(0).locator('button').textContent()) ?? '')?.[1]);
    assert.ok(baseCount > 50, `the rootfs layer added the dpkg packages (${baseCount})`);
    await page.getByTestId('dependency-tree').waitFor();
    await page.screenshot({ path: screenshotPath('12-image-view'), fullPage: true });
  });

  test('attestations: sign with the CLI, see it listed, verify it (pass) and a changed artifact (fail, naming the check), its log proof', async () => {
    const dir = tempDir();
    const artifact = join(dir, 'release.tar');
    writeFileSync(artifact, 'the release artifact\n');
    const tampered = join(dir, 'release-tampered.tar');
    writeFileSync(tampered, 'the release artifact, changed\n');
    const bundle = join(dir, 'release.sigstore.json');
    const signed = await cli(['--home', home, 'attest', 'sign', '--type', 'sbom', '--predicate', fixture(...SBOM.split('/')) as string, '--subject', artifact, '-o', bundle], process.cwd(), { STELLA_PASSPHRASE: PASSPHRASE });
    assert.equal(signed.code, 0, signed.stderr);

    await page.getByTestId('nav-attestations').click();
    const item = page.getByTestId('signed-item').first();
    await item.waitFor();
    assert.match((await item.textContent()) ?? '', /#0.*sbom.*cyclonedx\.org\/bom.*release\.tar@sha256:[0-9a-f]{64}.*default \(ed25519\)/);

    await page.getByTestId('verify-bundle').setInputFiles(bundle);
    await page.getByTestId('verify-artifact').setInputFiles(artifact);
    await page.getByTestId('verify-run').click();
    await page.locator('[data-testid="verify-report"][data-verified="true"]').waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await page.locator('[data-testid="check"][data-status="fail"]').count(), 0);
    for (const c of ['signature', 'tlog-inclusion', 'artifact-digest']) assert.equal(await page.locator(`[data-testid="check"][data-check="${c}"]`).getAttribute('data-status'), 'pass', c);
    await page.screenshot({ path: screenshotPath('13-attestations-verified'), fullPage: true });

    // uploads are single-use: the page uploads the bundle again with the changed artifact
    await page.getByTestId('verify-artifact').setInputFiles(tampered);
    await page.getByTestId('verify-run').click();
    await page.locator('[data-testid="verify-report"][data-verified="false"]').waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await page.getByTestId('verify-failed-check').textContent(), 'artifact-digest');
    assert.equal(await page.locator('[data-testid="check"][data-check="artifact-digest"]').getAttribute('data-status'), 'fail');
    await page.screenshot({ path: screenshotPath('14-attestations-tampered'), fullPage: true });

    await page.getByTestId('show-proof').first().click();
    const viewer = page.getByTestId('proof-viewer');
    await viewer.waitFor();
    assert.equal(await viewer.getAttribute('data-verified'), 'true');
    assert.match((await page.getByTestId('proof-checkpoint').textContent()) ?? '', /signed by the log key/);
    await page.screenshot({ path: screenshotPath('15-log-proof'), fullPage: true });
  });

  test('settings: a trust root added with its purposes is listed; the audit trail records it and its chain verifies', async () => {
    const pem = join(tempDir(), 'partner-ci.pem');
    writeFileSync(pem, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('trust-file').setInputFiles(pem);
    await page.getByTestId('trust-purpose-kits').check();
    await page.getByTestId('trust-add').click();
    await page.getByTestId('trust-status').filter({ hasText: 'Added partner-ci for attestations, offline kits' }).waitFor();
    const row = page.locator('[data-testid="trust-row"][data-origin="added"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /partner-ci.*public-key.*attestations, offline kits/);
    assert.ok((await page.locator('[data-testid="key-row"]').count()) >= 1, 'the signing key the CLI created is listed');
    await page.screenshot({ path: screenshotPath('16-settings-trust'), fullPage: true });

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-entry').first().waitFor();
    assert.match((await page.getByTestId('audit-entry').first().textContent()) ?? '', /trust\.added.*partner-ci/);
    const kinds = await page.getByTestId('audit-kind').locator('option').allTextContents();
    for (const k of ['attest.signed', 'key.generated', 'trust.added']) assert.ok(kinds.some((x) => x.startsWith(k)), `${k} in ${kinds.join(', ')}`);
    await page.getByTestId('audit-verify').click();
    await page.locator('[data-testid="audit-verdict"][data-ok="true"]').waitFor();
    assert.match((await page.getByTestId('audit-verdict').textContent()) ?? '', /✓ The chain verifies: \d+ entries/);
    await page.screenshot({ path: screenshotPath('17-audit'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
