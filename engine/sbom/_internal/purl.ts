/**
 * purl canonicalization for ingest: engine/sbom/purl (the shared wrapper over packageurl-js that fixes its
 * ECMA-427 deviations), so stored purls are byte-identical to what scans, VEX and policy compute; plus
 * the bits of a purl ingest needs (ecosystem, upstream=).
 */
import type { SourcePackage } from '../../core';
import { tryParsePurl, type PurlParts } from '../purl';

export type PurlResult = { ok: true; purl: string; type: string; parts: PurlParts } | { ok: false; error: string };

const cache = new Map<string, PurlResult>();

/** Canonical string of a purl, or the reason it is invalid. Memoized: real SBOMs repeat purls a lot. */
export function canonicalPurl(raw: string): PurlResult {
  const hit = cache.get(raw);
  if (hit) return hit;
  const t = tryParsePurl(raw.trim());
  const r: PurlResult = t.ok ? { ok: true, purl: t.purl, type: t.parts.type, parts: t.parts } : { ok: false, error: t.error };
  if (cache.size > 50_000) cache.clear();
  cache.set(raw, r);
  return r;
}

/** Ecosystem of a canonical purl (its type), without parsing it again. */
export function purlEcosystem(purl: string | undefined): string | undefined {
  if (!purl) return undefined;
  const m = /^pkg:([^/]+)\//.exec(purl);
  return m?.[1]?.toLowerCase();
}

/** `upstream=name` or `upstream=name@version` (syft, Debian/RPM purls) → source package. */
export function upstreamFromPurl(r: PurlResult): SourcePackage | undefined {
  if (!r.ok) return undefined;
  const up = r.parts.qualifiers?.upstream;
  if (typeof up !== 'string' || up === '') return undefined;
  if (/\.(src|nosrc)\.rpm$/.test(up)) return sourceFromSourceRpm(up);
  const at = up.lastIndexOf('@');
  if (at > 0) return { name: up.slice(0, at), version: up.slice(at + 1) };
  return { name: up };
}

/** `glibc-2.28-151.el8.src.rpm` → {name: glibc, version: 2.28-151.el8}. */
export function sourceFromSourceRpm(srpm: string): SourcePackage | undefined {
  const base = srpm.replace(/\.(src|nosrc)\.rpm$/, '');
  const parts = base.split('-');
  if (parts.length < 3) return base ? { name: base } : undefined;
  const release = parts.pop() as string;
  const version = parts.pop() as string;
  return { name: parts.join('-'), version: `${version}-${release}` };
}
