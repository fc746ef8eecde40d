/**
 * SPDX 2.2/2.3 in every encoding (JSON, YAML, XML, tag-value) → one JSON shape → validated → Inventory.
 * Packages become components (all of them, including the described ones: SPDX has no separate subject),
 * package-to-package relationships become the dependency graph, files become evidence locations of the
 * packages that contain them, and every field the model does not name is kept under `spdx:<field>`.
 */
import YAML from 'yaml';
import type { Component, ComponentType, DependencyEdge, Hash, InputLimits, Inventory, Property, SbomFormat, SourcePackage } from '../../core';
import { newComponent } from '../../core';
import { arr, finalizeInventory, isObject, str } from '../_internal/common';
import { enrichFromProperties } from '../_internal/enrich';
import { licenseFromString } from '../_internal/license';
import { canonicalPurl } from '../_internal/purl';
import { parseJsonText } from '../_internal/text';
import { parseSafeXml } from '../_internal/xml';
import { SbomError } from '../errors';
import type { FormatRead } from '../parse';
import { SPDX2_VERSIONS, validateSpdx2Json } from './schema2';
import { parseSpdxTagValue } from './tagvalue';

export const SPDX_FAMILY = 'spdx';

const XML_ARRAYS = new Set([
  'packages', 'files', 'snippets', 'relationships', 'annotations', 'creators', 'checksums', 'externalRefs', 'hasFiles', 'licenseInfoFromFiles',
  'licenseInfoInFiles', 'licenseInfoInSnippets', 'fileTypes', 'fileContributors', 'attributionTexts', 'documentDescribes', 'externalDocumentRefs',
  'hasExtractedLicensingInfos', 'seeAlsos', 'ranges', 'packageVerificationCodeExcludedFiles', 'fileDependencies', 'crossRefs',
]);

function xmlToJsonShape(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => xmlToJsonShape(x, key));
  if (!isObject(v)) {
    if (key === 'filesAnalyzed' && (v === 'true' || v === 'false')) return v === 'true';
    if ((key === 'offset' || key === 'lineNumber') && typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
    return v;
  }
  const out: Record<string, unknown> = {};
  for (const [k, child] of Object.entries(v)) {
    if (k.startsWith('@_')) continue;
    out[k === '#text' ? 'value' : k] = xmlToJsonShape(child, k);
  }
  return out;
}

function parseYaml(text: string, file: string, limits: InputLimits): unknown {
  try {
    return YAML.parse(text, { maxAliasCount: limits.maxYamlAliases, prettyErrors: true, uniqueKeys: true });
  } catch (cause) {
    const e = cause as Error & { linePos?: [{ line: number; col: number }] };
    const pos = e.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const tooMany = /alias/i.test(e.message) && /exceed|too many|Excessive/i.test(e.message);
    throw new SbomError(tooMany ? 'forbidden-construct' : 'malformed', `${file}: ${tooMany ? `YAML alias expansion exceeds the limit of ${limits.maxYamlAliases}` : 'malformed YAML'}${where}: ${e.message.split('\n')[0]}; expected a well-formed YAML document`, {
      cause,
      details: { file, ...(pos ? { line: pos.line, column: pos.col } : {}), expected: 'well-formed YAML without alias bombs' },
    });
  }
}

export async function readSpdx2(text: string, file: string, format: SbomFormat, limits: InputLimits): Promise<FormatRead> {
  let doc: unknown;
  switch (format) {
    case 'spdx-json':
      doc = parseJsonText(text, file, limits.maxDepth);
      break;
    case 'spdx-yaml':
      doc = parseYaml(text, file, limits);
      break;
    case 'spdx-xml': {
      const parsed = parseSafeXml(text, file, { isArray: (name) => XML_ARRAYS.has(name), maxDepth: limits.maxDepth });
      doc = xmlToJsonShape(parsed.Document ?? parsed.SpdxDocument);
      break;
    }
    case 'spdx-tag-value':
      doc = parseSpdxTagValue(text, file);
      break;
    default:
      throw new SbomError('unknown-format', `${file}: ${format} is not an SPDX 2 encoding`, { details: { file } });
  }
  if (!isObject(doc)) throw new SbomError('schema-invalid', `${file}: /: expected an SPDX document object`, { details: { file, path: '/', expected: 'an object' } });
  const version = str(doc.spdxVersion);
  if (!version || !(SPDX2_VERSIONS as readonly string[]).includes(version)) {
    throw new SbomError('unsupported-version', `${file}: /spdxVersion: SPDX version ${JSON.stringify(version ?? null)} is not supported; expected one of ${SPDX2_VERSIONS.join(', ')}`, {
      details: { file, path: '/spdxVersion', expected: `one of ${SPDX2_VERSIONS.join(', ')}` },
    });
  }
  const problems = validateSpdx2Json(doc);
  const d = doc;
  return { format, specVersion: version.slice(5), problems, build: () => normalizeSpdx2(d, format, version.slice(5), file) };
}

