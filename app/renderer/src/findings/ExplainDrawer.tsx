/**
 * The evidence chain of one finding: SBOM component → each raw advisory observation (source, id, raw
 * document digest/uri and an excerpt as stored) → the range that matched and every version comparison
 * with its result; the finding's policy and VEX status, and the triage form (the auditor's own VEX
 * statement). A modal dialog: Esc closes, focus moves in on open and back out on close.
 */
import { useEffect, useRef } from 'react';
import type { FindingExplain, FindingRow, PolicyDecisionView } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox, formatDate, Loading, Severity } from '../common/ErrorBox';
import { useEngineQuery } from '../client/queries';
import { VEX_STATUS_LABEL } from '../vex/decisions';
import { TriageForm } from '../vex/TriageForm';
import { PolicyBadge } from '../vex/PolicyBadge';

export function ExplainDrawer({ scanId, finding, onClose, decision }: { scanId: string; finding: FindingRow; onClose(): void; decision?: PolicyDecisionView | undefined }) {
  const q = useEngineQuery('findings.explain', { scanId, findingId: finding.id });
  const closeRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      } else if (e.key === 'Tab' && dialogRef.current) {
        // Keep Tab inside the dialog.
        const focusables = dialogRef.current.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], [tabindex="0"], summary, input:not([disabled]), select, textarea');
        const first = focusables[0];
        const last = focusables[focusables.length - 1];
        if (!first || !last) return;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, [onClose]);

  return (
    <>
      <div className="drawer-backdrop" onClick={onClose} aria-hidden="true" />
      <div className="drawer" role="dialog" aria-modal="true" aria-labelledby="explain-title" ref={dialogRef} data-testid="explain-drawer">
        <header>
          <h2 id="explain-title">
            <span className="mono">{finding.vulnerabilityId}</span> in {finding.packageName}@{finding.installedVersion}
          </h2>
          <button type="button" ref={closeRef} onClick={onClose} aria-label="Close evidence drawer (Esc)">
            Close
          </button>
        </header>
        <div className="body">
          <div className="row" style={{ marginBottom: 10 }}>
            <Severity level={finding.severity} />
            {finding.score !== null && <span className="badge">score {finding.score.toFixed(1)}</span>}
            {finding.kev && <span className="badge kev">Known exploited (KEV)</span>}
            {finding.fixedVersions.length > 0 ? <span className="badge">fixed in {finding.fixedVersions.join(', ')}</span> : <span className="badge">no fix available</span>}
            {finding.aliases.length > 0 && <span className="muted mono">aka {finding.aliases.join(', ')}</span>}
          </div>
          {finding.ownedBy && (
            <p className="muted" data-testid="owned-by">
              Found by comprehensive detection: this package was installed by the OS package <span className="mono">{finding.ownedBy}</span>, whose distro
              advisories cover it by default.
            </p>
          )}
          {q.isPending && <Loading what="evidence" />}
          {q.isError && <ErrorBox error={q.error} title="Could not load the evidence for this finding" />}
          {decision && (
            <p data-testid="drawer-policy">
              Policy: <PolicyBadge status={decision.status} rule={decision.rule} /> · VEX: {VEX_STATUS_LABEL[decision.vex?.status ?? 'none'] ?? decision.vex?.status}
              {decision.because ? <span className="muted"> — {decision.because}</span> : null}{' '}
              <a href={hrefFor('vex', { scan: scanId, finding: finding.id })}>VEX details</a>
            </p>
          )}
          {q.data && <EvidenceChain explain={q.data} />}
          <TriageForm scanId={scanId} findingId={finding.id} />
        </div>
      </div>
    </>
  );
}

