/**
 * UI behaviour in Debian's Chromium against a scripted engine (mock-engine.ts): the built renderer is
 * served statically and the contract's HTTP/WebSocket endpoints are answered by Playwright routing, so
 * these tests pin the UI's own logic (filters, keyboard, saved views across reload, job progress,
 * cancel, error display, linkset conflicts, export, theme) independently of the engine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openMocked, type MockEngine } from './mock-engine';
import { launchChromium, needsChromium, screenshotPath, serveStatic, waitFor } from './support';

const gate = needsChromium();
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe('renderer against a scripted engine', { skip: gate.skip }, () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };
  before(async () => {
    server = await serveStatic();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = (hash: string, ctx?: BrowserContext): Promise<{ page: Page; mock: MockEngine; ctx: BrowserContext; errors: string[] }> => openMocked(browser, server.url, hash, ctx);

  test('findings: KEV filter, keyboard to the explain drawer, saved view survives a reload', async () => {
    const { page, ctx, errors } = await open('#/findings');
    const rows = page.getByTestId('finding-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 6);
    // default sort: severity desc — the two criticals first
    assert.match((await rows.first().textContent()) ?? '', /critical/i);

    await page.getByTestId('filter-kev').check();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding-row"]').length === 1);
    assert.match((await rows.first().textContent()) ?? '', /GHSA-qppj-fm5r-hxr3/);
    assert.match((await page.getByTestId('findings-count').textContent()) ?? '', /1 of 6 findings/);

    // keyboard: focus the grid, Enter opens the drawer, Esc closes it and focus returns to the grid
    await page.getByTestId('findings-scroll').focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByTestId('explain-drawer');
    await drawer.waitFor();
    await page.getByTestId('evidence-observation').first().waitFor();
    const text = (await drawer.textContent()) ?? '';
    assert.match(text, /http2-common/);
    assert.match(text, /sha256:5f1c0e9a/);
    assert.match(text, /ghsa/);
    assert.equal(await page.getByTestId('comparisons').locator('.cmp-true').count(), 2);
    await page.screenshot({ path: screenshotPath('mock-explain-drawer') });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'findings-scroll');

    // save the view, reload, the view is listed and restores the KEV filter
    await page.getByTestId('view-name').fill('Exploited now');
    await page.getByTestId('save-view').click();
    await page.getByTestId('view-status').filter({ hasText: 'Saved' }).waitFor();

    // the react-query cache is persisted to Dexie (stella-ui/queryCache), minus the per-scan findings
    const persisted = await page.waitForFunction(
      `new Promise((resolve) => {
        const open = indexedDB.open('stella-ui');
        open.onsuccess = () => {
          const get = open.result.transaction('queryCache').objectStore('queryCache').get('react-query');
          get.onsuccess = () => resolve(get.result ? get.result.value : false);
          get.onerror = () => resolve(false);
        };
        open.onerror = () => resolve(false);
      })`,
      undefined,
      { timeout: 10_000 },
    );
    const cache = String(await persisted.jsonValue());
    assert.match(cache, /"scan\.list"/);
    assert.doesNotMatch(cache, /"findings\.list"/);

    await page.reload();
    await rows.first().waitFor();
    assert.equal(await rows.count(), 6, 'a reload starts from the default view');
    const select = page.getByTestId('saved-view-select');
    await select.locator('option', { hasText: 'Exploited now' }).waitFor({ state: 'attached' });
    await select.selectOption({ label: 'Exploited now' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding-row"]').length === 1);
    assert.equal(await page.getByTestId('filter-kev').isChecked(), true);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('findings: arrow keys move the active row, group by severity collapses and expands', async () => {
    const { page, ctx } = await open('#/findings');
    await page.getByTestId('finding-row').first().waitFor();
    const grid = page.getByTestId('findings-scroll');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = await grid.getAttribute('aria-activedescendant');
    assert.ok(active && active.startsWith('row-'), `active row id, got ${active}`);
    assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('End');
    assert.equal(await grid.getAttribute('aria-activedescendant'), 'row-f6');

    await page.getByTestId('group-by').selectOption('severity');
    const groups = page.getByTestId('group-row');
    await groups.first().waitFor();
    assert.deepEqual(await groups.allTextContents(), ['▾ critical (2)', '▾ high (3)', '▾ medium (1)']);
    await groups.first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding-row"]').length === 4);
    await page.getByTestId('sort-score').click();
    assert.equal(await page.getByRole('columnheader', { name: /Score/ }).getAttribute('aria-sort'), 'descending');
    await ctx.close();
  });

  test('import: upload, live job progress, result; cancel; a rejected file shows code, message and file', async () => {
    const { page, mock, ctx, errors } = await open('#/import');
    mock.on('advisories.import', () => ({ ok: true, value: { jobId: `job-${mock.calls.filter((c) => c.channel === 'advisories.import').length}` } }));
    mock.on('sbom.import', () => ({ ok: false, error: { code: 'invalid-input', message: 'not a CycloneDX, SPDX, Syft or Trivy document: no bomFormat/spdxVersion', details: { file: 'notes.json', path: '/', expected: 'an SBOM document' } } }));

    await page.getByTestId('file-advisories').setInputFiles([{ name: 'ghsa.jsonl', mimeType: 'application/json', buffer: Buffer.from('{"id":"GHSA-x"}\n') }]);
    await waitFor(() => mock.calls.some((c) => c.channel === 'advisories.import'));
    assert.deepEqual(mock.uploads, ['ghsa.jsonl']);
    const call = mock.calls.find((c) => c.channel === 'advisories.import');
    assert.deepEqual(call?.args, { files: [{ kind: 'upload', uploadId: 'up_1_abcdefgh', name: 'ghsa.jsonl' }] });
    const batch = page.getByTestId('import-batch').first();
    mock.emit('job.progress', { jobId: 'job-1', kind: 'advisories.import', phase: 'parsing', done: 40, total: 100 });
    const bar = batch.getByRole('progressbar');
    await page.waitForFunction(() => document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '40');
    assert.match((await batch.textContent()) ?? '', /Importing · parsing/);
    await page.screenshot({ path: screenshotPath('mock-import-progress') });
    mock.emit('job.finished', { jobId: 'job-1', kind: 'advisories.import', state: 'succeeded', result: { documents: 364, new: 360, unchanged: 0, superseded: 4, rejected: [{ path: 'line 17', error: 'expected "id"' }] } });
    await batch.getByTestId('batch-result').waitFor();
    assert.equal(await bar.count(), 0);
    assert.match((await batch.textContent()) ?? '', /364 documents: 360 new, 0 unchanged, 4 superseded/);
    assert.match((await batch.textContent()) ?? '', /line 17: expected "id"/);

    // cancel a running job
    await page.getByTestId('file-advisories').setInputFiles([{ name: 'big.tar.gz', mimeType: 'application/gzip', buffer: Buffer.alloc(2048) }]);
    await waitFor(() => mock.calls.filter((c) => c.channel === 'advisories.import').length === 2);
    mock.emit('job.progress', { jobId: 'job-2', kind: 'advisories.import', phase: 'reading', done: 1, total: 50 });
    await page.getByTestId('import-batch').first().getByTestId('cancel-batch').click();
    await waitFor(() => mock.calls.some((c) => c.channel === 'jobs.cancel'));
    assert.deepEqual(mock.calls.find((c) => c.channel === 'jobs.cancel')?.args, { jobId: 'job-2' });
    mock.emit('job.finished', { jobId: 'job-2', kind: 'advisories.import', state: 'cancelled' });
    await page.locator('[data-testid="import-batch"][data-stage="cancelled"]').waitFor();

    // a rejected SBOM: the error names the code, the message and the file
    await page.getByTestId('file-sbom').setInputFiles([{ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{}') }]);
    const failed = page.locator('[data-testid="import-batch"][data-stage="failed"]');
    await failed.waitFor();
    assert.equal(await failed.getByTestId('error-code').textContent(), 'invalid-input');
    const errText = (await failed.getByTestId('error-box').textContent()) ?? '';
    assert.match(errText, /no bomFormat\/spdxVersion/);
    assert.match(errText, /notes\.json/);
    assert.match(errText, /an SBOM document/);
    await page.screenshot({ path: screenshotPath('mock-import-error') });

    // drag-and-drop onto the advisories zone uploads and imports the dropped file
    const dt = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(['{"id":"PYSEC-2020-1"}'], 'dropped.json', { type: 'application/json' }));
      return d;
    });
    await page.dispatchEvent('[data-testid="drop-advisories"]', 'drop', { dataTransfer: dt });
    await waitFor(() => mock.calls.filter((c) => c.channel === 'advisories.import').length === 3);
    assert.equal(mock.uploads.at(-1), 'dropped.json');

    // Electron-style drops arrive as `files.dropped` events with granted path refs
    mock.emit('files.dropped', { files: [{ kind: 'path', path: '/media/usb/feed.json', name: 'feed.json' }], purpose: 'advisories' });
    await waitFor(() => mock.calls.filter((c) => c.channel === 'advisories.import').length === 4);
    assert.deepEqual(mock.calls.filter((c) => c.channel === 'advisories.import').at(-1)?.args, { files: [{ kind: 'path', path: '/media/usb/feed.json', name: 'feed.json' }] });
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('advisories: observations side by side with the conflicting fields highlighted', async () => {
    const { page, ctx } = await open('#/advisories?id=GHSA-qppj-fm5r-hxr3');
    await page.getByTestId('linkset').waitFor();
    assert.equal(await page.getByTestId('observation').count(), 2);
    assert.match((await page.getByTestId('conflicts').textContent()) ?? '', /2 conflicts/);
    // severity + affected are in conflict in both observations; aliases are not
    assert.equal(await page.locator('[data-testid="observation"] dd[data-conflict]').count(), 4);
    await page.screenshot({ path: screenshotPath('mock-advisories-linkset') });
    await ctx.close();
  });

  test('SBOM explorer: components, dependency tree, per-component findings, export downloads the file', async () => {
    const { page, mock, ctx } = await open('#/sbom');
    await page.getByTestId('sbom-detail').waitFor();
    await page.getByRole('button', { name: 'Show component http2-common' }).click();
    const panel = page.getByTestId('component-panel');
    assert.match((await panel.textContent()) ?? '', /GHSA-qppj-fm5r-hxr3/);
    assert.match((await page.getByTestId('dependency-tree').textContent()) ?? '', /dropwizard-core@1\.3\.15.*jackson-databind@2\.9\.10/);
    // the component's finding links to its evidence drawer
    await panel.getByRole('link', { name: 'GHSA-qppj-fm5r-hxr3' }).click();
    await page.getByTestId('explain-drawer').waitFor();
    assert.match(page.url(), /#\/findings\?scan=scan-1&finding=f1$/);
    await page.keyboard.press('Escape');
    await page.goBack();
    await page.getByTestId('sbom-detail').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-spdx-json').click()]);
    assert.equal(download.suggestedFilename(), 'dropwizard-1.3.15.json');
    assert.deepEqual(mock.calls.find((c) => c.channel === 'sbom.export')?.args, { id: 'sbom-1', format: 'spdx-json' });
    await ctx.close();
  });

  test('dashboard: verdicts are the engine\'s, with the pack that decided them; an outdated verdict offers a re-evaluation', async () => {
    const { page, mock, ctx } = await open('#/dashboard');
    await page.getByTestId('recent-scans').waitFor();
    const badge = page.getByTestId('scan-verdict').first();
    assert.equal((await badge.textContent())?.trim(), 'blocked (outdated)');
    assert.match((await badge.getAttribute('title')) ?? '', /^stella-default@1\.0\.0 \(builtin:default\) on 2026-11-28 — decided by block_critical \(2\), block_kev \(1\) — made before VEX/);
    await page.getByTestId('card-policy').filter({ hasText: 'stella-default@1.0.0' }).waitFor();
    assert.match((await page.getByTestId('card-policy').textContent()) ?? '', /shipped default/);
    assert.match((await page.getByTestId('verdict-source').textContent()) ?? '', /the active pack is stella-default@1\.0\.0 \(builtin:default\)\. 1 verdict was made before VEX or the active pack changed/);
    assert.match((await page.getByTestId('verdict-chart').getAttribute('aria-label')) ?? '', /1 blocked, 0 warn, 0 pass, 0 not evaluated/);
    await page.getByTestId('reevaluate-scans').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="reevaluate-scans"]')?.textContent === 'Re-evaluating…');
    assert.ok(mock.calls.some((c) => c.channel === 'policy.reevaluate'));
    mock.emit('job.finished', { jobId: 'job_reevaluate_1', kind: 'policy.reevaluate', state: 'succeeded', result: { scans: [{ scanId: 'scan-1', before: 'BLOCKED', after: 'BLOCKED' }], pack: null, vex: { lookup: 'engine/vex', setDigest: null } } });
    await page.waitForFunction(() => document.querySelector('[data-testid="reevaluate-scans"]')?.textContent === 'Re-evaluate');
    await ctx.close();
  });

  test('accessibility: every control on every screen has an accessible name, no axe-core violation; the skip link moves focus to the content', async () => {
    const { page, ctx } = await open('#/dashboard');
    // each screen, and the test id that shows its data has arrived (so its full set of controls is present)
    const screens: [string, string][] = [
      ['dashboard', 'recent-scans'],
      ['import', 'drop-advisories'],
      ['findings', 'finding-row'],
      ['sbom', 'sbom-detail'],
      ['advisories?id=GHSA-qppj-fm5r-hxr3', 'linkset'],
      ['image?scan=scan-1', 'image-layer'],
      ['attestations?entry=0', 'proof-viewer'],
      ['audit?seq=4', 'audit-detail'],
      ['settings', 'trust-row'],
      ['vex?scan=scan-1&finding=f1', 'finding-vex'],
      ['policy', 'policy-editor'],
    ];
    for (const [screen, readyId] of screens) {
      await page.goto(`${server.url}#/${screen}`);
      // the policy studio shows its editor once a draft exists
      if (screen === 'policy') await page.getByTestId('new-draft').click();
      await page.locator('main h1').waitFor();
      await page.getByTestId(readyId).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('[role="status"][aria-live="polite"].muted:not(:empty)')?.textContent?.startsWith('Loading'));
      const unnamed = await page.evaluate(`(() => {
        const out = [];
        for (const el of document.querySelectorAll('button, input, select, textarea, a[href], [role="grid"], [role="progressbar"], summary')) {
          if (el.type === 'hidden' || el.hidden || el.closest('[aria-hidden="true"]')) continue;
          const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.labels && [...el.labels].some((l) => l.textContent.trim())) || el.textContent.trim() || el.getAttribute('title');
          if (!labelled) out.push(el.outerHTML.slice(0, 120));
        }
        return out;
      })()`);
      assert.deepEqual(unnamed, [], `unnamed controls on ${screen}`);
      // axe-core's WCAG rules on the whole screen (evaluated through the debugger: the page's CSP forbids injected scripts).
      await page.evaluate(AXE_SOURCE);
      const violations = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`);
      assert.deepEqual(violations, [], `axe-core violations on ${screen}`);
    }
    await page.goto(`${server.url}#/findings`);
    await page.reload();
    await page.getByTestId('finding-row').first().waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await ctx.close();
  });

  test('policy studio: a lint diagnostic becomes a Monaco marker at its line, the draft is autosaved and restored after a reload', async () => {
    const { page, ctx, errors } = await open('#/policy');
    await page.getByTestId('new-draft').click();
    await page.locator('.monaco-editor .view-line').first().waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="lint-summary"]')?.getAttribute('data-errors') === '0');
    await page.locator('.monaco-editor .view-line').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.insertText(' # severity.levl');
    await page.waitForFunction(() => document.querySelector('[data-testid="lint-summary"]')?.getAttribute('data-errors') === '1');
    const d = page.getByTestId('diagnostic').first();
    assert.deepEqual([await d.getAttribute('data-line'), await d.getAttribute('data-file')], ['1', 'default.stella']);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await page.getByTestId('save-state').filter({ hasText: 'Draft saved' }).waitFor();
    await page.reload();
    await page.getByTestId('restored-notice').waitFor();
    await page.locator('.monaco-editor .view-line', { hasText: /severity\.levl/ }).first().waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('theme: follows prefers-color-scheme, the toggle is remembered across reloads', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: 'dark' });
    const { page } = await open('#/dashboard', context);
    await page.getByTestId('dashboard').waitFor();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.getByTestId('severity-chart').waitFor();
    await page.screenshot({ path: screenshotPath('mock-dashboard-dark') });
    await page.getByTestId('theme-toggle').click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    await page.waitForTimeout(200); // the preference write is async (IndexedDB)
    await page.reload();
    await page.getByTestId('dashboard').waitFor();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    await context.close();
  });
});
