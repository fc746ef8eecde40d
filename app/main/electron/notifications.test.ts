import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotificationConstructorOptions } from 'electron';
import type { NotificationView } from '../../common/contract';
import { EventBus } from '../host/events';
import { showDesktopNotifications, type NotificationApi } from './notifications';

function fakeNotification(supported = true) {
  const shown: NotificationConstructorOptions[] = [];
  const clicks: (() => void)[] = [];
  const Fake = class {
    static isSupported = () => supported;
    constructor(private readonly o: NotificationConstructorOptions) {}
    on(_event: 'click', fn: () => void) {
      clicks.push(fn);
      return this;
    }
    show() {
      shown.push(this.o);
    }
  } as unknown as NotificationApi;
  return { Fake, shown, clicks };
}

const n = (over: Partial<NotificationView>): NotificationView => ({ seq: 1, at: '2025-06-01T00:00:00Z', kind: 'kit.rejected', subject: 's', title: 'Offline kit rejected', body: 'digest mismatch', severity: 'high', kev: false, channels: ['desktop'], ...over });

test('notify.desktop events become Electron notifications (critical urgency for high and critical), a click focuses the window', () => {
  const bus = new EventBus();
  const { Fake, shown, clicks } = fakeNotification();
  let focused = 0;
  const off = showDesktopNotifications(bus, Fake, () => void focused++);
  bus.emit('notify.desktop', n({}));
  bus.emit('notify.desktop', n({ seq: 2, kind: 'kit.imported', title: 'Offline kit stable 1.2.0 activated', severity: 'none' }));
  assert.deepEqual(shown.map((o) => [o.title, o.urgency, o.silent]), [
    ['Offline kit rejected', 'critical', false],
    ['Offline kit stable 1.2.0 activated', 'normal', true],
  ]);
  clicks[0]!();
  assert.equal(focused, 1);
  off();
  bus.emit('notify.desktop', n({ seq: 3 }));
  assert.equal(shown.length, 2, 'unsubscribed');
});

test('no notifications where the platform has none (or Electron is absent)', () => {
  const bus = new EventBus();
  const { Fake, shown } = fakeNotification(false);
  showDesktopNotifications(bus, Fake, () => undefined);
  showDesktopNotifications(bus, undefined, () => undefined);
  bus.emit('notify.desktop', n({}));
  assert.equal(shown.length, 0);
});
