/**
 * Syft's native JSON (schema 16.x: `artifacts`, `artifactRelationships`, `source`, `distro`, `descriptor`,
 * `schema`). Artifacts become components (ref = syft's package id), `dependency-of` and package-to-package
 * `contains` relationships become the dependency graph, `locations[].layerID` become layer evidence and
 * the package metadata gives the source package (dpkg `source`/`sourceVersion`, rpm `sourceRpm`, apk
 * `originPackage`). Everything else is kept under `syft:<field>`.
 */
import type { Component, DependencyEdge, InputLimits, Inventory, License, SourcePackage } from '../core';
import { newComponent } from '../core';
import { arr, finalizeInventory, isObject, str } from './_internal/common';
import { enrichFromProperties } from './_internal/enrich';
import { isSpdxExpression } from './_internal/license';
import { canonicalPurl, sourceFromSourceRpm } from './_internal/purl';
import { parseJsonText } from './_internal/text';
import { SbomError, type SbomProblem } from './errors';
import type { FormatRead } from './parse';

export const SYFT_FAMILY = 'syft';
const MAPPED = new Set(['id', 'name', 'version', 'purl', 'cpes', 'licenses', 'locations', 'foundBy']);

function validateSyft(doc: Record<string, unknown>): SbomProblem[] {
  const problems: SbomProblem[] = [];
  if (!Array.isArray(doc.artifacts)) problems.push({ path: '/artifacts', message: 'missing or not an array', expected: 'an array of packages' });
  if (!isObject(doc.schema) || !str(doc.schema.version)) problems.push({ path: '/schema/version', message: 'missing', expected: 'the syft JSON schema version (e.g. "16.0.18")' });
  arr(doc.artifacts).forEach((a, i) => {
    if (!isObject(a)) return void problems.push({ path: `/artifacts/${i}`, message: 'not an object', expected: 'a package object' });
    for (const k of ['id', 'name', 'type'] as const) if (!str(a[k])) problems.push({ path: `/artifacts/${i}/${k}`, message: 'missing', expected: `a string ${k}` });
    if (a.locations !== undefined && !Array.isArray(a.locations)) problems.push({ path: `/artifacts/${i}/locations`, message: 'not an array', expected: 'an array of {path, layerID}' });
  });
  arr(doc.artifactRelationships).forEach((r, i) => {
    if (!isObject(r) || !str(r.parent) || !str(r.child) || !str(r.type)) problems.push({ path: `/artifactRelationships/${i}`, message: 'incomplete relationship', expected: 'an object with parent, child and type' });
  });
  return problems;
}

export async function readSyft(text: string, file: string, limits: InputLimits): Promise<FormatRead> {
  const doc = parseJsonText(text, file, limits.maxDepth);
  if (!isObject(doc)) throw new SbomError('schema-invalid', `${file}: /: expected a syft JSON object`, { details: { file, path: '/', expected: 'an object' } });
  const specVersion = isObject(doc.schema) ? str(doc.schema.version) ?? '' : '';
  if (specVersion && !/^\d+\./.test(specVersion)) throw new SbomError('unsupported-version', `${file}: /schema/version: ${JSON.stringify(specVersion)} is not a syft schema version`, { details: { file, path: '/schema/version', expected: 'e.g. 16.0.18' } });
  return { format: 'syft-json', specVersion, problems: validateSyft(doc), build: () => normalizeSyft(doc, specVersion, file) };
}

function sourceOf(meta: Record<string, unknown>): SourcePackage | undefined {
  const src = str(meta.source);
  if (src) {
    const v = str(meta.sourceVersion);
    return v ? { name: src, version: v } : { name: src };
  }
  const srpm = str(meta.sourceRpm);
  if (srpm) return sourceFromSourceRpm(srpm);
  const origin = str(meta.originPackage);
  if (origin) return { name: origin };
  return undefined;
}

