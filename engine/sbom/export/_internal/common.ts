/**
 * Helpers every exporter shares: code-unit string ordering (never localeCompare — its result depends on
 * the process locale), content-derived identifiers and the hash-algorithm spelling map.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, digestJson, digestHex, type Component, type Digest, type Inventory, type Property } from '../../../core';

/** Deterministic, locale-independent string order (UTF-16 code units). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byRef<T extends { ref: string }>(a: T, b: T): number {
  return cmp(a.ref, b.ref);
}

export function sortProperties(props: readonly Property[]): Property[] {
  return [...props].sort((a, b) => cmp(a.name, b.name) || cmp(a.value, b.value));
}

/**
 * Canonical digest of the inventory content: the seed of every derived identifier. Hashed piecewise
 * (document part, then each component's RFC 8785 form on its own line) because canonicalizing one
 * large object costs seconds on 20k-component inventories; still a pure function of the content.
 */
export function inventoryDigest(inv: Inventory): Digest {
  const h = createHash('sha256');
  h.update(canonicalJson({ document: inv.document, subject: inv.subject ?? null, os: inv.os ?? null, dependencies: inv.dependencies }));
  for (const c of inv.components) h.update(`\n${canonicalJson(c)}`);
  return `sha256:${h.digest('hex')}`;
}

/**
 * A UUID formatted from a sha256 digest: the first 16 bytes with the RFC 9562 version nibble set to 8
 * ("custom") and the variant bits to 10, so the same content always gets the same serial number.
 */
export function uuidFromDigest(d: Digest, salt = ''): string {
  const hex = salt ? digestHex(digestJson({ d, salt })) : digestHex(d);
  const b = Buffer.from(hex.slice(0, 32), 'hex');
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Hash algorithm names: the model uses CycloneDX spelling; SPDX 2.3 `checksums[].algorithm` and SPDX 3
 * `HashAlgorithm` use their own. Every SPDX 2.3 algorithm has an entry so nothing is dropped.
 */
const CDX_TO_SPDX2: Readonly<Record<string, string>> = {
  MD2: 'MD2',
  MD4: 'MD4',
  MD5: 'MD5',
  MD6: 'MD6',
  'SHA-1': 'SHA1',
  'SHA-224': 'SHA224',
  'SHA-256': 'SHA256',
  'SHA-384': 'SHA384',
  'SHA-512': 'SHA512',
  'SHA3-256': 'SHA3-256',
  'SHA3-384': 'SHA3-384',
  'SHA3-512': 'SHA3-512',
  'BLAKE2b-256': 'BLAKE2b-256',
  'BLAKE2b-384': 'BLAKE2b-384',
  'BLAKE2b-512': 'BLAKE2b-512',
  BLAKE3: 'BLAKE3',
  ADLER32: 'ADLER32',
};

const SPDX2_TO_CDX: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CDX_TO_SPDX2).map(([k, v]) => [v, k]));

/** SPDX 2.3 spelling of a model (CycloneDX-spelled) algorithm, or undefined when SPDX 2.3 has none. */
export function spdx2Algorithm(alg: string): string | undefined {
  return CDX_TO_SPDX2[alg] ?? (SPDX2_TO_CDX[alg] ? alg : undefined);
}

/** SPDX 3.0.1 `HashAlgorithm` vocabulary entry for a model algorithm, or undefined. */
const CDX_TO_SPDX3: Readonly<Record<string, string>> = {
  MD2: 'md2',
  MD4: 'md4',
  MD5: 'md5',
  MD6: 'md6',
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA3-256': 'sha3_256',
  'SHA3-384': 'sha3_384',
  'SHA3-512': 'sha3_512',
  'BLAKE2b-256': 'blake2b256',
  'BLAKE2b-384': 'blake2b384',
  'BLAKE2b-512': 'blake2b512',
  BLAKE3: 'blake3',
  ADLER32: 'adler32',
  'Streebog-256': 'other',
  'Streebog-512': 'other',
};

export function spdx3Algorithm(alg: string): string | undefined {
  const v = CDX_TO_SPDX3[alg];
  return v === 'other' ? undefined : v;
}

/** Components sorted by ref, refusing empty and duplicate refs (they would make the output ambiguous). */
export function checkedComponents(inv: Inventory, fail: (msg: string, path: string) => never): Component[] {
  const seen = new Set<string>();
  const all = inv.subject ? [inv.subject, ...inv.components] : [...inv.components];
  all.forEach((c, i) => {
    const path = inv.subject && i === 0 ? '/subject/ref' : `/components/${inv.subject ? i - 1 : i}/ref`;
    if (typeof c.ref !== 'string' || c.ref === '') fail('component ref is empty; expected a non-empty document-unique ref', path);
    if (seen.has(c.ref)) fail(`component ref ${JSON.stringify(c.ref)} occurs more than once; expected document-unique refs`, path);
    seen.add(c.ref);
  });
  return [...inv.components].sort(byRef);
}

/** Edges merged by ref, targets de-duplicated and sorted; the edge list sorted by ref. */
export function normalizedEdges(inv: Inventory): { ref: string; dependsOn: string[] }[] {
  const m = new Map<string, Set<string>>();
  for (const e of inv.dependencies) {
    let s = m.get(e.ref);
    if (!s) m.set(e.ref, (s = new Set()));
    for (const d of e.dependsOn) s.add(d);
  }
  return [...m.entries()].map(([ref, s]) => ({ ref, dependsOn: [...s].sort(cmp) })).sort(byRef);
}

function canonicalComponent(c: Component): Component {
  const byJson = <T>(xs: readonly T[]): T[] => [...xs].sort((a, b) => cmp(canonicalJson(a), canonicalJson(b)));
  return {
    ...c,
    cpes: [...new Set(c.cpes)].sort(cmp),
    hashes: [...c.hashes].sort((a, b) => cmp(a.alg, b.alg) || cmp(a.content, b.content)),
    licenses: byJson(c.licenses),
    locations: byJson(c.locations),
    externalReferences: byJson(c.externalReferences),
    properties: sortProperties(c.properties),
  };
}

/**
 * The inventory with every collection in canonical order (components by ref, edges merged and sorted,
 * per-component lists sorted), so that exporters and content-derived ids do not depend on input order.
 */
export function canonicalInventory(inv: Inventory): Inventory {
  const out: Inventory = {
    ...inv,
    document: {
      ...inv.document,
      tools: [...inv.document.tools].sort((a, b) => cmp(canonicalJson(a), canonicalJson(b))),
      authors: [...inv.document.authors].sort(cmp),
      properties: sortProperties(inv.document.properties),
    },
    components: inv.components.map(canonicalComponent).sort(byRef),
    dependencies: normalizedEdges(inv),
  };
  if (inv.subject) out.subject = canonicalComponent(inv.subject);
  return out;
}

/**
 * RFC 3987 IRI-reference syntax, checked structurally: no whitespace, controls or the characters RFC 3987
 * excludes, and a well-formed scheme when there is one. ajv-formats-draft2019's own `iri-reference`
 * rejects valid schemes containing '+' such as `git+https:` (luzlab/ajv-formats-draft2019#22; the
 * CycloneDX library therefore switches the format off entirely); this keeps a real check instead.
 */
export function isIriReference(s: string): boolean {
  if (/[\u0000-\u0020<>"{}|\\^`\u007f-\u009f]/.test(s)) return false;
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) return false;
  const colon = s.search(/[:/?#]/);
  if (colon >= 0 && s[colon] === ':') return /^[A-Za-z][A-Za-z0-9+.-]*$/.test(s.slice(0, colon));
  return true;
}
