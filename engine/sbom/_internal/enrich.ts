/**
 * Derives source-package and layer/file evidence from the properties that scanners put on components
 * (syft, Trivy, Stella's own `stella:*`) and from the purl's `upstream=` qualifier. The properties themselves
 * stay on the component (except `stella:*`, which become fields), so nothing is lost.
 */
import type { Component, Property, SourcePackage } from '../../core';
import { applyStellaProperties } from './stella-properties';
import { canonicalPurl, sourceFromSourceRpm, upstreamFromPurl } from './purl';

export interface EnrichOptions {
  /** Source package already known from the format itself (CycloneDX pedigree, SPDX sourceInfo). */
  source?: SourcePackage;
}

export function enrichFromProperties(c: Component, props: readonly Property[], opts: EnrichOptions = {}): void {
  const get = (name: string): string | undefined => props.find((p) => p.name === name)?.value;
  let source: SourcePackage | undefined;
  // Lowest precedence first; later assignments win.
  if (c.purl?.includes('upstream=')) source = upstreamFromPurl(canonicalPurl(c.purl)) ?? source;
  const srpm = get('syft:metadata:sourceRpm');
  if (srpm) source = sourceFromSourceRpm(srpm) ?? source;
  const syftSrc = get('syft:metadata:source');
  if (syftSrc) {
    const v = get('syft:metadata:sourceVersion');
    source = v ? { name: syftSrc, version: v } : { name: syftSrc };
  }
  const trivySrc = get('aquasecurity:trivy:SrcName');
  if (trivySrc) {
    const ver = get('aquasecurity:trivy:SrcVersion');
    const rel = get('aquasecurity:trivy:SrcRelease');
    const epoch = get('aquasecurity:trivy:SrcEpoch');
    let version = ver;
    if (version && rel) version = `${version}-${rel}`;
    if (version && epoch && epoch !== '0') version = `${epoch}:${version}`;
    source = version ? { name: trivySrc, version } : { name: trivySrc };
  }
  if (opts.source) source = opts.source;
  if (source) c.source = source;

  const trivyLayer = get('aquasecurity:trivy:LayerDiffID');
  if (trivyLayer) c.layer = trivyLayer;
  // syft's CycloneDX output: syft:location:<n>:path / syft:location:<n>:layerID
  const syftLocs = new Map<string, { path?: string; layer?: string }>();
  for (const p of props) {
    const m = /^syft:location:(\d+):(path|layerID)$/.exec(p.name);
    if (!m) continue;
    const key = m[1] as string;
    const loc = syftLocs.get(key) ?? {};
    if (m[2] === 'path') loc.path = p.value;
    else loc.layer = p.value;
    syftLocs.set(key, loc);
  }
  for (const [, loc] of [...syftLocs].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    if (!loc.path) continue;
    if (!c.locations.some((l) => l.path === loc.path && l.layer === loc.layer)) c.locations.push(loc.layer ? { path: loc.path, layer: loc.layer } : { path: loc.path });
  }
  const trivyPath = get('aquasecurity:trivy:FilePath');
  if (trivyPath && !c.locations.some((l) => l.path === trivyPath)) c.locations.push(trivyLayer ? { path: trivyPath, layer: trivyLayer } : { path: trivyPath });
  if (!c.layer) {
    const layers = new Set(c.locations.map((l) => l.layer).filter((l): l is string => !!l));
    if (layers.size === 1) c.layer = [...layers][0];
  }

  c.properties = applyStellaProperties(c, props);
}