function normalizeSyft(doc: Record<string, unknown>, specVersion: string, file: string): { inventory: Inventory; warnings: string[] } {
  const warnings: string[] = [];
  const components = new Map<string, Component>();
  arr(doc.artifacts).forEach((a, i) => {
    if (!isObject(a)) return;
    const ref = str(a.id) ?? `_:artifacts/${i}`;
    const c = newComponent({ ref, name: str(a.name) ?? '', type: 'library' });
    const version = str(a.version);
    if (version) c.version = version;
    const purl = str(a.purl);
    if (purl) {
      const r = canonicalPurl(purl);
      if (r.ok) c.purl = r.purl;
      else {
        c.extra[`${SYFT_FAMILY}:purl`] = purl;
        warnings.push(`${file}: /artifacts/${i}/purl: invalid purl ${JSON.stringify(purl)} kept as-is (${r.error})`);
      }
    }
    for (const cpe of arr(a.cpes)) {
      const s = isObject(cpe) ? str(cpe.cpe) : str(cpe);
      if (s) c.cpes.push(s);
    }
    for (const l of arr(a.licenses)) {
      const lic: License | undefined = isObject(l)
        ? (() => {
            const expr = str(l.spdxExpression);
            const value = str(l.value) ?? '';
            const t = str(l.type);
            const out: License = expr && isSpdxExpression(expr) ? { expression: expr } : isSpdxExpression(value) ? { expression: value } : { name: value };
            if (t === 'declared' || t === 'concluded') out.acknowledgement = t;
            return out;
          })()
        : typeof l === 'string'
          ? isSpdxExpression(l)
            ? { expression: l }
            : { name: l }
          : undefined;
      if (lic && (lic.expression || lic.name)) c.licenses.push(lic);
    }
    for (const loc of arr(a.locations)) {
      if (!isObject(loc)) continue;
      const path = str(loc.path) ?? str(loc.accessPath);
      if (!path) continue;
      const layer = str(loc.layerID);
      c.locations.push(layer ? { path, layer } : { path });
    }
    const foundBy = str(a.foundBy);
    if (foundBy) c.foundBy = foundBy;
    for (const [k, v] of Object.entries(a)) if (!MAPPED.has(k)) c.extra[`${SYFT_FAMILY}:${k}`] = v;
    const source = isObject(a.metadata) ? sourceOf(a.metadata) : undefined;
    enrichFromProperties(c, [], source ? { source } : {});
    components.set(ref, c);
  });
  const dependencies: DependencyEdge[] = [];
  for (const r of arr(doc.artifactRelationships)) {
    if (!isObject(r)) continue;
    const parent = str(r.parent) ?? '';
    const child = str(r.child) ?? '';
    if (!components.has(parent) || !components.has(child)) continue;
    const type = str(r.type);
    if (type === 'dependency-of') dependencies.push({ ref: child, dependsOn: [parent] });
    else if (type === 'contains') dependencies.push({ ref: parent, dependsOn: [child] });
  }
  const descriptor = isObject(doc.descriptor) ? doc.descriptor : {};
  const source = isObject(doc.source) ? doc.source : {};
  const document: Inventory['document'] = { format: 'syft-json', specVersion, tools: [], authors: [], properties: [], extra: {} };
  const toolName = str(descriptor.name);
  if (toolName) document.tools.push(str(descriptor.version) ? { name: toolName, version: str(descriptor.version) as string } : { name: toolName });
  const srcName = str(source.name);
  if (srcName) document.name = str(source.version) ? `${srcName}@${str(source.version) as string}` : srcName;
  for (const [k, v] of Object.entries(doc)) if (k !== 'artifacts') document.extra[`${SYFT_FAMILY}:${k}`] = v;
  const inv: Inventory = { document, components: [...components.values()], dependencies };
  const distro = isObject(doc.distro) ? doc.distro : undefined;
  if (distro && str(distro.id)) {
    inv.os = { id: str(distro.id) as string };
    const v = str(distro.versionID);
    if (v) inv.os.versionId = v;
    const n = str(distro.prettyName) ?? str(distro.name);
    if (n) inv.os.name = n;
  }
  return { inventory: finalizeInventory(inv), warnings };
}
