/**
 * VEX (`#/vex?scan=…&finding=…`): import VEX documents (OpenVEX, CSAF, CycloneDX VEX); a scan's findings
 * with their VEX and policy status; for one finding every statement naming it, the consensus with trust
 * weights and roles, conflicts, and the triage form; statements that match no stored component; and the
 * workstation's own decisions exported as OpenVEX or CycloneDX VEX.
 */
import { useMemo, useState } from 'react';
import type { ExportedFile, FindingRow, VexImportSummary } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox, formatDate, Loading, Severity, shortDigest } from '../common/ErrorBox';
import { FilePick, pickedName, refOf, type Picked } from '../common/FilePick';
import { call } from '../client/engine';
import { jobStore } from '../client/jobs';
import { useClient, useEngineQuery } from '../client/queries';
import { download } from '../sbom/SbomExplorer';
import { useFindingDecisions, VEX_STATUS_LABEL, type DecisionMap } from './decisions';
import { TriageForm } from './TriageForm';
import { PolicyBadge } from './PolicyBadge';

const MAX_ROWS = 300;

export function VexScreen({ scanId, findingId }: { scanId?: string; findingId?: string }) {
  const scans = useEngineQuery('scan.list', {});
  const scan = scanId ?? scans.data?.[0]?.id;
  return (
    <div data-testid="vex-screen">
      <h1>VEX</h1>
      <p className="muted">
        Vulnerability Exploitability eXchange: what issuers (vendors, distros, this workstation&apos;s own triage) state about a vulnerability in a component, joined by trust into a consensus the policy reads.
      </p>
      <div className="grid-2">
        <ImportPanel />
        <ExportPanel />
      </div>
      {scans.isError && <ErrorBox error={scans.error} title="Could not list scans" />}
      {scans.data && scans.data.length === 0 && <p className="empty">No scans yet: import an SBOM or scan an image to see VEX per finding.</p>}
      {scan && <ScanFindings scanId={scan} findingId={findingId} scans={scans.data ?? []} />}
      <UnmatchedPanel />
    </div>
  );
}

