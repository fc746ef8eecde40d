/**
 * SBOM explorer: stored SBOMs → components (filterable), dependency tree, findings per component
 * (from the newest scan of that SBOM) and export in every format the engine writes.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { EXPORT_FORMATS, type ComponentRow, type ExportFormat, type FindingRow, type SbomDetail } from '../../../common/contract';
import { hrefFor, useRoute } from '../app/router';
import { useDetection } from '../app/ui-db';
import { ErrorBox, formatDate, Loading, Severity } from '../common/ErrorBox';
import { jobStore } from '../client/jobs';
import { useEngineMutation, useEngineQuery } from '../client/queries';
import { HashList } from '../findings/ExplainDrawer';
import { latestScan } from '../findings/FindingsExplorer';
import { sortFindings } from '../findings/model';
import { IMAGE_SBOM_NAME } from '../image/image-name';


export function SbomExplorer({ sbomId }: { sbomId?: string }) {
  const list = useEngineQuery('sbom.list', {});
  const [, go] = useRoute();
  const sorted = [...(list.data ?? [])].sort((a, b) => b.importedAt.localeCompare(a.importedAt));
  const selected = sbomId ?? sorted[0]?.id;
  return (
    <div>
      <h1>SBOMs</h1>
      {list.isPending && <Loading what="SBOMs" />}
      {list.isError && <ErrorBox error={list.error} title="Could not list SBOMs" />}
      {list.data && list.data.length === 0 && (
        <div className="empty">
          No SBOMs stored yet. <a href={hrefFor('import')}>Import one</a>.
        </div>
      )}
      {sorted.length > 0 && (
        <table className="simple" aria-label="Stored SBOMs" data-testid="sbom-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Format</th>
              <th scope="col">Components</th>
              <th scope="col">Dependencies</th>
              <th scope="col">Imported</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((s) => (
              <tr key={s.id} className={s.id === selected ? 'selected' : undefined} aria-selected={s.id === selected}>
                <td>
                  <button type="button" className="link" onClick={() => go('sbom', { id: s.id })} aria-label={`Open SBOM ${s.name}`}>
                    {s.name}
                  </button>
                </td>
                <td>
                  {s.format} {s.specVersion}
                </td>
                <td>{s.componentCount}</td>
                <td>{s.dependencyCount}</td>
                <td>{formatDate(s.importedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <SbomDetailView key={selected} id={selected} />}
    </div>
  );
}

function SbomDetailView({ id }: { id: string }) {
  const q = useEngineQuery('sbom.get', { id });
  const scans = useEngineQuery('scan.list', {});
  const scan = latestScan((scans.data ?? []).filter((s) => s.sbomId === id));
  const findings = useEngineQuery('findings.list', { scanId: scan?.id ?? '' }, { enabled: !!scan });
  const [filter, setFilter] = useState('');
  const [selectedRef, setSelectedRef] = useState<string | null>(null);

  const byComponent = useMemo(() => {
    const m = new Map<string, FindingRow[]>();
    for (const f of findings.data ?? []) {
      const l = m.get(f.componentRef) ?? [];
      l.push(f);
      m.set(f.componentRef, l);
    }
    return m;
  }, [findings.data]);

  if (q.isPending) return <Loading what="SBOM" />;
  if (q.isError) return <ErrorBox error={q.error} title="Could not open this SBOM" />;
  const d = q.data;
  const text = filter.trim().toLowerCase();
  const comps = d.components.filter((c) => !text || c.name.toLowerCase().includes(text) || (c.purl ?? '').toLowerCase().includes(text) || (c.version ?? '').toLowerCase().includes(text));
  const selected = d.components.find((c) => c.ref === selectedRef) ?? null;

  return (
    <section aria-labelledby="sbom-title" data-testid="sbom-detail">
      <div className="row" style={{ marginTop: 16 }}>
        <h2 id="sbom-title" style={{ margin: 0 }}>
          {d.summary.name}
        </h2>
        <span className="muted mono">{d.summary.digest.slice(0, 23)}…</span>
        <span className="spacer" />
        <ScanButton sbomId={id} hasScan={!!scan} />
      </div>
      <ExportBar id={id} />
      {d.subject && (
        <p className="muted">
          Subject: {d.subject.name} {d.subject.version}
          {IMAGE_SBOM_NAME.test(d.summary.name) && (
            <>
              {' · '}
              <a href={hrefFor('image', { sbom: id })} data-testid="sbom-image-link">
                Image view (layers)
              </a>
            </>
          )}
        </p>
      )}
      <div className="split">
        <div>
          <h3>Components ({d.components.length})</h3>
          <input type="search" placeholder="Filter by name, version, purl" aria-label="Filter components" value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: '100%', marginBottom: 6 }} />
          <ComponentTable comps={comps} byComponent={byComponent} selectedRef={selectedRef} onSelect={setSelectedRef} />
        </div>
        <div>
          {selected ? (
            <ComponentPanel c={selected} findings={byComponent.get(selected.ref) ?? []} scanId={scan?.id} hasScan={!!scan} />
          ) : (
            <div className="empty" style={{ marginTop: 36 }}>
              Select a component to see its details and findings.
            </div>
          )}
          <h3>Dependency tree</h3>
          <DependencyTree detail={d} onSelect={setSelectedRef} selectedRef={selectedRef} />
        </div>
      </div>
    </section>
  );
}

/** Components of an SBOM as a virtualized table: image SBOMs list thousands of packages. */
function ComponentTable({ comps, byComponent, selectedRef, onSelect }: { comps: ComponentRow[]; byComponent: Map<string, FindingRow[]>; selectedRef: string | null; onSelect(ref: string): void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: comps.length, getScrollElement: () => scrollRef.current, estimateSize: () => 31, overscan: 10 });
  const items = v.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = v.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <div className="scroll-box" ref={scrollRef}>
      <table className="simple" aria-label="Components" aria-rowcount={comps.length + 1} data-testid="components">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Type</th>
            <th scope="col">Findings</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
          {items.map((it) => {
            const c = comps[it.index] as ComponentRow;
            const n = byComponent.get(c.ref)?.length ?? 0;
            return (
              <tr key={c.ref} data-index={it.index} ref={v.measureElement} aria-rowindex={it.index + 2} className={c.ref === selectedRef ? 'selected' : undefined}>
                <td>
                  {/* The group stays outside the button: its accessible name must contain its visible text (WCAG 2.5.3). */}
                  {c.group ? <span className="muted">{`${c.group}/`}</span> : null}
                  <button type="button" className="link" onClick={() => onSelect(c.ref)} aria-label={`Show component ${c.name}`} title={c.purl}>
                    {c.name}
                  </button>
                </td>
                <td className="mono">{c.version ?? '—'}</td>
                <td>{c.type}</td>
                <td>{n > 0 ? <strong>{n}</strong> : <span className="muted">0</span>}</td>
              </tr>
            );
          })}
          {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
        </tbody>
      </table>
      {comps.length === 0 && <div className="empty">No component matches the filter.</div>}
    </div>
  );
}

