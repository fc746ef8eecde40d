/**
 * The auditor's decision about one finding, recorded as a VEX statement issued by the workstation
 * (`vex.triage`): `not_affected` with a justification (and an optional impact statement), `affected`
 * with an action statement, `under_investigation`, or `fixed`. The finding's policy status follows from
 * the active pack once the statement is stored.
 */
import { useId, useState } from 'react';
import type { ChannelArgs, TriageResultView } from '../../../common/contract';
import { ErrorBox } from '../common/ErrorBox';
import { call } from '../client/engine';
import { useClient } from '../client/queries';

type Status = ChannelArgs<'vex.triage'>['status'];
type Justification = NonNullable<ChannelArgs<'vex.triage'>['justification']>;

const STATUSES: { value: Status; label: string }[] = [
  { value: 'not_affected', label: 'Not affected' },
  { value: 'affected', label: 'Affected' },
  { value: 'under_investigation', label: 'Under investigation' },
  { value: 'fixed', label: 'Fixed' },
];

export const JUSTIFICATIONS: { value: Justification; label: string }[] = [
  { value: 'component_not_present', label: 'Component not present' },
  { value: 'vulnerable_code_not_present', label: 'Vulnerable code not present' },
  { value: 'vulnerable_code_not_in_execute_path', label: 'Vulnerable code not in execute path' },
  { value: 'vulnerable_code_cannot_be_controlled_by_adversary', label: 'Vulnerable code cannot be controlled by adversary' },
  { value: 'inline_mitigations_already_exist', label: 'Inline mitigations already exist' },
];

/** What the form would send, or the reason it cannot be sent yet. */
export function triageArgs(scanId: string, findingId: string, status: Status, justification: string, impact: string, action: string): ChannelArgs<'vex.triage'> | { problem: string } {
  const base = { scanId, findingId, status };
  switch (status) {
    case 'not_affected':
      if (!justification) return { problem: 'A not_affected decision needs a justification.' };
      return { ...base, justification: justification as Justification, ...(impact.trim() ? { impact: impact.trim() } : {}) };
    case 'affected':
      if (!action.trim()) return { problem: 'An affected decision needs an action statement (what to do about it).' };
      return { ...base, action: action.trim() };
    case 'under_investigation':
    case 'fixed':
      return { ...base, ...(impact.trim() ? { impact: impact.trim() } : {}) };
  }
}

export function TriageForm({ scanId, findingId, onDone }: { scanId: string; findingId: string; onDone?(r: TriageResultView): void }) {
  const client = useClient();
  const id = useId();
  const [status, setStatus] = useState<Status>('not_affected');
  const [justification, setJustification] = useState('');
  const [impact, setImpact] = useState('');
  const [action, setAction] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<TriageResultView | null>(null);

  const submit = async () => {
    const args = triageArgs(scanId, findingId, status, justification, impact, action);
    if ('problem' in args) {
      setProblem(args.problem);
      return;
    }
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      const r = await call(client, 'vex.triage', args);
      setResult(r);
      onDone?.(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="triage"
      aria-labelledby={`${id}-title`}
      data-testid="triage-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>Triage: record your decision as VEX</h3>
      <fieldset className="chip-group">
        <legend>Status</legend>
        {STATUSES.map((s) => (
          <label key={s.value}>
            <input type="radio" name={`${id}-status`} value={s.value} checked={status === s.value} onChange={() => setStatus(s.value)} data-testid={`triage-status-${s.value}`} />
            {s.label}
          </label>
        ))}
      </fieldset>
      {status === 'not_affected' && (
        <label>
          Justification{' '}
          <select value={justification} onChange={(e) => setJustification(e.target.value)} required data-testid="triage-justification">
            <option value="">choose…</option>
            {JUSTIFICATIONS.map((j) => (
              <option key={j.value} value={j.value}>
                {j.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {status === 'affected' ? (
        <label>
          Action statement <textarea value={action} onChange={(e) => setAction(e.target.value)} rows={2} required data-testid="triage-action" />
        </label>
      ) : (
        <label>
          Impact statement (optional) <textarea value={impact} onChange={(e) => setImpact(e.target.value)} rows={2} data-testid="triage-impact" />
        </label>
      )}
      <div>
        <button type="submit" disabled={busy} data-testid="triage-submit">
          {busy ? 'Recording…' : 'Record decision'}
        </button>
      </div>
      {problem && (
        <p role="alert" className="bad-text">
          {problem}
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The decision was not recorded" />}
      {result && (
        <p role="status" className="ok-text" data-testid="triage-result">
          {result.outcome === 'unchanged' ? 'The same decision was already recorded.' : result.outcome === 'superseded' ? 'Recorded; it replaces your earlier decision.' : 'Recorded.'} {result.statement.status} by {result.statement.issuer} for{' '}
          <span className="mono">{result.statement.vulnerability}</span>.
        </p>
      )}
    </form>
  );
}
