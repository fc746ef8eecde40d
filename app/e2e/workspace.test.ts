/**
 * End-to-end (stella serve in-process + the built UI in Debian's Chromium, real fixtures) of issue 13's
 * export and kit flows:
 *  - first run: a fresh home lands on the first-run workspace; one click inventories the app's own
 *    package-lock.json and the host's OS packages; "no advisory snapshot" guidance shows;
 *  - operator: build an Offline Update Kit in the Export wizard from real advisory files, written to a
 *    folder standing for removable media (`--media DIR`), read-back verified;
 *  - auditor: import that kit on the Offline kits screen (dry run, steps tick, activate), scan a real
 *    SBOM, explain a finding, export an evidence bundle through the wizard to the medium, verify it;
 *  - `--feeds DIR` at start imports advisories and the guidance goes away;
 *  - axe-core finds no WCAG 2 A/AA violation on the new screens.
 * Screenshots go to test-artifacts/screenshots/ (workspace-*).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { startServe, type ServeHandle } from '../serve/server';
import { axeViolations, launchChromium, needsChromium, screenshotPath } from './support';

const FEEDS = ['advisories/maven/osv-scalibr-maven-ghsa.jsonl.gz', 'advisories/kev/known_exploited_vulnerabilities.json.gz'];
const SBOM = 'sbom/cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json';
const PASSPHRASE = 'e2e passphrase for the workstation key';
const JOB_TIMEOUT = 240_000;

const gate = needsChromium().skip || ([SBOM, ...FEEDS].map((f) => needsFixtures(f)).find((g) => g.skip)?.skip ?? false);

async function axeClean(page: Page, what: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], `axe-core violations on ${what}`);
}

describe('export wizard, offline kits and first run (stella serve + Chromium)', { skip: gate, timeout: 900_000 }, () => {
  let serve: ServeHandle;
  let browser: Browser;
  let page: Page;
  let usb: string;
  const serveLog: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    usb = tempDir('stella-usb-');
    serve = await startServe({ home: tempDir('stella-ws-'), mediaFolders: [usb], log: (l) => serveLog.push(l) });
    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 950 }, colorScheme: 'light' });
    page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await serve?.close();
    if (process.exitCode && serveLog.length) process.stderr.write(`--- serve log ---\n${serveLog.slice(-40).join('\n')}\n`);
  });

  test('first run: the workspace inventories the app and the host, and says no advisory snapshot is loaded', async () => {
    await page.goto(serve.url);
    await page.getByTestId('first-run').waitFor();
    await page.getByTestId('no-snapshot').waitFor();
    await page.getByTestId('feed-age-badge').filter({ hasText: 'No advisory data' }).waitFor();
    await axeClean(page, 'first run');
    await page.getByTestId('first-run-inventory').click();
    const result = page.getByTestId('first-run-result');
    await result.waitFor({ timeout: JOB_TIMEOUT });
    const text = (await result.textContent()) ?? '';
    assert.match(text, /Stella Evidence Workstation \(package-lock\.json\): \d+ components/);
    assert.match(text, /host OS packages/);
    await page.screenshot({ path: screenshotPath('workspace-01-first-run') });
  });

  test('operator: build an OUK in the Export wizard, write it to the medium, read-back verified', async () => {
    await page.getByTestId('nav-export').click();
    await page.getByTestId('export-wizard').waitFor();
    await axeClean(page, 'export wizard, step 1');
    await page.getByTestId('type-kit').check();
    await page.getByTestId('kit-version').fill('1.0.0');
    await page.getByTestId('kit-feeds-input').setInputFiles(FEEDS.map((f) => fixture(f) as string));
    await page.getByTestId('kit-feeds').filter({ hasText: 'known_exploited' }).waitFor();
    await page.getByTestId('wizard-next').click();
    const usbOption = page.getByTestId('target-option').filter({ hasText: usb });
    await usbOption.waitFor();
    await axeClean(page, 'export wizard, step 2');
    await usbOption.locator('input').check();
    await page.getByTestId('export-passphrase').fill(PASSPHRASE);
    await page.getByTestId('wizard-start').click();
    const verdict = page.getByTestId('readback-verdict');
    await verdict.waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await verdict.getAttribute('data-ok'), 'true', (await page.getByTestId('export-wizard').textContent()) ?? '');
    assert.ok(readdirSync(usb).includes('stella-kit-stable-1.0.0.tar.gz'), readdirSync(usb).join(', '));
    await page.screenshot({ path: screenshotPath('workspace-02-operator-kit-on-media') });
  });

  test('auditor: import the kit (dry run, steps tick, activate), scan an SBOM, explain, export evidence to the medium and verify it', async () => {
    await page.getByTestId('nav-kits').click();
    await page.getByTestId('kits-screen').waitFor();
    await axeClean(page, 'offline kits');
    await page.getByTestId('kit-file').setInputFiles(join(usb, 'stella-kit-stable-1.0.0.tar.gz'));
    await page.getByTestId('kit-dry-run').click();
    await page.getByTestId('kit-result').filter({ hasText: 'Dry run passed' }).waitFor({ timeout: JOB_TIMEOUT });
    for (const step of ['read', 'signature', 'jws', 'digests', 'version']) assert.equal(await page.getByTestId(`kit-step-${step}`).getAttribute('data-state'), 'pass', step);
    await page.getByTestId('kit-activate').click();
    await page.getByTestId('kit-result').filter({ hasText: 'Activated kit stable 1.0.0' }).waitFor({ timeout: JOB_TIMEOUT });
    for (const step of ['read', 'signature', 'jws', 'digests', 'version', 'activate']) assert.equal(await page.getByTestId(`kit-step-${step}`).getAttribute('data-state'), 'pass', step);
    await page.getByTestId('kit-channel-stable').waitFor();
    await page.screenshot({ path: screenshotPath('workspace-03-kit-activated') });
    // the same kit again: refused as not newer (exit 8), quarantined with its reason
    await page.getByTestId('kit-file').setInputFiles(join(usb, 'stella-kit-stable-1.0.0.tar.gz'));
    await page.getByTestId('kit-activate').click();
    const refused = page.getByTestId('kit-refused');
    await refused.waitFor({ timeout: JOB_TIMEOUT }).catch(() => undefined);
    if (await refused.count()) {
      assert.match((await refused.textContent()) ?? '', /exit code 8/);
      await page.getByTestId('quarantine-row').first().waitFor();
    } else await page.getByTestId('kit-result').filter({ hasText: 'already active' }).waitFor();
    await page.screenshot({ path: screenshotPath('workspace-04-kit-again') });

    await page.getByTestId('nav-import').click();
    await page.getByTestId('file-sbom').setInputFiles(fixture(SBOM) as string);
    await page.waitForFunction(() => ['done', 'failed', 'cancelled'].includes(document.querySelector('[data-testid="import-batch"]')?.getAttribute('data-stage') ?? ''), undefined, { timeout: JOB_TIMEOUT });
    assert.equal(await page.getByTestId('import-batch').first().getAttribute('data-stage'), 'done', (await page.getByTestId('import-batch').first().textContent()) ?? '');
    await page.getByTestId('open-findings').first().click();
    await page.getByTestId('finding-row').first().waitFor();
    await page.getByTestId('feed-age-notice').waitFor();
    await page.getByTestId('finding-row').first().click();
    await page.getByTestId('explain-drawer').waitFor();
    await page.getByTestId('evidence-observation').first().waitFor();
    await page.keyboard.press('Escape');

    await page.getByTestId('export-scan-link').click();
    await page.getByTestId('export-wizard').waitFor();
    assert.notEqual(await page.getByTestId('export-scan').inputValue(), '', 'the scan is preselected');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('target-option').filter({ hasText: usb }).locator('input').check();
    await page.getByTestId('export-passphrase').fill(PASSPHRASE);
    await page.getByTestId('wizard-start').click();
    await page.getByTestId('readback-verdict').waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await page.getByTestId('readback-verdict').getAttribute('data-ok'), 'true');
    assert.ok(readdirSync(usb).some((f) => /^stella-evidence-.*\.tar\.gz$/.test(f)), readdirSync(usb).join(', '));
    await page.getByTestId('verify-exported').click();
    const outcome = page.getByTestId('verify-outcome');
    await outcome.waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await outcome.getAttribute('data-outcome'), 'ok', (await outcome.textContent()) ?? '');
    await page.screenshot({ path: screenshotPath('workspace-05-evidence-verified') });
  });

  test('operator: a full mirror bundle of the activated snapshot to the medium, read back', async () => {
    // still on the wizard's result step (the evidence export above): start another export
    await page.getByTestId('wizard-back').click();
    await page.getByTestId('type-mirror').check();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('target-option').filter({ hasText: usb }).locator('input').check();
    await page.getByTestId('export-passphrase').fill(PASSPHRASE);
    await page.getByTestId('wizard-start').click();
    const verdict = page.getByTestId('readback-verdict');
    await verdict.waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await verdict.getAttribute('data-ok'), 'true', (await page.getByTestId('export-wizard').textContent()) ?? '');
    assert.ok(readdirSync(usb).includes('stella-mirror-full'), readdirSync(usb).join(', '));
    await page.screenshot({ path: screenshotPath('workspace-05b-mirror-on-media') });
  });

  test('notifications: the bell lists the kit import; Settings has the rules', async () => {
    await page.getByTestId('notify-bell').click();
    await page.getByTestId('notify-panel').waitFor();
    await page.getByTestId('notify-item').filter({ hasText: 'kit' }).first().waitFor();
    await axeClean(page, 'notification panel');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('notify-settings').waitFor();
    await page.getByTestId('notify-rules-text').waitFor();
    await axeClean(page, 'settings');
    assert.deepEqual(pageErrors, []);
  });

  test('--feeds DIR at start imports advisories; the no-snapshot guidance goes away', async () => {
    const feeds = tempDir('stella-feeds-');
    mkdirSync(join(feeds, 'kev'));
    copyFileSync(fixture(FEEDS[1] as string) as string, join(feeds, 'kev', 'known_exploited_vulnerabilities.json.gz'));
    const second = await startServe({ home: tempDir('stella-ws-feeds-'), feeds, log: (l) => serveLog.push(l) });
    try {
      const p = await browser.newPage();
      await p.goto(second.url);
      await p.getByTestId('dashboard').waitFor();
      await p.getByTestId('no-snapshot').waitFor({ state: 'detached', timeout: JOB_TIMEOUT });
      await p.getByTestId('card-snapshot').filter({ hasText: 'docs' }).waitFor();
      await p.screenshot({ path: screenshotPath('workspace-06-feeds-at-start') });
      await p.close();
    } finally {
      await second.close();
    }
  });
});
