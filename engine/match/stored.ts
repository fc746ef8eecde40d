/** Reading stored scans back: the list for the UI, one scan with its findings, and the evidence chain of a finding. */
import type { Finding } from '../core';
import type { Store } from '../store';
import { AdvisoryError } from '../advisories/errors';
import { getRawDocument } from '../advisories/raw-read';
import type { ScanResult, ScanSummary } from './scan';

export interface ScanListEntry {
  id: string;
  subject: string;
  sbomId?: string;
  snapshot: string;
  createdAt: string;
  components: number;
  findings: number;
  summary: ScanSummary;
}

interface ScanRow {
  id: string;
  subject: string;
  sbom_id: string | null;
  snapshot_id: string;
  created_at: string;
  options: string;
  summary: string;
  component_count: number;
  finding_count: number;
}

function entry(r: ScanRow): ScanListEntry {
  return {
    id: r.id,
    subject: r.subject,
    ...(r.sbom_id ? { sbomId: r.sbom_id } : {}),
    snapshot: r.snapshot_id,
    createdAt: r.created_at,
    components: r.component_count,
    findings: r.finding_count,
    summary: JSON.parse(r.summary) as ScanSummary,
  };
}

/** Every stored scan, newest first (the same instant: the one stored last first). */
export function listScans(store: Store): ScanListEntry[] {
  return (store.db.prepare('SELECT * FROM match_scans ORDER BY created_at DESC, rowid DESC').all() as ScanRow[]).map(entry);
}

/** One stored scan with its findings in their stored order; throws not-found. */
export function getScan(store: Store, scanId: string): ScanResult {
  const r = store.db.prepare('SELECT * FROM match_scans WHERE id = ?').get(scanId) as ScanRow | undefined;
  if (!r) throw new AdvisoryError('not-found', `no scan ${scanId} is stored`, { details: { path: 'scanId', expected: 'the id of a stored scan (see listScans)' } });
  const findings = (store.db.prepare('SELECT body FROM match_findings WHERE scan_id = ? ORDER BY rowid').all(scanId) as { body: string }[]).map((f) => JSON.parse(f.body) as Finding);
  return {
    id: r.id,
    subject: r.subject,
    ...(r.sbom_id ? { sbomId: r.sbom_id } : {}),
    snapshot: r.snapshot_id,
    createdAt: r.created_at,
    // scans stored before detection modes existed were default-detection scans
    options: { detection: 'default', ...(JSON.parse(r.options) as { cpe: boolean; detection?: ScanResult['options']['detection'] }) },
    summary: JSON.parse(r.summary) as ScanSummary,
    findings,
  };
}

export interface EvidenceLink {
  advisoryId: string;
  observationId: string;
  matchedBy: string;
  range?: { type: string; events: Record<string, string>[] };
  explicitVersion?: string;
  comparisons: Finding['evidence'][number]['comparisons'];
  rawDocument: { digest: string; source: string; uri: string; format: string; specVersion?: string; importedAt: string; size: number };
  /** A bounded excerpt of the raw bytes (UTF-8, around the advisory id when found) and where it starts. */
  excerpt: { text: string; offset: number; length: number; truncated: boolean };
}

export interface FindingExplanation {
  scanId: string;
  snapshot: string;
  finding: Finding;
  chain: EvidenceLink[];
}

/** Largest excerpt of a raw document returned by explainFinding, in bytes. */
export const MAX_EXCERPT_BYTES = 4096;

function excerptOf(bytes: Buffer, needle: string): EvidenceLink['excerpt'] {
  if (bytes.length <= MAX_EXCERPT_BYTES) return { text: bytes.toString('utf8'), offset: 0, length: bytes.length, truncated: false };
  const at = bytes.indexOf(Buffer.from(needle, 'utf8'));
  let start = at < 0 ? 0 : Math.max(0, at - MAX_EXCERPT_BYTES / 4);
  // Do not start inside a UTF-8 multi-byte sequence.
  while (start > 0 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
  let end = Math.min(bytes.length, start + MAX_EXCERPT_BYTES);
  while (end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(start, end).toString('utf8'), offset: start, length: end - start, truncated: true };
}

/** The evidence chain of one finding: component → raw advisory (digest, source, uri, excerpt) → range and comparisons. */
export function explainFinding(store: Store, scanId: string, findingId: string): FindingExplanation {
  const scan = store.db.prepare('SELECT snapshot_id FROM match_scans WHERE id = ?').get(scanId) as { snapshot_id: string } | undefined;
  if (!scan) throw new AdvisoryError('not-found', `no scan ${scanId} is stored`, { details: { path: 'scanId' } });
  const row = store.db.prepare('SELECT body FROM match_findings WHERE scan_id = ? AND finding_id = ?').get(scanId, findingId) as { body: string } | undefined;
  if (!row) throw new AdvisoryError('not-found', `scan ${scanId} has no finding ${findingId}`, { details: { path: 'findingId' } });
  const finding = JSON.parse(row.body) as Finding;
  const chain = finding.evidence.map((ev): EvidenceLink => {
    const raw = getRawDocument(store, ev.rawDocument.digest).find((r) => r.uri === ev.rawDocument.uri) ?? getRawDocument(store, ev.rawDocument.digest)[0];
    if (!raw) throw new AdvisoryError('not-found', `raw document ${ev.rawDocument.digest} is not stored`);
    const bytes = store.blobs.get(ev.rawDocument.digest);
    return {
      advisoryId: ev.advisoryId,
      observationId: ev.observationId,
      matchedBy: ev.matchedBy,
      ...(ev.range ? { range: ev.range } : {}),
      ...(ev.explicitVersion !== undefined ? { explicitVersion: ev.explicitVersion } : {}),
      comparisons: ev.comparisons,
      rawDocument: {
        digest: raw.digest,
        source: raw.source,
        uri: raw.uri,
        format: raw.format,
        ...(raw.specVersion ? { specVersion: raw.specVersion } : {}),
        importedAt: raw.importedAt,
        size: raw.size,
      },
      excerpt: excerptOf(bytes, ev.advisoryId),
    };
  });
  return { scanId, snapshot: scan.snapshot_id, finding, chain };
}
