/** Dashboard: advisory feed snapshot and its age, recent scans, severity and verdict counts. */
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScanSummary, SeverityLevel } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox, formatAge, formatDate, Loading } from '../common/ErrorBox';
import { useEngineQuery } from '../client/queries';
import { latestScan } from '../findings/FindingsExplorer';
import { SEVERITY_ORDER } from '../findings/model';

const SEV_VAR: Record<SeverityLevel, string> = {
  critical: 'var(--sev-critical)',
  high: 'var(--sev-high)',
  medium: 'var(--sev-medium)',
  low: 'var(--sev-low)',
  none: 'var(--sev-none)',
  unknown: 'var(--sev-unknown)',
};

/**
 * Verdict of a scan as the dashboard shows it until the policy engine supplies one: a scan with a
 * known-exploited or critical finding fails, one with high findings warns, anything else passes.
 */
export function scanVerdict(s: ScanSummary): 'fail' | 'warn' | 'pass' {
  if (s.kevCount > 0 || (s.bySeverity.critical ?? 0) > 0) return 'fail';
  if ((s.bySeverity.high ?? 0) > 0) return 'warn';
  return 'pass';
}

export function Dashboard() {
  const snap = useEngineQuery('advisories.snapshot', {});
  const scans = useEngineQuery('scan.list', {});
  const sboms = useEngineQuery('sbom.list', {});
  const latest = latestScan(scans.data ?? []);
  const recent = [...(scans.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 8);

  const sevData = SEVERITY_ORDER.map((s) => ({ severity: s, count: latest?.bySeverity[s] ?? 0, fill: SEV_VAR[s] }));
  const verdicts = { pass: 0, warn: 0, fail: 0 };
  for (const s of scans.data ?? []) verdicts[scanVerdict(s)]++;
  const verdictData = [
    { name: 'fail', value: verdicts.fail, fill: 'var(--sev-critical)' },
    { name: 'warn', value: verdicts.warn, fill: 'var(--sev-medium)' },
    { name: 'pass', value: verdicts.pass, fill: 'var(--ok)' },
  ].filter((d) => d.value > 0);

  return (
    <div data-testid="dashboard">
      <h1>Dashboard</h1>
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
            <div style={{ height: 240 }} role="img" aria-label={`Verdicts: ${verdicts.fail} fail, ${verdicts.warn} warn, ${verdicts.pass} pass`} data-testid="verdict-chart">
              <ResponsiveContainer width="100%" height="100%">
                <PieChart>
                  <Pie data={verdictData} dataKey="value" nameKey="name" innerRadius={50} outerRadius={85} isAnimationActive={false}>
                    {verdictData.map((d) => (
                      <Cell key={d.name} fill={d.fill} />
                    ))}
                  </Pie>
                  <Legend formatter={(name: string) => `${name} (${verdicts[name as keyof typeof verdicts]})`} />
                  <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} />
                </PieChart>
              </ResponsiveContainer>
            </div>
          ) : (
            <div className="empty">No scans yet.</div>
          )}
          <p className="muted" style={{ fontSize: 12 }}>
            fail = a KEV or critical finding · warn = high findings · pass = neither (until a policy pack is active).
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
                  <span className={`badge verdict-${scanVerdict(s)}`}>{scanVerdict(s)}</span>
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
