/**
 * End-to-end through `stella serve` and Debian's Chromium, on real fixtures (GHSA Maven advisories, the
 * CISA KEV catalog, the dropwizard-1.3.15 CycloneDX SBOM):
 *  - the policy author's flow in the policy studio: a draft of the shipped pack, an edit with a typo →
 *    the lint error at the right line:column (list and Monaco marker) → fixed → fixtures pass →
 *    simulation against the stored scan with its diff → imported, approved by one key (activation still
 *    refused, the missing approval shown), co-signed by a second key → activated (history marks it);
 *  - triage through the app: `not_affected` for one finding in the evidence drawer → that finding's policy
 *    status changes and no other's → OpenVEX exported from the VEX screen validates against the OpenVEX
 *    JSON schema (ajv) and re-imports into a fresh home as the same statement;
 *  - draft recovery: `stella serve` as a child process is killed (SIGKILL) mid-edit, restarted on the same
 *    home (same port, so the same origin and IndexedDB), the page reopened in the same browser context —
 *    the draft is back with the "restored draft" notice.
 * Screenshots go to test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { createHttpClient, type FileRef, type HttpEngineClient, type JobResults, type WebSocketCtor } from '../common/contract';
import { POLICY_TEMPLATES } from '../common/policy-language.gen';
import { fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { runJob, value, waitForSockets } from '../../build/test-support/serve-client';
import { startServe, type ServeHandle } from '../serve/server';
import { launchChromium, needsChromium, REPO_ROOT, screenshotPath } from './support';

const ADVISORIES = ['advisories/maven/osv-scalibr-maven-ghsa.jsonl.gz', 'advisories/kev/known_exploited_vulnerabilities.json.gz'];
const SBOM = 'sbom/cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json';
const OPENVEX_SCHEMA = 'vex/openvex-spec/openvex_json_schema.json';
const PASSPHRASES = { alice: 'alice passphrase for approvals', bob: 'bob passphrase for approvals' } as const;

const skip = needsChromium().skip || [SBOM, OPENVEX_SCHEMA, ...ADVISORIES].map((f) => needsFixtures(f).skip).find((s) => s) || false;

/** A client of `s` with its event socket open (jobs started before it connects would send events nobody hears). */
async function httpClient(s: ServeHandle): Promise<HttpEngineClient> {
  const c = createHttpClient(`http://127.0.0.1:${s.port}`, s.token, { WebSocket: WebSocket as unknown as WebSocketCtor });
  c.subscribe('store.changed', () => undefined);
  await waitForSockets(s);
  return c;
}

async function importCorpus(client: HttpEngineClient): Promise<JobResults['sbom.import']> {
  const files: FileRef[] = [];
  for (const p of ADVISORIES) files.push(value(await client.upload(readFileSync(fixture(p) as string), p.split('/').pop() as string)));
  const adv = await runJob(client, () => client.invoke('advisories.import', { files }));
  assert.equal(adv.finished.state, 'succeeded', JSON.stringify(adv.finished.error));
  const sbom = value(await client.upload(readFileSync(fixture(SBOM) as string), 'bom.json'));
  const r = await runJob(client, () => client.invoke('sbom.import', { file: sbom }));
  assert.equal(r.finished.state, 'succeeded', JSON.stringify(r.finished.error));
  const sbomId = (r.finished.result as JobResults['sbom.import']).id;
  const scan = await runJob(client, () => client.invoke('scan.run', { sbomId }));
  assert.equal(scan.finished.state, 'succeeded', JSON.stringify(scan.finished.error));
  return r.finished.result as JobResults['sbom.import'];
}

/** Puts the cursor at the end of a line: the editor renders only the lines in view, so walk there with the keyboard. */
async function gotoLineEnd(page: Page, line: number): Promise<void> {
  await page.locator('.monaco-editor .view-line').first().click();
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

/** The line of the shipped default pack the test edits, and where the typo it adds starts. */
const DEFAULT_STELLA = POLICY_TEMPLATES.default?.['default.stella'] ?? '';
const HIGH_LINE_TEXT = 'when severity.level == "high"';
const HIGH_LINE = DEFAULT_STELLA.split('\n').findIndex((l) => l.includes(HIGH_LINE_TEXT)) + 1;
const HIGH_LINE_END = (DEFAULT_STELLA.split('\n')[HIGH_LINE - 1] ?? '').length;
const ADDED = ' or (severity.levl == "medium" and fix.available)';
const TYPO_COLUMN = HIGH_LINE_END + ' or ('.length + 1;

async function waitLint(page: Page, errors: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('[data-testid="lint-summary"]')?.getAttribute('data-errors') === String(n), errors, { timeout: 30_000 });
}