function ImportPanel() {
  const client = useClient();
  const [file, setFile] = useState<Picked | null>(null);
  const [state, setState] = useState<{ busy: boolean; result: VexImportSummary | null; error: unknown; phase?: string }>({ busy: false, result: null, error: null });
  const run = async () => {
    if (!file) return;
    setState({ busy: true, result: null, error: null, phase: 'uploading' });
    try {
      const ref = await refOf(client, file);
      const { jobId } = await call(client, 'vex.import', { files: [ref] });
      jobStore.track(jobId, 'vex.import', `VEX ${pickedName(file)}`);
      setState((s) => ({ ...s, phase: 'importing' }));
      const job = await jobStore.wait(jobId);
      if (job.state !== 'succeeded') throw Object.assign(new Error(job.error?.message ?? `the import ${job.state}`), { code: job.error?.code });
      setState({ busy: false, result: job.result as VexImportSummary, error: null });
      setFile(null);
    } catch (error) {
      setState({ busy: false, result: null, error });
    }
  };
  const r = state.result;
  return (
    <section className="panel" aria-labelledby="vex-import-title" data-testid="vex-import">
      <h2 id="vex-import-title">Import VEX documents</h2>
      <FilePick purpose="vex" label="VEX document" value={file} onChange={setFile} testId="vex-file" hint="OpenVEX, CSAF 2.0/2.1 VEX, CycloneDX VEX (JSON or XML)" />
      <button type="button" onClick={() => void run()} disabled={!file || state.busy} data-testid="vex-import-run">
        {state.busy ? `${state.phase === 'uploading' ? 'Uploading' : 'Importing'}…` : 'Import'}
      </button>
      {state.error !== null && <ErrorBox error={state.error} title="The VEX import failed" />}
      {r && (
        <div role="status" data-testid="vex-import-result">
          {r.documents} document{r.documents === 1 ? '' : 's'}: {r.statements.length} statements, {r.unmatched.length} matching no stored component, {r.rejected.length} rejected.
          {r.rejected.length > 0 && (
            <ul>
              {r.rejected.map((x, i) => (
                <li key={i} className="bad-text">
                  {x.document}
                  {x.path ? ` at ${x.path}` : ''}: {x.error} ({x.code})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function ExportPanel() {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<ExportedFile | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (format: 'openvex' | 'cyclonedx') => {
    setBusy(true);
    setError(null);
    try {
      const f = await call(client, 'vex.export', { format });
      download(f.fileName, f.mediaType, f.contentBase64);
      setLast(f);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="vex-export-title" data-testid="vex-export">
      <h2 id="vex-export-title">Export this workstation&apos;s decisions</h2>
      <p className="muted">Every current triage decision as one document, to hand to others or re-import elsewhere.</p>
      <div className="toolbar">
        <button type="button" onClick={() => void run('openvex')} disabled={busy} data-testid="export-openvex">
          Export OpenVEX
        </button>
        <button type="button" onClick={() => void run('cyclonedx')} disabled={busy} data-testid="export-cyclonedx">
          Export CycloneDX VEX
        </button>
      </div>
      {last && (
        <p role="status" data-testid="vex-export-result">
          Saved <span className="mono">{last.fileName}</span> ({shortDigest(last.digest)}).
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The export failed" />}
    </section>
  );
}

function ScanFindings({ scanId, findingId, scans }: { scanId: string; findingId?: string; scans: { id: string; subject: string; createdAt: string }[] }) {
  const findings = useEngineQuery('findings.list', { scanId }, { staleTime: 60_000 });
  const { decisions, error, pack } = useFindingDecisions(scanId);
  const [text, setText] = useState('');
  const [withVex, setWithVex] = useState(false);
  const rows = useMemo(() => {
    const t = text.trim().toLowerCase();
    return (findings.data ?? []).filter((f) => {
      if (withVex && (decisions?.get(f.id)?.vex?.status ?? 'none') === 'none') return false;
      return !t || f.vulnerabilityId.toLowerCase().includes(t) || f.packageName.toLowerCase().includes(t) || f.aliases.some((a) => a.toLowerCase().includes(t));
    });
  }, [findings.data, decisions, text, withVex]);
  const open = findingId ? findings.data?.find((f) => f.id === findingId) : undefined;
  return (
    <section className="panel" aria-labelledby="vex-findings-title">
      <h2 id="vex-findings-title">Findings and their VEX</h2>
      <div className="toolbar">
        <label htmlFor="vex-scan">Scan</label>
        <select id="vex-scan" value={scanId} onChange={(e) => (window.location.hash = hrefFor('vex', { scan: e.target.value }))} data-testid="vex-scan">
          {scans.map((s) => (
            <option key={s.id} value={s.id}>
              {s.subject} — {formatDate(s.createdAt)}
            </option>
          ))}
        </select>
        <label htmlFor="vex-filter">Filter</label>
        <input id="vex-filter" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="CVE, GHSA or package" data-testid="vex-filter" />
        <label>
          <input type="checkbox" checked={withVex} onChange={(e) => setWithVex(e.target.checked)} data-testid="vex-only" /> only with VEX
        </label>
        {pack && <span className="muted">policy status under {pack}</span>}
      </div>
      {findings.isPending && <Loading what="findings" />}
      {findings.isError && <ErrorBox error={findings.error} title="Could not load the findings" />}
      {error !== null && <ErrorBox error={error} title="Could not evaluate the active pack" />}
      {findings.data && (
        <div className="split">
          <div className="scroll-box" style={{ maxHeight: 420 }}>
            <table className="simple" aria-label="Findings with VEX and policy status" data-testid="vex-findings">
              <thead>
                <tr>
                  <th scope="col">Vulnerability</th>
                  <th scope="col">Package</th>
                  <th scope="col">Severity</th>
                  <th scope="col">VEX</th>
                  <th scope="col">Policy</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, MAX_ROWS).map((f) => (
                  <FindingLine key={f.id} f={f} scanId={scanId} selected={f.id === findingId} decisions={decisions} />
                ))}
              </tbody>
            </table>
            {rows.length > MAX_ROWS && <p className="muted">The first {MAX_ROWS} of {rows.length} findings: filter to find others.</p>}
            {rows.length === 0 && <p className="empty">No findings match.</p>}
          </div>
          <div>{open ? <FindingVex scanId={scanId} finding={open} decisions={decisions} /> : <p className="muted">Choose a finding to see its statements, the consensus and to triage it.</p>}</div>
        </div>
      )}
    </section>
  );
}

function FindingLine({ f, scanId, selected, decisions }: { f: FindingRow; scanId: string; selected: boolean; decisions: DecisionMap | null }) {
  const d = decisions?.get(f.id);
  return (
    <tr className={selected ? 'selected' : undefined} data-testid="vex-finding-row" data-finding-id={f.id}>
      <td>
        <a href={hrefFor('vex', { scan: scanId, finding: f.id })} className="mono" aria-current={selected ? 'true' : undefined}>
          {f.vulnerabilityId}
        </a>
      </td>
      <td className="mono">
        {f.packageName}@{f.installedVersion}
      </td>
      <td>
        <Severity level={f.severity} />
      </td>
      <td data-testid="vex-status">{d ? VEX_STATUS_LABEL[d.vex?.status ?? 'none'] ?? d.vex?.status : '…'}</td>
      <td data-testid="policy-status">{d ? <PolicyBadge status={d.status} rule={d.rule} /> : '…'}</td>
    </tr>
  );
}

function FindingVex({ scanId, finding, decisions }: { scanId: string; finding: FindingRow; decisions: DecisionMap | null }) {
  const statements = useEngineQuery('vex.statements', { scanId, findingId: finding.id });
  const consensus = useEngineQuery('vex.consensus', { vulnerabilityId: finding.vulnerabilityId, aliases: finding.aliases, ...(finding.purl ? { purl: finding.purl } : { ref: finding.componentRef }) });
  const d = decisions?.get(finding.id);
  const c = consensus.data;
  return (
    <div data-testid="finding-vex">
      <h3>
        <span className="mono">{finding.vulnerabilityId}</span> in <span className="mono">{finding.packageName}@{finding.installedVersion}</span>
      </h3>
      {d && (
        <p>
          Policy: <PolicyBadge status={d.status} rule={d.rule} /> {d.because && <span className="muted">— {d.because}</span>}
        </p>
      )}
      <h4>Consensus</h4>
      {consensus.isPending && <Loading what="the consensus" />}
      {consensus.isError && <ErrorBox error={consensus.error} title="Could not compute the consensus" />}
      {c && (
        <div data-testid="vex-consensus" data-status={c.status}>
          <p>
            <strong>{VEX_STATUS_LABEL[c.status] ?? c.status}</strong>
            {c.justification ? <> ({c.justification})</> : null} · confidence {(c.confidence * 100).toFixed(0)}% · <span className="mono">{shortDigest(c.digest)}</span>
          </p>
          {c.statements.length > 0 && (
            <table className="simple" aria-label="Contributing statements with trust weights">
              <thead>
                <tr>
                  <th scope="col">Issuer</th>
                  <th scope="col">Class</th>
                  <th scope="col">Tier</th>
                  <th scope="col">Weight</th>
                  <th scope="col">Status</th>
                  <th scope="col">Role</th>
                </tr>
              </thead>
              <tbody>
                {c.statements.map((s) => (
                  <tr key={s.statementId} data-testid="consensus-statement">
                    <td>{s.issuer}</td>
                    <td>{s.issuerClass}</td>
                    <td>{s.tier}</td>
                    <td>{s.weight.toFixed(2)}</td>
                    <td>
                      {s.status}
                      {s.justification ? <span className="muted"> ({s.justification})</span> : null}
                    </td>
                    <td>{s.role}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {c.conflicts.length > 0 && (
            <ul className="conflicts" data-testid="vex-conflicts">
              {c.conflicts.map((x, i) => (
                <li key={i} className="conflict">
                  Conflict at tier {x.tier}: {x.statements.map((s) => `${s.issuer} says ${s.status} (weight ${s.weight.toFixed(2)})`).join(' vs ')}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <h4>Statements naming this finding</h4>
      {statements.isPending && <Loading what="statements" />}
      {statements.isError && <ErrorBox error={statements.error} title="Could not list the statements" />}
      {statements.data && statements.data.length === 0 && <p className="empty">No VEX statement names this component and vulnerability.</p>}
      {statements.data && statements.data.length > 0 && (
        <ul data-testid="vex-statements">
          {statements.data.map((s) => (
            <li key={s.id} data-testid="vex-statement">
              <strong>{s.issuer.name}</strong>: {s.status}
              {s.statusAsGiven !== s.status ? <span className="muted"> (“{s.statusAsGiven}”)</span> : null}
              {s.justification ? ` — ${s.justification}` : ''}
              {s.impact ? <span className="muted"> — impact: {s.impact}</span> : null}
              {s.action ? <span className="muted"> — action: {s.action}</span> : null}
              <div className="muted">
                {s.raw.format}
                {s.raw.specVersion ? ` ${s.raw.specVersion}` : ''} · {s.raw.uri} · {formatDate(s.timestamp ?? null)} · <span className="mono">{shortDigest(s.raw.digest)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <TriageForm scanId={scanId} findingId={finding.id} />
    </div>
  );
}

function UnmatchedPanel() {
  const q = useEngineQuery('vex.unmatched', {});
  return (
    <section className="panel" aria-labelledby="vex-unmatched-title" data-testid="vex-unmatched">
      <h2 id="vex-unmatched-title">Statements that match no stored component</h2>
      <p className="muted">Kept, not dropped: they apply as soon as an SBOM with the component is imported.</p>
      {q.isPending && <Loading what="unmatched statements" />}
      {q.isError && <ErrorBox error={q.error} title="Could not list unmatched statements" />}
      {q.data && q.data.length === 0 && <p className="empty">None.</p>}
      {q.data && q.data.length > 0 && (
        <table className="simple" aria-label="Unmatched statements">
          <thead>
            <tr>
              <th scope="col">Vulnerability</th>
              <th scope="col">Product</th>
              <th scope="col">Status</th>
              <th scope="col">Issuer</th>
              <th scope="col">Document</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {q.data.map((u) => (
              <tr key={`${u.digest}:${u.statementId}`} data-testid="unmatched-row">
                <td className="mono">{u.vulnerability}</td>
                <td className="mono">{u.product}</td>
                <td>{u.status}</td>
                <td>{u.issuer}</td>
                <td>{u.document}</td>
                <td>{u.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