export function EvidenceChain({ explain }: { explain: FindingExplain }) {
  const c = explain.component;
  return (
    <ol className="chain" aria-label="Evidence chain">
      <li data-testid="evidence-component">
        <div className="step">1 · SBOM component</div>
        {c ? (
          <dl className="kv">
            <dt>Name</dt>
            <dd>
              {c.group ? `${c.group}/` : ''}
              {c.name}
            </dd>
            <dt>Version</dt>
            <dd className="mono">{c.version ?? '—'}</dd>
            {c.purl && (
              <>
                <dt>purl</dt>
                <dd className="mono">{c.purl}</dd>
              </>
            )}
            <dt>Type</dt>
            <dd>{c.type}</dd>
            <dt>Ref</dt>
            <dd className="mono">{c.ref}</dd>
            {c.licenses.length > 0 && (
              <>
                <dt>Licenses</dt>
                <dd>{c.licenses.join(', ')}</dd>
              </>
            )}
            {c.hashes.length > 0 && (
              <>
                <dt>Hashes</dt>
                <dd className="mono">
                  <HashList hashes={c.hashes} />
                </dd>
              </>
            )}
            {c.locations.length > 0 && (
              <>
                <dt>Locations</dt>
                <dd className="mono">{c.locations.map((l) => l.path).join(', ')}</dd>
              </>
            )}
          </dl>
        ) : (
          <div className="muted">The component ({explain.finding.componentRef}) is no longer in the stored SBOM.</div>
        )}
      </li>
      {explain.evidence.length === 0 && (
        <li>
          <div className="step">2 · Advisory</div>
          <div className="muted">No advisory evidence was recorded for this finding.</div>
        </li>
      )}
      {explain.evidence.map((ev, i) => (
        <li key={`${ev.observation.id}-${i}`} data-testid="evidence-observation">
          <div className="step">
            2.{i + 1} · Raw advisory from <strong>{ev.observation.source}</strong>
          </div>
          <dl className="kv">
            <dt>Advisory</dt>
            <dd>
              <a href={hrefFor('advisories', { id: ev.observation.advisoryId })} className="mono">
                {ev.observation.advisoryId}
              </a>
              {ev.observation.aliases.length > 0 && <span className="muted mono"> ({ev.observation.aliases.join(', ')})</span>}
            </dd>
            {ev.observation.summary && (
              <>
                <dt>Summary</dt>
                <dd>{ev.observation.summary}</dd>
              </>
            )}
            <dt>Raw document</dt>
            <dd className="mono" data-testid="raw-digest">
              {ev.observation.raw.digest}
            </dd>
            <dt>Stored from</dt>
            <dd className="mono">{ev.observation.raw.uri}</dd>
            <dt>Format</dt>
            <dd>
              {ev.observation.raw.format}
              {ev.observation.raw.specVersion ? ` ${ev.observation.raw.specVersion}` : ''} · imported {formatDate(ev.observation.raw.importedAt)}
            </dd>
            <dt>Matched by</dt>
            <dd>{ev.matchedBy}</dd>
          </dl>
          <details>
            <summary>Raw excerpt (as stored)</summary>
            <pre className="raw" aria-label={`Raw excerpt of ${ev.observation.advisoryId}`}>
              {ev.rawExcerpt}
            </pre>
          </details>
          <div className="step" style={{ marginTop: 8 }}>
            3 · Range and comparisons
          </div>
          {ev.range ? (
            <div>
              <span className="badge">{ev.range.type}</span>{' '}
              <span className="mono">{ev.range.events.map((e) => Object.entries(e).map(([k, v]) => `${k} ${v}`).join(' ')).join(' · ')}</span>
            </div>
          ) : ev.explicitVersion ? (
            <div>
              Listed explicitly as affected version <span className="mono">{ev.explicitVersion}</span>
            </div>
          ) : (
            <div className="muted">No range recorded.</div>
          )}
          {ev.comparisons.length > 0 && (
            <table className="simple" aria-label="Version comparisons" data-testid="comparisons">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Comparison</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {ev.comparisons.map((cmp, j) => (
                  <tr key={j}>
                    <td>{cmp.event ?? '—'}</td>
                    <td className="mono">
                      {cmp.left} {cmp.op} {cmp.right}
                    </td>
                    <td className={cmp.result ? 'cmp-true' : 'cmp-false'} aria-label={cmp.result ? 'true' : 'false'}>
                      {cmp.result ? '✔ true' : '✘ false'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Hashes one per line, shortened (the full value is in the tooltip and selectable). */
export function HashList({ hashes }: { hashes: { alg: string; content: string }[] }) {
  return (
    <>
      {hashes.map((h) => (
        <div key={h.alg} title={`${h.alg}:${h.content}`} style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {h.alg}:{h.content}
        </div>
      ))}
    </>
  );
}
