/**
 * Trivy's JSON report (SchemaVersion 2; packages are present when Trivy ran with --list-all-pkgs).
 * Every `Results[].Packages[]` entry becomes a component (ref = Identifier.UID, else `<Target>|<ID>`),
 * `DependsOn` becomes the dependency graph, `Layer.DiffID` the layer evidence and `SrcName`/`SrcVersion`/
 * `SrcRelease`/`SrcEpoch` the source package. Everything else is kept under `trivy:<field>`.
 */
import type { Component, DependencyEdge, InputLimits, Inventory } from '../core';
import { newComponent } from '../core';
import { arr, finalizeInventory, isObject, str } from './_internal/common';
import { enrichFromProperties } from './_internal/enrich';
import { licenseFromString } from './_internal/license';
import { canonicalPurl } from './_internal/purl';
import { parseJsonText } from './_internal/text';
import { SbomError, type SbomProblem } from './errors';
import type { FormatRead } from './parse';

export const TRIVY_FAMILY = 'trivy';
const MAPPED = new Set(['Name', 'Version', 'Release', 'Epoch', 'Identifier', 'Licenses', 'DependsOn', 'Layer', 'FilePath', 'SrcName', 'SrcVersion', 'SrcRelease', 'SrcEpoch']);

function validateTrivy(doc: Record<string, unknown>): SbomProblem[] {
  const problems: SbomProblem[] = [];
  if (doc.SchemaVersion !== 2) problems.push({ path: '/SchemaVersion', message: `unsupported value ${JSON.stringify(doc.SchemaVersion)}`, expected: '2' });
  if (doc.Results !== undefined && !Array.isArray(doc.Results)) problems.push({ path: '/Results', message: 'not an array', expected: 'an array of results' });
  arr(doc.Results).forEach((r, i) => {
    if (!isObject(r)) return void problems.push({ path: `/Results/${i}`, message: 'not an object', expected: 'a result object' });
    if (!str(r.Target)) problems.push({ path: `/Results/${i}/Target`, message: 'missing', expected: 'the scanned target' });
    arr(r.Packages).forEach((p, j) => {
      if (!isObject(p) || !str(p.Name)) problems.push({ path: `/Results/${i}/Packages/${j}/Name`, message: 'missing', expected: 'the package name' });
    });
  });
  return problems;
}

export async function readTrivy(text: string, file: string, limits: InputLimits): Promise<FormatRead> {
  const doc = parseJsonText(text, file, limits.maxDepth);
  if (!isObject(doc)) throw new SbomError('schema-invalid', `${file}: /: expected a Trivy JSON report object`, { details: { file, path: '/', expected: 'an object' } });
  return { format: 'trivy-json', specVersion: String(doc.SchemaVersion ?? ''), problems: validateTrivy(doc), build: () => normalizeTrivy(doc, file) };
}

function fullVersion(p: Record<string, unknown>): string | undefined {
  const v = str(p.Version);
  if (!v) return undefined;
  const rel = str(p.Release);
  const epoch = typeof p.Epoch === 'number' ? p.Epoch : Number(str(p.Epoch) ?? 0);
  return `${epoch ? `${epoch}:` : ''}${v}${rel ? `-${rel}` : ''}`;
}