const PURPOSE_TYPE: Record<string, ComponentType> = {
  APPLICATION: 'application', FRAMEWORK: 'framework', LIBRARY: 'library', CONTAINER: 'container', 'OPERATING-SYSTEM': 'operating-system',
  DEVICE: 'device', FIRMWARE: 'firmware', FILE: 'file', ARCHIVE: 'file', SOURCE: 'library', INSTALL: 'application', OTHER: 'library',
};

const ALG: Record<string, string> = {
  SHA1: 'SHA-1', SHA224: 'SHA-224', SHA256: 'SHA-256', SHA384: 'SHA-384', SHA512: 'SHA-512', MD5: 'MD5', 'SHA3-256': 'SHA3-256', 'SHA3-384': 'SHA3-384',
  'SHA3-512': 'SHA3-512', 'BLAKE2b-256': 'BLAKE2b-256', 'BLAKE2b-384': 'BLAKE2b-384', 'BLAKE2b-512': 'BLAKE2b-512', BLAKE3: 'BLAKE3',
};

/** Checksums: the model's CycloneDX spelling where one exists, else the SPDX name. */
export function spdxChecksums(v: unknown): Hash[] {
  return arr(v)
    .filter(isObject)
    .map((c) => ({ alg: ALG[str(c.algorithm) ?? ''] ?? str(c.algorithm) ?? '', content: (str(c.checksumValue) ?? '').toLowerCase() }))
    .filter((h) => h.alg && h.content);
}

/** "Organization: ACME (ops@acme.example)" → {name, email}. */
function actor(v: string | undefined): { kind: string; name: string; email?: string } | undefined {
  if (!v || v === 'NOASSERTION') return undefined;
  const m = /^(Person|Organization|Tool):\s*(.*?)\s*(?:\(([^)]*)\))?\s*$/.exec(v);
  if (!m) return { kind: 'unknown', name: v };
  const out: { kind: string; name: string; email?: string } = { kind: m[1] as string, name: m[2] as string };
  if (m[3]) out.email = m[3];
  return out;
}

const PKG_MAPPED = new Set([
  'SPDXID', 'name', 'versionInfo', 'checksums', 'licenseConcluded', 'licenseDeclared', 'supplier', 'copyrightText', 'description', 'primaryPackagePurpose',
]);
const DOC_MAPPED = new Set(['spdxVersion', 'name', 'documentNamespace', 'packages']);

const DEP_FORWARD = new Set(['DEPENDS_ON', 'CONTAINS']);
const DEP_REVERSE = new Set([
  'DEPENDENCY_OF', 'BUILD_DEPENDENCY_OF', 'DEV_DEPENDENCY_OF', 'OPTIONAL_DEPENDENCY_OF', 'PROVIDED_DEPENDENCY_OF', 'TEST_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF', 'CONTAINED_BY',
]);

