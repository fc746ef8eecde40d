/**
 * Simulation of the draft (candidate) against the active pack (base) over chosen stored scans
 * (`policy.simulate`, stores nothing): counts, per-finding before → after, per-rule impact, severity
 * histograms before and after, and explain samples.
 */
import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PackRef, PolicySimulationView } from '../../../common/contract';
import { ErrorBox, formatDate, Loading } from '../common/ErrorBox';
import { call } from '../client/engine';
import { useClient, useEngineQuery } from '../client/queries';

const MAX_CHANGES_SHOWN = 500;
const BANDS = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
const VERDICT_FILL = { PASS: 'var(--ok)', WARN: 'var(--sev-medium)', BLOCKED: 'var(--danger)' } as const;

type Histogram = PolicySimulationView['histograms']['before'];

/** Rows for one histogram chart: a severity band each, findings per verdict. */
export function histogramRows(h: Histogram): { band: string; PASS: number; WARN: number; BLOCKED: number }[] {
  return BANDS.map((b) => ({ band: b, ...h[b] }));
}

function describeHistogram(label: string, h: Histogram): string {
  return `${label}: ${histogramRows(h)
    .filter((r) => r.PASS + r.WARN + r.BLOCKED > 0)
    .map((r) => `${r.band} ${r.BLOCKED} blocked, ${r.WARN} warn, ${r.PASS} pass`)
    .join('; ') || 'no findings'}`;
}

