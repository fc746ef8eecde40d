/**
 * Advisories: search stored advisories, open a linkset and read its observations side by side — each
 * exactly as its source said it (AOC: nothing merged) — with conflicting fields highlighted.
 */
import { useDeferredValue, useState } from 'react';
import type { LinksetView, ObservationView } from '../../../common/contract';
import { useRoute } from '../app/router';
import { ErrorBox, formatAge, formatDate, Loading } from '../common/ErrorBox';
import { useEngineQuery } from '../client/queries';
import { FeedAgeNotice } from '../kits/FeedAge';

export function AdvisoriesScreen({ linksetId, query }: { linksetId?: string; query: string }) {
  const [, go] = useRoute();
  const [text, setText] = useState(query || linksetId || '');
  const deferred = useDeferredValue(text.trim());
  const snap = useEngineQuery('advisories.snapshot', {});
  const search = useEngineQuery('advisories.search', { query: deferred, limit: 50 }, { enabled: deferred.length >= 2, placeholderData: (prev) => prev });

  return (
    <div>
      <h1>Advisories</h1>
      <FeedAgeNotice always />
      {snap.data && (
        <p className="muted" data-testid="snapshot-line">
          {snap.data.id ? (
            <>
              Snapshot <span className="mono">{snap.data.id.slice(0, 19)}</span> · {snap.data.documentCount.toLocaleString('en')} documents from {snap.data.sources.length} sources · {formatAge(snap.data.createdAt)}
            </>
          ) : (
            'No advisories imported yet.'
          )}
        </p>
      )}
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const first = search.data?.[0];
          if (first) go('advisories', { id: first.id, q: text });
        }}
      >
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="CVE, GHSA, PYSEC id or package name" aria-label="Search advisories" style={{ minWidth: 320 }} data-testid="advisory-search" />
        <button type="submit">Open first match</button>
      </form>
      {search.isError && <ErrorBox error={search.error} title="Search failed" />}
      {deferred.length >= 2 && search.data && (
        <ul aria-label="Search results" data-testid="advisory-hits" style={{ columns: 2, marginTop: 10 }}>
          {search.data.length === 0 && <li className="muted">No advisory matches “{deferred}”.</li>}
          {search.data.map((h) => (
            <li key={h.id}>
              <button type="button" className="link mono" onClick={() => go('advisories', { id: h.id, q: text })} aria-current={h.id === linksetId ? 'true' : undefined}>
                {h.id}
              </button>{' '}
              <span className="muted">
                {h.sources.join(', ')}
                {h.summary ? ` — ${h.summary.slice(0, 80)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {linksetId && <Linkset id={linksetId} />}
    </div>
  );
}

function Linkset({ id }: { id: string }) {
  const q = useEngineQuery('advisories.linkset', { id });
  if (q.isPending) return <Loading what={`linkset ${id}`} />;
  if (q.isError) return <ErrorBox error={q.error} title={`Could not open linkset ${id}`} />;
  return <LinksetPanel linkset={q.data} />;
}

/** Which fields of which observation are in conflict (by observation id). */
export function conflictFields(ls: LinksetView): Map<string, Set<string>> {
  const fieldOf: Record<LinksetView['conflicts'][number]['type'], string> = {
    'severity-mismatch': 'severities',
    'affected-range-divergence': 'affected',
    'alias-inconsistency': 'aliases',
    'reference-clash': 'references',
  };
  const m = new Map<string, Set<string>>();
  for (const c of ls.conflicts) {
    const field = fieldOf[c.type] ?? c.field ?? '';
    for (const o of c.observations) {
      const s = m.get(o) ?? new Set<string>();
      s.add(field);
      if (c.field) s.add(c.field.split(/[.[]/)[0] ?? c.field);
      m.set(o, s);
    }
  }
  return m;
}

export function LinksetPanel({ linkset }: { linkset: LinksetView }) {
  const conflicts = conflictFields(linkset);
  return (
    <section aria-labelledby="linkset-title" data-testid="linkset" style={{ marginTop: 14 }}>
      <h2 id="linkset-title">
        Linkset <span className="mono">{linkset.id}</span>
      </h2>
      <p className="muted">
        {linkset.observations.length} observation{linkset.observations.length === 1 ? '' : 's'} · aliases {linkset.aliases.join(', ') || '—'}
      </p>
      {linkset.conflicts.length > 0 ? (
        <div className="notice" role="note" aria-label="Conflicts" data-testid="conflicts">
          <strong>{linkset.conflicts.length} conflict{linkset.conflicts.length === 1 ? '' : 's'} between sources</strong> (kept as reported — policy decides)
          <ul className="conflicts">
            {linkset.conflicts.map((c, i) => (
              <li key={i}>
                <span className="badge">{c.type}</span> {c.message} <span className="muted">({c.observations.join(', ')})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p>The sources agree: no conflicts.</p>
      )}
      <div className="obs-grid" role="list" aria-label="Observations side by side">
        {linkset.observations.map((o) => (
          <Observation key={o.id} o={o} conflicted={conflicts.get(o.id) ?? new Set()} />
        ))}
      </div>
    </section>
  );
}

function Field({ name, conflicted, label, children }: { name: string; conflicted: Set<string>; label: string; children: React.ReactNode }) {
  const bad = conflicted.has(name);
  return (
    <>
      <dt>{label}</dt>
      <dd className={bad ? 'conflict' : undefined} data-conflict={bad || undefined} aria-label={bad ? `${label} (conflicts with another source)` : undefined}>
        {children}
      </dd>
    </>
  );
}

const AFFECTED_SHOWN = 6;

function Observation({ o, conflicted }: { o: ObservationView; conflicted: Set<string> }) {
  const [showAll, setShowAll] = useState(false);
  return (
    <div className="obs" role="listitem" aria-label={`${o.source} observation ${o.advisoryId}`} data-testid="observation">
      <h3 style={{ marginTop: 0 }}>
        {o.source} · <span className="mono">{o.advisoryId}</span>
      </h3>
      <dl className="kv">
        {o.summary && (
          <>
            <dt>Summary</dt>
            <dd>{o.summary}</dd>
          </>
        )}
        <Field name="aliases" conflicted={conflicted} label="Aliases">
          <span className="mono">{o.aliases.join(', ') || '—'}</span>
        </Field>
        <Field name="severities" conflicted={conflicted} label="Severity">
          {o.severities.length ? o.severities.map((s, i) => <div key={i} className="mono">{`${s.type} ${s.score}${s.source ? ` (${s.source})` : ''}`}</div>) : '—'}
        </Field>
        <Field name="affected" conflicted={conflicted} label="Affected">
          {o.affected.length === 0
            ? '—'
            : (showAll ? o.affected : o.affected.slice(0, AFFECTED_SHOWN)).map((a, i) => (
                <div key={i}>
                  <strong>
                    {a.ecosystem}/{a.name}
                  </strong>
                  {a.ranges.map((r, j) => (
                    <div key={j} className="mono">
                      {r.type}: {r.events.map((e) => Object.entries(e).map(([k, v]) => `${k} ${v}`).join(' ')).join(' · ')}
                    </div>
                  ))}
                  {a.versions.length > 0 && <div className="mono muted">versions: {a.versions.slice(0, 12).join(', ')}{a.versions.length > 12 ? ` … (+${a.versions.length - 12})` : ''}</div>}
                </div>
              ))}
          {o.affected.length > AFFECTED_SHOWN && (
            <button type="button" className="link" onClick={() => setShowAll(!showAll)} aria-expanded={showAll}>
              {showAll ? 'Show fewer' : `Show all ${o.affected.length} affected packages`}
            </button>
          )}
        </Field>
        <dt>Published</dt>
        <dd>{formatDate(o.published)}</dd>
        <dt>Modified</dt>
        <dd>{formatDate(o.modified)}</dd>
        {o.withdrawn && (
          <>
            <dt>Withdrawn</dt>
            <dd>{formatDate(o.withdrawn)}</dd>
          </>
        )}
        <Field name="references" conflicted={conflicted} label="References">
          {o.references.length ? (
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {o.references.slice(0, 8).map((r, i) => (
                <li key={i} className="mono" style={{ wordBreak: 'break-all' }}>
                  {r.type ? `${r.type}: ` : ''}
                  {r.url}
                </li>
              ))}
              {o.references.length > 8 && <li className="muted">+{o.references.length - 8} more</li>}
            </ul>
          ) : (
            '—'
          )}
        </Field>
        <dt>Raw</dt>
        <dd className="mono">
          {o.raw.format}
          {o.raw.specVersion ? ` ${o.raw.specVersion}` : ''} · {o.raw.digest.slice(0, 23)}… · {o.raw.uri}
        </dd>
      </dl>
    </div>
  );
}
