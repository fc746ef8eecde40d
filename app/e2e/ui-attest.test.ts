/**
 * The image scan, image view, Attestations, Audit and trust Settings screens in Debian's Chromium against
 * the scripted engine (mock-engine.ts): per-layer progress from job events, the folder upload packed into a
 * tar, keyboard paths to the proof viewer and entry details, verification results with the failing check
 * named, errors with their code, and the passphrase of a new key never kept by the page.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import tar from 'tar-stream';
import { tempDir } from '../../build/test-support/fixtures';
import { AUDIT, openMocked, verifyReportFor, type MockEngine } from './mock-engine';
import { launchChromium, needsChromium, screenshotPath, serveStatic, waitFor } from './support';

const gate = needsChromium();
const ok = <T,>(value: T) => ({ ok: true as const, value });


async function tarNames(bytes: Buffer): Promise<string[]> {
  const names: string[] = [];
  const ex = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', () => resolve());
    ex.on('error', reject);
  });
  ex.on('entry', (h, stream, next) => {
    names.push(h.name);
    stream.on('end', next);
    stream.resume();
  });
  ex.end(bytes);
  await done;
  return names;
}

const argsOf = (mock: MockEngine, channel: string): Record<string, unknown>[] => mock.calls.filter((c) => c.channel === channel).map((c) => c.args as Record<string, unknown>);

describe('image view, attestations, audit and trust settings against a scripted engine', { skip: gate.skip }, () => {
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
  const open = (hash: string): Promise<{ page: Page; mock: MockEngine; ctx: BrowserContext; errors: string[] }> => openMocked(browser, server.url, hash);

  test('image scan: each layer’s state from job events; the result opens the image view with layers, build steps and what each layer added', async () => {
    const { page, mock, ctx, errors } = await open('#/import');
    mock.on('scan.target', () => ok({ jobId: 'job-img' }));
    await page.getByTestId('file-image').setInputFiles([{ name: 'app.tar', mimeType: 'application/x-tar', buffer: Buffer.alloc(2048) }]);
    await waitFor(() => argsOf(mock, 'scan.target').length === 1);
    assert.deepEqual(argsOf(mock, 'scan.target')[0], { file: { kind: 'upload', uploadId: 'up_1_abcdefgh', name: 'app.tar' }, detection: 'default' });

    const layer = (index: number, state: 'queued' | 'running' | 'done' | 'cached', done: number) =>
      mock.emit('job.progress', { jobId: 'job-img', kind: 'scan.target', phase: 'analyzing layers', done, total: 2, item: { index, id: `sha256:${String(index + 1).repeat(64)}`, state } });
    layer(0, 'queued', 0);
    layer(1, 'queued', 0);
    layer(0, 'running', 0);
    layer(1, 'running', 0);
    layer(0, 'cached', 1);
    const items = page.getByTestId('layer-progress-item');
    await page.waitForFunction(() => document.querySelector('[data-testid="layer-progress-item"][data-state="cached"]') !== null);
    assert.equal(await items.count(), 2);
    assert.match((await items.nth(0).textContent()) ?? '', /Layer 1 sha256:111111111111….*from cache/);
    assert.match((await items.nth(1).textContent()) ?? '', /Layer 2 sha256:222222222222….*analyzing/);
    assert.equal(await page.getByTestId('layer-progress').getAttribute('aria-label'), 'Layers: 1 of 2 finished');
    await page.screenshot({ path: screenshotPath('mock-image-layer-progress') });
    layer(1, 'done', 2);
    await page.locator('[data-testid="layer-progress-item"][data-state="done"]').waitFor();
    mock.emit('job.finished', {
      jobId: 'job-img',
      kind: 'scan.target',
      state: 'succeeded',
      result: { id: 'scan-1', subject: 'app.tar@sha256:ab', sbomId: 'sbom-1', snapshot: 'snap-1', createdAt: '2026-11-28T10:00:00Z', findingCount: 6, bySeverity: { critical: 2, high: 3, medium: 1, low: 0, none: 0, unknown: 0 }, kevCount: 1, fixableCount: 5 },
    });
    await page.getByTestId('open-image').click();
    await page.getByTestId('image-view').waitFor();
    assert.match(page.url(), /#\/image\?scan=scan-1$/);
    assert.match((await page.locator('main h1').textContent()) ?? '', /registry\.example\/dropwizard-app:1\.3\.15/);
    assert.match((await page.getByTestId('image-distro').textContent()) ?? '', /Debian GNU\/Linux 12/);
    const rows = page.getByTestId('image-layer');
    assert.equal(await rows.count(), 2);
    assert.match((await rows.nth(0).textContent()) ?? '', /73\.6 MiB.*ADD file:bookworm-rootfs\.tar\.xz in \/.*1.*5/);
    assert.match((await rows.nth(1).textContent()) ?? '', /12\.0 MiB.*COPY target\/dropwizard-app\.jar/);

    // keyboard: Tab reaches the second layer's "packages added" button; Enter shows what the layer added
    const button = page.getByRole('button', { name: '2 packages added by layer 2' });
    await button.focus();
    await page.keyboard.press('Enter');
    const added = page.getByTestId('layer-packages');
    await added.waitFor();
    assert.match((await added.locator('h2').textContent()) ?? '', /Layer 2 added 2 packages/);
    assert.deepEqual((await added.getByTestId('layer-package').allTextContents()).map((t) => t.replace(/\s+/g, ' ')), ['io.dropwizard/dropwizard-core1.3.15Maven0', 'org.eclipse.jetty.http2/http2-common9.4.18.v20190429Maven1']);
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await page.screenshot({ path: screenshotPath('mock-image-view'), fullPage: true });
    // the finding count links to that finding's evidence
    await added.getByRole('link', { name: '1 findings of http2-common' }).click();
    await page.getByTestId('explain-drawer').waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('image folder in the browser: packed into one tar (paths inside the folder) and uploaded, then scanned', async () => {
    const { page, mock, ctx } = await open('#/import');
    mock.on('scan.target', () => ok({ jobId: 'job-folder' }));
    const dir = join(tempDir(), 'rootfs');
    mkdirSync(join(dir, 'etc'), { recursive: true });
    mkdirSync(join(dir, 'var', 'lib', 'dpkg'), { recursive: true });
    writeFileSync(join(dir, 'etc', 'os-release'), 'ID=debian\nVERSION_ID="12"\n');
    writeFileSync(join(dir, 'var', 'lib', 'dpkg', 'status'), 'Package: base-files\nStatus: install ok installed\nVersion: 12.4\n\n');
    await page.getByTestId('folder-image').setInputFiles(dir);
    await waitFor(() => argsOf(mock, 'scan.target').length === 1);
    assert.deepEqual(mock.uploads, ['rootfs.tar']);
    assert.deepEqual(await tarNames(mock.uploadBodies[0] as Buffer), ['etc/os-release', 'var/lib/dpkg/status']);
    assert.deepEqual((argsOf(mock, 'scan.target')[0] as { file: unknown }).file, { kind: 'upload', uploadId: 'up_1_abcdefgh', name: 'rootfs.tar' });
    await ctx.close();
  });

  test('attestations: everything signed, the proof viewer by keyboard, verify pass and a tampered artifact with the failing check named, drops, errors', async () => {
    const { page, mock, ctx, errors } = await open('#/attestations');
    const items = page.getByTestId('signed-item');
    await items.first().waitFor();
    assert.equal(await items.count(), 2);
    assert.match((await items.first().textContent()) ?? '', /#1.*vuln.*in-toto\.io\/attestation\/vulns\/v0\.2.*app-1\.tar@sha256:5e5e.*app-1\.sigstore\.json.*default \(ed25519\)/);

    // keyboard: the first row's Proof link, Enter → the proof viewer of entry 1
    await page.getByRole('link', { name: 'Show the proof of log entry 1' }).focus();
    await page.keyboard.press('Enter');
    const viewer = page.getByTestId('proof-viewer');
    await viewer.waitFor();
    assert.match(page.url(), /#\/attestations\?entry=1$/);
    assert.equal(await viewer.getAttribute('data-verified'), 'true');
    assert.match((await page.getByTestId('proof-verdict').textContent()) ?? '', /proof verified/);
    assert.equal(await page.getByTestId('proof-path').locator('li').count(), 1);
    assert.match((await page.getByTestId('proof-path').textContent()) ?? '', /right sibling a1a1/);
    assert.match((await page.getByTestId('proof-consistency').textContent()) ?? '', /From size 1 .* to 2: ✓ the log only grew/);
    assert.match((await page.getByTestId('proof-note').textContent()) ?? '', /^stella\.invalid\/log\/0123456789abcdef\n2\n/);
    await page.screenshot({ path: screenshotPath('mock-attestations-proof'), fullPage: true });

    // verify: the right artifact passes; a changed one fails naming artifact-digest
    mock.on('attest.verify', (a) => {
      const artifact = a.artifact as { file?: { name: string }; digest?: string };
      const name = artifact.file?.name ?? artifact.digest ?? '';
      return ok(verifyReportFor(name, name === 'app-1.tar'));
    });
    await page.getByTestId('verify-bundle').setInputFiles([{ name: 'app-1.sigstore.json', mimeType: 'application/json', buffer: Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}') }]);
    await page.getByTestId('verify-artifact').setInputFiles([{ name: 'app-1.tar', mimeType: 'application/x-tar', buffer: Buffer.from('artifact 1\n') }]);
    await page.getByTestId('verify-run').click();
    const verdict = page.getByTestId('verify-verdict');
    await verdict.waitFor();
    assert.match((await verdict.textContent()) ?? '', /✓ Verified: every check passed for 1 item\(s\) against app-1\.tar/);
    assert.equal(await page.locator('[data-testid="check"][data-status="fail"]').count(), 0);
    assert.equal(await page.getByTestId('check').count(), 6);
    const call = argsOf(mock, 'attest.verify')[0] as { bundle: { name: string }; artifact: { file: { name: string } } };
    assert.deepEqual([call.bundle.name, call.artifact.file.name], ['app-1.sigstore.json', 'app-1.tar']);

    await page.getByTestId('verify-artifact').setInputFiles([{ name: 'app-1-tampered.tar', mimeType: 'application/x-tar', buffer: Buffer.from('artifact 1 changed\n') }]);
    await page.getByTestId('verify-run').click();
    await page.locator('[data-testid="verify-report"][data-verified="false"]').waitFor();
    assert.equal(await page.getByTestId('verify-failed-check').textContent(), 'artifact-digest');
    assert.deepEqual(await page.locator('[data-testid="check"][data-status="fail"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-check'))), ['artifact-digest']);
    await page.screenshot({ path: screenshotPath('mock-attestations-verify-failed'), fullPage: true });

    // a digest instead of a file: refused until it is one
    await page.getByTestId('artifact-mode-digest').check();
    await page.getByTestId('verify-digest').fill('sha256:1234');
    assert.equal(await page.getByTestId('verify-run').isDisabled(), true);
    await page.getByTestId('verify-digest').fill(`sha256:${'5e'.repeat(32)}`);
    await page.getByTestId('verify-run').click();
    await waitFor(() => argsOf(mock, 'attest.verify').length === 3);
    assert.deepEqual(argsOf(mock, 'attest.verify')[2]?.artifact, { digest: `sha256:${'5e'.repeat(32)}` });

    // a bundle dropped anywhere on the screen becomes the one to verify; in Electron it arrives as files.dropped
    const dt = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(['{}'], 'dropped.intoto.jsonl', { type: 'application/json' }));
      return d;
    });
    await page.dispatchEvent('[data-testid="signed-list"]', 'drop', { dataTransfer: dt });
    await page.getByTestId('verify-bundle-name').filter({ hasText: 'dropped.intoto.jsonl' }).waitFor();
    mock.emit('files.dropped', { files: [{ kind: 'path', path: '/media/usb/release.sigstore.json', name: 'release.sigstore.json' }], purpose: 'attestation' });
    await page.getByTestId('verify-bundle-name').filter({ hasText: 'release.sigstore.json' }).waitFor();

    // an engine error shows its code, message and the file
    mock.on('attest.verify', () => ({ ok: false, error: { code: 'invalid-input', message: 'release.sigstore.json: line 1 is neither a Sigstore bundle nor a DSSE envelope', details: { file: 'release.sigstore.json', expected: 'a bundle or envelope' } } }));
    await page.getByTestId('verify-run').click();
    const box = page.getByTestId('verify-panel').getByTestId('error-box');
    await box.waitFor();
    assert.equal(await box.getByTestId('error-code').textContent(), 'invalid-input');
    assert.match((await box.textContent()) ?? '', /neither a Sigstore bundle nor a DSSE envelope.*release\.sigstore\.json/);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('audit: newest first, filter by kind, pages, entry details by keyboard; chain verification names the first bad entry', async () => {
    const { page, mock, ctx, errors } = await open('#/audit');
    mock.state.auditPageSize = 3;
    await page.reload();
    const rows = page.getByTestId('audit-entry');
    await rows.first().waitFor();
    assert.deepEqual(await rows.locator('td:first-child').allTextContents(), ['7', '6', '5']);
    assert.match((await page.getByTestId('audit-count').textContent()) ?? '', /7 entries · head #7/);
    await page.getByTestId('audit-older').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="audit-entry"] td')?.textContent === '4');
    assert.deepEqual(await rows.locator('td:first-child').allTextContents(), ['4', '3', '2']);
    assert.equal(argsOf(mock, 'audit.list').at(-1)?.beforeSeq, 5);

    await page.getByTestId('audit-kind').selectOption('attest.signed');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-entry"]').length === 3 && document.querySelector('[data-testid="audit-entry"] td')?.textContent === '7');
    assert.deepEqual(await rows.locator('td:nth-child(3)').allTextContents(), ['attest.signed', 'attest.signed', 'attest.signed']);
    assert.equal(argsOf(mock, 'audit.list').at(-1)?.kind, 'attest.signed');
    assert.equal(argsOf(mock, 'audit.list').at(-1)?.beforeSeq, undefined, 'a new filter starts from the newest');
    await page.getByTestId('audit-kind').selectOption('');

    // keyboard: the entry's button, Enter → its details with the chain link and signature
    await page.getByRole('button', { name: 'Show audit entry 6' }).focus();
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('audit-detail');
    await detail.waitFor();
    assert.match((await detail.textContent()) ?? '', /Entry 6: trust\.removed.*Previous hash.*sha256:5555.*Entry hash.*sha256:6666/);
    assert.deepEqual(JSON.parse((await page.getByTestId('audit-details').textContent()) ?? ''), AUDIT[5]?.details);

    await page.getByTestId('audit-verify').click();
    assert.match((await page.getByTestId('audit-verdict').textContent()) ?? '', /✓ The chain verifies: 7 entries/);
    mock.on('audit.verify', () => ok({ ok: false, entries: 2, head: { seq: 2, entryHash: AUDIT[1]?.entryHash }, firstBad: { seq: 3, reason: 'its fields hash to sha256:0000…, not the recorded sha256:3333… (the entry was changed)' } }));
    await page.getByTestId('audit-verify').click();
    await page.locator('[data-testid="audit-verdict"][data-ok="false"]').waitFor();
    assert.match((await page.getByTestId('audit-verdict').textContent()) ?? '', /broken at entry #3: its fields hash to .* \(the entry was changed\)/);
    await page.getByTestId('audit-first-bad').click();
    await page.waitForFunction(() => /Entry 3:/.test(document.querySelector('[data-testid="audit-detail"]')?.textContent ?? ''));
    assert.match(page.url(), /#\/audit\?seq=3$/);
    await page.screenshot({ path: screenshotPath('mock-audit-broken-chain'), fullPage: true });
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('settings: keys (generate with a passphrase the page does not keep, export), trust roots (add with purposes, remove), VEX issuer trust, plug-ins, errors', async () => {
    const { page, mock, ctx, errors } = await open('#/settings');
    await page.getByTestId('key-row').first().waitFor();
    assert.match((await page.getByTestId('keys-section').textContent()) ?? '', /default.*default.*world.*ed25519/);
    assert.match((await page.getByTestId('keys-section').textContent()) ?? '', /sm \(sm2\) — not available here/);

    // generate: passphrases must match; then sent once, and the fields are emptied
    const secret = 'Correct-Horse-Battery-4711';
    await page.getByTestId('key-name').fill('release');
    await page.getByTestId('key-profile').selectOption('fips');
    await page.getByTestId('key-algorithm').selectOption('p384');
    await page.getByTestId('key-passphrase').fill(secret);
    await page.getByTestId('key-passphrase-again').fill(`${secret}!`);
    await page.getByTestId('key-generate').click();
    await page.getByTestId('key-status').filter({ hasText: 'The two passphrases differ.' }).waitFor();
    assert.equal(argsOf(mock, 'keys.generate').length, 0);
    await page.getByTestId('key-passphrase-again').fill(secret);
    await page.getByTestId('key-passphrase-again').press('Enter');
    await page.getByTestId('key-status').filter({ hasText: 'Created release' }).waitFor();
    assert.deepEqual(argsOf(mock, 'keys.generate'), [{ name: 'release', profile: 'fips', algorithm: 'p384', passphrase: secret }]);
    assert.deepEqual([await page.getByTestId('key-passphrase').inputValue(), await page.getByTestId('key-passphrase-again').inputValue()], ['', '']);
    await page.waitForTimeout(1200); // the query cache is persisted with a throttle
    const stored = await page.evaluate(`new Promise((resolve) => {
      const open = indexedDB.open('stella-ui');
      open.onsuccess = () => {
        const db = open.result;
        const names = [...db.objectStoreNames];
        const tx = db.transaction(names);
        const all = [];
        let left = names.length;
        for (const n of names) {
          const r = tx.objectStore(n).getAll();
          r.onsuccess = () => { all.push(r.result); if (--left === 0) resolve(JSON.stringify(all)); };
        }
      };
    })`);
    assert.ok(!String(stored).includes(secret), 'the passphrase is nowhere in the page’s IndexedDB');
    assert.match(String(stored), /keys\.list/, 'the keys listing itself is cached');
    assert.ok(!(await page.content()).includes(secret), 'nor in the DOM');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export the public key of default' }).click()]);
    assert.equal(download.suggestedFilename(), 'default.pub.pem');

    // trust roots: the workstation's own cannot be removed; add one for attestations and kits, then remove it
    assert.equal(await page.locator('[data-testid="trust-row"][data-origin="workstation"]').count(), 2);
    assert.equal(await page.locator('[data-testid="trust-row"][data-origin="workstation"] button').count(), 0);
    await page.getByTestId('trust-file').setInputFiles([{ name: 'partner.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from('-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n') }]);
    await page.getByTestId('trust-name').fill('partner');
    await page.getByTestId('trust-purpose-kits').check();
    await page.getByTestId('trust-add').click();
    await page.getByTestId('trust-status').filter({ hasText: 'Added partner for attestations, offline kits' }).waitFor();
    assert.deepEqual(argsOf(mock, 'trust.add')[0], { file: { kind: 'upload', uploadId: 'up_1_abcdefgh', name: 'partner.pem' }, name: 'partner', purposes: ['attestations', 'kits'] });
    await page.locator('[data-testid="trust-row"][data-origin="added"]').waitFor();
    await page.screenshot({ path: screenshotPath('mock-settings-trust'), fullPage: true });
    await page.getByRole('button', { name: 'Remove trust root partner' }).click();
    await page.getByRole('button', { name: 'Remove partner' }).click();
    await page.locator('[data-testid="trust-row"][data-origin="added"]').waitFor({ state: 'detached' });
    assert.deepEqual(argsOf(mock, 'trust.remove'), [{ name: 'partner' }]);

    // a refused trust file: code, message and file
    mock.on('trust.add', () => ({ ok: false, error: { code: 'invalid-input', message: 'bad.pem: not a PEM public key or a trusted_root.json', details: { file: 'bad.pem', engineCode: 'invalid-key' } } }));
    await page.getByTestId('trust-file').setInputFiles([{ name: 'bad.pem', mimeType: 'text/plain', buffer: Buffer.from('hello') }]);
    await page.getByTestId('trust-add').click();
    const box = page.getByTestId('trust-section').getByTestId('error-box');
    await box.waitFor();
    assert.equal(await box.getByTestId('error-code').textContent(), 'invalid-input');
    assert.match((await box.textContent()) ?? '', /not a PEM public key.*bad\.pem/);

    // VEX issuer trust: a class's tier and weight
    const vendor = page.locator('[data-testid="vex-class"][data-class="vendor"]');
    await vendor.getByRole('spinbutton', { name: 'Tier of vendor' }).fill('5');
    await vendor.getByRole('button', { name: 'Save the trust of vendor' }).click();
    await page.getByTestId('vex-trust-status').filter({ hasText: 'Saved vendor: tier 5, weight 1' }).waitFor();
    assert.deepEqual(argsOf(mock, 'vex.trust.set')[0], { target: { kind: 'class', issuerClass: 'vendor', tier: 5, weight: 1 } });
    // installed plug-ins and refused ones, with why
    assert.equal(await page.locator('[data-testid="plugin-row"][data-status="loaded"]').count(), 1);
    assert.match((await page.locator('[data-testid="plugin-row"][data-status="refused"]').textContent()) ?? '', /acme\/lockfile@1.*refused — unsigned: no plugin\.sig\.dsse\.json/);
    await page.getByTestId('triage-identity').fill('ACME PSIRT');
    await page.getByTestId('triage-identity').press('Enter');
    await page.getByTestId('vex-trust-status').filter({ hasText: 'issued by ACME PSIRT' }).waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
