/**
 * The Export wizard: (1) what to export — an evidence bundle of a scan, a mirror bundle (full or delta),
 * or an Offline Update Kit; (2) where — a removable medium the OS has mounted, a folder the host allows,
 * the exports folder (all from `media.list`, granted by the host), or in Electron any folder chosen in
 * the dialog; (3) the job's progress, with cancel; (4) the read-back verification of what was written:
 * every file, its digest, pass/fail.
 */
import { useEffect, useRef, useState } from 'react';
import type { EvidenceExportSummary, EvidenceVerifyReport, FileRef, FolderRef, KitBuildSummary, MediaVolumeView, MediaWriteSummary, MirrorExportSummary } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox, formatBytes, formatDate, Loading, shortDigest } from '../common/ErrorBox';
import { JobProgressBar, jobError, runTrackedJob, useJobListFallback, useTrackedJob } from '../common/job-run';
import { call, type EngineError } from '../client/engine';
import { useClient, useEngineQuery } from '../client/queries';
import { canAdvance, freeSpaceText, initialForm, isExportsTarget, outputName, STEPS, typeProblems, type BundleType, type Step, type WizardForm } from './export-model';

const STEP_TITLES: Record<Step, string> = { type: 'What to export', target: 'Where to write it', progress: 'Writing', result: 'Read-back verification' };
const TYPE_LABELS: Record<BundleType, string> = { evidence: 'Evidence / audit bundle of a scan', mirror: 'Mirror bundle of the advisory and VEX snapshots', kit: 'Offline Update Kit (OUK)' };

type Outcome =
  | { type: 'evidence'; summary: EvidenceExportSummary }
  | { type: 'mirror'; summary: MirrorExportSummary }
  | { type: 'kit'; summary: KitBuildSummary }
  | { type: 'failed'; error: EngineError };

