/**
 * The virtualized findings grid. Only the visible rows (+ overscan) are in the DOM, so 100,000 rows
 * scroll like 100. Keyboard: the grid is one tab stop; ↑/↓/PgUp/PgDn/Home/End move the active row
 * (aria-activedescendant), Enter opens the explain drawer (or toggles a group), Space too.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { FindingRow } from '../../../common/contract';
import type { SortDir } from '../db/db';
import { Severity } from '../common/ErrorBox';
import { COLUMNS, isSortKey, type ColumnDef, type ColumnKey, type DisplayRow, type SortKey } from './model';
import { useDecision, VEX_STATUS_LABEL } from '../vex/decisions';
import { PolicyBadge } from '../vex/PolicyBadge';

const ROW_HEIGHT = 32;
const HEAD_HEIGHT = 32;
const estimateSize = () => ROW_HEIGHT;

export interface FindingsTableProps {
  rows: DisplayRow[];
  columns: ColumnKey[];
  sort: { key: string; dir: SortDir };
  onSort(key: SortKey): void;
  activeIndex: number;
  onActiveIndex(i: number): void;
  selectedId: string | null;
  onOpen(f: FindingRow): void;
  onToggleGroup(key: string): void;
  totalCount: number;
}

export function FindingsTable(props: FindingsTableProps) {
  const { rows, columns, sort, onSort, activeIndex, onActiveIndex, selectedId, onOpen, onToggleGroup } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const cols = useMemo(() => columns.map((k) => COLUMNS.find((c) => c.key === k)).filter((c): c is ColumnDef => !!c), [columns]);
  const width = cols.reduce((n, c) => n + c.width, 0);
  // Stable row callbacks keep memo(Row) effective: while scrolling only rows entering the window render.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const onRowClick = useCallback(
    (index: number) => {
      const r = rowsRef.current[index];
      if (!r) return;
      onActiveIndex(index);
      if (r.kind === 'group') onToggleGroup(r.key);
      else onOpen(r.finding);
    },
    [onActiveIndex, onToggleGroup, onOpen],
  );

  // Stable option functions matter: the virtualizer recomputes its O(rows) measurement table whenever
  // getItemKey/estimateSize change identity, which on every scroll frame would cost ~10 ms at 100k rows.
  const getItemKey = useCallback(
    (i: number) => {
      const r = rows[i];
      return r ? (r.kind === 'group' ? `g:${r.key}` : r.finding.id) : i;
    },
    [rows],
  );
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement,
    estimateSize,
    overscan: 6,
    scrollMargin: HEAD_HEIGHT,
    getItemKey,
    // Let React batch scroll-driven renders instead of flushing synchronously inside each scroll event.
    useFlushSync: false,
  });

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < rows.length) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, rows.length, virtualizer]);

  const activate = useCallback(
    (i: number) => {
      const r = rows[i];
      if (!r) return;
      if (r.kind === 'group') onToggleGroup(r.key);
      else onOpen(r.finding);
    },
    [rows, onOpen, onToggleGroup],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys on the column-header buttons are theirs (Enter sorts), not the grid's.
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 320) / ROW_HEIGHT) - 1);
    const last = rows.length - 1;
    const cur = activeIndex < 0 ? -1 : activeIndex;
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(last, cur + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, cur - 1);
        break;
      case 'PageDown':
        next = Math.min(last, cur + page);
        break;
      case 'PageUp':
        next = Math.max(0, cur - page);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      case 'Enter':
      case ' ':
        if (cur >= 0) {
          e.preventDefault();
          activate(cur);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    if (last >= 0 && next !== null) onActiveIndex(next);
  };

  const items = virtualizer.getVirtualItems();
  const activeRow = rows[activeIndex];
  const activeDomId = activeRow ? rowDomId(activeRow) : undefined;

  return (
    <div className="grid" data-testid="findings-grid">
      <div
        ref={scrollRef}
        className="grid-scroll"
        role="grid"
        aria-label="Findings"
        aria-rowcount={rows.length + 1}
        aria-colcount={cols.length}
        aria-activedescendant={activeDomId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (activeIndex < 0 && rows.length > 0) onActiveIndex(0);
        }}
        data-testid="findings-scroll"
      >
        <div className="grid-head" role="row" aria-rowindex={1} style={{ position: 'sticky', top: 0, zIndex: 2, height: HEAD_HEIGHT, width: Math.max(width, 100) }}>
          {cols.map((c) => (
            <div key={c.key} role="columnheader" style={{ width: c.width, flex: 'none' }} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
              {isSortKey(c.key) ? (
                <button type="button" onClick={() => onSort(c.key as SortKey)} aria-label={`Sort by ${c.label}`} data-testid={`sort-${c.key}`}>
                  {c.label}
                  {sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                <span className="col-label">{c.label}</span>
              )}
            </div>
          ))}
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize() - HEAD_HEIGHT, width, position: 'relative' }}>
          {items.map((vi) => {
            const r = rows[vi.index];
            if (!r) return null;
            const top = vi.start - HEAD_HEIGHT;
            return r.kind === 'group' ? (
              <GroupRow key={vi.key} row={r} index={vi.index} top={top} width={width} active={vi.index === activeIndex} onRowClick={onRowClick} />
            ) : (
              <Row
                key={vi.key}
                f={r.finding}
                cols={cols}
                index={vi.index}
                top={top}
                width={width}
                active={vi.index === activeIndex}
                selected={r.finding.id === selectedId}
                onRowClick={onRowClick}
              />
            );
          })}
        </div>
        {rows.length === 0 && <div className="empty" style={{ margin: 16 }}>No findings match the current filters.</div>}
      </div>
    </div>
  );
}

function rowDomId(r: DisplayRow): string {
  return r.kind === 'group' ? `grp-${cssSafe(r.key)}` : `row-${cssSafe(r.finding.id)}`;
}
function cssSafe(s: string) {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

const GroupRow = memo(function GroupRow({ row, index, top, width, active, onRowClick }: { row: Extract<DisplayRow, { kind: 'group' }>; index: number; top: number; width: number; active: boolean; onRowClick(i: number): void }) {
  return (
    <div
      id={rowDomId(row)}
      role="row"
      aria-rowindex={index + 2}
      aria-expanded={!row.collapsed}
      aria-selected={active}
      className="grid-row group"
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)`, width }}
      onClick={() => onRowClick(index)}
      data-testid="group-row"
    >
      <div role="gridcell" style={{ width }}>
        {row.collapsed ? '▸' : '▾'} {row.label} <span className="muted">({row.count.toLocaleString('en')})</span>
      </div>
    </div>
  );
});

const Row = memo(function Row({ f, cols, index, top, width, active, selected, onRowClick }: { f: FindingRow; cols: ColumnDef[]; index: number; top: number; width: number; active: boolean; selected: boolean; onRowClick(i: number): void }) {
  return (
    <div
      id={`row-${cssSafe(f.id)}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={active || selected}
      className="grid-row"
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)`, width }}
      onClick={() => onRowClick(index)}
      data-testid="finding-row"
      data-finding-id={f.id}
    >
      {cols.map((c) => (
        <div key={c.key} role="gridcell" style={{ width: c.width }}>
          <Cell f={f} k={c.key} />
        </div>
      ))}
    </div>
  );
});

function Cell({ f, k }: { f: FindingRow; k: ColumnKey }) {
  switch (k) {
    case 'policy':
      return <PolicyCell id={f.id} />;
    case 'vex':
      return <VexCell id={f.id} />;
    case 'severity':
      return <Severity level={f.severity} />;
    case 'vulnerabilityId':
      return <span className="mono" title={[f.vulnerabilityId, ...f.aliases].join(', ')}>{f.vulnerabilityId}</span>;
    case 'packageName':
      return <span title={f.purl ?? f.packageName}>{f.packageName}</span>;
    case 'installedVersion':
      return <span className="mono">{f.installedVersion}</span>;
    case 'fixedVersions':
      return f.fixedVersions.length ? <span className="mono">{f.fixedVersions.join(', ')}</span> : <span className="muted">no fix</span>;
    case 'ecosystem':
      return <>{f.ecosystem}</>;
    case 'score':
      return <>{f.score === null ? '—' : f.score.toFixed(1)}</>;
    case 'kev':
      return f.kev ? <span className="badge kev">KEV</span> : <span className="muted">—</span>;
    case 'epss':
      return <>{f.epss === undefined ? '—' : `${(f.epss * 100).toFixed(1)}%`}</>;
  }
}

function PolicyCell({ id }: { id: string }) {
  const d = useDecision(id);
  return d ? <span data-testid="finding-policy" data-status={d.status}><PolicyBadge status={d.status} rule={d.rule} /></span> : <span className="muted">—</span>;
}

function VexCell({ id }: { id: string }) {
  const d = useDecision(id);
  const s = d?.vex?.status ?? (d ? 'none' : null);
  return s ? <span data-testid="finding-vex" data-status={s} className={s === 'none' ? 'muted' : undefined}>{VEX_STATUS_LABEL[s] ?? s}</span> : <span className="muted">—</span>;
}
