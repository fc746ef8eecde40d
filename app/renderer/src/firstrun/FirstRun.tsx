/**
 * The first-run workspace, on the dashboard of a home with no SBOMs or no advisory snapshot: one click
 * inventories the app's own dependencies (its package-lock.json) and the host's installed OS packages
 * as the first real SBOMs (`firstrun.inventory`); it says plainly that no advisory snapshot is loaded
 * and how to get one (an offline kit, a feed folder, or `--feeds DIR` at start — whose import shows here).
 */
import { useEffect, useState } from 'react';
import type { FirstRunSummary } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox } from '../common/ErrorBox';
import { JobProgressBar, jobError, runTrackedJob, useJobListFallback, useTrackedJob } from '../common/job-run';
import { call } from '../client/engine';
import { jobStore } from '../client/jobs';
import { useClient, useEngineQuery } from '../client/queries';

/** Whether the dashboard should show the first-run workspace: no SBOM stored yet, or no advisory snapshot. */
export function isFirstRun(sbomCount: number | undefined, snapshotId: string | null | undefined): boolean {
  return sbomCount === 0 || (snapshotId !== undefined && snapshotId === null);
}

export function FirstRun({ sbomCount, snapshotId }: { sbomCount: number; snapshotId: string | null }) {
  const client = useClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<FirstRunSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const job = useTrackedJob(jobId);
  // an advisory import running on the host (`--feeds DIR` at start, or another window)
  const jobs = useEngineQuery('jobs.list', {}, { refetchInterval: 1500 });
  const feedImport = (jobs.data ?? []).find((j) => j.kind === 'advisories.import' && (j.state === 'running' || j.state === 'queued'));
  useJobListFallback((!!job && (job.state === 'running' || job.state === 'queued')) || !!feedImport);
  const feedJobId = feedImport?.jobId;
  useEffect(() => {
    if (feedJobId && !jobStore.get(feedJobId)) jobStore.track(feedJobId, 'advisories.import', 'Importing advisories (--feeds)');
  }, [feedJobId]);
  const feedJob = useTrackedJob(feedImport?.jobId ?? null);

  async function inventory() {
    setError(null);
    try {
      const done = await runTrackedJob('firstrun.inventory', 'Inventory of this app and this host', () => call(client, 'firstrun.inventory', {}), setJobId);
      const err = jobError(done);
      if (err) setError(err);
      else setResult(done.result as FirstRunSummary);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="first-run" data-testid="first-run">
      <section className="panel" aria-labelledby="first-run-title">
        <h2 id="first-run-title" style={{ marginTop: 0 }}>
          Welcome to Stella Evidence Workstation
        </h2>
        <p>Everything here runs on this machine, offline. Start with real evidence: inventory what this very app and this host are made of.</p>
        {sbomCount === 0 || result ? (
          <>
            <button type="button" className="primary" onClick={() => void inventory()} disabled={!!job && job.state === 'running'} data-testid="first-run-inventory">
              Inventory this app&apos;s dependencies and this host&apos;s OS packages
            </button>
            <p className="muted">Reads the app&apos;s package-lock.json and the host&apos;s package database (dpkg, apk or rpm) and stores both as CycloneDX SBOMs.</p>
          </>
        ) : (
          <p className="muted">
            {sbomCount} SBOM{sbomCount === 1 ? '' : 's'} stored — see <a href={hrefFor('sbom')}>SBOMs</a>.
          </p>
        )}
        {job && job.state !== 'succeeded' && <JobProgressBar job={job} label="Inventory" />}
        {error != null && <ErrorBox error={error} title="The inventory did not complete" />}
        {result && (
          <ul data-testid="first-run-result">
            {result.sboms.map((s) => (
              <li key={`${s.kind}-${s.target}`}>
                {s.status === 'imported' && s.sbomId ? (
                  <>
                    <a href={hrefFor('sbom', { id: s.sbomId })}>{s.name}</a>: {s.components} components
                  </>
                ) : (
                  <>
                    {s.name}: <span className="muted">skipped — {s.reason}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {snapshotId === null && (
        <section className="panel notice" aria-labelledby="no-snapshot-title" data-testid="no-snapshot">
          <h2 id="no-snapshot-title" style={{ marginTop: 0 }}>
            No advisory snapshot is loaded yet
          </h2>
          <p>SBOMs can be stored and browsed now, but nothing can be matched against vulnerabilities until advisories are loaded. Bring them in on removable media:</p>
          <div className="row">
            <a href={hrefFor('kits')} className="button-link" data-testid="go-kits">
              Import an Offline Update Kit
            </a>
            <a href={hrefFor('import')} className="button-link" data-testid="go-import">
              Import a feed folder (OSV, GHSA, CVE 5, CSAF, distro feeds)
            </a>
          </div>
          <p className="muted">
            Or start with the folder: <code>npm start -- --feeds DIR</code> · <code>stella serve --feeds DIR</code>.
          </p>
          {feedJob && <JobProgressBar job={feedJob} label="Importing advisories" testId="feeds-job" />}
        </section>
      )}
    </div>
  );
}
