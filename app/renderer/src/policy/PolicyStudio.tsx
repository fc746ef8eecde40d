/**
 * Policy studio (`#/policy`, loaded lazily with Monaco): edit a pack draft with live diagnostics from
 * `policy.lint` (run in the engine's worker, debounced), run the pack's fixtures, simulate the draft
 * against stored scans, import it as a pack version, approve it with two different keys and activate it.
 * Drafts live in Dexie and are saved on every change; the last one is reopened with a notice.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PackFile, PackRef, PolicyLintView } from '../../../common/contract';
import { POLICY_TEMPLATES } from '../../../common/policy-language.gen';
import { useTheme, useUiDb } from '../app/ui-db';
import { ErrorBox, formatDate } from '../common/ErrorBox';
import { call } from '../client/engine';
import { useClient } from '../client/queries';
import {
  Autosaver,
  lastDraftId,
  loadPolicyDraft,
  loadPolicyDrafts,
  newDraftId,
  packNameOf,
  packVersionOf,
  rememberLastDraft,
  removePolicyDraft,
  savePolicyDraft,
  templateFiles,
  type PolicyDraft,
} from './drafts';
import { PolicyEditor, type RevealTarget } from './PolicyEditor';
import { FixturesPanel } from './FixturesPanel';
import { SimulationPanel } from './SimulationPanel';
import { ApprovalPanel } from './ApprovalPanel';

const AUTOSAVE_MS = 250;
const LINT_MS = 350;

type Panel = 'fixtures' | 'simulate' | 'approve';
const PANELS: { id: Panel; label: string }[] = [
  { id: 'fixtures', label: 'Fixtures' },
  { id: 'simulate', label: 'Simulate' },
  { id: 'approve', label: 'Approve & activate' },
];

export default function PolicyStudio() {
  const db = useUiDb();
  const client = useClient();
  const { effective } = useTheme();
  const [drafts, setDrafts] = useState<PolicyDraft[] | null>(null);
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [restored, setRestored] = useState<{ id: string; at: number } | null>(null);
  const [saveState, setSaveState] = useState<'saved' | 'saving' | 'error'>('saved');
  const [lint, setLint] = useState<{ view: PolicyLintView | null; error: unknown; running: boolean }>({ view: null, error: null, running: false });
  const [reveal, setReveal] = useState<RevealTarget | null>(null);
  const [panel, setPanel] = useState<Panel>('fixtures');
  const [template, setTemplate] = useState<string>('default');
  const lintSeq = useRef(0);

  const saver = useMemo(
    () =>
      db
        ? new Autosaver<PolicyDraft>(
            (d) => savePolicyDraft(db, d),
            AUTOSAVE_MS,
            () => setSaveState('saved'),
            () => setSaveState('error'),
          )
        : null,
    [db],
  );

  // Nothing typed is lost when the page goes away: flush the pending save on hide/unload.
  useEffect(() => {
    if (!saver) return;
    const flush = () => void saver.flush();
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      saver.dispose();
    };
  }, [saver]);

  // Reopen the last draft (after a restart or crash of the window or of the engine) with a notice.
  useEffect(() => {
    if (!db) return;
    let cancelled = false;
    void (async () => {
      const all = await loadPolicyDrafts(db);
      const last = await lastDraftId(db);
      const open = (last ? all.find((d) => d.id === last) : undefined) ?? all[0] ?? null;
      if (cancelled) return;
      setDrafts(all);
      if (open) {
        setDraft(open);
        setRestored({ id: open.id, at: open.updatedAt });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [db]);

  const runLint = useCallback(
    async (files: PackFile[]) => {
      const seq = ++lintSeq.current;
      setLint((l) => ({ ...l, running: true }));
      try {
        const view = await call(client, 'policy.lint', { pack: { kind: 'files', files } });
        if (seq === lintSeq.current) setLint({ view, error: null, running: false });
      } catch (error) {
        if (seq === lintSeq.current) setLint({ view: null, error, running: false });
      }
    },
    [client],
  );

  // Lint after a short pause in typing (and at once when a draft opens).
  const lintTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const draftFiles = draft?.files;
  useEffect(() => {
    if (!draftFiles) return;
    if (lintTimer.current) clearTimeout(lintTimer.current);
    lintTimer.current = setTimeout(() => void runLint(draftFiles), LINT_MS);
    return () => {
      if (lintTimer.current) clearTimeout(lintTimer.current);
    };
  }, [draftFiles, runLint]);

  const onChange = useCallback(
    (path: string, text: string) => {
      setDraft((d) => {
        if (!d) return d;
        const next = { ...d, files: d.files.map((f) => (f.path === path ? { ...f, text } : f)), updatedAt: Date.now() };
        setSaveState('saving');
        saver?.schedule(next);
        return next;
      });
    },
    [saver],
  );

  const refreshDrafts = useCallback(async () => {
    if (db) setDrafts(await loadPolicyDrafts(db));
  }, [db]);

  const openDraft = async (id: string) => {
    if (!db) return;
    await saver?.flush();
    const d = await loadPolicyDraft(db, id);
    if (!d) return;
    await rememberLastDraft(db, id);
    setRestored(null);
    setLint({ view: null, error: null, running: false });
    setDraft(d);
    await refreshDrafts();
  };

  const createDraft = async () => {
    if (!db) return;
    await saver?.flush();
    const files = templateFiles(template);
    const id = newDraftId(packNameOf(files) ?? template, new Set((drafts ?? []).map((d) => d.id)));
    const d: PolicyDraft = { id, origin: template === 'blank' ? 'blank' : `builtin:${template}`, files, activeFile: files.find((f) => f.path.endsWith('.stella'))?.path ?? files[0]?.path ?? 'pack.yaml', updatedAt: Date.now() };
    await savePolicyDraft(db, d);
    setRestored(null);
    setLint({ view: null, error: null, running: false });
    setDraft(d);
    await refreshDrafts();
  };

  const discardDraft = async () => {
    if (!db || !draft) return;
    if (!window.confirm(`Discard the draft ${draft.id.replace(/^policy:/, '')}? Its text is deleted from this workstation.`)) return;
    await saver?.flush();
    await removePolicyDraft(db, draft.id);
    setDraft(null);
    setRestored(null);
    await refreshDrafts();
  };

  const selectFile = (path: string) => {
    setDraft((d) => {
      if (!d) return d;
      const next = { ...d, activeFile: path };
      saver?.schedule(next);
      return next;
    });
  };

  const candidate: PackRef | null = draft ? { kind: 'files', files: draft.files, label: draft.id.replace(/^policy:/, '') } : null;
  const diagnostics = lint.view?.diagnostics ?? [];
  const errors = lint.view?.errors ?? 0;
  const warnings = lint.view?.warnings ?? 0;

  if (!db) return <ErrorBox error={new Error('The browser refused IndexedDB: drafts cannot be kept, so the policy studio is unavailable.')} title="Policy studio unavailable" />;

  return (
    <div data-testid="policy-studio">
      <h1>Policy</h1>
      <p className="muted">
        Edit a policy pack (<span className="mono">stella-dsl@1</span>) with live diagnostics, run its fixtures, simulate it against stored scans, then import, approve with two different keys and activate it. Drafts are saved on this workstation as you type.
      </p>

      <section className="panel" aria-labelledby="drafts-title">
        <h2 id="drafts-title">Drafts</h2>
        <div className="toolbar">
          <label htmlFor="draft-template">Start from</label>
          <select id="draft-template" value={template} onChange={(e) => setTemplate(e.target.value)} data-testid="draft-template">
            {Object.keys(POLICY_TEMPLATES).map((t) => (
              <option key={t} value={t}>
                shipped pack: {t}
              </option>
            ))}
            <option value="blank">a minimal pack</option>
          </select>
          <button type="button" onClick={() => void createDraft()} data-testid="new-draft">
            New draft
          </button>
          {draft && (
            <button type="button" onClick={() => void discardDraft()} data-testid="discard-draft">
              Discard this draft
            </button>
          )}
        </div>
        {drafts && drafts.length > 0 ? (
          <ul className="draft-list" aria-label="Saved drafts">
            {drafts.map((d) => (
              <li key={d.id}>
                <button type="button" className="link" aria-current={draft?.id === d.id ? 'true' : undefined} onClick={() => void openDraft(d.id)} data-testid="draft-item">
                  {d.id.replace(/^policy:/, '')}
                </button>{' '}
                <span className="muted">
                  {packNameOf(d.files) ?? '?'}@{packVersionOf(d.files) ?? '?'} · saved {formatDate(new Date(d.updatedAt).toISOString())}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          drafts && <p className="empty">No drafts yet: start one from a shipped pack.</p>
        )}
      </section>

      {restored && draft && restored.id === draft.id && (
        <div className="notice" role="status" data-testid="restored-notice">
          Restored draft <strong>{draft.id.replace(/^policy:/, '')}</strong>, last saved {formatDate(new Date(restored.at).toISOString())}. Nothing typed before then was lost.{' '}
          <button type="button" className="link" onClick={() => setRestored(null)}>
            Dismiss
          </button>
        </div>
      )}

      {draft && (
        <>
          <section className="panel" aria-labelledby="editor-title">
            <h2 id="editor-title">
              {packNameOf(draft.files) ?? draft.id}@{packVersionOf(draft.files) ?? '?'}
            </h2>
            <div className="row">
              <div className="row" role="tablist" aria-label="Pack files">
              {draft.files.map((f) => (
                <button
                  key={f.path}
                  type="button"
                  role="tab"
                  aria-selected={f.path === draft.activeFile}
                  className={f.path === draft.activeFile ? 'tab active' : 'tab'}
                  onClick={() => selectFile(f.path)}
                  data-testid="file-tab"
                >
                  {f.path}
                  {diagnostics.some((d) => d.file === f.path && d.severity === 'error') ? ' ⚠' : ''}
                </button>
              ))}
              </div>
              <span className="spacer" />
              <span className="muted" role="status" data-testid="save-state">
                {saveState === 'saved' ? 'Draft saved' : saveState === 'saving' ? 'Saving…' : 'Could not save the draft'}
              </span>
            </div>
            <PolicyEditor draftId={draft.id} files={draft.files} activeFile={draft.activeFile} diagnostics={diagnostics} dark={effective === 'dark'} reveal={reveal} onChange={onChange} />
            <p className="muted" style={{ marginTop: 4 }}>
              Tab leaves the editor; Ctrl+M lets Tab indent instead. Ctrl+Space completes built-in fields and functions; hover a name for its documentation.
            </p>
            <div aria-live="polite" data-testid="lint-summary" data-errors={lint.view ? errors : undefined}>
              {lint.running && !lint.view ? 'Checking…' : lint.view ? (lint.view.ok && errors === 0 ? `No errors${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}` : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`) : ''}
            </div>
            {lint.error !== null && <ErrorBox error={lint.error} title="Lint failed" />}
            {diagnostics.length > 0 && (
              <ul className="diagnostics" aria-label="Problems">
                {diagnostics.map((d, i) => (
                  <li key={i} className={d.severity === 'error' ? 'bad-text' : ''} data-testid="diagnostic" data-line={d.line} data-column={d.column} data-file={d.file}>
                    <button type="button" className="link mono" onClick={() => setReveal({ file: d.file, line: d.line, column: d.column, nonce: Date.now() })}>
                      {d.file}:{d.line}:{d.column}
                    </button>{' '}
                    {d.severity}: {d.message} <span className="muted">({d.code})</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="panel" aria-labelledby="actions-title">
            <h2 id="actions-title" className="sr-only">
              Run, simulate and approve
            </h2>
            <div className="row" role="tablist" aria-label="Pack actions">
              {PANELS.map((p) => (
                <button key={p.id} type="button" role="tab" id={`tab-${p.id}`} aria-controls={`panel-${p.id}`} aria-selected={panel === p.id} className={panel === p.id ? 'tab active' : 'tab'} onClick={() => setPanel(p.id)} data-testid={`panel-${p.id}`}>
                  {p.label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`panel-${panel}`} aria-labelledby={`tab-${panel}`}>
              {candidate && panel === 'fixtures' && <FixturesPanel pack={candidate} onReveal={(file) => setReveal({ file, line: 1, column: 1, nonce: Date.now() })} />}
              {candidate && panel === 'simulate' && <SimulationPanel candidate={candidate} />}
              {candidate && panel === 'approve' && <ApprovalPanel files={draft.files} label={draft.id.replace(/^policy:/, '')} hasErrors={errors > 0} />}
            </div>
          </section>
        </>
      )}
      {!draft && drafts && <p className="muted">Start a draft to open the editor.</p>}
    </div>
  );
}
