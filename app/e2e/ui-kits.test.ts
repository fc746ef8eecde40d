/**
 * The Offline kits screen, the Export wizard and the notification centre against the scripted engine
 * (mock-engine.ts): the checklist ticks from `job.progress` phases, a refusal names its exit code, the
 * wizard is operable from the keyboard alone and sends what the form says, the bell counts unread
 * notifications, and axe-core finds no WCAG 2 A/AA violation on these screens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openMocked } from './mock-engine';
import { axeViolations, launchChromium, needsChromium, screenshotPath, serveStatic, waitFor } from './support';


async function axeClean(page: Page, what: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], `axe-core violations on ${what}`);
}

describe('kits, export wizard, notifications against a scripted engine', { skip: needsChromium().skip }, () => {
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

  test('kits: the checklist ticks from progress events; a refused activation says exit 8 and the quarantine lists it', async () => {
    const { page, mock, ctx, errors } = await openMocked(browser, server.url, '#/kits');
    await page.getByTestId('kits-screen').waitFor();
    await page.getByTestId('kit-channel-stable').waitFor();
    await page.getByTestId('quarantine-row').first().waitFor();
    await page.getByTestId('feed-age-notice').filter({ hasText: 'stale' }).waitFor();
    await axeClean(page, 'offline kits');
    await page.getByTestId('kit-file').setInputFiles({ name: 'stella-kit-stable-1.1.0.tar.gz', mimeType: 'application/gzip', buffer: Buffer.from('kit') });
    await page.getByTestId('kit-activate').click();
    await waitFor(() => mock.calls.some((c) => c.channel === 'kits.import'));
    const call = mock.calls.find((c) => c.channel === 'kits.import');
    assert.equal((call?.args as { dryRun?: boolean } | undefined)?.dryRun, undefined, 'activate is not a dry run');
    const progress = (phase: string, message?: string) => mock.emit('job.progress', { jobId: 'job_kit_1', kind: 'kits.import', phase, done: 1, total: 1, ...(message ? { message } : {}) });
    progress('read', 'pass: kit stable 1.1.0');
    progress('signature', 'pass: manifest signed by default');
    await page.waitForFunction(() => document.querySelector('[data-testid="kit-step-signature"]')?.getAttribute('data-state') === 'pass');
    assert.equal(await page.getByTestId('kit-step-jws').getAttribute('data-state'), 'waiting');
    progress('jws', 'pass: JWS ok');
    progress('digests', 'pass: 3 files');
    progress('version', 'fail: 1.1.0 is not newer than the active 1.1.0');
    mock.emit('job.finished', { jobId: 'job_kit_1', kind: 'kits.import', state: 'failed', error: { code: 'invalid-input', message: '1.1.0 is not newer than the active 1.1.0' } });
    const refused = page.getByTestId('kit-refused');
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /exit code 8/);
    assert.equal(await page.getByTestId('kit-step-version').getAttribute('data-state'), 'fail');
    await page.screenshot({ path: screenshotPath('mock-kits-refused') });
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('export wizard by keyboard: type, target, passphrase, start; the request carries the medium', async () => {
    const { page, mock, ctx } = await openMocked(browser, server.url, '#/export');
    await page.getByTestId('export-wizard').waitFor();
    await axeClean(page, 'export wizard');
    // the step heading has focus; Tab reaches the first type radio, arrows move between types
    await page.getByTestId('type-evidence').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByTestId('type-kit').isChecked(), true, 'arrow keys choose the OUK');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.getByTestId('type-evidence').isChecked(), true);
    assert.equal(await page.getByTestId('wizard-next').isDisabled(), true, 'no scan chosen yet');
    await page.getByTestId('export-scan').focus();
    await page.keyboard.press('ArrowDown');
    await waitFor(() => true);
    await page.getByTestId('export-scan').selectOption({ index: 1 });
    await page.getByTestId('wizard-next').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('target-option').filter({ hasText: 'KIT' }).waitFor();
    assert.match((await page.getByTestId('targets').textContent()) ?? '', /15\.00 GiB free of 16\.00 GiB/);
    await axeClean(page, 'export wizard, targets');
    await page.getByTestId('target-option').filter({ hasText: 'KIT' }).locator('input').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('export-passphrase').focus();
    await page.keyboard.type('secret passphrase');
    await page.getByTestId('wizard-start').focus();
    await page.keyboard.press('Enter');
    await waitFor(() => mock.calls.some((c) => c.channel === 'export.evidence'));
    const args = mock.calls.find((c) => c.channel === 'export.evidence')?.args as { media?: { path: string }; passphrase?: string };
    assert.equal(args.media?.path, '/run/media/auditor/KIT');
    assert.equal(args.passphrase, 'secret passphrase');
    assert.equal(await page.getByTestId('export-passphrase').count(), 0, 'the passphrase field is gone once started');
    mock.emit('job.progress', { jobId: 'job_evidence_1', kind: 'export.evidence', phase: 'writing bundle', done: 5, total: 10 });
    await page.getByTestId('export-job').waitFor();
    mock.emit('job.finished', {
      jobId: 'job_evidence_1',
      kind: 'export.evidence',
      state: 'succeeded',
      result: {
        scanId: 'scan-1', subject: 'dropwizard', fileName: 'stella-evidence-scan-1.tar.gz', digest: `sha256:${'ab'.repeat(32)}`, size: 1000, files: 20, verdict: 'BLOCKED', signer: { keyId: 'cd'.repeat(32), algorithm: 'ed25519', name: 'default' }, attestations: 5, auditHead: { seq: 9, entryHash: 'ef'.repeat(32) },
        media: { target: '/run/media/auditor/KIT/stella-evidence-scan-1.tar.gz', mediaManifest: '/run/media/auditor/KIT/stella-evidence-scan-1.tar.gz.stella-media.json', bytes: 1000, split: false, files: [{ path: 'stella-evidence-scan-1.tar.gz', size: 1000, digest: `sha256:${'ab'.repeat(32)}`, parts: 1 }], readBack: { ok: true, files: 1, bytes: 1000 } },
      },
    });
    await page.getByTestId('readback-verdict').waitFor();
    assert.equal(await page.getByTestId('readback-verdict').getAttribute('data-ok'), 'true');
    await axeClean(page, 'export wizard, result');
    await page.screenshot({ path: screenshotPath('mock-export-readback') });
    await ctx.close();
  });

  test('notifications: unread count, list, mark read, Escape closes; a notify.desktop event toasts', async () => {
    const { page, mock, ctx } = await openMocked(browser, server.url, '#/dashboard');
    await page.getByTestId('notify-unread').filter({ hasText: '2' }).waitFor();
    await page.getByTestId('notify-bell').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('notify-panel').waitFor();
    assert.equal(await page.getByTestId('notify-item').count(), 2);
    await axeClean(page, 'notification panel');
    await page.getByTestId('notify-mark-read').click();
    await page.getByTestId('notify-unread').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.getByTestId('notify-panel').waitFor({ state: 'detached' });
    mock.emit('notify.desktop', { seq: 3, at: '2026-11-28T11:00:00Z', kind: 'policy.blocked', subject: 'dropwizard', title: 'Scan BLOCKED by policy', body: '2 KEV findings', severity: 'critical', kev: true, channels: ['desktop'] });
    await page.getByTestId('toast').filter({ hasText: 'Scan BLOCKED by policy' }).waitFor();
    await ctx.close();
  });
});