function normalizeTrivy(doc: Record<string, unknown>, file: string): { inventory: Inventory; warnings: string[] } {
  const warnings: string[] = [];
  const components = new Map<string, Component>();
  const refById = new Map<string, string>();
  const pending: { ref: string; dependsOn: string[]; target: string }[] = [];
  arr(doc.Results).forEach((r, i) => {
    if (!isObject(r)) return;
    const target = str(r.Target) ?? '';
    arr(r.Packages).forEach((p, j) => {
      if (!isObject(p)) return;
      const ident = isObject(p.Identifier) ? p.Identifier : {};
      const id = str(p.ID) ?? `${str(p.Name) ?? ''}@${str(p.Version) ?? ''}`;
      let ref = str(ident.UID) ?? `${target}|${id}`;
      if (components.has(ref)) ref = `${ref}#${i}.${j}`;
      refById.set(`${target}|${id}`, ref);
      if (!refById.has(id)) refById.set(id, ref);
      const c = newComponent({ ref, name: str(p.Name) ?? '', type: 'library' });
      const version = fullVersion(p);
      if (version) c.version = version;
      const purl = str(ident.PURL);
      if (purl) {
        const pr = canonicalPurl(purl);
        if (pr.ok) c.purl = pr.purl;
        else {
          c.extra[`${TRIVY_FAMILY}:PURL`] = purl;
          warnings.push(`${file}: /Results/${i}/Packages/${j}/Identifier/PURL: invalid purl ${JSON.stringify(purl)} kept as-is (${pr.error})`);
        }
      }
      for (const l of arr(p.Licenses)) {
        const lic = typeof l === 'string' ? licenseFromString(l) : undefined;
        if (lic) c.licenses.push(lic);
      }
      const layer = isObject(p.Layer) ? str(p.Layer.DiffID) : undefined;
      const filePath = str(p.FilePath);
      if (filePath) c.locations.push(layer ? { path: filePath, layer } : { path: filePath });
      if (layer) c.layer = layer;
      const srcName = str(p.SrcName);
      if (srcName) {
        const sv = fullVersion({ Version: p.SrcVersion, Release: p.SrcRelease, Epoch: p.SrcEpoch });
        c.source = sv ? { name: srcName, version: sv } : { name: srcName };
      }
      for (const [k, v] of Object.entries(p)) if (!MAPPED.has(k)) c.extra[`${TRIVY_FAMILY}:${k}`] = v;
      const identRest = Object.fromEntries(Object.entries(ident).filter(([k]) => k !== 'PURL'));
      if (Object.keys(identRest).length) c.extra[`${TRIVY_FAMILY}:Identifier`] = identRest;
      c.extra[`${TRIVY_FAMILY}:Target`] = target;
      enrichFromProperties(c, [], c.source ? { source: c.source } : {});
      components.set(ref, c);
      const deps = arr(p.DependsOn).map(str).filter((x): x is string => !!x);
      if (deps.length) pending.push({ ref, dependsOn: deps, target });
    });
  });
  const dependencies: DependencyEdge[] = pending.map((d) => ({ ref: d.ref, dependsOn: d.dependsOn.map((x) => refById.get(`${d.target}|${x}`) ?? refById.get(x) ?? x).filter((x) => components.has(x)) }));
  const meta = isObject(doc.Metadata) ? doc.Metadata : {};
  const document: Inventory['document'] = { format: 'trivy-json', specVersion: String(doc.SchemaVersion ?? ''), tools: [{ vendor: 'Aqua Security', name: 'trivy' }], authors: [], properties: [], extra: {} };
  const name = str(doc.ArtifactName);
  if (name) document.name = name;
  const created = str(doc.CreatedAt);
  if (created) document.created = created;
  for (const [k, v] of Object.entries(doc)) if (k !== 'Results' && k !== 'ArtifactName' && k !== 'CreatedAt') document.extra[`${TRIVY_FAMILY}:${k}`] = v;
  // Results without packages (vulnerabilities, secrets) are kept; packages live in components.
  document.extra[`${TRIVY_FAMILY}:Results`] = arr(doc.Results).map((r) => (isObject(r) ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'Packages')) : r));
  const inv: Inventory = { document, components: [...components.values()], dependencies: dependencies.filter((d) => d.dependsOn.length) };
  const os = isObject(meta.OS) ? meta.OS : undefined;
  if (os && str(os.Family)) {
    inv.os = { id: str(os.Family) as string };
    const v = str(os.Name);
    if (v) inv.os.versionId = v;
  }
  return { inventory: finalizeInventory(inv), warnings };
}
