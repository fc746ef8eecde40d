/**
 * Dashboard: advisory feed snapshot and its age, the active policy pack, recent scans, severity and
 * verdict counts. A scan's verdict is the one the engine recorded with it — the policy pack it was
 * evaluated with over its findings and the stored VEX — never a rule of the UI's own.
 */
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScanSummary, ScanVerdictView, SeverityLevel } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox, formatAge, formatDate, Loading } from '../common/ErrorBox';
import { jobStore } from '../client/jobs';
import { useEngineMutation, useEngineQuery } from '../client/queries';
import { latestScan } from '../findings/FindingsExplorer';
import { SEVERITY_ORDER } from '../findings/model';
import { FirstRun, isFirstRun } from '../firstrun/FirstRun';
import { FeedAgeNotice } from '../kits/FeedAge';

const SEV_VAR: Record<SeverityLevel, string> = {
  critical: 'var(--sev-critical)',
  high: 'var(--sev-high)',
  medium: 'var(--sev-medium)',
  low: 'var(--sev-low)',
  none: 'var(--sev-none)',
  unknown: 'var(--sev-unknown)',
};

export type ScanVerdictKind = ScanVerdictView['verdict'] | 'none';

/** The verdict recorded with a scan, or `none` for a scan stored before verdicts were. */
export function scanVerdict(s: ScanSummary): ScanVerdictKind {
  return s.verdict?.verdict ?? 'none';
}

const VERDICT_LABEL: Record<ScanVerdictKind, string> = { BLOCKED: 'blocked', WARN: 'warn', PASS: 'pass', none: 'not evaluated' };
const VERDICT_FILL: Record<ScanVerdictKind, string> = { BLOCKED: 'var(--sev-critical)', WARN: 'var(--sev-medium)', PASS: 'var(--ok)', none: 'var(--sev-unknown)' };

/** What decided a verdict, for a tooltip: the pack, the date, the deciding rules. */
export function verdictTitle(v: ScanVerdictView | undefined): string {
  if (!v) return 'stored before scans were judged by a policy pack';
  const rules = v.rules.slice(0, 3).map((r) => `${r.rule ?? (r.findings ? 'default status' : 'unknowns budget')}${r.findings ? ` (${r.findings})` : ''}`);
  return `${v.pack.name}@${v.pack.version} (${v.pack.source}) on ${v.evaluationDate}${rules.length ? ` — decided by ${rules.join(', ')}` : ''}${v.current ? '' : ' — made before VEX or the active pack changed'}`;
}

function VerdictBadge({ scan }: { scan: ScanSummary }) {
  const v = scanVerdict(scan);
  return (
    <span className={`badge verdict-${v}`} title={verdictTitle(scan.verdict)} data-testid="scan-verdict">
      {VERDICT_LABEL[v]}
      {scan.verdict && !scan.verdict.current ? ' (outdated)' : ''}
    </span>
  );
}

/** Record fresh verdicts for every stored scan (after VEX or the active pack changed). */
function ReevaluateButton() {
  const reevaluate = useEngineMutation('policy.reevaluate');
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  return (
    <>
      <button
        type="button"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true });
          try {
            const { jobId } = await reevaluate.mutateAsync({});
            jobStore.track(jobId, 'policy.reevaluate', 'Re-evaluate scans');
            const done = await jobStore.wait(jobId);
            setState({ busy: false, error: done.state === 'failed' ? new Error(done.error?.message ?? 're-evaluation failed') : undefined });
          } catch (e) {
            setState({ busy: false, error: e });
          }
        }}
        data-testid="reevaluate-scans"
      >
        {state.busy ? 'Re-evaluating…' : 'Re-evaluate'}
      </button>
      {state.error !== undefined && <ErrorBox error={state.error} title="Re-evaluation failed" onDismiss={() => setState({ busy: false })} />}
    </>
  );
}

