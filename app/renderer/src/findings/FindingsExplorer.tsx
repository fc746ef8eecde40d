/**
 * Findings explorer: pick a scan, filter/sort/group all of its findings client-side (memoized pure
 * functions from ./model), save the arrangement as a view, open a finding's evidence chain.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { FindingRow, ScanSummary, SeverityLevel } from '../../../common/contract';
import { hrefFor, useRoute } from '../app/router';
import { ErrorBox, formatDate, Loading } from '../common/ErrorBox';
import { FeedAgeNotice } from '../kits/FeedAge';
import { useEngineQuery } from '../client/queries';
import type { FindingsViewState, GroupBy } from '../db/db';
import { ExplainDrawer } from './ExplainDrawer';
import { FindingsTable } from './FindingsTable';
import { SavedViewsBar } from './SavedViews';
import { COLUMNS, DEFAULT_VIEW, filterFindings, SEVERITY_ORDER, sortFindings, toDisplayRows, type ColumnKey, type SortKey } from './model';
import { DecisionsContext, useFindingDecisions } from '../vex/decisions';

export function latestScan(scans: ScanSummary[]): ScanSummary | undefined {
  return [...scans].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))[0];
}

export function FindingsExplorer({ scanId, viewId, findingId }: { scanId?: string; viewId?: string; findingId?: string }) {
  const scans = useEngineQuery('scan.list', {});
  const [, go] = useRoute();
  const scan = scanId ? scans.data?.find((s) => s.id === scanId) : latestScan(scans.data ?? []);
  const effectiveScanId = scanId ?? scan?.id;

  return (
    <div className="findings-layout">
      <div className="row" style={{ marginBottom: 8 }}>
        <h1 style={{ margin: 0 }}>Findings</h1>
        <span className="spacer" />
        {scans.data && scans.data.length > 0 && (
          <label>
            Scan{' '}
            <select aria-label="Scan" data-testid="scan-select" value={effectiveScanId ?? ''} onChange={(e) => go('findings', { scan: e.target.value, view: viewId })}>
              {[...scans.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.subject} — {formatDate(s.createdAt)} ({s.findingCount.toLocaleString('en')})
                </option>
              ))}
            </select>
          </label>
        )}
        {effectiveScanId && (
          <a href={hrefFor('export', { scan: effectiveScanId })} data-testid="export-scan-link">
            Export evidence bundle…
          </a>
        )}
      </div>
      {/* the scan's results depend on how old the advisory data is: always said, warned when stale */}
      {scans.data && scans.data.length > 0 && <FeedAgeNotice always />}
      {scans.isPending && <Loading what="scans" />}
      {scans.isError && <ErrorBox error={scans.error} title="Could not list scans" />}
      {scans.data && scans.data.length === 0 && (
        <div className="empty" data-testid="no-scans">
          No scans yet. <a href={hrefFor('import')}>Import an SBOM and advisories</a>, then scan the SBOM.
        </div>
      )}
      {effectiveScanId && <ScanFindings key={effectiveScanId} scanId={effectiveScanId} viewId={viewId} findingId={findingId} />}
    </div>
  );
}

