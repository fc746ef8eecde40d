/**
 * Validators for exported documents: CycloneDX JSON against the official JSON schemas (ajv, draft-07
 * with the iri/idn formats of ajv-formats-draft2019), CycloneDX XML against the official XSD (the
 * library's XmlValidator, libxmljs2), and SPDX 2.3 / 3.0.1 against the specification's required-field
 * rules (no official SPDX 2.3 JSON schema ships in any npm package we could find; see export/README.md).
 * Each returns a list of problems, empty when the document is valid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { canonicalJson, isObject } from '../../../core';
import { isIriReference } from './common';

// ajv-formats-draft2019 ships no type declarations; its export is `(ajv, opts) => ajv`.
const addFormats2019 = createRequire(import.meta.url)('ajv-formats-draft2019') as (ajv: Ajv, opts?: { formats?: string[] }) => Ajv;


const cdxValidators = new Map<string, ValidateFunction>();

/** Ajv validator for `bom-<version>.schema.json` from a directory holding the official schema set. */
export function cycloneDxSchemaValidator(schemaDir: string, version: string): ValidateFunction {
  const key = `${schemaDir}\u0000${version}`;
  const have = cdxValidators.get(key);
  if (have) return have;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  addFormats2019(ajv, { formats: ['idn-email', 'idn-hostname', 'iri', 'duration'] });
  ajv.addFormat('iri-reference', isIriReference);
  for (const f of readdirSync(schemaDir).sort()) {
    if (!f.endsWith('.schema.json') || (f.startsWith('bom-') && f !== `bom-${version}.schema.json`)) continue;
    ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, f), 'utf8')) as object);
  }
  const v = ajv.getSchema(`http://cyclonedx.org/schema/bom-${version}.schema.json`);
  if (!v) throw new Error(`bom-${version}.schema.json not found in ${schemaDir}`);
  cdxValidators.set(key, v);
  return v;
}

