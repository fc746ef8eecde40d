/**
 * Offline kits: pick a kit (native dialog or drop in Electron, upload in the browser), watch each
 * verification step tick (the `kits.import` job's phases), dry run first, then activate; a refusal
 * names the failed check and what it means as an exit code; the quarantine list with reasons (and the
 * audit trail's `kit.rejected` entries); the active kit per channel and the feed age.
 */
import { useEffect, useRef, useState } from 'react';
import type { KitImportSummary } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox, formatDate, Loading, shortDigest } from '../common/ErrorBox';
import { FilePick, refOf, pickedName, type Picked } from '../common/FilePick';
import { JobProgressBar, jobError, runTrackedJob, useJobListFallback, useTrackedJob } from '../common/job-run';
import { call, type EngineError } from '../client/engine';
import { useClient, useEngineQuery } from '../client/queries';
import { FeedAgeNotice } from './FeedAge';
import { applyKitProgress, checklistFromChecks, emptyChecklist, failRunningStep, KIT_STEPS, refusalOf, type Checklist, type StepState } from './kit-model';

type Outcome = { kind: 'done'; summary: KitImportSummary } | { kind: 'refused'; error: EngineError } | null;

export function KitsScreen() {
  const client = useClient();
  const [kit, setKit] = useState<Picked | null>(null);
  const [checklist, setChecklist] = useState<Checklist>(emptyChecklist);
  const [jobId, setJobId] = useState<string | null>(null);
  const [mode, setMode] = useState<'dry-run' | 'activate' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [verifiedDry, setVerifiedDry] = useState<string | null>(null);
  const [forceReason, setForceReason] = useState('');
  const [startError, setStartError] = useState<unknown>(null);
  const job = useTrackedJob(jobId);
  const running = !!job && (job.state === 'running' || job.state === 'queued');
  useJobListFallback(running);

  // Progress of kit imports, collected by job id from before the job id is known (events can beat the reply).
  const pending = useRef(new Map<string, Checklist>());
  const current = useRef<string | null>(null);
  useEffect(
    () =>
      client.subscribe('job.progress', (p) => {
        if (p.kind !== 'kits.import') return;
        const next = applyKitProgress(pending.current.get(p.jobId) ?? emptyChecklist(), p);
        pending.current.set(p.jobId, next);
        if (current.current === null || current.current === p.jobId) setChecklist(next);
      }),
    [client],
  );

  async function start(dryRun: boolean) {
    if (!kit) return;
    setOutcome(null);
    setStartError(null);
    setChecklist(emptyChecklist());
    setMode(dryRun ? 'dry-run' : 'activate');
    current.current = null;
    try {
      const file = await refOf(client, kit);
      const reason = forceReason.trim();
      const done = await runTrackedJob(
        'kits.import',
        `${dryRun ? 'Dry run' : 'Import'} of ${pickedName(kit)}`,
        () => call(client, 'kits.import', { file, ...(dryRun ? { dryRun: true } : {}), ...(reason && !dryRun ? { forceReason: reason } : {}) }),
        (id) => {
          current.current = id;
          setJobId(id);
          const seen = pending.current.get(id);
          if (seen) setChecklist(seen);
        },
      );
      const err = jobError(done);
      if (err) {
        setChecklist((l) => failRunningStep(pending.current.get(done.jobId) ?? l, err.message));
        setOutcome({ kind: 'refused', error: err });
      } else {
        const summary = done.result as KitImportSummary;
        setChecklist(checklistFromChecks(summary.checks));
        setOutcome({ kind: 'done', summary });
        setVerifiedDry(summary.dryRun ? pickedName(kit) : null);
      }
    } catch (e) {
      setStartError(e);
      setMode(null);
    }
  }

  const cancel = () => jobId && void call(client, 'jobs.cancel', { jobId }).catch(() => undefined);
  const failed = KIT_STEPS.find((s) => checklist[s.name].state === 'fail');
  const refusal = outcome?.kind === 'refused' ? refusalOf(outcome.error, failed?.name) : null;

  return (
    <div data-testid="kits-screen">
      <h1>Offline kits</h1>
      <FeedAgeNotice always />
      <section className="panel" aria-labelledby="kit-import-title">
        <h2 id="kit-import-title" style={{ marginTop: 0 }}>
          Import a kit
        </h2>
        <p className="muted">
          A kit is verified before anything is activated: its signature against the keys trusted for kits, the detached JWS, every file&apos;s digest, and that its version is newer than the active one. A dry run checks everything and changes nothing.
        </p>
        <FilePick
          purpose="kit"
          label="Offline Update Kit"
          value={kit}
          onChange={(p) => {
            setKit(p);
            setVerifiedDry(null);
            setOutcome(null);
            setChecklist(emptyChecklist());
          }}
          testId="kit-file"
          hint=".tar.gz (or the .part000 of a kit split for FAT32)"
        />
        <details>
          <summary>Activate an older or equal version anyway</summary>
          <label className="row">
            Reason (recorded in the audit trail)
            <input type="text" value={forceReason} onChange={(e) => setForceReason(e.target.value)} data-testid="kit-force-reason" size={50} />
          </label>
        </details>
        <div className="row" style={{ marginTop: 8 }}>
          <button type="button" onClick={() => void start(true)} disabled={!kit || running} data-testid="kit-dry-run">
            Dry run (verify only)
          </button>
          <button type="button" className="primary" onClick={() => void start(false)} disabled={!kit || running} data-testid="kit-activate">
            {verifiedDry && kit && verifiedDry === pickedName(kit) ? 'Activate (dry run passed)' : 'Verify and activate'}
          </button>
        </div>
        {startError != null && <ErrorBox error={startError} title="Could not start the import" />}
        {job && <JobProgressBar job={job} label={mode === 'dry-run' ? 'Dry run' : 'Import'} onCancel={running ? cancel : undefined} testId="kit-job" />}
        {(mode !== null || outcome) && <KitChecklist list={checklist} />}
        {outcome?.kind === 'done' && <KitResult summary={outcome.summary} />}
        {outcome?.kind === 'refused' && refusal && (
          <div className="verdict verdict-bad" role="alert" data-testid="kit-refused">
            Refused{failed ? ` at “${failed.label}”` : ''}: exit code {refusal.exitCode} — {refusal.meaning}.
            <div className="muted" style={{ fontWeight: 400 }}>
              {outcome.error.message} {mode === 'activate' && outcome.error.code !== 'cancelled' ? 'The kit was moved to quarantine (below); the active snapshot is unchanged.' : 'Nothing was changed.'}
            </div>
          </div>
        )}
      </section>
      <KitStatusPanel />
      <QuarantinePanel />
    </div>
  );
}