export function ExportWizard({ scanId }: { scanId?: string }) {
  const client = useClient();
  const [step, setStep] = useState<Step>('type');
  const [form, setForm] = useState<WizardForm>(() => ({ ...initialForm(scanId ?? ''), type: 'evidence' }));
  const [target, setTarget] = useState<FolderRef | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const pass = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const media = useEngineQuery('media.list', {}, { staleTime: 0 });
  const exportsDir = media.data?.find((v) => v.kind === 'exports')?.ref;
  const job = useTrackedJob(jobId);
  useJobListFallback(!!job && (job.state === 'running' || job.state === 'queued'));
  const patch = (p: Partial<WizardForm>) => setForm((f) => ({ ...f, ...p }));

  useEffect(() => heading.current?.focus(), [step]);

  async function start() {
    if (!target) return;
    // read once from the field, sent in this one request, never kept in state or the query cache
    const passphrase = pass.current?.value ?? '';
    setStartError(null);
    setOutcome(null);
    const toMedia = isExportsTarget(target, exportsDir) ? undefined : target;
    const key = form.key ? { key: form.key } : {};
    try {
      if ((form.type === 'kit' || form.type === 'mirror') && !passphrase) throw new Error('enter the passphrase of the signing key');
      if ((form.type === 'kit' || form.type === 'mirror') && !exportsDir) throw new Error('the exports folder is not available: reload the targets');
      setStep('progress');
      let done;
      switch (form.type) {
        case 'evidence':
          done = await runTrackedJob('export.evidence', `Evidence bundle of ${form.scanId}`, () => call(client, 'export.evidence', { scanId: form.scanId, ...key, ...(passphrase ? { passphrase } : {}), ...(form.pack.trim() ? { pack: form.pack.trim() } : {}), ...(toMedia ? { media: toMedia } : {}) }), setJobId);
          break;
        case 'mirror':
          done = await runTrackedJob('mirror.export', `Mirror bundle (${form.mirrorMode})`, () => call(client, 'mirror.export', { ...key, passphrase, outputDir: exportsDir as FolderRef, name: outputName(form), ...(form.mirrorMode === 'delta' ? { since: form.since.trim() } : {}), ...(toMedia ? { media: toMedia } : {}) }), setJobId);
          break;
        case 'kit':
          done = await runTrackedJob(
            'kits.build',
            `Offline kit ${form.channel} ${form.version}`,
            () =>
              call(client, 'kits.build', {
                channel: form.channel,
                version: form.version.trim(),
                feeds: form.feeds,
                ...(form.vex.length ? { vex: form.vex } : {}),
                ...(form.plugins.length ? { plugins: form.plugins } : {}),
                ...(form.policyPacks.length ? { policyPacks: form.policyPacks } : {}),
                ...key,
                passphrase,
                outputDir: exportsDir as FolderRef,
                name: outputName(form),
                ...(toMedia ? { media: toMedia } : {}),
              }),
            setJobId,
          );
          break;
      }
      const err = jobError(done);
      setOutcome(err ? { type: 'failed', error: err } : ({ type: form.type, summary: done.result } as Outcome));
      setStep('result');
    } catch (e) {
      setStartError(e);
      setStep(jobId ? 'result' : 'target');
    } finally {
      if (pass.current) pass.current.value = '';
    }
  }

  const idx = STEPS.indexOf(step);
  return (
    <div data-testid="export-wizard">
      <h1>Export</h1>
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} className={i < idx ? 'done' : undefined}>
            {i + 1}. {STEP_TITLES[s]}
          </li>
        ))}
      </ol>
      <section className="panel" aria-labelledby="wizard-step-title">
        <h2 id="wizard-step-title" ref={heading} tabIndex={-1} style={{ marginTop: 0 }}>
          Step {idx + 1} of {STEPS.length}: {STEP_TITLES[step]}
        </h2>
        {step === 'type' && <TypeStep form={form} patch={patch} />}
        {step === 'target' && <TargetStep media={media.data} loading={media.isPending} error={media.error} refresh={() => void media.refetch()} target={target} setTarget={setTarget} form={form} />}
        {step === 'progress' && (job ? <JobProgressBar job={job} label={STEP_TITLES.progress} onCancel={() => jobId && void call(client, 'jobs.cancel', { jobId }).catch(() => undefined)} testId="export-job" /> : <Loading what="the job" />)}
        {step === 'result' && outcome && <ResultStep outcome={outcome} target={target} exportsDir={exportsDir} />}
        {step === 'target' && (
          <label className="row" style={{ marginTop: 10 }}>
            Passphrase of the signing key
            <input ref={pass} type="password" autoComplete="off" data-testid="export-passphrase" />
            <span className="muted">sent with this one request; never stored</span>
          </label>
        )}
        {startError != null && <ErrorBox error={startError} title="Could not export" />}
        <div className="row wizard-nav">
          {(step === 'target' || step === 'result') && (
            <button
              type="button"
              onClick={() => {
                if (step === 'result') {
                  setOutcome(null);
                  setJobId(null);
                  setStartError(null);
                }
                setStep('type');
              }}
              data-testid="wizard-back"
            >
              {step === 'result' ? 'Start another export' : 'Back'}
            </button>
          )}
          <span className="spacer" />
          {step === 'type' && (
            <button type="button" className="primary" disabled={!canAdvance('type', form, target)} onClick={() => setStep('target')} data-testid="wizard-next">
              Next: choose the target
            </button>
          )}
          {step === 'target' && (
            <button type="button" className="primary" disabled={!canAdvance('target', form, target)} onClick={() => void start()} data-testid="wizard-start">
              Write {form.type === 'evidence' ? 'the bundle' : form.type === 'kit' ? 'the kit' : 'the mirror bundle'}
            </button>
          )}
        </div>
      </section>
    </div>
  );
}

