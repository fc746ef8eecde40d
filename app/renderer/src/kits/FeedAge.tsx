/**
 * Feed age, wherever results depend on it: a badge in the app shell, a notice on the scan header, the
 * advisories screen, the dashboard and the Offline kits screen. Stale data is used, never refused — so
 * the warning must be visible where the results are read (threshold: the engine's `staleAfterDays`).
 */
import { hrefFor } from '../app/router';
import { useEngineQuery } from '../client/queries';
import { feedAgeText } from './kit-model';

/** The shell's badge: the age in days, highlighted when stale or when no snapshot is loaded. */
export function FeedAgeBadge() {
  const age = useEngineQuery('feeds.age', {}, { staleTime: 60_000, refetchInterval: 10 * 60_000 });
  if (!age.data) return null;
  const a = age.data;
  const none = a.basis === 'none' || a.asOf === null;
  const text = none ? 'No advisory data' : `Feeds ${Math.floor(a.ageDays ?? 0)} d old${a.stale ? ' · stale' : ''}`;
  return (
    <a href={hrefFor('kits')} className={`badge feed-age${a.stale || none ? ' feed-stale' : ''}`} title={feedAgeText(a)} data-testid="feed-age-badge" data-stale={a.stale || none ? 'true' : 'false'}>
      {text}
    </a>
  );
}

/** A notice with the feed age: shown when stale or absent, or always with `always` (kits screen, scan header). */
export function FeedAgeNotice({ always = false }: { always?: boolean }) {
  const age = useEngineQuery('feeds.age', {}, { staleTime: 60_000 });
  if (!age.data) return null;
  const a = age.data;
  const none = a.basis === 'none' || a.asOf === null;
  if (!always && !a.stale && !none) return null;
  const warn = a.stale || none;
  return (
    <div className={warn ? 'notice' : 'muted feed-age-line'} role={warn ? 'status' : undefined} data-testid="feed-age-notice" data-stale={a.stale ? 'true' : 'false'}>
      {warn && <strong>{none ? 'No advisory data. ' : 'Stale advisory data. '}</strong>}
      {feedAgeText(a)}
      {warn && (
        <>
          {' '}
          — <a href={hrefFor('kits')}>import an offline kit</a> or <a href={hrefFor('import')}>import a feed folder</a>.
        </>
      )}
    </div>
  );
}