const STATE_TEXT: Record<StepState, string> = { waiting: 'waiting', running: 'checking…', pass: 'pass', fail: 'FAIL', skipped: 'skipped', forced: 'forced' };
const STATE_ICON: Record<StepState, string> = { waiting: '○', running: '◌', pass: '✓', fail: '✗', skipped: '–', forced: '!' };

function KitChecklist({ list }: { list: Checklist }) {
  return (
    <ol className="checklist" aria-label="Verification steps" data-testid="kit-checklist">
      {KIT_STEPS.map((s) => {
        const v = list[s.name];
        return (
          <li key={s.name} className={`step-${v.state}`} data-testid={`kit-step-${s.name}`} data-state={v.state}>
            <span aria-hidden="true" className="step-icon">
              {STATE_ICON[v.state]}
            </span>{' '}
            <strong>{s.label}</strong> — <span className={v.state === 'fail' ? 'check-fail' : v.state === 'pass' ? 'check-pass' : 'muted'}>{STATE_TEXT[v.state]}</span>
            {v.state === 'running' && v.total ? <span className="muted"> ({Math.round((100 * (v.done ?? 0)) / v.total)}%)</span> : null}
            {v.message && <div className="muted mono step-message">{v.message}</div>}
          </li>
        );
      })}
    </ol>
  );
}

