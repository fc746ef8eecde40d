import { EngineError } from '../client/engine';

/** Shows an engine error with its code, message and the file/field details, so the user can act on it. */
export function ErrorBox({ error, title, onDismiss }: { error: unknown; title?: string; onDismiss?: () => void }) {
  const e = error instanceof EngineError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  const details = e?.details ? Object.entries(e.details).filter(([, v]) => v !== undefined && v !== null && v !== '') : [];
  return (
    <div className="error-box" role="alert" data-testid="error-box">
      <div className="row">
        <strong>{title ?? 'Something went wrong'}</strong>
        {e && <span className="badge mono" data-testid="error-code">{e.code}</span>}
        <span className="spacer" />
        {onDismiss && (
          <button type="button" onClick={onDismiss} aria-label="Dismiss error">
            Dismiss
          </button>
        )}
      </div>
      <div>{message}</div>
      {details.length > 0 && (
        <dl>
          {details.map(([k, v]) => (
            <DetailRow key={k} k={k} v={v} />
          ))}
        </dl>
      )}
      {e && HINTS[e.code] && <div className="muted">{HINTS[e.code]}</div>}
    </div>
  );
}

function DetailRow({ k, v }: { k: string; v: unknown }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
    </>
  );
}

const HINTS: Record<string, string> = {
  'invalid-input': 'The file was read but rejected: check the named file and field, fix or replace it, and import again.',
  'missing-data': 'Some data this needs is not in the store yet — import it first (Import screen).',
  'not-found': 'It may have been removed or this page refers to another store; go back to the list.',
  trust: 'A signature, digest or session token did not verify.',
  busy: 'The engine is busy with another write; try again in a moment.',
  unsupported: 'This host cannot do that (e.g. native dialogs in the browser): use the alternative offered.',
};

export function Loading({ what }: { what: string }) {
  return (
    <div className="muted" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

export function Severity({ level }: { level: string }) {
  return <span className={`sev sev-${level}`}>{level}</span>;
}

export function formatAge(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** `sha256:0123456789ab…` — enough to tell digests apart on screen; the full value goes in a title. */
export function shortDigest(d: string, hexChars = 12): string {
  const m = /^([a-z0-9]+):([0-9a-f]+)$/.exec(d);
  return m && (m[2] as string).length > hexChars ? `${m[1]}:${(m[2] as string).slice(0, hexChars)}…` : d;
}