function ScanButton({ sbomId, hasScan }: { sbomId: string; hasScan: boolean }) {
  const scanRun = useEngineMutation('scan.run');
  const { detection } = useDetection();
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  return (
    <>
      <button
        type="button"
        className="primary"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true });
          try {
            const { jobId } = await scanRun.mutateAsync({ sbomId, detection });
            jobStore.track(jobId, 'scan.run', 'Scan');
            const done = await jobStore.wait(jobId);
            setState({ busy: false, error: done.state === 'failed' ? new Error(done.error?.message ?? 'scan failed') : undefined });
          } catch (e) {
            setState({ busy: false, error: e });
          }
        }}
        data-testid="scan-sbom"
      >
        {state.busy ? 'Scanning…' : hasScan ? 'Re-scan' : 'Scan'}
      </button>
      {state.error !== undefined && <ErrorBox error={state.error} title="Scan failed" onDismiss={() => setState({ busy: false })} />}
    </>
  );
}

const FORMAT_LABEL: Record<ExportFormat, string> = {
  'cyclonedx-json': 'CycloneDX JSON',
  'cyclonedx-xml': 'CycloneDX XML',
  'spdx-json': 'SPDX 2.3 JSON',
  'spdx3-json': 'SPDX 3.0 JSON',
};

function ExportBar({ id }: { id: string }) {
  const exportSbom = useEngineMutation('sbom.export');
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [last, setLast] = useState<string | null>(null);
  const [cdxVersion, setCdxVersion] = useState<'' | '1.6' | '1.7'>('');
  return (
    <div className="toolbar" role="group" aria-label="Export SBOM" style={{ marginTop: 8 }}>
      <span className="muted">Export:</span>
      <label>
        CycloneDX{' '}
        <select value={cdxVersion} onChange={(e) => setCdxVersion(e.target.value as '' | '1.6' | '1.7')} aria-label="CycloneDX spec version for export">
          <option value="">latest</option>
          <option value="1.6">1.6</option>
          <option value="1.7">1.7</option>
        </select>
      </label>
      {EXPORT_FORMATS.map((f) => (
        <button
          key={f}
          type="button"
          disabled={busy !== null}
          data-testid={`export-${f}`}
          aria-label={`Export as ${FORMAT_LABEL[f]}`}
          onClick={async () => {
            setBusy(f);
            setError(null);
            try {
              const file = await exportSbom.mutateAsync({ id, format: f, ...(cdxVersion && f.startsWith('cyclonedx') ? { specVersion: cdxVersion } : {}) });
              download(file.fileName, file.mediaType, file.contentBase64);
              setLast(`${file.fileName} (${file.digest.slice(0, 19)}…)`);
            } catch (e) {
              setError(e);
            } finally {
              setBusy(null);
            }
          }}
        >
          {FORMAT_LABEL[f]}
        </button>
      ))}
      {last && (
        <span className="muted" role="status">
          Saved {last}
        </span>
      )}
      {error !== null && <ErrorBox error={error} title="Export failed" onDismiss={() => setError(null)} />}
    </div>
  );
}