export function validateCycloneDxJsonWithSchema(text: string, schemaDir: string, version: string): string[] {
  const v = cycloneDxSchemaValidator(schemaDir, version);
  if (v(JSON.parse(text))) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`);
}

function specFor(version: string): typeof Spec.Spec1dot6 {
  const s = Spec.SpecVersionDict[version as Spec.Version];
  if (!s) throw new Error(`no CycloneDX spec ${version}`);
  return s;
}

/** The library's strict JSON validator (its bundled copy of the official schemas). */
export async function validateCycloneDxJsonWithLibrary(text: string, version: string): Promise<string[]> {
  const err: unknown = await new Validation.JsonStrictValidator(specFor(version).version).validate(text);
  return err === null ? [] : [JSON.stringify(err)];
}

/** The library's XML validator: the official XSD via libxmljs2. */
export async function validateCycloneDxXml(text: string, version: string): Promise<string[]> {
  const err: unknown = await new Validation.XmlValidator(specFor(version).version).validate(text);
  return err === null ? [] : [JSON.stringify(err)];
}

const DATE_RE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]|23:59:60)Z$/;
const SPDXID_RE = /^SPDXRef-[a-zA-Z0-9.-]+$/;
const SPDX2_ALGS = new Set(['SHA1', 'BLAKE3', 'SHA3-384', 'SHA256', 'SHA384', 'BLAKE2b-512', 'BLAKE2b-256', 'SHA3-512', 'MD2', 'ADLER32', 'MD4', 'SHA3-256', 'BLAKE2b-384', 'SHA512', 'MD6', 'MD5', 'SHA224']);
const SPDX2_REL_TYPES = new Set([
  'VARIANT_OF', 'COPY_OF', 'PATCH_FOR', 'TEST_DEPENDENCY_OF', 'CONTAINED_BY', 'DATA_FILE_OF', 'OPTIONAL_COMPONENT_OF', 'ANCESTOR_OF',
  'GENERATES', 'CONTAINS', 'OPTIONAL_DEPENDENCY_OF', 'FILE_ADDED', 'REQUIREMENT_DESCRIPTION_FOR', 'DEV_DEPENDENCY_OF', 'DEPENDENCY_OF',
  'BUILD_DEPENDENCY_OF', 'DESCRIBES', 'PREREQUISITE_FOR', 'HAS_PREREQUISITE', 'PROVIDED_DEPENDENCY_OF', 'DYNAMIC_LINK', 'DESCRIBED_BY',
  'METAFILE_OF', 'DEPENDENCY_MANIFEST_OF', 'PATCH_APPLIED', 'RUNTIME_DEPENDENCY_OF', 'TEST_OF', 'TEST_TOOL_OF', 'DEPENDS_ON',
  'SPECIFICATION_FOR', 'FILE_MODIFIED', 'DISTRIBUTION_ARTIFACT', 'AMENDS', 'DOCUMENTATION_OF', 'GENERATED_FROM', 'STATIC_LINK', 'OTHER',
  'BUILD_TOOL_OF', 'TEST_CASE_OF', 'PACKAGE_OF', 'DESCENDANT_OF', 'FILE_DELETED', 'EXPANDED_FROM_ARCHIVE', 'DEV_TOOL_OF', 'EXAMPLE_OF',
]);
const SPDX2_PURPOSES = new Set(['APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'OPERATING-SYSTEM', 'DEVICE', 'FIRMWARE', 'SOURCE', 'ARCHIVE', 'FILE', 'INSTALL', 'OTHER']);
const SPDX2_REF_CATEGORIES = new Set(['OTHER', 'PERSISTENT-ID', 'SECURITY', 'PACKAGE-MANAGER', 'PACKAGE_MANAGER', 'PERSISTENT_ID']);

/**
 * SPDX 2.3 JSON rules from the specification (clauses 6–11 and Annex): mandatory document and package
 * fields, identifier and date syntax, enumerations, and referential integrity of relationships.
 */
export function validateSpdx23(text: string): string[] {
  const p: string[] = [];
  const doc: unknown = JSON.parse(text);
  if (!isObject(doc)) return ['/: expected an object'];
  if (doc.spdxVersion !== 'SPDX-2.3') p.push('/spdxVersion: expected "SPDX-2.3"');
  if (doc.dataLicense !== 'CC0-1.0') p.push('/dataLicense: expected "CC0-1.0"');
  if (doc.SPDXID !== 'SPDXRef-DOCUMENT') p.push('/SPDXID: expected "SPDXRef-DOCUMENT"');
  if (typeof doc.name !== 'string' || doc.name === '') p.push('/name: expected a non-empty string');
  if (typeof doc.documentNamespace !== 'string' || doc.documentNamespace.includes('#') || !/^[a-z][a-z0-9+.-]*:/i.test(doc.documentNamespace)) {
    p.push('/documentNamespace: expected an absolute URI without "#"');
  }
  const ci = doc.creationInfo;
  if (!isObject(ci)) p.push('/creationInfo: expected an object');
  else {
    if (typeof ci.created !== 'string' || !DATE_RE.test(ci.created)) p.push('/creationInfo/created: expected YYYY-MM-DDThh:mm:ssZ');
    if (!Array.isArray(ci.creators) || ci.creators.length === 0 || !ci.creators.every((c) => typeof c === 'string' && /^(Person|Organization|Tool): \S/.test(c))) {
      p.push('/creationInfo/creators: expected one or more "Person: …" / "Organization: …" / "Tool: …"');
    }
  }
  const ids = new Set<string>(['SPDXRef-DOCUMENT']);
  const checkAnnotations = (a: unknown, path: string): void => {
    if (a === undefined) return;
    if (!Array.isArray(a)) return void p.push(`${path}: expected an array`);
    a.forEach((x, i) => {
      if (!isObject(x)) return void p.push(`${path}/${i}: expected an object`);
      if (typeof x.annotationDate !== 'string' || !DATE_RE.test(x.annotationDate)) p.push(`${path}/${i}/annotationDate: expected YYYY-MM-DDThh:mm:ssZ`);
      if (x.annotationType !== 'OTHER' && x.annotationType !== 'REVIEW') p.push(`${path}/${i}/annotationType: expected OTHER or REVIEW`);
      if (typeof x.annotator !== 'string' || !/^(Person|Organization|Tool): /.test(x.annotator)) p.push(`${path}/${i}/annotator: expected an agent`);
      if (typeof x.comment !== 'string') p.push(`${path}/${i}/comment: expected a string`);
    });
  };
  checkAnnotations(doc.annotations, '/annotations');
  const licenseRefs = new Set<string>();
  if (doc.hasExtractedLicensingInfos !== undefined) {
    if (!Array.isArray(doc.hasExtractedLicensingInfos)) p.push('/hasExtractedLicensingInfos: expected an array');
    else
      doc.hasExtractedLicensingInfos.forEach((x, i) => {
        if (!isObject(x) || typeof x.licenseId !== 'string' || !/^LicenseRef-[A-Za-z0-9.-]+$/.test(x.licenseId) || typeof x.extractedText !== 'string') {
          p.push(`/hasExtractedLicensingInfos/${i}: expected licenseId LicenseRef-[idstring] and extractedText`);
        } else licenseRefs.add(x.licenseId);
      });
  }
  const pkgs = Array.isArray(doc.packages) ? doc.packages : [];
  if (doc.packages !== undefined && !Array.isArray(doc.packages)) p.push('/packages: expected an array');
  pkgs.forEach((pkg, i) => {
    const at = `/packages/${i}`;
    if (!isObject(pkg)) return void p.push(`${at}: expected an object`);
    if (typeof pkg.SPDXID !== 'string' || !SPDXID_RE.test(pkg.SPDXID)) p.push(`${at}/SPDXID: expected SPDXRef-[idstring]`);
    else if (ids.has(pkg.SPDXID)) p.push(`${at}/SPDXID: duplicate ${pkg.SPDXID}`);
    else ids.add(pkg.SPDXID);
    if (typeof pkg.name !== 'string' || pkg.name === '') p.push(`${at}/name: expected a non-empty string`);
    if (typeof pkg.downloadLocation !== 'string') p.push(`${at}/downloadLocation: expected a string (URL, NONE or NOASSERTION)`);
    if (pkg.primaryPackagePurpose !== undefined && !SPDX2_PURPOSES.has(String(pkg.primaryPackagePurpose))) p.push(`${at}/primaryPackagePurpose: not an SPDX 2.3 purpose`);
    for (const [j, c] of (Array.isArray(pkg.checksums) ? pkg.checksums : []).entries()) {
      if (!isObject(c) || !SPDX2_ALGS.has(String(c.algorithm)) || typeof c.checksumValue !== 'string' || !/^[0-9a-fA-F]+$/.test(c.checksumValue)) {
        p.push(`${at}/checksums/${j}: expected an SPDX 2.3 algorithm and a hex checksumValue`);
      }
    }
    for (const [j, r] of (Array.isArray(pkg.externalRefs) ? pkg.externalRefs : []).entries()) {
      if (!isObject(r) || !SPDX2_REF_CATEGORIES.has(String(r.referenceCategory)) || typeof r.referenceType !== 'string' || typeof r.referenceLocator !== 'string' || /\s/.test(r.referenceLocator)) {
        p.push(`${at}/externalRefs/${j}: expected referenceCategory, referenceType and a referenceLocator without spaces`);
      }
    }
    for (const f of ['licenseConcluded', 'licenseDeclared'] as const) {
      const v = pkg[f];
      if (v === undefined || v === 'NOASSERTION' || v === 'NONE') continue;
      if (typeof v !== 'string') p.push(`${at}/${f}: expected a string`);
      else for (const m of v.matchAll(/LicenseRef-[A-Za-z0-9.-]+/g)) if (!licenseRefs.has(m[0])) p.push(`${at}/${f}: ${m[0]} has no hasExtractedLicensingInfos entry`);
    }
    checkAnnotations(pkg.annotations, `${at}/annotations`);
  });
  for (const key of ['files', 'snippets'] as const) {
    for (const [i, el] of (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : []).entries()) {
      if (!isObject(el) || typeof el.SPDXID !== 'string' || !SPDXID_RE.test(el.SPDXID)) p.push(`/${key}/${i}/SPDXID: expected SPDXRef-[idstring]`);
      else if (ids.has(el.SPDXID)) p.push(`/${key}/${i}/SPDXID: duplicate ${el.SPDXID}`);
      else ids.add(el.SPDXID);
    }
  }
  let describes = 0;
  for (const [i, r] of (Array.isArray(doc.relationships) ? doc.relationships : []).entries()) {
    const at = `/relationships/${i}`;
    if (!isObject(r)) {
      p.push(`${at}: expected an object`);
      continue;
    }
    if (!SPDX2_REL_TYPES.has(String(r.relationshipType))) p.push(`${at}/relationshipType: not an SPDX 2.3 relationship type`);
    if (r.relationshipType === 'DESCRIBES' && r.spdxElementId === 'SPDXRef-DOCUMENT') describes++;
    for (const k of ['spdxElementId', 'relatedSpdxElement'] as const) {
      const v = r[k];
      if (typeof v !== 'string' || (!ids.has(v) && v !== 'NONE' && v !== 'NOASSERTION' && !v.startsWith('DocumentRef-'))) p.push(`${at}/${k}: ${JSON.stringify(v)} is not an element of the document`);
    }
  }
  if (pkgs.length > 0 && describes === 0 && !Array.isArray(doc.documentDescribes)) p.push('/relationships: expected at least one SPDXRef-DOCUMENT DESCRIBES relationship');
  return p;
}

const SPDX3_HASH_ALGS = new Set([
  'adler32', 'blake2b256', 'blake2b384', 'blake2b512', 'blake3', 'crystalsDilithium', 'crystalsKyber', 'falcon', 'md2', 'md4', 'md5', 'md6',
  'other', 'sha1', 'sha224', 'sha256', 'sha384', 'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512', 'sha512',
]);
const SPDX3_PURPOSES = new Set([
  'application', 'archive', 'bom', 'configuration', 'container', 'data', 'device', 'deviceDriver', 'diskImage', 'documentation', 'evidence',
  'executable', 'file', 'filesystemImage', 'firmware', 'framework', 'install', 'library', 'manifest', 'model', 'module', 'operatingSystem',
  'other', 'patch', 'platform', 'requirement', 'source', 'specification', 'test',
]);

/** SPDX 3.0.1 JSON-LD rules: context, one CreationInfo, typed elements with IRIs, references that resolve. */
export function validateSpdx3(text: string): string[] {
  const p: string[] = [];
  const doc: unknown = JSON.parse(text);
  if (!isObject(doc)) return ['/: expected an object'];
  if (doc['@context'] !== 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld') p.push('/@context: expected the SPDX 3.0.1 context');
  const graph = Array.isArray(doc['@graph']) ? doc['@graph'] : [];
  if (!Array.isArray(doc['@graph'])) p.push('/@graph: expected an array');
  const ids = new Set<string>();
  const first = new Map<string, string>();
  /** Elements of other documents the document imports (ExternalMap.externalSpdxId). */
  const external = new Set<string>();
  const blank = new Set<string>();
  for (const [i, e] of graph.entries()) {
    if (!isObject(e) || typeof e.type !== 'string') {
      p.push(`/@graph/${i}: expected an object with a type`);
      continue;
    }
    if (e.type === 'CreationInfo') {
      if (typeof e['@id'] !== 'string' || !e['@id'].startsWith('_:')) p.push(`/@graph/${i}/@id: expected a blank node id`);
      else blank.add(e['@id']);
      if (e.specVersion !== '3.0.1') p.push(`/@graph/${i}/specVersion: expected 3.0.1`);
      if (typeof e.created !== 'string' || !DATE_RE.test(e.created)) p.push(`/@graph/${i}/created: expected YYYY-MM-DDThh:mm:ssZ`);
      if (!Array.isArray(e.createdBy) || e.createdBy.length === 0) p.push(`/@graph/${i}/createdBy: expected at least one Agent`);
      continue;
    }
    if (typeof e.spdxId !== 'string' || !/^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(e.spdxId)) p.push(`/@graph/${i}/spdxId: expected an IRI`);
    else if (ids.has(e.spdxId) && canonicalJson(e) !== first.get(e.spdxId)) p.push(`/@graph/${i}/spdxId: ${e.spdxId} names two different elements`);
    else {
      // The same element serialized twice is one RDF node; only conflicting definitions are an error.
      ids.add(e.spdxId);
      first.set(e.spdxId, canonicalJson(e));
    }
    if (e.type === 'SpdxDocument') {
      for (const m of Array.isArray(e.import) ? e.import : []) if (isObject(m) && typeof m.externalSpdxId === 'string') external.add(m.externalSpdxId);
    }
  }
  const ref = (v: unknown, at: string): void => {
    if (typeof v !== 'string' || !(ids.has(v) || external.has(v))) p.push(`${at}: ${JSON.stringify(v)} does not name an element of the document or an imported one`);
  };
  let documents = 0;
  for (const [i, e] of graph.entries()) {
    if (!isObject(e) || e.type === 'CreationInfo') continue;
    const at = `/@graph/${i}`;
    if (typeof e.creationInfo !== 'string' || !blank.has(e.creationInfo)) p.push(`${at}/creationInfo: expected a CreationInfo blank node`);
    switch (e.type) {
      case 'SpdxDocument':
        documents++;
        (Array.isArray(e.rootElement) ? e.rootElement : []).forEach((r, j) => ref(r, `${at}/rootElement/${j}`));
        (Array.isArray(e.element) ? e.element : []).forEach((r, j) => ref(r, `${at}/element/${j}`));
        break;
      case 'software_Package':
        if (typeof e.name !== 'string') p.push(`${at}/name: expected a string`);
        if (e.software_primaryPurpose !== undefined && !SPDX3_PURPOSES.has(String(e.software_primaryPurpose))) p.push(`${at}/software_primaryPurpose: not a 3.0.1 purpose`);
        for (const [j, h] of (Array.isArray(e.verifiedUsing) ? e.verifiedUsing : []).entries()) {
          const integrity = isObject(h) && (h.type === 'Hash' || h.type === 'PackageVerificationCode');
          if (!integrity || !SPDX3_HASH_ALGS.has(String(h.algorithm)) || typeof h.hashValue !== 'string') p.push(`${at}/verifiedUsing/${j}: expected a Hash or PackageVerificationCode with a 3.0.1 algorithm`);
        }
        if (e.suppliedBy !== undefined) ref(e.suppliedBy, `${at}/suppliedBy`);
        break;
      case 'Relationship':
        ref(e.from, `${at}/from`);
        if (!Array.isArray(e.to) || e.to.length === 0) p.push(`${at}/to: expected at least one element`);
        else e.to.forEach((t, j) => ref(t, `${at}/to/${j}`));
        if (typeof e.relationshipType !== 'string') p.push(`${at}/relationshipType: expected a string`);
        break;
      case 'Annotation':
        if (typeof e.subject !== 'string' || !(ids.has(e.subject) || graph.some((g) => isObject(g) && g.spdxId === e.subject))) p.push(`${at}/subject: expected an element`);
        if (typeof e.annotationType !== 'string') p.push(`${at}/annotationType: expected a string`);
        break;
      default:
        break;
    }
  }
  if (documents !== 1) p.push(`/@graph: expected exactly one SpdxDocument, found ${documents}`);
  return p;
}