export function normalizeSpdx2(doc: Record<string, unknown>, format: SbomFormat, specVersion: string, file: string): { inventory: Inventory; warnings: string[] } {
  const warnings: string[] = [];
  const components: Component[] = [];
  const byId = new Map<string, Component>();
  const filesById = new Map<string, Record<string, unknown>>();
  for (const f of arr(doc.files)) if (isObject(f) && typeof f.SPDXID === 'string') filesById.set(f.SPDXID, f);

  arr(doc.packages).forEach((p, i) => {
    if (!isObject(p)) return;
    const ref = str(p.SPDXID) ?? `_:packages/${i}`;
    const purpose = str(p.primaryPackagePurpose);
    const c = newComponent({ ref, name: str(p.name) ?? '', type: (purpose && PURPOSE_TYPE[purpose]) || 'library' });
    if (purpose) c.extra[`${SPDX_FAMILY}:primaryPackagePurpose`] = purpose;
    const version = str(p.versionInfo);
    if (version !== undefined) c.version = version;
    c.hashes = spdxChecksums(p.checksums);
    const concluded = str(p.licenseConcluded);
    const declared = str(p.licenseDeclared);
    const lc = concluded ? licenseFromString(concluded, 'concluded') : undefined;
    const ld = declared ? licenseFromString(declared, 'declared') : undefined;
    if (ld) c.licenses.push(ld);
    if (lc) c.licenses.push(lc);
    const sup = actor(str(p.supplier));
    if (sup) c.supplier = sup.email ? { name: sup.name, contact: [{ email: sup.email }] } : { name: sup.name };
    if (str(p.supplier) && sup?.kind !== 'Organization') c.extra[`${SPDX_FAMILY}:supplier`] = p.supplier;
    const orig = actor(str(p.originator));
    if (orig) c.author = orig.name;
    const copyright = str(p.copyrightText);
    if (copyright !== undefined && copyright !== 'NOASSERTION' && copyright !== 'NONE') c.copyright = copyright;
    else if (copyright !== undefined) c.extra[`${SPDX_FAMILY}:copyrightText`] = copyright;
    const description = str(p.description);
    if (description !== undefined) c.description = description;
    const otherRefs: unknown[] = [];
    for (const r of arr(p.externalRefs)) {
      if (!isObject(r)) continue;
      const type = str(r.referenceType);
      const loc = str(r.referenceLocator) ?? '';
      if (type === 'purl' && !c.purl) {
        const pr = canonicalPurl(loc);
        if (pr.ok) {
          c.purl = pr.purl;
          continue;
        }
        warnings.push(`${file}: /packages/${i}/externalRefs: invalid purl ${JSON.stringify(loc)} kept as-is (${pr.error})`);
      } else if (type === 'cpe23Type' || type === 'cpe22Type') {
        c.cpes.push(loc);
        continue;
      }
      otherRefs.push(r);
    }
    if (otherRefs.length) c.extra[`${SPDX_FAMILY}:externalRefs`] = otherRefs;
    // Annotations written by Stella's exporter carry `stella:*` properties as "name=value" comments.
    const props: Property[] = [];
    const otherAnnotations: unknown[] = [];
    for (const a of arr(p.annotations)) {
      const m = isObject(a) ? /^(stella:[^=]+)=([\s\S]*)$/.exec(str(a.comment) ?? '') : null;
      if (m) props.push({ name: m[1] as string, value: m[2] as string });
      else otherAnnotations.push(a);
    }
    for (const [k, v] of Object.entries(p)) {
      if (PKG_MAPPED.has(k) || k === 'externalRefs' || k === 'annotations' || k === 'originator') continue;
      c.extra[`${SPDX_FAMILY}:${k}`] = v;
    }
    if (str(p.originator) !== undefined) c.extra[`${SPDX_FAMILY}:originator`] = p.originator;
    if (otherAnnotations.length) c.extra[`${SPDX_FAMILY}:annotations`] = otherAnnotations;
    // sourceInfo as Trivy writes it: "built package from: glibc 2.36-9+deb12u4".
    let source: SourcePackage | undefined;
    const m = /^built package from:\s*(\S+)(?:\s+(\S+))?\s*$/i.exec(str(p.sourceInfo) ?? '');
    if (m) source = m[2] ? { name: m[1] as string, version: m[2] } : { name: m[1] as string };
    for (const fid of arr(p.hasFiles)) {
      const f = typeof fid === 'string' ? filesById.get(fid) : undefined;
      const path = f ? str(f.fileName) : undefined;
      if (path) c.locations.push({ path });
    }
    enrichFromProperties(c, props, source ? { source } : {});
    if (byId.has(ref)) return; // duplicate SPDXIDs are reported by validation
    byId.set(ref, c);
    components.push(c);
  });

  const dependencies: DependencyEdge[] = [];
  for (const r of arr(doc.relationships)) {
    if (!isObject(r)) continue;
    const type = str(r.relationshipType) ?? '';
    const a = str(r.spdxElementId) ?? '';
    const b = str(r.relatedSpdxElement) ?? '';
    const ca = byId.get(a);
    if (type === 'CONTAINS' && ca && filesById.has(b)) {
      const path = str(filesById.get(b)?.fileName);
      if (path && !ca.locations.some((l) => l.path === path)) ca.locations.push({ path });
      continue;
    }
    if (!byId.has(a) || !byId.has(b)) continue;
    if (DEP_FORWARD.has(type)) dependencies.push({ ref: a, dependsOn: [b] });
    else if (DEP_REVERSE.has(type)) dependencies.push({ ref: b, dependsOn: [a] });
  }

  const creation = isObject(doc.creationInfo) ? doc.creationInfo : {};
  const tools: Inventory['document']['tools'] = [];
  const authors: string[] = [];
  for (const cr of arr(creation.creators)) {
    const a = actor(str(cr));
    if (!a) continue;
    if (a.kind === 'Tool') {
      const m = /^(.*?)-(\d[\w.+-]*)$/.exec(a.name);
      tools.push(m ? { name: m[1] as string, version: m[2] as string } : { name: a.name });
    } else authors.push(a.email ? `${a.name} <${a.email}>` : a.name);
  }
  // Document properties travel as annotations made by Stella's exporter (`Tool: stella-evidence-workstation`).
  const properties: Property[] = [];
  const otherDocAnnotations: unknown[] = [];
  for (const a of arr(doc.annotations)) {
    const m = isObject(a) && /^Tool:\s*stella-evidence-workstation\b/.test(str(a.annotator) ?? '') ? /^([^=]+)=([\s\S]*)$/.exec(str(a.comment) ?? '') : null;
    if (m) properties.push({ name: m[1] as string, value: m[2] as string });
    else otherDocAnnotations.push(a);
  }
  const document: Inventory['document'] = { format, specVersion, tools, authors, properties, extra: {} };
  const name = str(doc.name);
  if (name) document.name = name;
  const ns = str(doc.documentNamespace);
  if (ns) document.serialNumber = ns;
  const created = str(creation.created);
  if (created) document.created = created;
  for (const [k, v] of Object.entries(doc)) if (!DOC_MAPPED.has(k) && k !== 'annotations') document.extra[`${SPDX_FAMILY}:${k}`] = v;
  if (otherDocAnnotations.length) document.extra[`${SPDX_FAMILY}:annotations`] = otherDocAnnotations;
  return { inventory: finalizeInventory({ document, components, dependencies }), warnings };
}
