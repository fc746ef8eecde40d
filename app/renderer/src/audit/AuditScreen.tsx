/**
 * The audit trail: entries newest first, paged, filtered by kind; an entry's details (its fields, the
 * hash chain link and the signature); and verification of the whole chain, which names the first bad
 * entry. `#/audit?seq=N` opens entry N.
 */
import { useState } from 'react';
import type { AuditEntryView, AuditVerifyView } from '../../../common/contract';
import { useRoute } from '../app/router';
import { ErrorBox, formatDate, Loading, shortDigest } from '../common/ErrorBox';
import { call } from '../client/engine';
import { useClient, useEngineQuery } from '../client/queries';

const PAGE = 50;

export function AuditScreen({ seq }: { seq?: string }) {
  const [kind, setKind] = useState('');
  // the `beforeSeq` of each page shown so far: Older pushes, Newer pops
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const beforeSeq = pages[pages.length - 1];
  const q = useEngineQuery('audit.list', { ...(kind ? { kind } : {}), ...(beforeSeq !== undefined ? { beforeSeq } : {}), limit: PAGE });
  const [, go] = useRoute();
  const selected = seq !== undefined && /^[1-9][0-9]*$/.test(seq) ? Number(seq) : null;

  return (
    <div>
      <h1>Audit</h1>
      <p className="muted">
        Every import, signature, key and trust change is appended to a hash-chained trail, each entry signed by the workstation&apos;s audit key. Nothing in it can be changed without
        verification naming the entry.
      </p>
      <ChainCheck onShow={(s) => go('audit', { seq: String(s) })} />
      <div className="toolbar" style={{ marginTop: 14 }}>
        <label>
          Kind{' '}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setPages([undefined]);
            }}
            data-testid="audit-kind"
          >
            <option value="">all kinds</option>
            {(q.data?.kinds ?? []).map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.kind} ({k.count})
              </option>
            ))}
          </select>
        </label>
        {q.data && (
          <span className="muted" data-testid="audit-count">
            {q.data.total} {kind ? `${kind} ` : ''}entries · head #{q.data.head.seq}
          </span>
        )}
      </div>
      {q.isPending && <Loading what="the audit trail" />}
      {q.isError && <ErrorBox error={q.error} title="Could not read the audit trail" />}
      {q.data && q.data.entries.length === 0 && <div className="empty">No entries{kind ? ` of kind ${kind}` : ''} yet.</div>}
      {q.data && q.data.entries.length > 0 && (
        <div className="split">
          <div>
            <table className="simple" aria-label="Audit entries" data-testid="audit-entries">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">When</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Subject</th>
                </tr>
              </thead>
              <tbody>
                {q.data.entries.map((e) => (
                  <tr key={e.seq} className={e.seq === selected ? 'selected' : undefined} data-testid="audit-entry">
                    <td>
                      <button type="button" className="link" onClick={() => go('audit', { seq: String(e.seq) }, true)} aria-label={`Show audit entry ${e.seq}`} aria-pressed={e.seq === selected}>
                        {e.seq}
                      </button>
                    </td>
                    <td>{formatDate(e.at)}</td>
                    <td className="mono">{e.kind}</td>
                    <td style={{ wordBreak: 'break-all' }}>{e.subject}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="row" style={{ marginTop: 6 }}>
              <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
                Newer
              </button>
              <button type="button" disabled={q.data.nextBeforeSeq === undefined} onClick={() => setPages([...pages, q.data.nextBeforeSeq])} data-testid="audit-older">
                Older
              </button>
            </div>
          </div>
          <div>{selected !== null ? <EntryDetail seq={selected} page={q.data.entries} /> : <div className="empty">Select an entry to see its details, chain link and signature.</div>}</div>
        </div>
      )}
    </div>
  );
}

/** The selected entry: from the page when it is on it, else fetched on its own (a link from the chain check). */
function EntryDetail({ seq, page }: { seq: number; page: AuditEntryView[] }) {
  const onPage = page.find((e) => e.seq === seq);
  const q = useEngineQuery('audit.list', { beforeSeq: seq + 1, limit: 1 }, { enabled: !onPage });
  const e = onPage ?? q.data?.entries.find((x) => x.seq === seq);
  if (!e) return q.isPending ? <Loading what={`entry ${seq}`} /> : <div className="empty">There is no entry {seq}.</div>;
  return (
    <section className="panel" aria-labelledby="entry-title" data-testid="audit-detail">
      <h2 id="entry-title" style={{ marginTop: 0 }}>
        Entry {e.seq}: <span className="mono">{e.kind}</span>
      </h2>
      <dl className="kv">
        <dt>When</dt>
        <dd>{formatDate(e.at)}</dd>
        <dt>Subject</dt>
        <dd style={{ wordBreak: 'break-all' }}>{e.subject}</dd>
        <dt>Previous hash</dt>
        <dd className="mono">{e.prevHash}</dd>
        <dt>Entry hash</dt>
        <dd className="mono">{e.entryHash}</dd>
        <dt>Signed by</dt>
        <dd className="mono" title={e.keyId}>
          audit key {e.keyId.slice(0, 16)}…
        </dd>
        <dt>Signature</dt>
        <dd className="mono" style={{ wordBreak: 'break-all' }}>
          {e.signature}
        </dd>
      </dl>
      <h3>Details</h3>
      <pre className="note" data-testid="audit-details">
        {JSON.stringify(e.details, null, 2)}
      </pre>
    </section>
  );
}

function ChainCheck({ onShow }: { onShow(seq: number): void }) {
  const client = useClient();
  const [state, setState] = useState<{ busy: boolean; result?: AuditVerifyView; error?: unknown }>({ busy: false });
  return (
    <section className="panel" aria-labelledby="chain-title" data-testid="audit-chain">
      <div className="row">
        <h2 id="chain-title" style={{ margin: 0 }}>
          Chain verification
        </h2>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          disabled={state.busy}
          data-testid="audit-verify"
          onClick={async () => {
            setState({ busy: true });
            try {
              setState({ busy: false, result: await call(client, 'audit.verify', {}) });
            } catch (e) {
              setState({ busy: false, error: e });
            }
          }}
        >
          {state.busy ? 'Verifying…' : 'Verify the chain'}
        </button>
      </div>
      {state.error !== undefined && <ErrorBox error={state.error} title="Verification could not run" onDismiss={() => setState({ busy: false })} />}
      {state.result && (
        <div className={`verdict ${state.result.ok ? 'verdict-ok' : 'verdict-bad'}`} role="status" data-testid="audit-verdict" data-ok={state.result.ok}>
          {state.result.ok ? (
            <>
              ✓ The chain verifies: {state.result.entries} entries, every link, hash and signature. Head #{state.result.head.seq} <span className="mono">{shortDigest(state.result.head.entryHash, 16)}</span>
            </>
          ) : (
            <>
              ✗ The chain is broken at entry{' '}
              <button type="button" className="link" onClick={() => state.result?.firstBad && onShow(state.result.firstBad.seq)} data-testid="audit-first-bad">
                #{state.result.firstBad?.seq}
              </button>
              : {state.result.firstBad?.reason} ({state.result.entries} entries before it verify)
            </>
          )}
        </div>
      )}
    </section>
  );
}
