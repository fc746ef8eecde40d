/**
 * Running one engine job from a screen: start it (the channel answers `{jobId}`), track it in the job
 * store under a label, wait for its end; a progress bar with cancel; and the `jobs.list` poll that stands
 * in for missed events while something runs (a socket reconnecting).
 */
import { useEffect } from 'react';
import type { JobKind } from '../../../common/contract';
import { EngineError } from '../client/engine';
import { isFinal, jobStore, useJobs, type TrackedJob } from '../client/jobs';
import { useEngineQuery } from '../client/queries';

/** Polls `jobs.list` while `running`, feeding what events missed into the job store. */
export function useJobListFallback(running: boolean): void {
  const jobList = useEngineQuery('jobs.list', {}, { refetchInterval: running ? 1000 : false, enabled: running });
  useEffect(() => {
    for (const s of jobList.data ?? []) {
      const t = jobStore.get(s.jobId);
      if (!t || isFinal(t.state)) continue;
      if (s.state === 'succeeded' || s.state === 'failed' || s.state === 'cancelled') {
        // The result payload only comes with the event; refetch what the job changed instead.
        jobStore.finished({ jobId: s.jobId, kind: s.kind, state: s.state, error: s.error });
      } else if (s.done !== undefined) jobStore.progress({ jobId: s.jobId, kind: s.kind, phase: s.phase ?? s.state, done: s.done, total: s.total });
    }
  }, [jobList.data]);
}

/** Starts a job (`start` calls its channel), tracks it as `label` and resolves with its final state. */
export async function runTrackedJob(kind: JobKind, label: string, start: () => Promise<{ jobId: string }>, onStarted?: (jobId: string) => void): Promise<TrackedJob> {
  const { jobId } = await start();
  jobStore.track(jobId, kind, label);
  onStarted?.(jobId);
  return jobStore.wait(jobId);
}

/** The tracked job with this id (re-renders on its progress). */
export function useTrackedJob(jobId: string | null): TrackedJob | undefined {
  const jobs = useJobs();
  return jobId ? jobs.find((j) => j.jobId === jobId) : undefined;
}

/** A job's progress bar (indeterminate without a total), phase and a Cancel button while it runs. */
export function JobProgressBar({ job, label, onCancel, testId }: { job: TrackedJob; label: string; onCancel?: () => void; testId?: string }) {
  const active = !isFinal(job.state);
  const pct = job.total ? Math.min(100, (job.done / job.total) * 100) : null;
  return (
    <div className="job" data-testid={testId}>
      <div className="row">
        <strong>{label}</strong>
        <span className="spacer" />
        <span className={`state-${job.state}`} aria-live="polite">
          {job.state}
          {job.phase && active ? ` · ${job.phase}` : ''}
        </span>
      </div>
      {active && (
        <div className="row">
          <div className={`progress${pct === null ? ' indeterminate' : ''}`} role="progressbar" aria-label={`${label} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct === null ? undefined : Math.round(pct)}>
            <div style={{ width: `${pct ?? 0}%` }} />
          </div>
          {onCancel && (
            <button type="button" onClick={onCancel} aria-label={`Cancel ${label}`} data-testid={testId ? `${testId}-cancel` : undefined}>
              Cancel
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** The error of a job that did not succeed, as an EngineError (keeps code and message). */
export function jobError(job: TrackedJob): EngineError | null {
  if (job.state === 'succeeded') return null;
  return new EngineError(job.error ?? { code: job.state === 'cancelled' ? 'cancelled' : 'internal', message: job.state === 'cancelled' ? 'cancelled' : `the job ended ${job.state}` });
}