function TypeStep({ form, patch }: { form: WizardForm; patch(p: Partial<WizardForm>): void }) {
  const scans = useEngineQuery('scan.list', {});
  const keys = useEngineQuery('keys.list', {});
  const problems = typeProblems(form);
  return (
    <>
      <fieldset className="plain">
        <legend>Bundle type</legend>
        {(Object.keys(TYPE_LABELS) as BundleType[]).map((t) => (
          <label key={t} className="row">
            <input type="radio" name="bundle-type" value={t} checked={form.type === t} onChange={() => patch({ type: t })} data-testid={`type-${t}`} />
            {TYPE_LABELS[t]}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        {form.type === 'evidence' && (
          <>
            <label className="row">
              Scan
              <select value={form.scanId} onChange={(e) => patch({ scanId: e.target.value })} data-testid="export-scan">
                <option value="">— choose a scan —</option>
                {[...(scans.data ?? [])]
                  .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.subject} · {formatDate(s.createdAt)} · {s.findingCount} findings{s.verdict ? ` · ${s.verdict.verdict}` : ''}
                    </option>
                  ))}
              </select>
            </label>
            {scans.data?.length === 0 && (
              <p className="muted">
                No scans yet: <a href={hrefFor('import')}>scan an image or SBOM</a> first.
              </p>
            )}
            <label className="row">
              Policy pack (optional)
              <input type="text" value={form.pack} onChange={(e) => patch({ pack: e.target.value })} placeholder="the active pack" data-testid="export-pack" />
            </label>
          </>
        )}
        {form.type === 'mirror' && (
          <>
            <fieldset className="plain">
              <legend>Mirror</legend>
              <label className="row">
                <input type="radio" name="mirror-mode" checked={form.mirrorMode === 'full'} onChange={() => patch({ mirrorMode: 'full' })} /> Full: every current document
              </label>
              <label className="row">
                <input type="radio" name="mirror-mode" checked={form.mirrorMode === 'delta'} onChange={() => patch({ mirrorMode: 'delta' })} data-testid="mirror-delta" /> Delta since a snapshot
              </label>
            </fieldset>
            {form.mirrorMode === 'delta' && (
              <label className="row">
                Since snapshot
                <input type="text" value={form.since} onChange={(e) => patch({ since: e.target.value })} size={60} className="mono" data-testid="mirror-since" />
              </label>
            )}
          </>
        )}
        {form.type === 'kit' && <KitInputs form={form} patch={patch} />}
        <label className="row">
          Signing key
          <select value={form.key} onChange={(e) => patch({ key: e.target.value })} data-testid="export-key">
            <option value="">the workstation&apos;s default key</option>
            {(keys.data?.keys ?? []).map((k) => (
              <option key={k.name} value={k.name}>
                {k.name} ({k.algorithm}){k.isDefault ? ' · default' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {problems.length > 0 && (
        <ul className="muted" aria-label="Still needed" data-testid="type-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Kit inputs: feed, VEX, plug-in and policy-pack folders (Electron dialog) or files (uploaded in the browser). */
function KitInputs({ form, patch }: { form: WizardForm; patch(p: Partial<WizardForm>): void }) {
  const client = useClient();
  const info = useEngineQuery('app.info', {}, { staleTime: Infinity });
  const native = info.data?.nativeDialogs ?? client.mode === 'electron';
  return (
    <>
      <div className="row">
        <label className="row">
          Channel
          <select value={form.channel} onChange={(e) => patch({ channel: e.target.value === 'edge' ? 'edge' : 'stable' })} data-testid="kit-channel">
            <option value="stable">stable</option>
            <option value="edge">edge</option>
          </select>
        </label>
        <label className="row">
          Version
          <input type="text" value={form.version} onChange={(e) => patch({ version: e.target.value })} placeholder="1.0.0" data-testid="kit-version" />
        </label>
      </div>
      <InputList label="Advisory feeds" testId="kit-feeds" native={native} items={form.feeds} onChange={(feeds) => patch({ feeds })} />
      <InputList label="VEX documents (optional)" testId="kit-vex" native={native} items={form.vex} onChange={(vex) => patch({ vex })} />
      <InputList label="Policy packs (optional, .tar.gz or folders)" testId="kit-packs" native={native} items={form.policyPacks} onChange={(policyPacks) => patch({ policyPacks })} />
      {native ? (
        <InputList label="Signed plug-in folders (optional)" testId="kit-plugins" native items={form.plugins} foldersOnly onChange={(plugins) => patch({ plugins: plugins.filter((p): p is FolderRef => p.kind === 'folder') })} />
      ) : (
        <p className="muted">Plug-in folders are added from the desktop app or with `stella offline build --plugins DIR`.</p>
      )}
    </>
  );
}

function InputList({ label, testId, native, items, onChange, foldersOnly = false }: { label: string; testId: string; native: boolean; items: (FileRef | FolderRef)[]; onChange(items: (FileRef | FolderRef)[]): void; foldersOnly?: boolean }) {
  const client = useClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = (r: FileRef | FolderRef) => r.name ?? (r.kind === 'upload' ? r.uploadId : r.path);
  return (
    <div className="pick" data-testid={testId}>
      <span className="pick-label" id={`${testId}-label`}>
        {label}
      </span>
      <span className="pick-name mono">{items.length ? items.map(name).join(', ') : <span className="muted">none</span>}</span>
      {native ? (
        <button
          type="button"
          onClick={async () => {
            setError(null);
            try {
              const refs = await call(client, 'files.chooseFolder', { purpose: 'kit-inputs', multiple: true });
              onChange([...items, ...refs]);
            } catch (e) {
              setError(e);
            }
          }}
          aria-label={`Add folders (${label})`}
        >
          Add folders…
        </button>
      ) : (
        !foldersOnly && (
          <>
            <button type="button" onClick={() => input.current?.click()} disabled={busy} aria-label={`Add files (${label})`}>
              {busy ? 'Uploading…' : 'Add files…'}
            </button>
            <input
              ref={input}
              type="file"
              multiple
              hidden
              aria-labelledby={`${testId}-label`}
              data-testid={`${testId}-input`}
              onChange={async (e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = '';
                setBusy(true);
                setError(null);
                try {
                  const refs: FileRef[] = [];
                  for (const f of files) refs.push(await client.fileRef(f));
                  onChange([...items, ...refs]);
                } catch (err) {
                  setError(err);
                } finally {
                  setBusy(false);
                }
              }}
            />
          </>
        )
      )}
      {items.length > 0 && (
        <button type="button" className="link" onClick={() => onChange([])} aria-label={`Clear ${label}`}>
          clear
        </button>
      )}
      {error != null && <ErrorBox error={error} title={`Could not add ${label.toLowerCase()}`} />}
    </div>
  );
}

function TargetStep({ media, loading, error, refresh, target, setTarget, form }: { media: MediaVolumeView[] | undefined; loading: boolean; error: unknown; refresh(): void; target: FolderRef | null; setTarget(t: FolderRef | null): void; form: WizardForm }) {
  const client = useClient();
  const info = useEngineQuery('app.info', {}, { staleTime: Infinity });
  const native = info.data?.nativeDialogs ?? client.mode === 'electron';
  const [chosen, setChosen] = useState<FolderRef[]>([]);
  const [chooseError, setChooseError] = useState<unknown>(null);
  const volumes: { ref: FolderRef; label: string; detail: string; kind: MediaVolumeView['kind'] | 'chosen'; writable: boolean }[] = [
    ...(media ?? []).map((v) => ({
      ref: v.ref,
      label: v.label,
      kind: v.kind,
      writable: v.writable,
      detail: [v.kind === 'removable' ? `removable${v.fsType ? ` · ${v.fsType}` : ''}${v.device ? ` · ${v.device}` : ''}` : v.kind === 'exports' ? 'the build output stays here; nothing to read back' : 'folder allowed by the host', freeSpaceText(v, formatBytes)].filter(Boolean).join(' · '),
    })),
    ...chosen.map((r) => ({ ref: r, label: r.name ?? r.path, kind: 'chosen' as const, writable: true, detail: 'chosen folder' })),
  ];
  return (
    <>
      <p className="muted">
        {outputName(form)} is written to the target through a temporary file, fsync and rename; free space is checked first, files over 4 GiB are split for FAT32, and everything is read back and its digest checked.
      </p>
      {loading ? (
        <Loading what="removable media" />
      ) : error ? (
        <ErrorBox error={error} title="Could not list removable media" />
      ) : (
        <fieldset className="plain" data-testid="targets">
          <legend>Targets</legend>
          {volumes.map((v) => (
            <label key={v.ref.path} className="row target" data-testid="target-option" data-kind={v.kind}>
              <input type="radio" name="target" value={v.ref.path} checked={target?.path === v.ref.path} disabled={!v.writable} onChange={() => setTarget(v.ref)} />
              <strong>{v.label}</strong>
              <span className="mono muted">{v.ref.path}</span>
              <span className="muted">
                {v.detail}
                {v.writable ? '' : ' · read-only'}
              </span>
            </label>
          ))}
          {!volumes.some((v) => v.kind === 'removable') && <p className="muted">No removable medium is mounted. Insert one and refresh{native ? ', or choose a folder' : ''}.</p>}
        </fieldset>
      )}
      <div className="row">
        <button type="button" onClick={refresh} data-testid="targets-refresh">
          Refresh
        </button>
        {native && (
          <button
            type="button"
            onClick={async () => {
              setChooseError(null);
              try {
                const refs = await call(client, 'files.chooseFolder', { purpose: 'media' });
                if (refs[0]) {
                  setChosen((c) => [...c.filter((x) => x.path !== refs[0]?.path), refs[0] as FolderRef]);
                  setTarget(refs[0]);
                }
              } catch (e) {
                setChooseError(e);
              }
            }}
          >
            Choose a folder…
          </button>
        )}
      </div>
      {chooseError != null && <ErrorBox error={chooseError} title="Could not choose a folder" />}
    </>
  );
}

function ReadBack({ m }: { m: MediaWriteSummary }) {
  return (
    <div data-testid="readback">
      <div className={`verdict ${m.readBack.ok ? 'verdict-ok' : 'verdict-bad'}`} role="status" data-testid="readback-verdict" data-ok={m.readBack.ok ? 'true' : 'false'}>
        {m.readBack.ok ? '✓ Read back and verified' : '✗ Read-back FAILED'}: {m.readBack.files} file{m.readBack.files === 1 ? '' : 's'}, {formatBytes(m.readBack.bytes)}
        {m.split ? ' (split for FAT32)' : ''}
      </div>
      <table className="simple checks">
        <caption className="muted" style={{ textAlign: 'left' }}>
          Written to <span className="mono">{m.target}</span>; manifest <span className="mono">{m.mediaManifest}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Size</th>
            <th scope="col">Parts</th>
            <th scope="col">sha256</th>
            <th scope="col">Read back</th>
          </tr>
        </thead>
        <tbody>
          {m.files.map((f) => (
            <tr key={f.path}>
              <th scope="row">{f.path}</th>
              <td>{formatBytes(f.size)}</td>
              <td>{f.parts}</td>
              <td className="mono" title={f.digest}>
                {shortDigest(f.digest, 16)}
              </td>
              <td className={m.readBack.ok ? 'check-pass' : 'check-fail'}>{m.readBack.ok ? 'pass' : 'fail'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResultStep({ outcome, target, exportsDir }: { outcome: Outcome; target: FolderRef | null; exportsDir: FolderRef | undefined }) {
  if (outcome.type === 'failed') return <ErrorBox error={outcome.error} title="The export did not complete — nothing partial was left at the target" />;
  const media = outcome.summary.media ?? null;
  const built =
    outcome.type === 'evidence'
      ? { what: `Evidence bundle ${outcome.summary.fileName}`, digest: outcome.summary.digest, extra: `${outcome.summary.files} files · verdict ${outcome.summary.verdict} · signed by ${outcome.summary.signer.name ?? shortDigest(outcome.summary.signer.keyId)} · ${outcome.summary.attestations} attestations` }
      : outcome.type === 'kit'
        ? { what: `Offline kit ${outcome.summary.channel} ${outcome.summary.version}`, digest: outcome.summary.digest, extra: `${outcome.summary.documents.advisories} advisories · ${outcome.summary.documents.vex} VEX · ${formatBytes(outcome.summary.size)}` }
        : { what: `Mirror bundle generation ${outcome.summary.generation} (${outcome.summary.mode})`, digest: outcome.summary.manifestDigest, extra: `${outcome.summary.documents.advisories} advisories · ${outcome.summary.documents.vex} VEX · snapshot ${shortDigest(outcome.summary.snapshot, 16)}` };
  return (
    <div data-testid="export-result">
      <p>
        <strong>{built.what}</strong> — <span className="mono" title={built.digest}>{shortDigest(built.digest, 16)}</span>
        <br />
        <span className="muted">{built.extra}</span>
      </p>
      {media ? (
        <ReadBack m={media} />
      ) : (
        <p className="muted" data-testid="readback-none">
          Written to the exports folder{target && !isExportsTarget(target, exportsDir) ? ` (not to ${target.path})` : ''}: no removable medium was chosen, so there is nothing to read back.
          {outcome.type === 'evidence' && (
            <>
              {' '}
              <a href={hrefFor('attestations')}>Verify bundles on the Attestations screen</a>.
            </>
          )}
        </p>
      )}
      {outcome.type === 'evidence' && <VerifyExported fileName={outcome.summary.fileName} />}
    </div>
  );
}

/** `export.verify` of the bundle just written (in the exports folder): every check pass/fail. */
function VerifyExported({ fileName }: { fileName: string }) {
  const client = useClient();
  const [state, setState] = useState<{ busy: boolean; report?: EvidenceVerifyReport; error?: unknown }>({ busy: false });
  async function verify() {
    setState({ busy: true });
    try {
      const done = await runTrackedJob('export.verify', `Verify ${fileName}`, () => call(client, 'export.verify', { fileName }));
      const err = jobError(done);
      setState(err ? { busy: false, error: err } : { busy: false, report: done.result as EvidenceVerifyReport });
    } catch (e) {
      setState({ busy: false, error: e });
    }
  }
  const r = state.report;
  return (
    <div style={{ marginTop: 10 }}>
      <button type="button" onClick={() => void verify()} disabled={state.busy} data-testid="verify-exported">
        {state.busy ? 'Verifying…' : 'Verify the bundle (stella export verify)'}
      </button>
      {state.error != null && <ErrorBox error={state.error} title="Verification could not run" />}
      {r && (
        <>
          <div className={`verdict ${r.outcome === 'ok' ? 'verdict-ok' : 'verdict-bad'}`} role="status" data-testid="verify-outcome" data-outcome={r.outcome}>
            {r.outcome === 'ok' ? '✓ Bundle verified' : `✗ ${r.outcome}${r.failure ? `: ${r.failure.name} — ${r.failure.detail}` : ''}`}
          </div>
          <table className="simple checks">
            <tbody>
              {r.checks.map((c) => (
                <tr key={c.name}>
                  <th scope="row">{c.name}</th>
                  <td className={c.status === 'pass' ? 'check-pass' : c.status === 'fail' ? 'check-fail' : 'check-not-applicable'}>{c.status}</td>
                  <td>{c.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
