/**
 * The image view: a scanned container image's layers (digest, size, the build step that made each), what
 * each layer added (its packages, with their findings from the scan), the distribution and platform, and
 * the component tree. `#/image?scan=ID` or `#/image?sbom=ID`; without either, the scanned images.
 */
import { useMemo, useState } from 'react';
import type { ComponentRow, FindingRow, ImageLayerView, ImageView } from '../../../common/contract';
import { hrefFor } from '../app/router';
import { ErrorBox, formatBytes, formatDate, Loading, shortDigest } from '../common/ErrorBox';
import { useEngineQuery } from '../client/queries';
import { DependencyTree } from '../sbom/SbomExplorer';
import { IMAGE_SBOM_NAME } from './image-name';


export function ImageScreen({ sbomId, scanId }: { sbomId?: string; scanId?: string }) {
  if (!sbomId && !scanId) return <ImagePicker />;
  return <ImageDetail key={`${sbomId ?? ''}/${scanId ?? ''}`} args={scanId ? { scanId } : { sbomId: sbomId as string }} />;
}

function ImagePicker() {
  const list = useEngineQuery('sbom.list', {});
  const images = [...(list.data ?? [])].filter((s) => IMAGE_SBOM_NAME.test(s.name)).sort((a, b) => b.importedAt.localeCompare(a.importedAt));
  return (
    <div>
      <h1>Images</h1>
      {list.isPending && <Loading what="scanned images" />}
      {list.isError && <ErrorBox error={list.error} title="Could not list SBOMs" />}
      {list.data && images.length === 0 && (
        <div className="empty">
          No image scanned yet. <a href={hrefFor('import')}>Scan an image</a> (a docker-archive, an OCI layout or a folder).
        </div>
      )}
      {images.length > 0 && (
        <ul data-testid="image-list">
          {images.map((s) => (
            <li key={s.id}>
              <a href={hrefFor('image', { sbom: s.id })}>{s.name.replace(IMAGE_SBOM_NAME, '')}</a> <span className="muted mono">{shortDigest(s.name.slice(s.name.lastIndexOf('@') + 1))}</span>{' '}
              <span className="muted">
                {s.componentCount} packages · {formatDate(s.importedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ImageDetail({ args }: { args: { scanId: string } | { sbomId: string } }) {
  const q = useEngineQuery('image.get', args);
  const view = q.data;
  const sbom = useEngineQuery('sbom.get', { id: view?.sbomId ?? '' }, { enabled: !!view });
  const findings = useEngineQuery('findings.list', { scanId: view?.scan?.id ?? '' }, { enabled: !!view?.scan });
  const [selected, setSelected] = useState<number | null>(null);
  const components = useMemo(() => new Map<string, ComponentRow>((sbom.data?.components ?? []).map((c) => [c.ref, c])), [sbom.data]);
  // An image's packages: every one nothing depends on is a root (most analyzers report no edges at all).
  const roots = useMemo(() => {
    const d = sbom.data;
    if (!d) return [];
    const dependedOn = new Set(d.dependencies.flatMap((x) => x.dependsOn));
    return d.components.filter((c) => !dependedOn.has(c.ref)).sort(byName).map((c) => c.ref);
  }, [sbom.data]);
  const findingsOf = useMemo(() => {
    const m = new Map<string, FindingRow[]>();
    for (const f of findings.data ?? []) m.set(f.componentRef, [...(m.get(f.componentRef) ?? []), f]);
    return m;
  }, [findings.data]);

  if (q.isPending) return <Loading what="image" />;
  if (q.isError)
    return (
      <div>
        <h1>Image</h1>
        <ErrorBox error={q.error} title="Could not show this image" />
      </div>
    );
  const v = view as ImageView;
  const title = v.refs[0] ?? v.sbomName.replace(IMAGE_SBOM_NAME, '');
  const layer = selected === null ? undefined : v.layers[selected];
  const countFindings = (refs: string[]): number => refs.reduce((n, r) => n + (findingsOf.get(r)?.length ?? 0), 0);

  return (
    <div data-testid="image-view">
      <h1>Image {title}</h1>
      <dl className="kv" data-testid="image-summary">
        <dt>Digest</dt>
        <dd className="mono">{v.digest}</dd>
        {v.refs.length > 1 && (
          <>
            <dt>Also tagged</dt>
            <dd className="mono">{v.refs.slice(1).join(', ')}</dd>
          </>
        )}
        <dt>Format</dt>
        <dd>{v.format === 'docker-archive' ? 'docker-archive (docker save)' : v.format === 'oci' ? 'OCI image layout' : '—'}</dd>
        <dt>Platform</dt>
        <dd>{[v.os, v.architecture, v.variant].filter(Boolean).join(' / ') || '—'}</dd>
        <dt>Distribution</dt>
        <dd data-testid="image-distro">{v.distro ? (v.distro.name ?? `${v.distro.id} ${v.distro.versionId ?? ''}`) : 'none detected'}</dd>
        {v.created && (
          <>
            <dt>Created</dt>
            <dd>{formatDate(v.created)}</dd>
          </>
        )}
        <dt>SBOM</dt>
        <dd>
          <a href={hrefFor('sbom', { id: v.sbomId })}>{v.sbomName}</a>
        </dd>
        <dt>Scan</dt>
        <dd>
          {v.scan ? (
            <>
              <a href={hrefFor('findings', { scan: v.scan.id })} data-testid="image-findings-link">
                {findings.data ? `${findings.data.length} findings` : 'Findings'}
              </a>{' '}
              <span className="muted">({formatDate(v.scan.createdAt)})</span>
            </>
          ) : (
            'not scanned'
          )}
        </dd>
      </dl>

      <h2 id="layers-title">Layers ({v.layers.length})</h2>
      <table className="simple" aria-labelledby="layers-title" data-testid="image-layers">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Digest</th>
            <th scope="col">Size</th>
            <th scope="col">Created by</th>
            <th scope="col">Packages added</th>
            <th scope="col">Findings</th>
          </tr>
        </thead>
        <tbody>
          {v.layers.map((l) => (
            <LayerRow key={l.index} layer={l} selected={selected === l.index} findings={countFindings(l.components)} onToggle={() => setSelected(selected === l.index ? null : l.index)} />
          ))}
        </tbody>
      </table>
      {v.unattributed.length > 0 && <p className="muted">{v.unattributed.length} package(s) are not attributed to a layer.</p>}

      {layer && (
        <section className="panel" aria-labelledby="layer-packages-title" data-testid="layer-packages" style={{ marginTop: 12 }}>
          <h2 id="layer-packages-title" style={{ marginTop: 0 }}>
            Layer {layer.index + 1} added {layer.components.length} package{layer.components.length === 1 ? '' : 's'}
          </h2>
          {layer.createdBy && <pre className="created-by">{layer.createdBy}</pre>}
          {layer.components.length === 0 ? (
            <div className="muted">This layer added or changed no package (files only, or only packages an earlier layer already had).</div>
          ) : sbom.isPending ? (
            <Loading what="packages" />
          ) : (
            <table className="simple" aria-label={`Packages added by layer ${layer.index + 1}`}>
              <thead>
                <tr>
                  <th scope="col">Package</th>
                  <th scope="col">Version</th>
                  <th scope="col">Ecosystem</th>
                  <th scope="col">Findings</th>
                </tr>
              </thead>
              <tbody>
                {[...layer.components].sort((a, b) => byName(components.get(a), components.get(b))).map((ref) => {
                  const c = components.get(ref);
                  const fs = findingsOf.get(ref) ?? [];
                  return (
                    <tr key={ref} data-testid="layer-package">
                      <td title={c?.purl}>{c ? `${c.group ? `${c.group}/` : ''}${c.name}` : ref}</td>
                      <td className="mono">{c?.version ?? '—'}</td>
                      <td>{c?.ecosystem ?? c?.type ?? '—'}</td>
                      <td>
                        {fs.length === 0 || !v.scan ? (
                          <span className="muted">0</span>
                        ) : (
                          <a href={hrefFor('findings', { scan: v.scan.id, finding: fs[0]?.id })} aria-label={`${fs.length} findings of ${c?.name ?? ref}`}>
                            {fs.length}
                          </a>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      )}

      <h2>Component tree</h2>
      {sbom.isPending && <Loading what="components" />}
      {sbom.isError && <ErrorBox error={sbom.error} title="Could not read the image's SBOM" />}
      {sbom.data && (
        <>
          <p className="muted">Packages nothing else depends on, each with what it depends on. Choosing one shows the layer that added it.</p>
          <DependencyTree detail={sbom.data} roots={roots} selectedRef={null} onSelect={(ref) => setSelected(v.layers.find((l) => l.components.includes(ref))?.index ?? null)} />
        </>
      )}
    </div>
  );
}

function byName(a: ComponentRow | undefined, b: ComponentRow | undefined): number {
  return (a?.name ?? '').localeCompare(b?.name ?? '') || (a?.version ?? '').localeCompare(b?.version ?? '');
}

function LayerRow({ layer, selected, findings, onToggle }: { layer: ImageLayerView; selected: boolean; findings: number; onToggle(): void }) {
  const n = layer.components.length;
  return (
    <tr className={selected ? 'selected' : undefined} data-testid="image-layer">
      <td>{layer.index + 1}</td>
      <td className="mono" title={`${layer.digest || layer.diffId}${layer.mediaType ? `\n${layer.mediaType}` : ''}`}>
        {shortDigest(layer.digest || layer.diffId)}
      </td>
      <td>{layer.size !== undefined ? formatBytes(layer.size) : '—'}</td>
      <td className="created-by-cell" title={layer.createdBy}>
        {layer.createdBy ? layer.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').trim() : <span className="muted">not recorded</span>}
      </td>
      <td>
        <button type="button" className="link" aria-pressed={selected} onClick={onToggle} aria-label={`${n} packages added by layer ${layer.index + 1}`}>
          {n}
        </button>
      </td>
      <td>{findings > 0 ? <strong>{findings}</strong> : <span className="muted">0</span>}</td>
    </tr>
  );
}