export function Dashboard() {
  const snap = useEngineQuery('advisories.snapshot', {});
  const scans = useEngineQuery('scan.list', {});
  const sboms = useEngineQuery('sbom.list', {});
  const active = useEngineQuery('policy.active', {});
  const latest = latestScan(scans.data ?? []);
  const recent = [...(scans.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 8);

  const sevData = SEVERITY_ORDER.map((s) => ({ severity: s, count: latest?.bySeverity[s] ?? 0, fill: SEV_VAR[s] }));
  const verdicts: Record<ScanVerdictKind, number> = { BLOCKED: 0, WARN: 0, PASS: 0, none: 0 };
  for (const s of scans.data ?? []) verdicts[scanVerdict(s)]++;
  const verdictData = (['BLOCKED', 'WARN', 'PASS', 'none'] as const).map((k) => ({ name: VERDICT_LABEL[k], kind: k, value: verdicts[k], fill: VERDICT_FILL[k] })).filter((d) => d.value > 0);
  const outdated = (scans.data ?? []).filter((s) => s.verdict && !s.verdict.current).length;

  return (
    <div data-testid="dashboard">
      <h1>Dashboard</h1>
      {sboms.data && snap.data && isFirstRun(sboms.data.length, snap.data.id) && <FirstRun sbomCount={sboms.data.length} snapshotId={snap.data.id} />}
      {snap.data?.id !== null && <FeedAgeNotice />}
      <div className="cards">
        <div className="card" data-testid="card-snapshot">
          <div className="label">Advisory snapshot</div>
          {snap.isPending ? (
            <Loading what="snapshot" />
          ) : snap.isError ? (
            <div className="muted">{snap.error.message}</div>
          ) : snap.data.id ? (
            <>
              <div className="value">{snap.data.documentCount.toLocaleString('en')} docs</div>
              <div className="muted" title={snap.data.createdAt ?? ''}>
                {formatAge(snap.data.createdAt)} · <span className="mono">{snap.data.id.slice(0, 19)}</span>
              </div>
            </>
          ) : (
            <>
              <div className="value">none</div>
              <div className="muted">
                <a href={hrefFor('import')}>Import advisories</a>
              </div>
            </>
          )}
        </div>
        <div className="card">
          <div className="label">SBOMs</div>
          <div className="value">{sboms.data?.length ?? '…'}</div>
        </div>
        <div className="card">
          <div className="label">Scans</div>
          <div className="value">{scans.data?.length ?? '…'}</div>
        </div>
        <div className="card" data-testid="card-policy">
          <div className="label">Policy pack</div>
          {active.isPending ? (
            <Loading what="policy pack" />
          ) : active.isError ? (
            <div className="muted">{active.error.message}</div>
          ) : (
            <>
              <div className="value" style={{ fontSize: 18 }}>
                {active.data.name}@{active.data.version}
              </div>
              <div className="muted" title={active.data.digest}>
                {active.data.shippedDefault ? 'shipped default' : active.data.builtin !== null ? `built-in ${active.data.ref}` : `imported, ${active.data.approvals.length} approvals`}
                {active.data.activatedAt ? ` · active since ${formatAge(active.data.activatedAt)}` : ''}
              </div>
            </>
          )}
        </div>
        <div className="card">
          <div className="label">Latest scan findings</div>
          <div className="value">{latest ? latest.findingCount.toLocaleString('en') : '—'}</div>
          {latest && (
            <div className="muted">
              {latest.kevCount} KEV · {latest.fixableCount} fixable
            </div>
          )}
        </div>
      </div>
      {scans.isError && <ErrorBox error={scans.error} title="Could not list scans" />}
      <div className="grid-2">
        <section className="panel" aria-labelledby="sev-title">
          <h2 id="sev-title" style={{ marginTop: 0 }}>
            Severity — {latest ? latest.subject : 'no scan yet'}
          </h2>
          {latest ? (
            <div style={{ height: 240 }} role="img" aria-label={`Findings by severity: ${sevData.map((d) => `${d.severity} ${d.count}`).join(', ')}`} data-testid="severity-chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={sevData} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                  <XAxis dataKey="severity" stroke="var(--muted)" tick={{ fill: 'var(--muted)', fontSize: 12 }} />
                  <YAxis allowDecimals={false} stroke="var(--muted)" tick={{ fill: 'var(--muted)', fontSize: 12 }} />
                  <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} cursor={{ fill: 'var(--row-hover)' }} />
                  <Bar dataKey="count" isAnimationActive={false}>
                    {sevData.map((d) => (
                      <Cell key={d.severity} fill={d.fill} />
                    ))}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
          ) : (
            <div className="empty">Scan an SBOM to see its severity breakdown.</div>
          )}
        </section>
        <section className="panel" aria-labelledby="verdict-title">
          <h2 id="verdict-title" style={{ marginTop: 0 }}>
            Verdicts across scans
          </h2>
          {verdictData.length ? (
            <div style={{ height: 240 }} role="img" aria-label={`Verdicts: ${verdicts.BLOCKED} blocked, ${verdicts.WARN} warn, ${verdicts.PASS} pass, ${verdicts.none} not evaluated`} data-testid="verdict-chart">
              <ResponsiveContainer width="100%" height="100%">
                <PieChart>
                  <Pie data={verdictData} dataKey="value" nameKey="name" innerRadius={50} outerRadius={85} isAnimationActive={false}>
                    {verdictData.map((d) => (
                      <Cell key={d.name} fill={d.fill} />
                    ))}
                  </Pie>
                  <Legend formatter={(name: string) => `${name} (${verdictData.find((d) => d.name === name)?.value ?? 0})`} />
                  <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} />
                </PieChart>
              </ResponsiveContainer>
            </div>
          ) : (
            <div className="empty">No scans yet.</div>
          )}
          <p className="muted" style={{ fontSize: 12 }} data-testid="verdict-source">
            Each scan is judged by the policy pack active when it ran, with the VEX stored then
            {active.data ? (
              <>
                ; the active pack is <span className="mono">{active.data.name}@{active.data.version}</span> ({active.data.ref})
              </>
            ) : null}
            .
            {outdated > 0 && (
              <>
                {' '}
                {outdated} {outdated === 1 ? 'verdict was' : 'verdicts were'} made before VEX or the active pack changed. <ReevaluateButton />
              </>
            )}
          </p>
        </section>
      </div>
      <h2>Recent scans</h2>
      {scans.isPending ? (
        <Loading what="scans" />
      ) : recent.length === 0 ? (
        <div className="empty">
          No scans yet — <a href={hrefFor('import')}>import an SBOM</a>.
        </div>
      ) : (
        <table className="simple" aria-label="Recent scans" data-testid="recent-scans">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">When</th>
              <th scope="col">Findings</th>
              <th scope="col">Critical</th>
              <th scope="col">High</th>
              <th scope="col">KEV</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={hrefFor('findings', { scan: s.id })}>{s.subject}</a>
                </td>
                <td title={formatDate(s.createdAt)}>{formatAge(s.createdAt)}</td>
                <td>{s.findingCount}</td>
                <td>{s.bySeverity.critical ?? 0}</td>
                <td>{s.bySeverity.high ?? 0}</td>
                <td>{s.kevCount}</td>
                <td>
                  <VerdictBadge scan={s} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {snap.data && snap.data.sources.length > 0 && (
        <>
          <h2>Advisory sources</h2>
          <table className="simple" aria-label="Advisory sources">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Documents</th>
                <th scope="col">Observations</th>
                <th scope="col">Newest import</th>
              </tr>
            </thead>
            <tbody>
              {snap.data.sources.map((s) => (
                <tr key={s.source}>
                  <td>{s.source}</td>
                  <td>{s.documents}</td>
                  <td>{s.observations}</td>
                  <td>{formatAge(s.newestImportAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
