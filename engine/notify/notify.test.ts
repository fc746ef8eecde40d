import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../core';
import { listAudit } from '../audit';
import { openStore } from '../store';
import { cli } from '../../build/test-support/cli';
import { tempDir } from '../../build/test-support/fixtures';
import {
  type LoggedNotification,
  type NotifySettings,
  DEFAULT_NOTIFY_SETTINGS,
  NotifyError,
  feedStaleEvent,
  isQuiet,
  kitRejectedEvent,
  notificationsSince,
  parseNotifySettings,
  raiseNotification,
  routeEvent,
  scanCompletedEvent,
  writeNotifySettings,
} from '.';

const at = (iso: string) => Date.parse(iso);

test('rules: event kind, minimum severity (unknown counts as medium), KEV only, disabled rules; channels are the union', () => {
  const settings: NotifySettings = {
    rules: [
      { id: 'crit', enabled: true, kinds: ['scan.completed'], minSeverity: 'high', channels: ['desktop'] },
      { id: 'kev', enabled: true, kinds: ['scan.completed', 'policy.blocked'], kevOnly: true, channels: ['stderr'] },
      { id: 'medium', enabled: true, kinds: ['scan.completed'], minSeverity: 'medium', channels: ['digest'] },
      { id: 'off', enabled: false, kinds: ['scan.completed'], channels: ['stderr'] },
    ],
    digest: { dir: '/tmp/x', formats: ['markdown'] },
  };
  const cases: [string, Parameters<typeof routeEvent>[1], string[], string[]][] = [
    ['critical, no KEV', { kind: 'scan.completed', severity: 'critical', kev: false }, ['crit', 'medium'], ['desktop', 'digest']],
    ['low with KEV', { kind: 'scan.completed', severity: 'low', kev: true }, ['kev'], ['stderr']],
    ['unknown severity', { kind: 'scan.completed', severity: 'unknown', kev: false }, ['medium'], ['digest']],
    ['none', { kind: 'scan.completed', severity: 'none', kev: false }, [], []],
    ['blocked with KEV', { kind: 'policy.blocked', severity: 'low', kev: true }, ['kev'], ['stderr']],
    ['another kind', { kind: 'kit.imported', severity: 'critical', kev: true }, [], []],
  ];
  for (const [name, event, rules, channels] of cases) {
    const r = routeEvent(settings, event, at('2025-06-01T12:00:00Z'));
    assert.deepEqual(r.rules, rules, name);
    assert.deepEqual(r.channels, channels, name);
  }
  const noDigest = routeEvent({ rules: settings.rules }, { kind: 'scan.completed', severity: 'medium', kev: false }, 0);
  assert.deepEqual(noDigest.channels, []);
  assert.match(noDigest.suppressed[0]!.reason, /no digest folder/);
});

test('quiet hours: across midnight, in a time zone; held deliveries go to the digest', () => {
  const utc = { start: '22:00', end: '07:00', timeZone: 'UTC', channels: ['desktop' as const] };
  const table: [string, boolean][] = [
    ['2025-06-01T21:59:00Z', false],
    ['2025-06-01T22:00:00Z', true],
    ['2025-06-01T23:30:00Z', true],
    ['2025-06-02T06:59:00Z', true],
    ['2025-06-02T07:00:00Z', false],
    ['2025-06-02T12:00:00Z', false],
  ];
  for (const [iso, quiet] of table) assert.equal(isQuiet(utc, at(iso)), quiet, iso);
  // Berlin is UTC+2 in June: 21:30 UTC is 23:30 there.
  const berlin = { ...utc, timeZone: 'Europe/Berlin' };
  assert.equal(isQuiet(berlin, at('2025-06-01T21:30:00Z')), true);
  assert.equal(isQuiet(berlin, at('2025-06-01T19:30:00Z')), false);
  assert.equal(isQuiet({ ...utc, start: '09:00', end: '17:00' }, at('2025-06-01T12:00:00Z')), true);
  const settings: NotifySettings = { rules: [{ id: 'all', enabled: true, kinds: ['kit.rejected'], channels: ['desktop', 'stderr'] }], quietHours: utc, digest: { dir: '/d', formats: ['html'] } };
  const night = routeEvent(settings, { kind: 'kit.rejected', severity: 'high', kev: false }, at('2025-06-01T23:00:00Z'));
  assert.deepEqual(night.channels, ['stderr', 'digest']);
  assert.deepEqual(night.suppressed, [{ channel: 'desktop', reason: 'quiet hours 22:00–07:00' }]);
  const day = routeEvent(settings, { kind: 'kit.rejected', severity: 'high', kev: false }, at('2025-06-01T10:00:00Z'));
  assert.deepEqual(day.channels, ['desktop', 'stderr']);
});

