/** Pure logic of the notification centre: unread counts and what a toast says for an event. */
import type { EventPayloads, NotificationView, ScanSummary, KitImportSummary } from '../../../common/contract';
import type { RouteName } from '../app/router';

export interface Toast {
  id: string;
  kind: string;
  tone: 'info' | 'ok' | 'warn' | 'bad';
  title: string;
  body?: string;
  link?: { route: RouteName; params?: Record<string, string>; label: string };
}

export function unreadCount(list: readonly NotificationView[], lastReadSeq: number): number {
  return list.filter((n) => n.seq > lastReadSeq).length;
}

export function toastOfNotification(n: NotificationView): Toast {
  const tone: Toast['tone'] = n.kind === 'policy.blocked' || n.kind === 'kit.rejected' ? 'bad' : n.kind === 'feed.stale' ? 'warn' : n.kind === 'kit.imported' ? 'ok' : n.severity === 'critical' || n.kev ? 'warn' : 'info';
  const link: Toast['link'] =
    n.kind === 'kit.imported' || n.kind === 'kit.rejected' || n.kind === 'feed.stale' ? { route: 'kits', label: 'Offline kits' } : { route: 'findings', label: 'Findings' };
  return { id: `n${n.seq}`, kind: n.kind, tone, title: n.title, ...(n.body ? { body: n.body } : {}), link };
}

/** Finished scans (every one, whatever the rules route) and failed jobs get a toast; other jobs show on their screens. */
export function toastOfJob(j: EventPayloads['job.finished']): Toast | null {
  if ((j.kind === 'scan.target' || j.kind === 'scan.run') && j.state === 'succeeded' && j.result) {
    const s = j.result as ScanSummary;
    return {
      id: `j${j.jobId}`,
      kind: 'scan.completed',
      tone: s.verdict?.verdict === 'BLOCKED' ? 'bad' : 'ok',
      title: `Scan completed: ${s.findingCount} finding${s.findingCount === 1 ? '' : 's'}${s.verdict ? ` · ${s.verdict.verdict}` : ''}`,
      body: s.subject,
      link: { route: 'findings', params: { scan: s.id }, label: 'Open findings' },
    };
  }
  if (j.kind === 'kits.import' && j.state === 'succeeded' && j.result && (j.result as KitImportSummary).dryRun) return null;
  // a refused kit raises its own `kit.rejected` notification: no second toast for the same event
  if (j.state === 'failed' && j.error && j.error.code !== 'cancelled' && j.kind !== 'kits.import') return { id: `j${j.jobId}`, kind: j.kind, tone: 'bad', title: `${j.kind} failed`, body: j.error.message };
  return null;
}
