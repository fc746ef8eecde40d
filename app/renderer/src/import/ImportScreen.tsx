/**
 * Import SBOMs and advisory files: native dialog (Electron) or file input / drag-and-drop (both hosts).
 * Each batch: upload (serve) → start the engine job → progress from job events → result or error.
 * Cancel aborts an upload in flight or asks the engine to cancel the job (`jobs.cancel`).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { FileRef, ImportReport, JobKind, SbomSummary, ScanSummary } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { useDetection } from '../app/ui-db';
import { ErrorBox, formatBytes } from '../common/ErrorBox';
import { useDragOver } from '../common/FilePick';
import { call, EngineError } from '../client/engine';
import { isFinal, jobStore, useJobs, type TrackedJob } from '../client/jobs';
import { useJobListFallback } from '../common/job-run';
import { useClient, useEngineMutation, useEngineQuery } from '../client/queries';
import { filesOfFolderInput, folderOfDrop, folderTar, type FolderFile } from '../image/folder-tar';
import { LayerProgress } from '../image/LayerProgress';

type Target = 'sbom' | 'advisories' | 'image';

interface Batch {
  id: number;
  target: Target;
  names: string[];
  stage: 'uploading' | 'starting' | 'job' | 'scanning' | 'done' | 'failed' | 'cancelled';
  uploaded: number;
  size: number;
  jobId?: string;
  scanJobId?: string;
  error?: unknown;
  abort: AbortController;
}

let nextBatchId = 1;

export function ImportScreen() {
  const client = useClient();
  const qc = useQueryClient();
  const info = useEngineQuery('app.info', {}, { staleTime: Infinity });
  const jobs = useJobs();
  const [batches, setBatches] = useState<Batch[]>([]);
  const [source, setSource] = useState('');
  const [autoScan, setAutoScan] = useState(true);
  const { detection } = useDetection();
  const running = jobs.some((j) => !isFinal(j.state));
  const sbomImport = useEngineMutation('sbom.import');
  const advisoriesImport = useEngineMutation('advisories.import');
  const scanRun = useEngineMutation('scan.run');
  const scanTarget = useEngineMutation('scan.target');
  const cancelJob = useEngineMutation('jobs.cancel');
  const openFiles = useEngineMutation('files.open');

  // Fallback when events are missed (socket reconnecting): poll the job list while something runs.
  useJobListFallback(running);

  const patch = (id: number, p: Partial<Batch>) => setBatches((bs) => bs.map((b) => (b.id === id ? { ...b, ...p } : b)));

  async function runBatch(target: Target, files: File[] | FileRef[]) {
    if (files.length === 0) return;
    const isRefs = !(files[0] instanceof File);
    const names = files.map((f) => (f instanceof File ? f.name : (f.name ?? (f.kind === 'path' ? f.path : f.uploadId))));
    const size = isRefs ? 0 : (files as File[]).reduce((n, f) => n + f.size, 0);
    const batch: Batch = { id: nextBatchId++, target, names, stage: isRefs ? 'starting' : 'uploading', uploaded: 0, size, abort: new AbortController() };
    setBatches((bs) => [batch, ...bs]);
    try {
      let refs: FileRef[];
      if (isRefs) refs = files as FileRef[];
      else {
        refs = [];
        let before = 0;
        for (const f of files as File[]) {
          refs.push(await client.fileRef(f, (sent) => patch(batch.id, { uploaded: before + sent }), batch.abort.signal));
          before += f.size;
          patch(batch.id, { uploaded: before });
        }
        patch(batch.id, { stage: 'starting' });
      }
      if (target === 'sbom') {
        for (let i = 0; i < refs.length; i++) {
          const ref = refs[i] as FileRef;
          const { jobId } = await sbomImport.mutateAsync({ file: ref });
          jobStore.track(jobId, 'sbom.import', `SBOM ${names[i] ?? ''}`);
          patch(batch.id, { stage: 'job', jobId });
          const done = await jobStore.wait(jobId);
          if (done.state !== 'succeeded') return finish(batch.id, done);
          const summary = done.result as SbomSummary | undefined;
          const sbomId = summary?.id ?? (await latestSbomId());
          if (autoScan && sbomId) {
            const scan = await scanRun.mutateAsync({ sbomId, detection });
            jobStore.track(scan.jobId, 'scan.run', `Scan of ${summary?.name ?? names[i]}`);
            patch(batch.id, { stage: 'scanning', scanJobId: scan.jobId });
            const scanned = await jobStore.wait(scan.jobId);
            if (scanned.state !== 'succeeded') return finish(batch.id, scanned);
          }
        }
        patch(batch.id, { stage: 'done' });
      } else if (target === 'image') {
        // Each image / filesystem archive / lockfile is inventoried, stored as an SBOM and scanned in one job.
        for (let i = 0; i < refs.length; i++) {
          const { jobId } = await scanTarget.mutateAsync({ file: refs[i] as FileRef, detection });
          jobStore.track(jobId, 'scan.target', `Scan of ${names[i] ?? ''}`);
          patch(batch.id, { stage: 'job', jobId });
          const done = await jobStore.wait(jobId);
          if (done.state !== 'succeeded') return finish(batch.id, done);
        }
        patch(batch.id, { stage: 'done' });
      } else {
        const { jobId } = await advisoriesImport.mutateAsync({ files: refs, ...(source.trim() ? { source: source.trim() } : {}) });
        jobStore.track(jobId, 'advisories.import', `Advisories: ${names.length === 1 ? names[0] : `${names.length} files`}`);
        patch(batch.id, { stage: 'job', jobId });
        const done = await jobStore.wait(jobId);
        finish(batch.id, done);
      }
    } catch (e) {
      const cancelled = e instanceof EngineError && e.code === 'cancelled';
      patch(batch.id, { stage: cancelled ? 'cancelled' : 'failed', error: e });
    } finally {
      void qc.invalidateQueries();
    }
  }

  async function latestSbomId(): Promise<string | undefined> {
    const list = await qc.fetchQuery({ queryKey: ['sbom.list', {}], queryFn: () => call(client, 'sbom.list', {}), staleTime: 0 });
    return [...list].sort((a, b) => b.importedAt.localeCompare(a.importedAt))[0]?.id;
  }

  function finish(id: number, job: TrackedJob) {
    if (job.state === 'succeeded') patch(id, { stage: 'done' });
    else if (job.state === 'cancelled') patch(id, { stage: 'cancelled' });
    else patch(id, { stage: 'failed', error: new EngineError({ code: job.error?.code ?? 'internal', message: job.error?.message ?? `${job.kind} failed` }) });
  }

  async function cancel(b: Batch) {
    if (b.stage === 'uploading') {
      b.abort.abort();
      return;
    }
    const jobId = b.stage === 'scanning' ? b.scanJobId : b.jobId;
    if (!jobId) return;
    try {
      await cancelJob.mutateAsync({ jobId });
    } catch (e) {
      patch(b.id, { error: e });
    }
  }

  /** A folder (an OCI layout or a root filesystem) in the browser: packed into one tar, uploaded, scanned. */
  function scanFolder(folder: { folder: string; files: FolderFile[] }) {
    if (folder.files.length === 0) return;
    void runBatch('image', [new File([folderTar(folder.files)], `${folder.folder}.tar`, { type: 'application/x-tar' })]);
  }

  async function openDialog(target: Target, directory = false) {
    try {
      const refs = await openFiles.mutateAsync({ purpose: target, multiple: !directory, ...(directory ? { directory } : {}) });
      if (refs.length) await runBatch(target, refs);
    } catch (e) {
      setBatches((bs) => [{ id: nextBatchId++, target, names: ['(dialog)'], stage: 'failed', uploaded: 0, size: 0, error: e, abort: new AbortController() }, ...bs]);
    }
  }

  const native = info.data?.nativeDialogs ?? client.mode === 'electron';

  // Electron: the preload turns files dropped on a [data-drop-purpose] zone into granted paths and
  // main re-emits them as `files.dropped`. The latest runBatch is read through a ref (fresh options).
  const runRef = useRef(runBatch);
  runRef.current = runBatch;
  useEffect(
    () =>
      client.subscribe('files.dropped', ({ files, purpose }) => {
        if (purpose === 'sbom' || purpose === 'advisories' || purpose === 'image') void runRef.current(purpose, files);
        else {
          const why = 'Drop the files on the SBOM, Image or Advisories zone so Stella knows what they are.';
          setBatches((bs) => [{ id: nextBatchId++, target: 'sbom', names: files.map((f) => f.name ?? (f.kind === 'path' ? f.path : f.uploadId)), stage: 'failed', uploaded: 0, size: 0, error: new EngineError({ code: 'unsupported', message: why }), abort: new AbortController() }, ...bs]);
        }
      }),
    [client],
  );
  const batchJobIds = new Set(batches.flatMap((b) => [b.jobId, b.scanJobId]));
  const otherJobs = jobs.filter((j) => !batchJobIds.has(j.jobId));

  return (
    <div>
      <h1>Import</h1>
      <p className="muted">Files are read by the engine on this machine; nothing is sent anywhere else. SBOMs: CycloneDX, SPDX, Syft, Trivy. Advisories: OSV, GHSA, NVD/CVE, distro feeds, KEV.</p>
      <div className="grid-2">
        <DropZone
          target="sbom"
          title="SBOM"
          hint="Drop one or more SBOM files here"
          multiple
          native={native}
          electron={client.mode === 'electron'}
          onFiles={(f) => void runBatch('sbom', f)}
          onDialog={() => void openDialog('sbom')}
          extra={
            <label>
              <input type="checkbox" checked={autoScan} onChange={(e) => setAutoScan(e.target.checked)} data-testid="auto-scan" /> Scan after import
            </label>
          }
        />
        <DropZone
          target="image"
          title="Image or filesystem"
          hint="Drop a container image (docker save tar, OCI layout tar), a lockfile or a package database to inventory and scan it"
          multiple
          native={native}
          electron={client.mode === 'electron'}
          onFiles={(f) => void runBatch('image', f)}
          onDialog={() => void openDialog('image')}
          onFolderDrop={client.mode === 'electron' ? undefined : scanFolder}
          extra={<FolderButton native={native} onDialog={() => void openDialog('image', true)} onFolder={scanFolder} />}
        />
        <DropZone
          target="advisories"
          title="Advisories"
          hint="Drop advisory files or archives here (OSV JSON/YAML, .tar.gz, .jsonl.gz, KEV JSON…)"
          multiple
          native={native}
          electron={client.mode === 'electron'}
          onFiles={(f) => void runBatch('advisories', f)}
          onDialog={() => void openDialog('advisories')}
          extra={
            <label>
              Source{' '}
              <input type="text" value={source} onChange={(e) => setSource(e.target.value)} placeholder="auto-detect" aria-label="Advisory source (optional, auto-detected when empty)" maxLength={100} style={{ width: 140 }} />
            </label>
          }
        />
      </div>
      <h2>Activity</h2>
      {batches.length === 0 ? (
        <div className="empty">Nothing imported in this session yet.</div>
      ) : (
        <ul className="jobs" aria-label="Imports" style={{ listStyle: 'none', padding: 0 }}>
          {batches.map((b) => (
            <BatchItem key={b.id} batch={b} jobs={jobs} onCancel={() => void cancel(b)} onDismiss={() => setBatches((bs) => bs.filter((x) => x.id !== b.id))} />
          ))}
        </ul>
      )}
      {otherJobs.length > 0 && (
        <>
          <h2>Other jobs</h2>
          <p className="muted">Started from the menu or another window.</p>
          <ul className="jobs" aria-label="Other jobs" style={{ listStyle: 'none', padding: 0 }}>
            {otherJobs.map((j) => (
              <OtherJob key={j.jobId} job={j} onCancel={() => cancelJob.mutate({ jobId: j.jobId })} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function OtherJob({ job, onCancel }: { job: TrackedJob; onCancel(): void }) {
  const active = !isFinal(job.state);
  const pct = job.total ? (job.done / job.total) * 100 : null;
  return (
    <li className="job" aria-label={job.label}>
      <div className="row">
        <strong>{job.label}</strong>
        <span className="spacer" />
        <span className={`state-${job.state}`}>
          {job.state}
          {job.phase && active ? ` · ${job.phase}` : ''}
        </span>
        {!active && (
          <button type="button" className="link" onClick={() => jobStore.dismiss(job.jobId)} aria-label={`Dismiss ${job.label}`}>
            Dismiss
          </button>
        )}
      </div>
      {active && (
        <div className="row">
          <div className={`progress${pct === null ? ' indeterminate' : ''}`} role="progressbar" aria-label={`${job.label} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct === null ? undefined : Math.round(pct)}>
            <div style={{ width: `${pct ?? 0}%` }} />
          </div>
          <button type="button" onClick={onCancel} aria-label={`Cancel ${job.label}`}>
            Cancel
          </button>
        </div>
      )}
      {job.error && <ErrorBox error={new EngineError(job.error)} title={`${job.label} failed`} />}
    </li>
  );
}

/** An OCI layout or root-filesystem folder: a folder dialog (Electron), or a folder input whose files are packed into a tar (browser). */
function FolderButton({ native, onDialog, onFolder }: { native: boolean; onDialog(): void; onFolder(f: { folder: string; files: FolderFile[] }): void }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // not in React's input props: set on the element
    input.current?.setAttribute('webkitdirectory', '');
  }, []);
  if (native) {
    return (
      <button type="button" onClick={onDialog} data-testid="open-image-folder">
        Open folder…
      </button>
    );
  }
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} data-testid="choose-image-folder">
        Choose folder…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Image or filesystem folder"
        data-testid="folder-image"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFolder(filesOfFolderInput(files));
        }}
      />
      <span className="muted">An OCI layout or root filesystem folder is packed into one tar and uploaded.</span>
    </>
  );
}

function DropZone({
  target,
  title,
  hint,
  multiple,
  native,
  electron,
  onFiles,
  onDialog,
  onFolderDrop,
  extra,
}: {
  target: Target;
  title: string;
  hint: string;
  multiple: boolean;
  native: boolean;
  electron: boolean;
  onFiles(f: File[]): void;
  onDialog(): void;
  /** A single folder dropped here (browser): its files, read through the entries API. */
  onFolderDrop?: (f: { folder: string; files: FolderFile[] }) => void;
  extra?: ReactNode;
}) {
  const { over, setOver, handlers } = useDragOver();
  const input = useRef<HTMLInputElement>(null);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (electron) return; // the preload reads the paths and main answers with `files.dropped`
    const files = [...e.dataTransfer.files];
    if (onFolderDrop) {
      // a dropped folder arrives as a File without bytes: read it through its entry instead
      void folderOfDrop(e.dataTransfer.items).then((folder) => (folder ? onFolderDrop(folder) : files.length ? onFiles(files) : undefined));
      return;
    }
    if (files.length) onFiles(files);
  };
  return (
    <section className="panel" aria-labelledby={`drop-${target}-title`}>
      <h2 id={`drop-${target}-title`} style={{ marginTop: 0 }}>
        {title}
      </h2>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        {...handlers}
        onDrop={onDrop}
        data-testid={`drop-${target}`}
        data-drop-purpose={target}
        aria-label={`${title} drop zone`}
        role="region"
      >
        <p>{hint}</p>
        <div className="row" style={{ justifyContent: 'center' }}>
          {native ? (
            <button type="button" className="primary" onClick={onDialog} aria-label={`Open ${title} files…`}>
              Open…
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => input.current?.click()} aria-label={`Choose files… (${title})`}>
              Choose files…
            </button>
          )}
          <input
            ref={input}
            type="file"
            multiple={multiple}
            hidden
            aria-label={`${title} files`}
            data-testid={`file-${target}`}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) onFiles(files);
            }}
          />
        </div>
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        {extra}
      </div>
    </section>
  );
}

const STAGE_LABEL: Record<Batch['stage'], string> = {
  uploading: 'Uploading',
  starting: 'Starting',
  job: 'Importing',
  scanning: 'Scanning',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function BatchItem({ batch, jobs, onCancel, onDismiss }: { batch: Batch; jobs: TrackedJob[]; onCancel(): void; onDismiss(): void }) {
  const jobId = batch.stage === 'scanning' ? batch.scanJobId : batch.jobId;
  const job = jobId ? jobs.find((j) => j.jobId === jobId) : undefined;
  const active = batch.stage === 'uploading' || batch.stage === 'starting' || batch.stage === 'job' || batch.stage === 'scanning';
  let pct: number | null = null;
  if (batch.stage === 'uploading' && batch.size > 0) pct = (batch.uploaded / batch.size) * 100;
  else if (job && job.total) pct = (job.done / job.total) * 100;
  else if (batch.stage === 'done') pct = 100;
  const importJob = batch.jobId ? jobs.find((j) => j.jobId === batch.jobId) : undefined;
  const scanJob = batch.scanJobId ? jobs.find((j) => j.jobId === batch.scanJobId) : undefined;
  const label = `${batch.target === 'sbom' ? 'SBOM' : batch.target === 'image' ? 'Scan' : 'Advisories'}: ${batch.names.join(', ')}`;
  return (
    <li className="job" data-testid="import-batch" data-stage={batch.stage} aria-label={label}>
      <div className="row">
        <strong style={{ wordBreak: 'break-all' }}>{label}</strong>
        <span className="spacer" />
        <span className={`state-${batch.stage === 'done' ? 'succeeded' : batch.stage}`} data-testid="batch-stage">
          {STAGE_LABEL[batch.stage]}
          {job?.phase && active ? ` · ${job.phase}` : ''}
        </span>
      </div>
      {active && (
        <div className="row">
          <div
            className={`progress${pct === null ? ' indeterminate' : ''}`}
            role="progressbar"
            aria-label={`${label} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct === null ? undefined : Math.round(pct)}
          >
            <div style={{ width: `${pct ?? 0}%` }} />
          </div>
          <span className="muted mono" style={{ minWidth: 90 }}>
            {batch.stage === 'uploading' ? `${formatBytes(batch.uploaded)} / ${formatBytes(batch.size)}` : job?.total ? `${job.done.toLocaleString('en')} / ${job.total.toLocaleString('en')}` : job?.done ? job.done.toLocaleString('en') : ''}
          </span>
          <button type="button" onClick={onCancel} aria-label={`Cancel ${label}`} data-testid="cancel-batch">
            Cancel
          </button>
        </div>
      )}
      {job?.message && active && <div className="muted">{job.message}</div>}
      {job?.items && (active || batch.stage === 'done') && <LayerProgress items={job.items} />}
      {batch.stage === 'done' && <Result importJob={importJob} scanJob={scanJob} />}
      {batch.error !== undefined && <ErrorBox error={batch.error} title={batch.stage === 'cancelled' ? 'Cancelled' : `Import of ${batch.names.join(', ')} failed`} />}
      {!active && (
        <div>
          <button type="button" className="link" onClick={onDismiss} aria-label={`Dismiss ${label}`}>
            Dismiss
          </button>
        </div>
      )}
    </li>
  );
}

function Result({ importJob, scanJob }: { importJob?: TrackedJob; scanJob?: TrackedJob }) {
  const kind: JobKind | undefined = importJob?.kind;
  const r = importJob?.result;
  const scan = scanJob?.result as ScanSummary | undefined;
  return (
    <div data-testid="batch-result">
      {kind === 'advisories.import' && r ? <ImportReportView report={r as ImportReport} /> : null}
      {kind === 'sbom.import' && r ? (
        <span>
          Imported <a href={hrefFor('sbom', { id: (r as SbomSummary).id })}>{(r as SbomSummary).name}</a> ({(r as SbomSummary).format} {(r as SbomSummary).specVersion}, {(r as SbomSummary).componentCount} components).{' '}
        </span>
      ) : null}
      {scan && <ScanResult scan={scan} />}
      {kind === 'scan.target' && r ? <ScanResult scan={r as ScanSummary} image={(importJob?.items ?? []).some((i) => i?.id)} /> : null}
      {!r && !scan && <span>Done.</span>}
    </div>
  );
}

function ScanResult({ scan, image = false }: { scan: ScanSummary; image?: boolean }) {
  return (
    <span>
      Scan found <strong>{scan.findingCount}</strong> findings ({scan.kevCount} KEV, {scan.fixableCount} fixable).{' '}
      <a href={hrefFor('findings', { scan: scan.id })} data-testid="open-findings">
        Open findings
      </a>
      {image && (
        <>
          {' · '}
          <a href={hrefFor('image', { scan: scan.id })} data-testid="open-image">
            Open image view
          </a>
        </>
      )}
    </span>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <div>
      {report.documents} documents: {report.new} new, {report.unchanged} unchanged, {report.superseded} superseded
      {report.rejected.length > 0 && (
        <details open={report.rejected.length <= 5}>
          <summary>{report.rejected.length} rejected</summary>
          <ul>
            {report.rejected.slice(0, 200).map((x, i) => (
              <li key={i}>
                <span className="mono">{x.path}</span>: {x.error}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