test('raising: logged, delivered to the sink, digest files rewritten for the day (escaped), once per dedupe key', () => {
  const home = tempDir('stella-notify-');
  const digest = tempDir('stella-digest-');
  const store = openStore({ home });
  const clock = fixedClock('2025-06-01T10:00:00Z', 60_000);
  writeNotifySettings(store, { ...DEFAULT_NOTIFY_SETTINGS, digest: { dir: digest, formats: ['markdown', 'html'] } }, { clock });
  const seen: LoggedNotification[] = [];
  const ctx = { clock, notify: (n: LoggedNotification) => void seen.push(n) };
  const scan = raiseNotification(store, scanCompletedEvent({ id: 'scan_1', subject: 'app<script>alert(1)</script>@sha256:ab', findings: 3, bySeverity: { critical: 1, low: 2 }, kev: 1, fixable: 2 }), ctx);
  assert.deepEqual(scan.notification?.rules, ['critical-findings', 'kev-findings', 'scans']);
  assert.deepEqual(scan.notification?.channels, ['desktop', 'stderr', 'digest']);
  assert.equal(scan.notification?.severity, 'critical');
  const rejected = raiseNotification(store, kitRejectedEvent({ source: '/media/k.tar.gz', check: 'digests', code: 'digest-mismatch', exitCode: 6, message: 'payload/advisories/x | changed', quarantine: null, digest: null }), ctx);
  assert.equal(rejected.notification?.severity, 'high');
  const stale = feedStaleEvent({ snapshot: 'sha256:aa', asOf: '2025-05-01T00:00:00Z', ageDays: 31, staleAfterDays: 7, day: '2025-06-01' });
  assert.notEqual(raiseNotification(store, stale, ctx).notification, null);
  assert.equal(raiseNotification(store, stale, ctx).notification, null, 'the same stale snapshot is reported once a day');
  assert.equal(seen.length, 3);
  assert.deepEqual(notificationsSince(store, 1).map((n) => n.kind), ['kit.rejected', 'feed.stale']);
  assert.deepEqual(readdirSync(digest).sort(), ['stella-digest-2025-06-01.html', 'stella-digest-2025-06-01.md']);
  const html = readFileSync(join(digest, 'stella-digest-2025-06-01.html'), 'utf8');
  assert.ok(!html.includes('<script>'), 'values are escaped');
  assert.ok(html.includes('app&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.match(html, /3 notifications\./);
  const md = readFileSync(join(digest, 'stella-digest-2025-06-01.md'), 'utf8');
  assert.match(md, /\| 10:0\d:00 \| kit\.rejected \| high \|/);
  assert.ok(md.includes('payload/advisories/x \\| changed'), 'table cells are escaped');
  store.close();
});

test('settings files: JSON or YAML, every problem named by its field', () => {
  const good = parseNotifySettings('rules:\n  - id: kev\n    kinds: [scan.completed]\n    kevOnly: true\n    channels: [desktop]\nquietHours: {start: "22:00", end: "06:30", timeZone: Europe/Berlin}\n', 'rules.yaml');
  assert.equal(good.rules[0]!.enabled, true);
  assert.deepEqual(good.quietHours?.channels, ['desktop']);
  const bad: [string, string, RegExp][] = [
    ['{"rules":[{"id":"a","kinds":["scan.done"],"channels":["desktop"]}]}', 'r.json', /\/rules\/0\/kinds\/0/],
    ['{"rules":[{"id":"a","kinds":["feed.stale"],"channels":["email"]}]}', 'r.json', /\/rules\/0\/channels\/0/],
    ['{"rules":[{"id":"a","kinds":["feed.stale"],"channels":["stderr"]},{"id":"a","kinds":["feed.stale"],"channels":["stderr"]}]}', 'r.json', /\/rules\/1\/id: rule id a is used twice/],
    ['{"rules":[],"quietHours":{"start":"25:00","end":"06:00"}}', 'r.json', /\/quietHours\/start/],
    ['{"rules":[],"quietHours":{"start":"22:00","end":"06:00","timeZone":"Mars/Olympus"}}', 'r.json', /\/quietHours\/timeZone/],
    ['{"rules":[],"extra":1}', 'r.json', /extra/],
    ['rules: [', 'r.yaml', /not YAML/],
  ];
  for (const [text, file, re] of bad) assert.throws(() => parseNotifySettings(text, file), (e: unknown) => e instanceof NotifyError && e.exitCode === 3 && re.test(e.message), text);
});

test('CLI: notify rules (default, --set FILE, --reset), notify test routes through them and prints stderr deliveries', async () => {
  const home = tempDir('stella-notify-cli-');
  const digest = tempDir('stella-notify-digest-');
  const show = await cli(['--home', home, 'notify', 'rules', '--json']);
  assert.equal(show.code, 0);
  assert.equal((JSON.parse(show.stdout) as { source: string }).source, 'default');
  const file = join(tempDir('stella-rules-'), 'rules.yaml');
  writeFileSync(file, `rules:\n  - id: rejected\n    kinds: [kit.rejected]\n    channels: [stderr, digest]\ndigest:\n  dir: ${digest}\n  formats: [markdown]\n`);
  const set = await cli(['--home', home, 'notify', 'rules', '--set', file, '--json']);
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual((JSON.parse(set.stdout) as { settings: NotifySettings }).settings.rules.map((r) => r.id), ['rejected']);
  const t = await cli(['--home', home, 'notify', 'test', '--kind', 'kit.rejected', '--severity', 'high', '--json']);
  assert.equal(t.code, 0, t.stderr);
  const r = JSON.parse(t.stdout) as { notification: LoggedNotification; digestFiles: string[] };
  assert.deepEqual(r.notification.channels, ['stderr', 'digest']);
  assert.match(t.stderr, /notification \[kit\.rejected, high\]: Test notification/);
  assert.equal(r.digestFiles.length, 1);
  const none = await cli(['--home', home, 'notify', 'test', '--kind', 'scan.completed']);
  assert.match(none.stdout, /no rule matches/);
  assert.equal((await cli(['--home', home, 'notify', 'test', '--kind', 'nope'])).code, 2);
  const badFile = join(tempDir('stella-rules-'), 'bad.json');
  writeFileSync(badFile, '{"rules":[{"id":"x","kinds":["kit.imported"],"channels":["pager"]}]}');
  const bad = await cli(['--home', home, 'notify', 'rules', '--set', badFile]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /\/rules\/0\/channels\/0/);
  assert.equal((await cli(['--home', home, 'notify', 'rules', '--reset'])).code, 0);
  const store = openStore({ home });
  assert.deepEqual(listAudit(store, { kind: 'notify' }).map((e) => e.subject), ['stored', 'default']);
  store.close();
});
