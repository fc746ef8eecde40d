/**
 * Desktop notifications: every `notify.desktop` event of the engine host (engine/notify's rules sent it
 * to the desktop) becomes an Electron `Notification`; clicking it brings the window forward. The renderer
 * receives the same event and may show it in the app. Kept thin: which events, when and how severe is
 * decided in engine/notify.
 */
import type { Notification as ElectronNotification, NotificationConstructorOptions } from 'electron';
import type { EventBus } from '../host/events';

export interface NotificationApi {
  isSupported(): boolean;
  new (options: NotificationConstructorOptions): Pick<ElectronNotification, 'show' | 'on'>;
}

export function showDesktopNotifications(bus: EventBus, Notification: NotificationApi | undefined, focus: () => void): () => void {
  if (!Notification) return () => undefined;
  return bus.on('notify.desktop', (n) => {
    if (!Notification.isSupported()) return;
    const urgency = n.severity === 'critical' || n.severity === 'high' ? 'critical' : 'normal';
    const shown = new Notification({ title: n.title, body: n.body, urgency, silent: urgency !== 'critical' });
    shown.on('click', focus);
    shown.show();
  });
}
