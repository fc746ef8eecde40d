/**
 * engine/notify — notification rules (event kind, severity, KEV), quiet hours, channels (desktop via the
 * app, stderr in the CLI, Markdown/HTML digest files) and the notification log hosts deliver from.
 */
export { NotifyError, type NotifyErrorCode } from './errors';
export {
  NOTIFY_EVENT_KINDS,
  NOTIFY_CHANNELS,
  SEVERITIES,
  SEVERITY_RANK,
  DEFAULT_NOTIFY_SETTINGS,
  parseNotifySettings,
  readNotifySettings,
  writeNotifySettings,
  type NotifyEventKind,
  type NotifyChannel,
  type NotifySeverity,
  type NotifyRule,
  type NotifySettings,
  type QuietHours,
  type StoredSettings,
} from './settings';
export { routeEvent, isQuiet, type Route, type RoutableEvent } from './route';
export { raiseNotification, notificationsSince, lastNotificationSeq, listNotifications, digestOf, type NotifyEvent, type LoggedNotification, type NotificationSink, type RaiseResult } from './log';
export { renderMarkdownDigest, renderHtmlDigest, writeDigestFiles, digestFileNames } from './digest';
export {
  scanCompletedEvent,
  policyBlockedEvent,
  kitImportedEvent,
  kitRejectedEvent,
  feedStaleEvent,
  testEvent,
  highestSeverity,
  type ScanFacts,
  type BlockFacts,
  type KitFacts,
  type KitRejectionFacts,
  type StaleFacts,
} from './events';