function ScanFindings({ scanId, viewId, findingId }: { scanId: string; viewId?: string; findingId?: string }) {
  const q = useEngineQuery('findings.list', { scanId }, { staleTime: 60_000 });
  const [view, setView] = useState<FindingsViewState>(DEFAULT_VIEW);
  const [activeViewId, setActiveViewId] = useState<number | null>(viewId ? Number(viewId) : null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [activeIndex, setActiveIndex] = useState(-1);
  const [open, setOpen] = useState<FindingRow | null>(null);
  const [textInput, setTextInput] = useState('');
  const text = useDeferredValue(textInput);
  const { decisions } = useFindingDecisions(scanId);

  const all = q.data;
  const filters = useMemo(() => ({ ...view.filters, text }), [view.filters, text]);
  const filtered = useMemo(() => (all ? filterFindings(all, filters) : []), [all, filters]);
  const sorted = useMemo(() => sortFindings(filtered, view.sort.key as SortKey, view.sort.dir), [filtered, view.sort]);
  const display = useMemo(() => toDisplayRows(sorted, view.groupBy, collapsed), [sorted, view.groupBy, collapsed]);
  const ecosystems = useMemo(() => [...new Set((all ?? []).map((f) => f.ecosystem))].sort(), [all]);

  useEffect(() => setActiveIndex((i) => (i >= display.length ? display.length - 1 : i)), [display.length]);
  // A link to one finding (#/findings?scan=…&finding=…, e.g. from the SBOM explorer) opens its evidence.
  useEffect(() => {
    if (!findingId || !all) return;
    const f = all.find((x) => x.id === findingId);
    if (f) setOpen(f);
  }, [findingId, all]);

  const update = (patch: Partial<FindingsViewState>) => setView((v) => ({ ...v, ...patch }));
  const setFilter = <K extends keyof FindingsViewState['filters']>(k: K, value: FindingsViewState['filters'][K]) => setView((v) => ({ ...v, filters: { ...v.filters, [k]: value } }));
  const toggleIn = (list: string[], x: string) => (list.includes(x) ? list.filter((y) => y !== x) : [...list, x]);

  const onSort = useCallback((key: SortKey) => setView((v) => ({ ...v, sort: { key, dir: v.sort.key === key && v.sort.dir === 'desc' ? 'asc' : 'desc' } })), []);
  const onToggleGroup = useCallback((key: string) => setCollapsed((s) => { const n = new Set(s); if (n.has(key)) n.delete(key); else n.add(key); return n; }), []);
  const onClose = useCallback(() => setOpen(null), []);

  const current: FindingsViewState = { ...view, filters };

  if (q.isPending) return <Loading what="findings" />;
  if (q.isError) return <ErrorBox error={q.error} title="Could not load the findings of this scan" />;

  return (
    <>
      <div className="filters" role="search" aria-label="Filter findings">
        <input type="search" placeholder="Search id, alias, package, purl…" aria-label="Search findings" value={textInput} onChange={(e) => setTextInput(e.target.value)} style={{ minWidth: 240 }} data-testid="findings-search" />
        <div className="chip-group" role="group" aria-label="Severity">
          {SEVERITY_ORDER.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={view.filters.severities.includes(s)} onChange={() => setFilter('severities', toggleIn(view.filters.severities, s))} aria-label={`Severity ${s}`} />
              <span className={`sev sev-${s as SeverityLevel}`}>{s}</span>
            </label>
          ))}
        </div>
        {ecosystems.length > 1 && (
          <div className="chip-group" role="group" aria-label="Ecosystem">
            {ecosystems.map((e) => (
              <label key={e}>
                <input type="checkbox" checked={view.filters.ecosystems.includes(e)} onChange={() => setFilter('ecosystems', toggleIn(view.filters.ecosystems, e))} aria-label={`Ecosystem ${e}`} />
                {e || '(none)'}
              </label>
            ))}
          </div>
        )}
        <label>
          <input type="checkbox" checked={view.filters.kevOnly} onChange={(e) => setFilter('kevOnly', e.target.checked)} data-testid="filter-kev" aria-label="Known exploited (KEV) only" /> KEV only
        </label>
        <label>
          <input type="checkbox" checked={view.filters.fixableOnly} onChange={(e) => setFilter('fixableOnly', e.target.checked)} data-testid="filter-fixable" aria-label="Fixable only" /> Fixable only
        </label>
        <label>
          Group by{' '}
          <select value={view.groupBy} onChange={(e) => { update({ groupBy: e.target.value as GroupBy }); setCollapsed(new Set()); }} aria-label="Group by" data-testid="group-by">
            <option value="none">nothing</option>
            <option value="severity">severity</option>
            <option value="package">package</option>
            <option value="ecosystem">ecosystem</option>
            <option value="fixable">fixable</option>
            <option value="kev">KEV</option>
          </select>
        </label>
        <details>
          <summary aria-label="Choose columns">Columns</summary>
          <div className="panel" style={{ position: 'absolute', zIndex: 5 }}>
            {COLUMNS.map((c) => (
              <label key={c.key} style={{ display: 'block' }}>
                <input
                  type="checkbox"
                  checked={view.columns.includes(c.key)}
                  disabled={view.columns.length === 1 && view.columns.includes(c.key)}
                  onChange={() => update({ columns: COLUMNS.map((x) => x.key).filter((k) => (k === c.key ? !view.columns.includes(k) : view.columns.includes(k))) })}
                />{' '}
                {c.label}
              </label>
            ))}
          </div>
        </details>
        <button type="button" onClick={() => { setView(DEFAULT_VIEW); setTextInput(''); setActiveViewId(null); }} aria-label="Reset filters, sort and grouping">
          Reset
        </button>
      </div>
      <div className="toolbar">
        <SavedViewsBar
          current={current}
          activeId={activeViewId}
          onActiveId={setActiveViewId}
          onApply={(v) => {
            setView({ ...DEFAULT_VIEW, ...v.state, filters: { ...DEFAULT_VIEW.filters, ...v.state.filters } });
            setTextInput(v.state.filters.text ?? '');
            setCollapsed(new Set());
          }}
        />
      </div>
      <DecisionsContext.Provider value={decisions}>
      <FindingsTable
        rows={display}
        columns={view.columns as ColumnKey[]}
        sort={view.sort}
        onSort={onSort}
        activeIndex={activeIndex}
        onActiveIndex={setActiveIndex}
        selectedId={open?.id ?? null}
        onOpen={setOpen}
        onToggleGroup={onToggleGroup}
        totalCount={all?.length ?? 0}
      />
      </DecisionsContext.Provider>
      <div className="grid-foot" aria-live="polite" data-testid="findings-count">
        <span>
          {filtered.length.toLocaleString('en')} of {(all?.length ?? 0).toLocaleString('en')} findings
        </span>
        <span>↑↓ move · Enter opens evidence · Esc closes</span>
      </div>
      {open && <ExplainDrawer scanId={scanId} finding={open} onClose={onClose} decision={decisions?.get(open.id)} />}
    </>
  );
}