export function SimulationPanel({ candidate }: { candidate: PackRef }) {
  const client = useClient();
  const scans = useEngineQuery('scan.list', {});
  const active = useEngineQuery('policy.active', {});
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [state, setState] = useState<{ running: boolean; view: PolicySimulationView | null; error: unknown }>({ running: false, view: null, error: null });
  const all = scans.data ?? [];
  const selected = chosen ?? new Set(all.map((s) => s.id));

  const run = async () => {
    setState({ running: true, view: null, error: null });
    try {
      const view = await call(client, 'policy.simulate', { candidate, scanIds: [...selected].sort(), samples: 5 });
      setState({ running: false, view, error: null });
    } catch (error) {
      setState({ running: false, view: null, error });
    }
  };

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };

  return (
    <div data-testid="simulation-panel">
      <p className="muted">
        Base: the active pack {active.data ? <strong className="mono">{active.data.ref}</strong> : '…'}. Candidate: this draft. Verdicts are computed with the stored VEX; nothing is stored.
      </p>
      {scans.isPending && <Loading what="scans" />}
      {scans.isError && <ErrorBox error={scans.error} title="Could not list scans" />}
      {scans.data && all.length === 0 && <p className="empty">No stored scans yet: import an SBOM or scan an image first.</p>}
      {all.length > 0 && (
        <fieldset className="scan-choice">
          <legend>Scans to simulate over</legend>
          {all.map((s) => (
            <label key={s.id} className="check">
              <input type="checkbox" checked={selected.has(s.id)} onChange={() => toggle(s.id)} data-testid="sim-scan" />
              {s.subject} <span className="muted">({s.findingCount} findings, {formatDate(s.createdAt)})</span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="toolbar">
        <button type="button" onClick={() => void run()} disabled={state.running || selected.size === 0} data-testid="run-simulation">
          {state.running ? 'Simulating…' : 'Simulate'}
        </button>
      </div>
      {state.error !== null && <ErrorBox error={state.error} title="Simulation failed" />}
      {state.view && <SimulationResult view={state.view} />}
    </div>
  );
}

export function SimulationResult({ view }: { view: PolicySimulationView }) {
  const before = useMemo(() => histogramRows(view.histograms.before), [view]);
  const after = useMemo(() => histogramRows(view.histograms.after), [view]);
  const max = Math.max(1, ...[...before, ...after].map((r) => r.PASS + r.WARN + r.BLOCKED));
  const c = view.counts;
  return (
    <div data-testid="simulation-result">
      <p className="muted">
        <span className="mono">{view.base.name}@{view.base.version}</span> → <span className="mono">{view.candidate.name}@{view.candidate.version}</span>, evaluated on {view.evaluationDate}
      </p>
      <div className="cards" data-testid="sim-counts">
        {(['added', 'removed', 'changed', 'unchanged'] as const).map((k) => (
          <div className="card" key={k} data-testid={`sim-${k}`}>
            <div className="label">{k}</div>
            <div className="value">{c[k].toLocaleString('en')}</div>
          </div>
        ))}
      </div>

      <h3>Scans</h3>
      <table className="simple" aria-label="Scan verdicts before and after">
        <thead>
          <tr>
            <th scope="col">Scan</th>
            <th scope="col">Findings</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {view.scans.map((s) => (
            <tr key={s.scan} data-testid="sim-scan-row">
              <td className="mono">{s.scan}</td>
              <td>{s.findings}</td>
              <td>{s.before}</td>
              <td className={s.before !== s.after ? 'bad-text' : ''}>{s.after}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Severity histograms</h3>
      <div className="grid-2">
        {[
          ['Before (base)', before, view.histograms.before] as const,
          ['After (candidate)', after, view.histograms.after] as const,
        ].map(([label, rows, h]) => (
          <div key={label} style={{ height: 220 }} role="img" aria-label={describeHistogram(label, h)} data-testid="sim-histogram">
            <div className="muted">{label}</div>
            <ResponsiveContainer width="100%" height="90%">
              <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                <XAxis dataKey="band" stroke="var(--muted)" tick={{ fill: 'var(--muted)', fontSize: 12 }} />
                <YAxis allowDecimals={false} domain={[0, max]} stroke="var(--muted)" tick={{ fill: 'var(--muted)', fontSize: 12 }} />
                <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} cursor={{ fill: 'var(--row-hover)' }} />
                <Legend />
                {(['BLOCKED', 'WARN', 'PASS'] as const).map((v) => (
                  <Bar key={v} dataKey={v} stackId="v" fill={VERDICT_FILL[v]} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        ))}
      </div>

      <h3>Per-rule impact</h3>
      <table className="simple" aria-label="Per-rule impact" data-testid="sim-rules">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">In</th>
            <th scope="col">Decided before</th>
            <th scope="col">Decided after</th>
            <th scope="col">Gained</th>
            <th scope="col">Lost</th>
          </tr>
        </thead>
        <tbody>
          {view.rules.map((r) => (
            <tr key={`${r.in}:${r.rule}`} data-testid="sim-rule-row">
              <td className="mono">{r.rule}</td>
              <td>{r.in}</td>
              <td>{r.before}</td>
              <td>{r.after}</td>
              <td>{r.gained ? `+${r.gained}` : '0'}</td>
              <td>{r.lost ? `−${r.lost}` : '0'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Changed findings</h3>
      {view.changes.length === 0 ? (
        <p className="empty">No finding changes its status under the draft.</p>
      ) : (
        <>
          {view.changes.length > MAX_CHANGES_SHOWN && <p className="muted">The first {MAX_CHANGES_SHOWN} of {view.changes.length} changes.</p>}
          <div className="scroll-box">
            <table className="simple" aria-label="Changed findings" data-testid="sim-changes">
              <thead>
                <tr>
                  <th scope="col">Change</th>
                  <th scope="col">Vulnerability</th>
                  <th scope="col">Component</th>
                  <th scope="col">Before → after</th>
                  <th scope="col">Rule before → after</th>
                </tr>
              </thead>
              <tbody>
                {view.changes.slice(0, MAX_CHANGES_SHOWN).map((ch) => (
                  <tr key={`${ch.scan}:${ch.finding}`} data-testid="sim-change">
                    <td>{ch.kind}</td>
                    <td className="mono">{ch.vulnerabilityId}</td>
                    <td className="mono">{ch.purl ?? '—'}</td>
                    <td>
                      {ch.before} ({ch.beforeVerdict}) → <strong>{ch.after}</strong> ({ch.afterVerdict})
                    </td>
                    <td className="mono">
                      {ch.beforeRule ?? 'default'} → {ch.rule ?? 'default'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {view.samples.length > 0 && (
        <>
          <h3>Explain samples</h3>
          {view.samples.map((s) => (
            <details key={`${s.scan}:${s.finding}`} className="sample" data-testid="sim-sample">
              <summary>
                <span className="mono">{s.before.finding.vulnerabilityId}</span> in <span className="mono">{s.before.finding.purl ?? s.before.finding.component.name}</span>: {s.before.decision.status} → {s.after.decision.status}
              </summary>
              <div className="grid-2">
                {[
                  ['Before', s.before] as const,
                  ['After', s.after] as const,
                ].map(([label, e]) => (
                  <div key={label}>
                    <strong>{label}</strong>: {e.decision.status} ({e.decision.verdict}) by <span className="mono">{e.decision.rule ?? 'the default status'}</span>
                    {e.decision.because && <p className="muted">“{e.decision.because}”</p>}
                    <ul>
                      {e.rules
                        .filter((r) => r.outcome !== 'not-reached')
                        .map((r) => (
                          <li key={r.rule}>
                            <span className="mono">{r.rule}</span>: {r.outcome}
                            {r.condition[0] ? <span className="muted mono"> — {r.condition[0].expr} = {r.condition[0].value}</span> : null}
                          </li>
                        ))}
                    </ul>
                    {e.whatIf.length > 0 && (
                      <p className="muted">
                        What would change it: {e.whatIf.map((w) => `${w.change} → ${w.verdict}`).join('; ')}
                      </p>
                    )}
                  </div>
                ))}
              </div>
            </details>
          ))}
        </>
      )}
    </div>
  );
}