export function download(name: string, mediaType: string, base64: string) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ComponentPanel({ c, findings, scanId, hasScan }: { c: ComponentRow; findings: FindingRow[]; scanId?: string; hasScan: boolean }) {
  return (
    <div className="panel" data-testid="component-panel">
      <h3 style={{ marginTop: 0 }}>
        {c.group ? `${c.group}/` : ''}
        {c.name} <span className="mono muted">{c.version}</span>
      </h3>
      <dl className="kv">
        {c.purl && (
          <>
            <dt>purl</dt>
            <dd className="mono">{c.purl}</dd>
          </>
        )}
        <dt>Type</dt>
        <dd>{c.type}</dd>
        {c.ecosystem && (
          <>
            <dt>Ecosystem</dt>
            <dd>{c.ecosystem}</dd>
          </>
        )}
        <dt>Licenses</dt>
        <dd>{c.licenses.length ? c.licenses.join(', ') : '—'}</dd>
        {c.hashes.length > 0 && (
          <>
            <dt>Hashes</dt>
            <dd className="mono">
              <HashList hashes={c.hashes} />
            </dd>
          </>
        )}
        {c.locations.length > 0 && (
          <>
            <dt>Locations</dt>
            <dd className="mono">{c.locations.map((l) => l.path).join(', ')}</dd>
          </>
        )}
      </dl>
      <h3>Findings</h3>
      {!hasScan ? (
        <div className="muted">This SBOM has not been scanned yet.</div>
      ) : findings.length === 0 ? (
        <div className="muted">No findings for this component.</div>
      ) : (
        <ul>
          {sortFindings(findings, 'severity', 'desc').map((f) => (
            <li key={f.id}>
              <Severity level={f.severity} /> <a href={hrefFor('findings', { scan: scanId, finding: f.id })} className="mono">{f.vulnerabilityId}</a> {f.kev && <span className="badge kev">KEV</span>}{' '}
              {f.fixedVersions.length ? <span className="muted">fixed in {f.fixedVersions.join(', ')}</span> : <span className="muted">no fix</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Roots: the SBOM subject if it has edges, else components nothing depends on. Cycles are cut. */
export function treeRoots(d: Pick<SbomDetail, 'subject' | 'components' | 'dependencies'>): string[] {
  const edges = new Map(d.dependencies.map((x) => [x.ref, x.dependsOn]));
  // a subject with an empty edge list (an image's) is no root: it would hide the whole tree
  if (d.subject && (edges.get(d.subject.ref)?.length ?? 0) > 0) return [d.subject.ref];
  const dependedOn = new Set(d.dependencies.flatMap((x) => x.dependsOn));
  const roots = d.dependencies.map((x) => x.ref).filter((r) => !dependedOn.has(r));
  return roots.length ? [...new Set(roots)].sort() : d.dependencies.map((x) => x.ref).slice(0, 1);
}

/** `roots`: where the tree starts (default: `treeRoots`, i.e. only components that have dependency edges). */
export function DependencyTree({ detail, onSelect, selectedRef, roots }: { detail: SbomDetail; onSelect(ref: string): void; selectedRef: string | null; roots?: string[] }) {
  const names = useMemo(() => {
    const m = new Map<string, ComponentRow>(detail.components.map((c) => [c.ref, c]));
    if (detail.subject) m.set(detail.subject.ref, detail.subject);
    return m;
  }, [detail]);
  const edges = useMemo(() => new Map(detail.dependencies.map((x) => [x.ref, x.dependsOn])), [detail]);
  if (detail.dependencies.length === 0 && !roots?.length) return <div className="muted">This SBOM declares no dependency relationships.</div>;
  return (
    <div className="tree scroll-box" role="tree" aria-label="Dependency tree" data-testid="dependency-tree">
      <ul role="group">
        {(roots ?? treeRoots(detail)).map((r) => (
          <TreeNode key={r} refId={r} names={names} edges={edges} path={new Set()} depth={0} onSelect={onSelect} selectedRef={selectedRef} />
        ))}
      </ul>
    </div>
  );
}

function TreeNode({ refId, names, edges, path, depth, onSelect, selectedRef }: { refId: string; names: Map<string, ComponentRow>; edges: Map<string, string[]>; path: Set<string>; depth: number; onSelect(r: string): void; selectedRef: string | null }) {
  const kids = edges.get(refId) ?? [];
  const [open, setOpen] = useState(depth < 1);
  const c = names.get(refId);
  const cycle = path.has(refId);
  const label = c ? `${c.name}${c.version ? `@${c.version}` : ''}` : refId;
  return (
    <li role="treeitem" aria-expanded={kids.length && !cycle ? open : undefined} aria-selected={selectedRef === refId}>
      {kids.length > 0 && !cycle ? (
        <button type="button" className="toggle" onClick={() => setOpen(!open)} aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`}>
          {open ? '▾' : '▸'}
        </button>
      ) : (
        <span style={{ display: 'inline-block', width: 20 }} />
      )}
      <button type="button" className="link" onClick={() => onSelect(refId)}>
        {label}
      </button>
      {cycle && <span className="muted"> (cycle)</span>}
      {open && !cycle && kids.length > 0 && (
        <ul role="group">
          {kids.map((k) => (
            <TreeNode key={k} refId={k} names={names} edges={edges} path={new Set([...path, refId])} depth={depth + 1} onSelect={onSelect} selectedRef={selectedRef} />
          ))}
        </ul>
      )}
    </li>
  );
}
