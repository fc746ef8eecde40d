/**
 * From draft to active pack under the two-person rule: import the draft as an immutable pack version
 * (`policy.import`), approve it with a workstation key (`policy.approve`; the passphrase is read from its
 * field when the button is pressed and sent in that one request — never kept in state, the query cache
 * or IndexedDB), a second approval by a different key, then `policy.activate`. Shows who approved and
 * what is still missing, and the pack history with the active marker.
 */
import { useRef, useState } from 'react';
import type { PackFile, PackVersionView } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox, formatDate, Loading, shortDigest } from '../common/ErrorBox';
import { call } from '../client/engine';
import { useClient, useEngineQuery } from '../client/queries';
import { packNameOf, packVersionOf } from './drafts';

export function ApprovalPanel({ files, label, hasErrors }: { files: PackFile[]; label: string; hasErrors: boolean }) {
  const client = useClient();
  const packs = useEngineQuery('policy.packs', {});
  const keys = useEngineQuery('keys.list', {});
  const [busy, setBusy] = useState<null | 'import' | 'approve' | 'activate'>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const pass = useRef<HTMLInputElement>(null);
  const name = packNameOf(files);
  const version = packVersionOf(files);
  const [chosen, setChosen] = useState<{ name: string; version: string } | null>(null);
  const target = chosen ?? (name && version ? { name, version } : null);
  const stored: PackVersionView | undefined = packs.data?.versions.find((v) => target && v.name === target.name && v.version === target.version);

  const run = async (what: 'import' | 'approve' | 'activate', f: () => Promise<string>) => {
    setBusy(what);
    setError(null);
    setMessage(null);
    try {
      setMessage(await f());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const importDraft = () =>
    run('import', async () => {
      const r = await call(client, 'policy.import', { pack: { kind: 'files', files, label } });
      setChosen({ name: r.pack.name, version: r.pack.version });
      const fx = `fixtures ${r.fixtures.passed} passed, ${r.fixtures.failed} failed`;
      return r.outcome === 'new' ? `Imported ${r.pack.name}@${r.pack.version} (${shortDigest(r.pack.digest)}); ${fx}.` : `${r.pack.name}@${r.pack.version} is already stored with these exact files; ${fx}.`;
    });

  const approve = () =>
    run('approve', async () => {
      if (!target) throw new Error('import the draft first');
      const passphrase = pass.current?.value ?? '';
      if (pass.current) pass.current.value = '';
      // a plain call, not a cached mutation: react-query would keep the variables (the passphrase)
      const r = await call(client, 'policy.approve', { name: target.name, version: target.version, key, passphrase });
      return `Approved ${r.pack.name}@${r.pack.version} with ${r.approval.keyName ?? r.approval.keyId}${r.pack.approvalsNeeded ? `; ${r.pack.approvalsNeeded} more approval by a different key needed` : '; it can be activated'}.`;
    });

  const activate = () =>
    run('activate', async () => {
      if (!target) throw new Error('import the draft first');
      const r = await call(client, 'policy.activate', { name: target.name, version: target.version });
      return `${r.active.ref} is the active pack${r.changed ? '' : ' (it already was)'}; scans are judged by it from now on.`;
    });

  return (
    <div data-testid="approval-panel">
      <ol className="steps">
        <li>
          <strong>Import</strong> the draft as an immutable version{' '}
          <span className="mono">
            {name ?? '?'}@{version ?? '?'}
          </span>
          .{' '}
          <button type="button" onClick={() => void importDraft()} disabled={busy !== null || hasErrors} data-testid="import-pack">
            {busy === 'import' ? 'Importing…' : 'Import draft'}
          </button>
          {hasErrors && <span className="bad-text"> Fix the errors first.</span>}
          <span className="muted"> Change <span className="mono">version</span> in pack.yaml for each new version: a stored version never changes.</span>
        </li>
        <li>
          <strong>Approve</strong> it with two different workstation keys (the two-person rule).
          {keys.data && keys.data.keys.length === 0 && (
            <span>
              {' '}
              No keys yet: <a href={hrefFor('settings')}>generate keys in Settings</a>.
            </span>
          )}
          <form
            className="form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              void approve();
            }}
          >
            <label>
              Key{' '}
              <select value={key} onChange={(e) => setKey(e.target.value)} required data-testid="approve-key">
                <option value="">choose a key…</option>
                {keys.data?.keys.map((k) => (
                  <option key={k.name} value={k.name}>
                    {k.name} ({k.algorithm}, {k.keyId.slice(0, 12)})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Passphrase of the key <input ref={pass} type="password" required autoComplete="off" data-testid="approve-passphrase" />
            </label>
            <button type="submit" disabled={busy !== null || !stored || !key} data-testid="approve-pack">
              {busy === 'approve' ? 'Approving…' : 'Approve'}
            </button>
          </form>
        </li>
        <li>
          <strong>Activate</strong> it.{' '}
          <button type="button" onClick={() => void activate()} disabled={busy !== null || !stored || stored.approvalsNeeded > 0 || stored.active} data-testid="activate-pack">
            {busy === 'activate' ? 'Activating…' : 'Activate'}
          </button>
        </li>
      </ol>
      {message && (
        <p role="status" className="ok-text" data-testid="approval-message">
          {message}
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The pack store refused" onDismiss={() => setError(null)} />}

      {stored ? (
        <div className="panel" data-testid="approval-state" data-needed={stored.approvalsNeeded} data-active={stored.active}>
          <strong className="mono">
            {stored.name}@{stored.version}
          </strong>{' '}
          {stored.active ? <span className="badge verdict-ok">active</span> : null}
          <ul>
            {stored.approvals.map((a) => (
              <li key={a.keyId} data-testid="approval">
                Approved by <strong>{a.keyName ?? 'an unknown key'}</strong> <span className="mono">{a.keyId.slice(0, 16)}</span> ({a.algorithm}) on {formatDate(a.approvedAt)}
              </li>
            ))}
            {stored.approvalsNeeded > 0 && (
              <li className="bad-text" data-testid="approvals-missing">
                Missing: {stored.approvalsNeeded} approval{stored.approvalsNeeded === 1 ? '' : 's'} by {stored.approvals.length ? 'a different key' : 'two different keys'} before it can be activated.
              </li>
            )}
          </ul>
        </div>
      ) : (
        target && <p className="muted">Not imported yet.</p>
      )}

      <h3>Pack history</h3>
      {packs.isPending && <Loading what="packs" />}
      {packs.isError && <ErrorBox error={packs.error} title="Could not read the pack store" />}
      {packs.data && (
        <table className="simple" aria-label="Pack versions" data-testid="pack-history">
          <thead>
            <tr>
              <th scope="col">Pack</th>
              <th scope="col">Digest</th>
              <th scope="col">Imported</th>
              <th scope="col">Approvals</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {packs.data.builtins.map((b) => (
              <tr key={b.ref} data-testid="pack-row" data-active={b.active}>
                <td className="mono">{b.ref}</td>
                <td className="mono">{shortDigest(b.digest)}</td>
                <td className="muted">shipped with the app</td>
                <td className="muted">—</td>
                <td>{b.active ? <strong>● active</strong> : ''}</td>
              </tr>
            ))}
            {packs.data.versions.map((v) => (
              <tr key={`${v.name}@${v.version}`} data-testid="pack-row" data-active={v.active}>
                <td>
                  <button type="button" className="link mono" onClick={() => setChosen({ name: v.name, version: v.version })} aria-label={`Select ${v.name}@${v.version} for approval`}>
                    {v.name}@{v.version}
                  </button>
                </td>
                <td className="mono">{shortDigest(v.digest)}</td>
                <td>{formatDate(v.importedAt)}</td>
                <td>
                  {v.approvals.map((a) => a.keyName ?? a.keyId.slice(0, 12)).join(', ') || <span className="muted">none</span>}
                  {v.approvalsNeeded > 0 ? <span className="muted"> ({v.approvalsNeeded} missing)</span> : null}
                </td>
                <td>{v.active ? <strong>● active</strong> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <History />
    </div>
  );
}

function History() {
  const h = useEngineQuery('policy.history', {});
  if (!h.data || h.data.events.length === 0) return null;
  return (
    <details>
      <summary>Imports, approvals and activations ({h.data.events.length})</summary>
      <ol className="history" data-testid="policy-events">
        {[...h.data.events].reverse().map((e, i) => (
          <li key={i}>
            {formatDate(e.at)} — {e.event} <span className="mono">{e.pack}</span>
            {e.keyName || e.keyId ? <> by {e.keyName ?? e.keyId}</> : null}
          </li>
        ))}
      </ol>
    </details>
  );
}
