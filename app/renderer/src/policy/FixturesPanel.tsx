/** Runs the draft's fixtures (`policy.test`): each fixture passed or failed, and every failed expectation explained. */
import { useState } from 'react';
import type { PackRef, PolicyTestView } from '../../../common/contract';
import { ErrorBox } from '../common/ErrorBox';
import { call } from '../client/engine';
import { useClient } from '../client/queries';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function FixturesPanel({ pack, onReveal }: { pack: PackRef; onReveal(file: string): void }) {
  const client = useClient();
  const [state, setState] = useState<{ running: boolean; view: PolicyTestView | null; error: unknown }>({ running: false, view: null, error: null });
  const run = async () => {
    setState({ running: true, view: null, error: null });
    try {
      setState({ running: false, view: await call(client, 'policy.test', { pack }), error: null });
    } catch (error) {
      setState({ running: false, view: null, error });
    }
  };
  const v = state.view;
  return (
    <div data-testid="fixtures-panel">
      <div className="toolbar">
        <button type="button" onClick={() => void run()} disabled={state.running} data-testid="run-fixtures">
          {state.running ? 'Running fixtures…' : 'Run fixtures'}
        </button>
        {v && (
          <span role="status" data-testid="fixtures-summary" className={v.failed ? 'bad-text' : 'ok-text'}>
            {v.passed} passed, {v.failed} failed
          </span>
        )}
      </div>
      {state.error !== null && <ErrorBox error={state.error} title="The fixtures could not run" />}
      {v && v.fixtures.length === 0 && <p className="empty">This pack has no fixtures (add files under fixtures/).</p>}
      {v && v.fixtures.length > 0 && (
        <table className="simple" aria-label="Fixture results">
          <thead>
            <tr>
              <th scope="col">Fixture</th>
              <th scope="col">Result</th>
              <th scope="col">Verdict</th>
              <th scope="col">Findings</th>
              <th scope="col">Why it failed</th>
            </tr>
          </thead>
          <tbody>
            {v.fixtures.map((f) => (
              <tr key={`${f.file}#${f.name}`} data-testid="fixture-row" data-passed={f.passed}>
                <td>
                  <button type="button" className="link mono" onClick={() => onReveal(f.file)}>
                    {f.file}
                  </button>{' '}
                  {f.name}
                </td>
                <td className={f.passed ? 'ok-text' : 'bad-text'}>{f.passed ? 'pass' : 'FAIL'}</td>
                <td>{f.verdict}</td>
                <td>{f.findings}</td>
                <td>
                  {f.failures.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <ul>
                      {f.failures.map((x, i) => (
                        <li key={i} data-testid="fixture-failure">
                          {x.finding ? <span className="mono">{x.finding}</span> : 'scan'} {x.field}: expected <strong>{show(x.expected)}</strong>, got <strong>{show(x.actual)}</strong>
                          {x.because ? <span className="muted"> — {x.because}</span> : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
