/**
 * SPDX 2.2/2.3 document checks. No npm package ships the official SPDX 2.3 JSON schema, so these are
 * the spec's required fields and enumerations (SPDX 2.3 §6–§11, shared with 2.2), expressed with zod
 * and applied to every SPDX 2 encoding after conversion to the JSON shape.
 */
import { z } from 'zod';
import type { SbomProblem } from '../errors';

export const SPDX2_VERSIONS = ['SPDX-2.2', 'SPDX-2.3'] as const;

export const RELATIONSHIP_TYPES = [
  'DESCRIBES', 'DESCRIBED_BY', 'CONTAINS', 'CONTAINED_BY', 'DEPENDS_ON', 'DEPENDENCY_OF', 'DEPENDENCY_MANIFEST_OF', 'BUILD_DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF', 'OPTIONAL_DEPENDENCY_OF', 'PROVIDED_DEPENDENCY_OF', 'TEST_DEPENDENCY_OF', 'RUNTIME_DEPENDENCY_OF', 'EXAMPLE_OF',
  'GENERATES', 'GENERATED_FROM', 'ANCESTOR_OF', 'DESCENDANT_OF', 'VARIANT_OF', 'DISTRIBUTION_ARTIFACT', 'PATCH_FOR', 'PATCH_APPLIED',
  'COPY_OF', 'FILE_ADDED', 'FILE_DELETED', 'FILE_MODIFIED', 'EXPANDED_FROM_ARCHIVE', 'DYNAMIC_LINK', 'STATIC_LINK', 'DATA_FILE_OF',
  'TEST_CASE_OF', 'BUILD_TOOL_OF', 'DEV_TOOL_OF', 'TEST_OF', 'TEST_TOOL_OF', 'DOCUMENTATION_OF', 'OPTIONAL_COMPONENT_OF', 'METAFILE_OF',
  'PACKAGE_OF', 'AMENDS', 'PREREQUISITE_FOR', 'HAS_PREREQUISITE', 'REQUIREMENT_DESCRIPTION_FOR', 'SPECIFICATION_FOR', 'OTHER',
] as const;

const CHECKSUM_ALGS = [
  'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512',
  'BLAKE3', 'MD2', 'MD4', 'MD5', 'MD6', 'ADLER32',
] as const;

const PURPOSES = ['APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'OPERATING-SYSTEM', 'DEVICE', 'FIRMWARE', 'SOURCE', 'ARCHIVE', 'FILE', 'INSTALL', 'OTHER'] as const;
const REF_CATEGORIES = ['SECURITY', 'PACKAGE-MANAGER', 'PACKAGE_MANAGER', 'PERSISTENT-ID', 'PERSISTENT_ID', 'OTHER'] as const;

const spdxId = z.string().regex(/^SPDXRef-[A-Za-z0-9.-]+$/, 'must be "SPDXRef-" followed by letters, digits, "." or "-"');
const elementRef = z.string().regex(/^((DocumentRef-[A-Za-z0-9.-]+:)?SPDXRef-[A-Za-z0-9.-]+|NONE|NOASSERTION)$/, 'must be an SPDX element id (SPDXRef-…, DocumentRef-…:SPDXRef-…, NONE or NOASSERTION)');
const checksum = z.looseObject({ algorithm: z.enum(CHECKSUM_ALGS), checksumValue: z.string().min(1) });

const pkg = z.looseObject({
  SPDXID: spdxId,
  name: z.string().min(1),
  downloadLocation: z.string().min(1),
  versionInfo: z.string().optional(),
  filesAnalyzed: z.boolean().optional(),
  checksums: z.array(checksum).optional(),
  primaryPackagePurpose: z.enum(PURPOSES).optional(),
  externalRefs: z.array(z.looseObject({ referenceCategory: z.enum(REF_CATEGORIES), referenceType: z.string().min(1), referenceLocator: z.string().min(1) })).optional(),
  hasFiles: z.array(z.string()).optional(),
});

const file = z.looseObject({ SPDXID: spdxId, fileName: z.string().min(1), checksums: z.array(checksum).min(1) });

const relationship = z.looseObject({ spdxElementId: elementRef, relationshipType: z.enum(RELATIONSHIP_TYPES), relatedSpdxElement: elementRef });

const document = z.looseObject({
  spdxVersion: z.enum(SPDX2_VERSIONS),
  dataLicense: z.literal('CC0-1.0'),
  SPDXID: z.literal('SPDXRef-DOCUMENT'),
  name: z.string().min(1),
  documentNamespace: z.string().min(1),
  creationInfo: z.looseObject({ created: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'must be a UTC date-time like 2010-01-29T18:30:22Z'), creators: z.array(z.string().min(1)).min(1) }),
  packages: z.array(pkg).optional(),
  files: z.array(file).optional(),
  relationships: z.array(relationship).optional(),
  documentDescribes: z.array(z.string()).optional(),
});

export function validateSpdx2Json(doc: unknown): SbomProblem[] {
  const r = document.safeParse(doc);
  const problems: SbomProblem[] = [];
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = issue.path.length ? `/${issue.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` : '/';
      const i = issue as { code: string; values?: unknown[]; expected?: string };
      const expected = i.code === 'invalid_value' && i.values ? `one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}` : i.expected ? `a ${i.expected}` : undefined;
      const message = i.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'missing required field' : issue.message;
      problems.push(expected ? { path, message, expected } : { path, message });
    }
  }
  // Element ids must be unique: relationships and hasFiles refer to them.
  if (r.success) {
    const seen = new Map<string, string>();
    const claim = (id: unknown, path: string): void => {
      if (typeof id !== 'string') return;
      const prev = seen.get(id);
      if (prev) problems.push({ path: `${path}/SPDXID`, message: `duplicate SPDXID ${JSON.stringify(id)} (first used at ${prev})`, expected: 'an SPDXID unique within the document' });
      else seen.set(id, path);
    };
    const d = r.data as Record<string, unknown>;
    for (const key of ['packages', 'files', 'snippets'] as const) {
      const list = d[key];
      if (Array.isArray(list)) list.forEach((e, i) => claim((e as Record<string, unknown>).SPDXID, `/${key}/${i}`));
    }
  }
  return problems;
}
