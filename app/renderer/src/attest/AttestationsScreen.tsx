/**
 * Attestations: verify any Sigstore bundle, DSSE envelope or in-toto bundle — chosen, uploaded or
 * dropped anywhere on this screen — against an artifact (a file or a sha256 digest), each check shown
 * pass/fail; everything signed on this workstation (the transparency log's entries joined with the
 * signing jobs' audit entries); and the transparency-log proof viewer (`#/attestations?entry=N`).
 */
import { useState, type DragEvent } from 'react';
import type { FileRef, LogProofView, SignedItemView, VerifiedItemView, VerifyReport } from '../../../common/contract';
import { hrefFor, useRoute } from '../app/router';
import { ErrorBox, formatDate, Loading, shortDigest } from '../common/ErrorBox';
import { FilePick, refOf, useDroppedFiles, type Picked } from '../common/FilePick';
import { call } from '../client/engine';
import { useClient, useEngineQuery } from '../client/queries';

export function AttestationsScreen({ entry }: { entry?: string }) {
  const [bundle, setBundle] = useState<Picked | null>(null);
  const client = useClient();
  // Dropped anywhere on the screen (outside the other zones): the bundle or envelope to verify.
  useDroppedFiles('attestation', (refs) => refs[0] && setBundle({ kind: 'ref', ref: refs[0] }));
  const onScreenDrop = (e: DragEvent) => {
    e.preventDefault();
    if (client.mode === 'electron') return;
    const f = e.dataTransfer.files[0];
    if (f) setBundle({ kind: 'file', file: f });
  };
  return (
    <div
      data-drop-purpose="attestation"
      data-testid="attestations-screen"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onScreenDrop}
    >
      <h1>Attestations</h1>
      <p className="muted">Drop a Sigstore bundle, DSSE envelope or in-toto bundle anywhere on this screen to verify it. Verification runs on this machine against the workstation&apos;s trust roots.</p>
      <VerifyPanel bundle={bundle} setBundle={setBundle} />
      <SignedList />
      <LogPanel entry={entry} />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// Verify

function VerifyPanel({ bundle, setBundle }: { bundle: Picked | null; setBundle(p: Picked | null): void }) {
  const client = useClient();
  const [artifactMode, setArtifactMode] = useState<'file' | 'digest'>('file');
  const [artifact, setArtifact] = useState<Picked | null>(null);
  const [digest, setDigest] = useState('');
  const [trustedRoot, setTrustedRoot] = useState<Picked | null>(null);
  const [key, setKey] = useState<Picked | null>(null);
  const [san, setSan] = useState('');
  const [issuer, setIssuer] = useState('');
  const [state, setState] = useState<{ busy: boolean; report?: VerifyReport; error?: unknown }>({ busy: false });
  const digestOk = /^sha256:[0-9a-f]{64}$/.test(digest.trim());
  const ready = !!bundle && (artifactMode === 'file' ? !!artifact : digestOk) && !state.busy;

  async function verify() {
    if (!bundle) return;
    setState({ busy: true });
    try {
      const refs: { bundle: FileRef; artifact: { file: FileRef } | { digest: string }; trustedRoot?: FileRef; key?: FileRef } = {
        bundle: await refOf(client, bundle),
        artifact: artifactMode === 'file' && artifact ? { file: await refOf(client, artifact) } : { digest: digest.trim() },
        ...(trustedRoot ? { trustedRoot: await refOf(client, trustedRoot) } : {}),
        ...(key ? { key: await refOf(client, key) } : {}),
      };
      const report = await call(client, 'attest.verify', { ...refs, ...(san.trim() && issuer.trim() ? { identity: { subjectAlternativeName: san.trim(), issuer: issuer.trim() } } : {}) });
      setState({ busy: false, report });
    } catch (e) {
      setState({ busy: false, error: e });
    }
  }

  return (
    <section className="panel" aria-labelledby="verify-title" data-testid="verify-panel">
      <h2 id="verify-title" style={{ marginTop: 0 }}>
        Verify an attestation
      </h2>
      <FilePick purpose="attestation" label="Bundle or envelope" value={bundle} onChange={setBundle} testId="verify-bundle" />
      <fieldset className="plain">
        <legend>The artifact it is about</legend>
        <label>
          <input type="radio" name="artifact-mode" checked={artifactMode === 'file'} onChange={() => setArtifactMode('file')} data-testid="artifact-mode-file" /> a file
        </label>{' '}
        <label>
          <input type="radio" name="artifact-mode" checked={artifactMode === 'digest'} onChange={() => setArtifactMode('digest')} data-testid="artifact-mode-digest" /> a digest
        </label>
        {artifactMode === 'file' ? (
          <FilePick purpose="artifact" label="Artifact" value={artifact} onChange={setArtifact} testId="verify-artifact" />
        ) : (
          <div className="pick">
            <label className="pick-label" htmlFor="verify-digest">
              Digest
            </label>
            <input id="verify-digest" type="text" className="mono" size={80} placeholder="sha256:<64 hex digits>" value={digest} onChange={(e) => setDigest(e.target.value)} aria-invalid={digest !== '' && !digestOk} data-testid="verify-digest" />
          </div>
        )}
      </fieldset>
      <details>
        <summary>Other trust material (optional)</summary>
        <FilePick purpose="trust-root" label="Trusted root (trusted_root.json)" value={trustedRoot} onChange={setTrustedRoot} testId="verify-root" hint="instead of the workstation's trusted roots" />
        <FilePick purpose="key" label="Public key (PEM)" value={key} onChange={setKey} testId="verify-key" hint="the signer's key, for bundles signed with a key" />
        <div className="row">
          <label>
            Certificate identity{' '}
            <input type="text" value={san} onChange={(e) => setSan(e.target.value)} placeholder="https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main" size={50} />
          </label>
          <label>
            OIDC issuer <input type="text" value={issuer} onChange={(e) => setIssuer(e.target.value)} placeholder="https://token.actions.githubusercontent.com" size={36} />
          </label>
        </div>
      </details>
      <div className="row" style={{ marginTop: 10 }}>
        <button type="button" className="primary" disabled={!ready} onClick={() => void verify()} data-testid="verify-run">
          {state.busy ? 'Verifying…' : 'Verify'}
        </button>
        {!bundle && <span className="muted">Choose or drop the bundle first.</span>}
      </div>
      {state.error !== undefined && <ErrorBox error={state.error} title="Verification could not run" onDismiss={() => setState({ busy: false })} />}
      {state.report && <VerifyReportView report={state.report} />}
    </section>
  );
}

const STATUS_LABEL = { pass: '✓ pass', fail: '✗ fail', 'not-applicable': '– n/a' } as const;

export function VerifyReportView({ report }: { report: VerifyReport }) {
  return (
    <div data-testid="verify-report" data-verified={report.verified}>
      <div className={`verdict ${report.verified ? 'verdict-ok' : 'verdict-bad'}`} role="status" data-testid="verify-verdict">
        {report.verified ? (
          <>✓ Verified: every check passed for {report.items.length} item(s) against {report.artifact.label}</>
        ) : report.firstFailure ? (
          <>
            ✗ Not verified: <strong data-testid="verify-failed-check">{report.firstFailure.check}</strong> failed in {report.firstFailure.source} — {report.firstFailure.detail}
          </>
        ) : (
          <>✗ Not verified: the file holds no bundle or envelope</>
        )}
      </div>
      <p className="muted">
        Artifact {report.artifact.label}:{' '}
        {Object.entries(report.artifact.digests).map(([alg, v]) => (
          <span key={alg} className="mono">
            {alg}:{v}{' '}
          </span>
        ))}
      </p>
      {report.items.map((item, i) => (
        <VerifiedItem key={i} item={item} />
      ))}
      {report.ignored.length > 0 && <p className="muted">Ignored (neither a bundle nor an envelope): {report.ignored.join(', ')}</p>}
    </div>
  );
}

function VerifiedItem({ item }: { item: VerifiedItemView }) {
  return (
    <section className="verified-item" aria-label={`${item.source}: ${item.verified ? 'verified' : 'not verified'}`} data-testid="verified-item">
      <h3>
        {item.source} <span className="badge">{item.kind === 'sigstore-bundle' ? 'Sigstore bundle' : 'DSSE envelope'}</span> <span className={item.verified ? 'ok-text' : 'bad-text'}>{item.verified ? 'verified' : 'not verified'}</span>
      </h3>
      {item.statement && (
        <p>
          Statement <span className="mono">{item.statement.predicateType}</span> about{' '}
          {item.statement.subjects.map((s, k) => (
            <span key={k} className="mono">
              {s.name ?? '(unnamed)'} {s.digest.sha256 ? `sha256:${s.digest.sha256.slice(0, 12)}…` : ''}
              {k < (item.statement?.subjects.length ?? 0) - 1 ? ', ' : ''}
            </span>
          ))}
        </p>
      )}
      {item.signer && (
        <p className="muted">
          Signer: {item.signer.label ?? item.signer.subjectAlternativeName ?? '—'} {item.signer.keyId && <span className="mono">key {item.signer.keyId.slice(0, 16)}…</span>} {item.signer.issuer && <>issuer {item.signer.issuer}</>}
        </p>
      )}
      <table className="simple checks" aria-label={`Checks of ${item.source}`}>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {item.checks.map((c) => (
            <tr key={c.name} data-testid="check" data-check={c.name} data-status={c.status}>
              <th scope="row">{c.name}</th>
              <td className={`check-${c.status}`}>{STATUS_LABEL[c.status]}</td>
              <td>{c.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// Everything signed here

const PAGE = 25;

function SignedList() {
  const [offset, setOffset] = useState(0);
  const q = useEngineQuery('attest.list', { offset, limit: PAGE });
  return (
    <section aria-labelledby="signed-title" style={{ marginTop: 18 }}>
      <h2 id="signed-title">Signed on this workstation{q.data ? ` (${q.data.total})` : ''}</h2>
      {q.isPending && <Loading what="signed items" />}
      {q.isError && <ErrorBox error={q.error} title="Could not list what was signed" />}
      {q.data && q.data.total === 0 && (
        <div className="empty">
          Nothing signed yet. <code>stella attest sign</code>, signed exports and kits appear here: every signature is logged to the workstation&apos;s transparency log.
        </div>
      )}
      {q.data && q.data.items.length > 0 && (
        <>
          <table className="simple" aria-labelledby="signed-title" data-testid="signed-list">
            <thead>
              <tr>
                <th scope="col">Log entry</th>
                <th scope="col">Signed</th>
                <th scope="col">What</th>
                <th scope="col">Subject</th>
                <th scope="col">Key</th>
                <th scope="col">Proof</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((i) => (
                <SignedRow key={i.logIndex} item={i} />
              ))}
            </tbody>
          </table>
          <div className="row" style={{ marginTop: 6 }}>
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Newer
            </button>
            <span className="muted">
              {offset + 1}–{offset + q.data.items.length} of {q.data.total}
            </span>
            <button type="button" disabled={offset + PAGE >= q.data.total} onClick={() => setOffset(offset + PAGE)}>
              Older
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function SignedRow({ item }: { item: SignedItemView }) {
  const s = item.signedBy;
  return (
    <tr data-testid="signed-item">
      <td className="mono" title={item.uuid}>
        #{item.logIndex} <span className="muted">{item.kind}</span>
      </td>
      <td>{formatDate(item.integratedTime)}</td>
      <td>
        {s?.type ? <strong>{s.type}</strong> : null} {s?.predicateTypes.map((p) => <div key={p} className="mono muted">{p}</div>) ?? <span className="mono">{shortDigest(item.digest)}</span>}
      </td>
      <td className="mono" style={{ wordBreak: 'break-all' }}>
        {s ? s.subject : <span className="muted">statement {shortDigest(item.digest)}</span>}
        {s?.output && <div className="muted">→ {s.output}</div>}
      </td>
      <td>{item.signers.map((k) => <div key={k.keyId || 'cert'}>{k.keyName ? `${k.keyName} (${k.algorithm})` : <span className="mono">{k.keyId ? `${k.keyId.slice(0, 12)}…` : 'certificate'}</span>}</div>)}</td>
      <td>
        <a href={hrefFor('attestations', { entry: String(item.logIndex) })} aria-label={`Show the proof of log entry ${item.logIndex}`} data-testid="show-proof">
          Proof
        </a>
      </td>
    </tr>
  );
}

// ---------------------------------------------------------------------------------------------------
// Transparency log and the proof viewer

function LogPanel({ entry }: { entry?: string }) {
  const info = useEngineQuery('log.info', {});
  const [, go] = useRoute();
  const [ref, setRef] = useState(entry ?? '');
  const valid = /^(0|[1-9][0-9]{0,15}|[0-9a-fA-F]{64})$/.test(ref.trim());
  return (
    <section aria-labelledby="log-title" style={{ marginTop: 18 }} data-testid="log-panel">
      <h2 id="log-title">Transparency log</h2>
      {info.isPending && <Loading what="the log" />}
      {info.isError && <ErrorBox error={info.error} title="Could not read the transparency log" />}
      {info.data && (
        <dl className="kv">
          <dt>Origin</dt>
          <dd className="mono">{info.data.origin}</dd>
          <dt>Entries</dt>
          <dd data-testid="log-size">{info.data.treeSize}</dd>
          <dt>Root hash</dt>
          <dd className="mono">{info.data.rootHash}</dd>
          <dt>Latest checkpoint</dt>
          <dd>{info.data.checkpoint ? <pre className="note">{info.data.checkpoint}</pre> : <span className="muted">none yet (nothing logged)</span>}</dd>
        </dl>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) go('attestations', { entry: ref.trim() });
        }}
      >
        <label>
          Entry (index or UUID) <input type="text" className="mono" value={ref} onChange={(e) => setRef(e.target.value)} size={24} data-testid="proof-entry" />
        </label>
        <button type="submit" disabled={!valid}>
          Show proof
        </button>
      </form>
      {entry && <ProofViewer key={entry} entry={entry} />}
    </section>
  );
}

function Verdict({ ok, yes, no, testId }: { ok: boolean; yes: string; no: string; testId?: string }) {
  return (
    <span className={ok ? 'ok-text' : 'bad-text'} data-testid={testId}>
      {ok ? `✓ ${yes}` : `✗ ${no}`}
    </span>
  );
}

function ProofViewer({ entry }: { entry: string }) {
  const q = useEngineQuery('log.proof', { entry });
  if (q.isPending) return <Loading what={`the proof of entry ${entry}`} />;
  if (q.isError) return <ErrorBox error={q.error} title={`No proof for entry ${entry}`} />;
  const p: LogProofView = q.data;
  return (
    <section className="panel" aria-labelledby="proof-title" data-testid="proof-viewer" data-verified={p.verified} style={{ marginTop: 10 }}>
      <h3 id="proof-title" style={{ marginTop: 0 }}>
        Entry #{p.entry.index} <Verdict ok={p.verified} yes="proof verified" no="proof does not verify" testId="proof-verdict" />
      </h3>
      <dl className="kv">
        <dt>UUID</dt>
        <dd className="mono">{p.entry.uuid}</dd>
        <dt>Kind</dt>
        <dd>
          {p.entry.kind} {p.entry.apiVersion}
        </dd>
        <dt>Integrated</dt>
        <dd>{formatDate(p.entry.integratedTime)}</dd>
        <dt>Leaf hash</dt>
        <dd className="mono" data-testid="proof-leaf">
          {p.leafHash}
        </dd>
      </dl>
      <details>
        <summary>Entry body</summary>
        <pre className="note">{p.entry.body}</pre>
      </details>

      <h4>
        Inclusion in the tree of {p.inclusion.treeSize} <Verdict ok={p.inclusion.verified} yes="verified" no={p.inclusion.problem ?? 'failed'} testId="proof-inclusion" />
      </h4>
      {p.inclusion.path.length === 0 ? (
        <p className="muted">The entry is the whole tree: its leaf hash is the root.</p>
      ) : (
        <ol className="proof-path" aria-label="Inclusion proof path, leaf to root" data-testid="proof-path">
          {p.inclusion.path.map((s, i) => (
            <li key={i}>
              <span className="muted">{s.side === 'right' ? 'hash with the right sibling' : 'hash with the left sibling'}</span> <span className="mono">{s.hash}</span>
            </li>
          ))}
        </ol>
      )}
      <p>
        Root <span className="mono">{p.inclusion.rootHash}</span>
      </p>

      <h4>
        Checkpoint (size {p.checkpoint.treeSize}) <Verdict ok={p.checkpoint.signatureVerified} yes="signed by the log key" no={p.checkpoint.problem ?? 'signature does not verify'} testId="proof-checkpoint" />
      </h4>
      <pre className="note" data-testid="proof-note">
        {p.checkpoint.note}
      </pre>

      <h4>Consistency with the latest checkpoint</h4>
      {p.consistency ? (
        <div data-testid="proof-consistency">
          <p>
            From size {p.consistency.fromSize} (the checkpoint the entry&apos;s bundle carried) to {p.consistency.toSize}:{' '}
            <Verdict ok={p.consistency.verified} yes="the log only grew" no={p.consistency.problem ?? 'not consistent'} />
          </p>
          <ol className="proof-path" aria-label="Consistency proof hashes">
            {p.consistency.hashes.map((h, i) => (
              <li key={i} className="mono">
                {h}
              </li>
            ))}
          </ol>
        </div>
      ) : (
        <p className="muted" data-testid="proof-consistency">
          The checkpoint that first covered this entry is the latest one.
        </p>
      )}
    </section>
  );
}
