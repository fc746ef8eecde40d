import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotificationView } from '../../../common/contract';
import { toastOfJob, toastOfNotification, unreadCount } from './notify-model';

const n = (seq: number, kind: NotificationView['kind'], extra: Partial<NotificationView> = {}): NotificationView => ({ seq, at: '2026-12-01T00:00:00Z', kind, subject: 's', title: `t${seq}`, body: '', severity: 'none', kev: false, channels: ['desktop'], ...extra });

test('unreadCount counts what came after the last read seq', () => {
  assert.equal(unreadCount([n(1, 'kit.imported'), n(2, 'feed.stale'), n(3, 'policy.blocked')], 1), 2);
  assert.equal(unreadCount([], 5), 0);
});

const tones: [NotificationView['kind'], Partial<NotificationView>, string, string][] = [
  ['policy.blocked', {}, 'bad', 'findings'],
  ['kit.rejected', {}, 'bad', 'kits'],
  ['kit.imported', {}, 'ok', 'kits'],
  ['feed.stale', {}, 'warn', 'kits'],
  ['scan.completed', { kev: true }, 'warn', 'findings'],
  ['scan.completed', {}, 'info', 'findings'],
];
for (const [kind, extra, tone, route] of tones) {
  test(`toastOfNotification ${kind}${extra.kev ? ' (KEV)' : ''} → ${tone}, links to ${route}`, () => {
    const t = toastOfNotification(n(7, kind, extra));
    assert.deepEqual([t.tone, t.link?.route, t.id], [tone, route, 'n7']);
  });
}

test('toastOfJob: scans get one, failures get one, cancellations and dry runs do not', () => {
  const scan = toastOfJob({ jobId: 'a', kind: 'scan.target', state: 'succeeded', result: { id: 'scan_1', findingCount: 3, subject: 'x@sha256:1', verdict: { verdict: 'BLOCKED' } } });
  assert.deepEqual([scan?.tone, scan?.link?.params?.scan], ['bad', 'scan_1']);
  assert.match(scan?.title ?? '', /3 findings · BLOCKED/);
  assert.equal(toastOfJob({ jobId: 'b', kind: 'kits.build', state: 'failed', error: { code: 'trust', message: 'bad key' } })?.body, 'bad key');
  assert.equal(toastOfJob({ jobId: 'b', kind: 'kits.import', state: 'failed', error: { code: 'trust', message: 'bad sig' } }), null, 'kit.rejected notifies instead');
  assert.equal(toastOfJob({ jobId: 'c', kind: 'kits.import', state: 'failed', error: { code: 'cancelled', message: 'cancelled' } }), null);
  assert.equal(toastOfJob({ jobId: 'd', kind: 'kits.import', state: 'succeeded', result: { dryRun: true } }), null);
});
