/**
 * Notifications in the app: the bell in the shell (unread count; the list of `notify.since` entries,
 * newest first; mark all read — the last read seq is a UI preference in IndexedDB), and live toasts for
 * `notify.desktop` (what the rules route to the desktop: kit imported/rejected, blocking verdicts, stale
 * feeds, critical/KEV scans) and for finished scans.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { NotificationView } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { useUiDb } from '../app/ui-db';
import { formatDate } from '../common/ErrorBox';
import { getPreference, setPreference } from '../db/db';
import { useClient, useEngineQuery } from '../client/queries';
import { unreadCount, toastOfJob, toastOfNotification, type Toast } from './notify-model';

const LAST_READ = 'notify.lastReadSeq';

function useLastRead(): [number | null, (seq: number) => void] {
  const db = useUiDb();
  const [seq, setSeq] = useState<number | null>(db ? null : 0);
  useEffect(() => {
    if (db) void getPreference<number>(db, LAST_READ, 0).then((v) => setSeq(typeof v === 'number' ? v : 0));
  }, [db]);
  const set = useCallback(
    (s: number) => {
      setSeq(s);
      if (db) void setPreference(db, LAST_READ, s);
    },
    [db],
  );
  return [seq, set];
}

export function NotificationBell() {
  const list = useEngineQuery('notify.since', { limit: 100 }, { staleTime: 30_000 });
  const [lastRead, setLastRead] = useLastRead();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = [...(list.data?.notifications ?? [])].reverse();
  const unread = lastRead === null ? 0 : unreadCount(list.data?.notifications ?? [], lastRead);
  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    // Escape closes from anywhere (focus may have left the panel: a button that became disabled)
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  return (
    <div className="bell">
      <button
        type="button"
        ref={button}
        aria-expanded={open}
        aria-controls="notification-panel"
        onClick={() => setOpen((o) => !o)}
        data-testid="notify-bell"
        aria-label={`Notifications${unread ? `, ${unread} unread` : ''}`}
      >
        Notifications{' '}
        {unread > 0 && (
          <span className="badge unread" data-testid="notify-unread">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div
          id="notification-panel"
          className="notify-panel"
          role="region"
          aria-label="Notifications"
          tabIndex={-1}
          ref={panel}
          data-testid="notify-panel"
        >
          <div className="row">
            <strong>Notifications</strong>
            <span className="spacer" />
            <button type="button" onClick={() => setLastRead(list.data?.last ?? 0)} disabled={unread === 0} data-testid="notify-mark-read">
              Mark all read
            </button>
            <button type="button" onClick={() => { setOpen(false); button.current?.focus(); }} aria-label="Close notifications">
              Close
            </button>
          </div>
          {items.length === 0 ? (
            <p className="muted">Nothing yet. Scans, blocking verdicts, kit imports and stale feeds notify here (rules: Settings → Notifications).</p>
          ) : (
            <ul className="notify-list">
              {items.map((n) => (
                <NotificationItem key={n.seq} n={n} unread={lastRead !== null && n.seq > lastRead} />
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function NotificationItem({ n, unread }: { n: NotificationView; unread: boolean }) {
  return (
    <li className={unread ? 'unread' : undefined} data-testid="notify-item" data-kind={n.kind}>
      <div className="row">
        <span className={`sev sev-${n.severity}`}>{n.kind}</span>
        {n.kev && <span className="badge kev">KEV</span>}
        {unread && <span className="badge">new</span>}
        <span className="spacer" />
        <span className="muted">{formatDate(n.at)}</span>
      </div>
      <div>
        <strong>{n.title}</strong>
      </div>
      {n.body && <div className="muted">{n.body}</div>}
    </li>
  );
}

const TOAST_MS = 8000;

export function NotificationToasts() {
  const client = useClient();
  const qc = useQueryClient();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: string) => {
    setToasts((ts) => ts.filter((t) => t.id !== id));
    const t = timers.current.get(id);
    if (t) clearTimeout(t);
    timers.current.delete(id);
  }, []);
  const push = useCallback(
    (t: Toast) => {
      setToasts((ts) => (ts.some((x) => x.id === t.id) ? ts : [...ts, t].slice(-4)));
      timers.current.set(
        t.id,
        setTimeout(() => dismiss(t.id), TOAST_MS),
      );
    },
    [dismiss],
  );
  useEffect(() => {
    const offs = [
      client.subscribe('notify.desktop', (n) => {
        void qc.invalidateQueries({ queryKey: ['notify.since'] });
        push(toastOfNotification(n));
      }),
      client.subscribe('job.finished', (j) => {
        void qc.invalidateQueries({ queryKey: ['notify.since'] });
        const t = toastOfJob(j);
        if (t) push(t);
      }),
    ];
    const pending = timers.current;
    return () => {
      offs.forEach((off) => off());
      for (const t of pending.values()) clearTimeout(t);
    };
  }, [client, qc, push]);
  if (toasts.length === 0) return <div className="toasts" aria-live="polite" />;
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} role="status" data-testid="toast" data-kind={t.kind}>
          <div className="row">
            <strong>{t.title}</strong>
            <span className="spacer" />
            <button type="button" className="link" onClick={() => dismiss(t.id)} aria-label={`Dismiss: ${t.title}`}>
              Dismiss
            </button>
          </div>
          {t.body && <div>{t.body}</div>}
          {t.link && <a href={hrefFor(t.link.route, t.link.params)}>{t.link.label}</a>}
        </div>
      ))}
    </div>
  );
}