function KitResult({ summary: s }: { summary: KitImportSummary }) {
  return (
    <div className={`verdict ${s.dryRun || s.activated ? 'verdict-ok' : 'verdict-bad'}`} role="status" data-testid="kit-result">
      {s.dryRun ? `Dry run passed: ${s.kind} ${s.channel} ${s.version} verifies — nothing was changed.` : s.activated ? `Activated ${s.kind} ${s.channel} ${s.version}${s.forced ? ' (forced)' : ''}.` : `${s.kind} ${s.channel} ${s.version} is already active.`}
      <div className="muted" style={{ fontWeight: 400 }}>
        data from {formatDate(s.feedDate)} · kit <span className="mono">{shortDigest(s.digest)}</span>
        {s.previousVersion ? ` · previous ${s.previousVersion}` : ''}
        {s.advisories ? ` · advisories: ${s.advisories.new} new, ${s.advisories.unchanged} unchanged` : ''}
        {s.vex ? ` · VEX: ${s.vex.new} new` : ''}
        {s.pluginsInstalled.length ? ` · plug-ins: ${s.pluginsInstalled.join(', ')}` : ''}
        {s.policyPacks.length ? ` · policy packs: ${s.policyPacks.join(', ')}` : ''}
        {s.trustRoots.length ? ` · trust roots: ${s.trustRoots.join(', ')}` : ''}
      </div>
    </div>
  );
}

function KitStatusPanel() {
  const status = useEngineQuery('kits.status', {});
  return (
    <section className="panel" aria-labelledby="kit-status-title" style={{ marginTop: 14 }} data-testid="kit-status">
      <h2 id="kit-status-title" style={{ marginTop: 0 }}>
        Active kits
      </h2>
      {status.isPending ? (
        <Loading what="kit status" />
      ) : status.isError ? (
        <ErrorBox error={status.error} title="Could not read the kit status" />
      ) : status.data.channels.length === 0 ? (
        <p className="muted">No kit is active yet. {status.data.documents > 0 ? `${status.data.documents} advisory documents were imported directly.` : ''}</p>
      ) : (
        <table className="simple">
          <caption className="muted" style={{ textAlign: 'left' }}>
            Snapshot <span className="mono">{status.data.snapshot ? shortDigest(status.data.snapshot, 16) : '—'}</span> · {status.data.documents} documents
          </caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Kind</th>
              <th scope="col">Version</th>
              <th scope="col">Data date</th>
              <th scope="col">Activated</th>
              <th scope="col">Kit</th>
            </tr>
          </thead>
          <tbody>
            {status.data.channels.map((c) => (
              <tr key={c.channel} data-testid={`kit-channel-${c.channel}`}>
                <td>{c.channel}</td>
                <td>{c.kind}</td>
                <td className="mono">
                  {c.version}
                  {c.forced ? ' (forced)' : ''}
                </td>
                <td>{formatDate(c.feedDate)}</td>
                <td>{formatDate(c.activatedAt)}</td>
                <td className="mono" title={c.kitDigest}>
                  {shortDigest(c.kitDigest)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function QuarantinePanel() {
  const q = useEngineQuery('kits.quarantine', {});
  const audit = useEngineQuery('audit.list', { kind: 'kit.rejected', limit: 50 });
  const seqOf = (quarantineId: string) => audit.data?.entries.find((e) => e.details.quarantine === quarantineId)?.seq;
  return (
    <section className="panel" aria-labelledby="quarantine-title" style={{ marginTop: 14 }} data-testid="kit-quarantine">
      <h2 id="quarantine-title" style={{ marginTop: 0 }}>
        Quarantine
      </h2>
      {q.isPending ? (
        <Loading what="quarantine" />
      ) : q.isError ? (
        <ErrorBox error={q.error} title="Could not list the quarantine" />
      ) : q.data.length === 0 ? (
        <p className="muted">No kit has been refused.</p>
      ) : (
        <table className="simple">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kit</th>
              <th scope="col">Failed check</th>
              <th scope="col">Exit</th>
              <th scope="col">Reason</th>
              <th scope="col">Audit</th>
            </tr>
          </thead>
          <tbody>
            {[...q.data]
              .sort((a, b) => b.quarantinedAt.localeCompare(a.quarantinedAt))
              .map((e) => {
                const seq = seqOf(e.id);
                return (
                  <tr key={e.id} data-testid="quarantine-row">
                    <td>{formatDate(e.quarantinedAt)}</td>
                    <td className="mono" title={e.dir}>
                      {e.source.split(/[\\/]/).pop()}
                    </td>
                    <td>{e.check}</td>
                    <td className="mono">{e.exitCode}</td>
                    <td>{e.message}</td>
                    <td>{seq !== undefined ? <a href={hrefFor('audit', { seq: String(seq) })}>entry {seq}</a> : <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
    </section>
  );
}