describe('policy studio and VEX end to end (stella serve + Chromium)', { skip, timeout: 900_000 }, () => {
  let serve: ServeHandle;
  let client: HttpEngineClient;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let scanId = '';
  const pageErrors: string[] = [];

  before(async () => {
    serve = await startServe({ home: tempDir('stella-e2e-policy-'), log: () => {} });
    client = await httpClient(serve);
    const imported = await importCorpus(client);
    scanId = value(await client.invoke('scan.list', {}))[0]?.id ?? '';
    assert.ok(scanId, `a scan was stored (${JSON.stringify(imported).slice(0, 200)})`);
    for (const name of ['alice', 'bob'] as const) value(await client.invoke('keys.generate', { name, profile: 'world', passphrase: PASSPHRASES[name] }));
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light', acceptDownloads: true });
    page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(serve.url);
    await page.getByTestId('dashboard').waitFor();
  });
  after(async () => {
    client?.close();
    await browser?.close();
    await serve?.close();
  });

  test('policy author: lint error at its line → fix → fixtures pass → simulate → diff → two approvals → active', async () => {
    assert.ok(HIGH_LINE > 0, 'the default pack has the warn_high condition');
    await page.getByTestId('nav-policy').click();
    await page.getByTestId('policy-studio').waitFor();
    await page.getByTestId('draft-template').selectOption('default');
    await page.getByTestId('new-draft').click();
    await page.locator('.monaco-editor .view-line').first().waitFor();
    await waitLint(page, 0);

    // A typo in a field name: the lint error names the line and column, and Monaco marks it.
    await gotoLineEnd(page, HIGH_LINE);
    await page.keyboard.insertText(ADDED);
    await page.keyboard.press('Escape');
    await waitLint(page, 1);
    const diag = page.getByTestId('diagnostic').first();
    assert.deepEqual([await diag.getAttribute('data-file'), await diag.getAttribute('data-line'), await diag.getAttribute('data-column')], ['default.stella', String(HIGH_LINE), String(TYPO_COLUMN)]);
    assert.match((await diag.textContent()) ?? '', /unknown identifier severity\.levl/);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await page.screenshot({ path: screenshotPath('policy-01-lint-error') });

    // Fix it: retype the condition with the right field name (the cursor is still at the end of the edited line).
    await page.keyboard.press('End');
    for (let i = 0; i < ADDED.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.insertText(ADDED.replace('severity.levl', 'severity.level'));
    await page.keyboard.press('Escape');
    await waitLint(page, 0);
    assert.equal(await page.locator('.monaco-editor .squiggly-error').count(), 0);
    assert.equal(await page.getByTestId('save-state').textContent(), 'Draft saved');

    // Fixtures: the medium finding without a fix still passes, so every fixture passes.
    await page.getByTestId('panel-fixtures').click();
    await page.getByTestId('run-fixtures').click();
    await page.getByTestId('fixtures-summary').waitFor();
    assert.match((await page.getByTestId('fixtures-summary').textContent()) ?? '', /^\d+ passed, 0 failed$/);
    await page.screenshot({ path: screenshotPath('policy-02-fixtures') });

    // Simulate against the stored scan: medium findings with a fix go from pass to warn.
    await page.getByTestId('panel-simulate').click();
    await page.getByTestId('sim-scan').first().waitFor();
    await page.getByTestId('run-simulation').click();
    await page.getByTestId('simulation-result').waitFor({ timeout: 120_000 });
    const count = async (k: string) => Number((await page.getByTestId(`sim-${k}`).locator('.value').textContent())?.replace(/,/g, ''));
    const changed = await count('changed');
    assert.ok(changed + (await count('unchanged')) + (await count('added')) > 0, 'the simulation covered the scan\'s findings');
    assert.equal(await page.getByTestId('sim-change').count(), Math.min(changed + (await count('added')) + (await count('removed')), 500));
    for (const t of await page.getByTestId('sim-change').allTextContents()) assert.match(t, /pass \(PASS\) → warn \(WARN\)/);
    assert.equal(await page.getByTestId('sim-histogram').count(), 2);
    assert.ok((await page.getByTestId('sim-rule-row').count()) > 0);
    await page.getByTestId('sim-histogram').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('policy-03-simulation'), fullPage: true });

    // Import, approve with alice: activation is refused until a second, different key co-signs.
    await page.getByTestId('panel-approve').click();
    await page.getByTestId('import-pack').click();
    await page.getByTestId('approval-message').filter({ hasText: /Imported stella-default@1\.0\.0/ }).waitFor();
    await page.getByTestId('approve-key').selectOption('alice');
    await page.getByTestId('approve-passphrase').fill(PASSPHRASES.alice);
    await page.getByTestId('approve-pack').click();
    await page.getByTestId('approval-message').filter({ hasText: /Approved .* with alice; 1 more approval/ }).waitFor();
    assert.equal(await page.getByTestId('approve-passphrase').inputValue(), '', 'the passphrase field is cleared');
    await page.getByTestId('approvals-missing').waitFor();
    assert.equal(await page.getByTestId('activate-pack').isDisabled(), true);
    // the same key again does not count twice
    await page.getByTestId('approve-passphrase').fill(PASSPHRASES.alice);
    await page.getByTestId('approve-pack').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="approve-pack"]')?.textContent?.includes('Approving'));
    assert.equal(await page.getByTestId('approval-state').getAttribute('data-needed'), '1');
    await page.screenshot({ path: screenshotPath('policy-04-one-approval') });

    await page.getByTestId('approve-key').selectOption('bob');
    await page.getByTestId('approve-passphrase').fill(PASSPHRASES.bob);
    await page.getByTestId('approve-pack').click();
    await page.getByTestId('approval-message').filter({ hasText: /with bob; it can be activated/ }).waitFor();
    // the approvals list refetches after the message: wait for it rather than read it mid-refresh
    await page.getByTestId('approval').filter({ hasText: /Approved by bob/ }).waitFor();
    assert.deepEqual((await page.getByTestId('approval').allTextContents()).map((t) => /Approved by (\w+)/.exec(t)?.[1]).sort(), ['alice', 'bob']);
    await page.getByTestId('activate-pack').click();
    await page.getByTestId('approval-message').filter({ hasText: /stella-default@1\.0\.0 is the active pack/ }).waitFor();
    await page.locator('[data-testid="pack-row"][data-active="true"]', { hasText: 'stella-default@1.0.0' }).waitFor();
    assert.equal(value(await client.invoke('policy.active', {})).ref, 'stella-default@1.0.0');
    await page.screenshot({ path: screenshotPath('policy-05-active'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });

  let triaged: { id: string; vulnerabilityId: string; purl: string } | null = null;
  test('triage in the evidence drawer changes that finding only; OpenVEX from the VEX screen validates and re-imports', async () => {
    const before = value(await client.invoke('policy.evaluate', { scanId }));
    const target = before.findings.find((f) => f.status === 'blocked' && f.purl);
    assert.ok(target?.purl, 'a blocked finding with a purl');
    triaged = { id: target.findingId, vulnerabilityId: target.vulnerabilityId, purl: target.purl };

    await page.goto(`${serve.url.split('?')[0]}#/findings?scan=${scanId}`);
    await page.getByTestId('finding-row').first().waitFor();
    await page.getByTestId('findings-search').fill(target.vulnerabilityId);
    const row = page.locator(`[data-testid="finding-row"][data-finding-id="${target.findingId}"]`);
    await row.locator('[data-testid="finding-policy"][data-status="blocked"]').waitFor();
    assert.equal(await row.locator('[data-testid="finding-vex"]').getAttribute('data-status'), 'none');
    await row.click();
    const drawer = page.getByTestId('explain-drawer');
    await drawer.getByTestId('triage-form').waitFor();
    await drawer.getByTestId('triage-status-not_affected').check();
    await drawer.getByTestId('triage-justification').selectOption('vulnerable_code_not_present');
    await drawer.getByTestId('triage-impact').fill('The vulnerable code path is not shipped in this build.');
    await drawer.getByTestId('triage-submit').click();
    await drawer.getByTestId('triage-result').waitFor();
    await drawer.getByTestId('drawer-policy').filter({ hasText: /pass/ }).waitFor();
    await page.screenshot({ path: screenshotPath('vex-01-triage-drawer') });
    await page.keyboard.press('Escape');
    await row.locator('[data-testid="finding-policy"][data-status="pass"]').waitFor();
    assert.equal(await row.locator('[data-testid="finding-vex"]').getAttribute('data-status'), 'not_affected');
    await page.screenshot({ path: screenshotPath('vex-02-findings-after-triage') });

    const after = value(await client.invoke('policy.evaluate', { scanId }));
    const changedIds = after.findings.filter((a) => before.findings.find((b) => b.findingId === a.findingId)?.status !== a.status).map((a) => a.findingId);
    assert.deepEqual(changedIds, [target.findingId], 'the triaged finding changes, no other');

    // The VEX screen: the finding's statements and consensus, then the OpenVEX export.
    await page.goto(`${serve.url.split('?')[0]}#/vex?scan=${scanId}&finding=${target.findingId}`);
    await page.locator('[data-testid="vex-consensus"][data-status="not_affected"]').waitFor();
    assert.ok((await page.getByTestId('consensus-statement').count()) >= 1);
    assert.match((await page.getByTestId('vex-statement').first().textContent()) ?? '', /not_affected/);
    await page.screenshot({ path: screenshotPath('vex-03-screen'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-openvex').click()]);
    const bytes = readFileSync((await download.path()) as string);
    await page.getByTestId('vex-export-result').waitFor();
    const doc = JSON.parse(bytes.toString('utf8')) as { statements: { vulnerability: { name: string }; products: { '@id': string }[]; status: string; justification?: string }[] };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('iri', true);
    const validate = ajv.compile(JSON.parse(readFileSync(fixture(OPENVEX_SCHEMA) as string, 'utf8')) as object);
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    assert.equal(doc.statements.length, 1);

    // Re-import into a fresh home: the same statement.
    const fresh = await startServe({ home: tempDir('stella-e2e-vex-fresh-'), readers: 1, log: () => {} });
    const fc = await httpClient(fresh);
    try {
      const up = value(await fc.upload(bytes, download.suggestedFilename()));
      const r = await runJob(fc, () => fc.invoke('vex.import', { files: [up] }));
      assert.equal(r.finished.state, 'succeeded', JSON.stringify(r.finished.error));
      const s = (r.finished.result as JobResults['vex.import']).statements;
      assert.equal(s.length, 1);
      assert.deepEqual([s[0]?.status, s[0]?.justification, s[0]?.product], ['not_affected', 'vulnerable_code_not_present', triaged.purl]);
      assert.ok(s[0]?.vulnerability === triaged.vulnerabilityId || s[0]?.aliases.includes(triaged.vulnerabilityId), `names ${triaged.vulnerabilityId}`);
    } finally {
      fc.close();
      await fresh.close();
    }
    assert.deepEqual(pageErrors, []);
  });
});

/** `stella serve` as a child process on `home`: its URL (first stdout line) and the process. */
async function spawnServe(home: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), '--home', home, 'serve'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`stella serve did not print its URL: ${err}`)), 60_000);
    proc.stdout?.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('http://'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    proc.stderr?.on('data', (b: Buffer) => (err += b.toString('utf8')));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stella serve exited with ${code}: ${err}`));
    });
  });
  return { url, proc };
}

describe('policy draft recovery after the server is killed mid-edit', { skip: needsChromium().skip, timeout: 300_000 }, () => {
  let browser: Browser;
  let proc: ChildProcess | null = null;
  after(async () => {
    if (proc && proc.exitCode === null) proc.kill('SIGTERM');
    await browser?.close();
  });

  test('kill stella serve while editing, restart on the same home, reopen: the draft is back', async () => {
    const home = tempDir('stella-e2e-recovery-');
    const first = await spawnServe(home);
    proc = first.proc;
    browser = await launchChromium();
    // One browser context for both runs: IndexedDB (Dexie) lives in its profile, as in a real browser.
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${first.url}#/policy`);
    await page.getByTestId('policy-studio').waitFor();
    await page.getByTestId('new-draft').click();
    await page.locator('.monaco-editor .view-line').first().waitFor();
    await gotoLineEnd(page, HIGH_LINE);
    const marker = ' and component.name != "recovered-edit"';
    await page.keyboard.insertText(marker);
    // the autosave is debounced a little (250 ms); give it that, not a full "saved" round trip
    await page.waitForTimeout(600);
    await page.screenshot({ path: screenshotPath('policy-06-before-kill') });

    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    await page.close();

    const second = await spawnServe(home);
    proc = second.proc;
    assert.equal(new URL(second.url).origin, new URL(first.url).origin, 'the restarted server has the same origin (port derived from the home)');
    const again = await ctx.newPage();
    await again.goto(`${second.url}#/policy`);
    await again.getByTestId('restored-notice').waitFor();
    await again.locator('.monaco-editor .view-line').first().waitFor();
    await gotoLineEnd(again, HIGH_LINE);
    await again.locator('.monaco-editor .view-line', { hasText: /recovered-edit/ }).waitFor();
    assert.match((await again.getByTestId('restored-notice').textContent()) ?? '', /Restored draft stella-default/);
    await again.screenshot({ path: screenshotPath('policy-07-restored') });
    second.proc.kill('SIGTERM');
    await new Promise((r) => second.proc.once('exit', r));
    proc = null;
    await ctx.close();
  });
});
