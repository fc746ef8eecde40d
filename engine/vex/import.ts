/**
 * Import VEX documents: read (size-checked), detect, validate, store raw (AOC), then report every
 * statement in normalized form, the statements that name no stored component (`unmatched`, kept and
 * reported, never dropped) and the documents that were refused (`rejected`, with a located message).
 */
import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_LIMITS, serializeError, throwIfCancelled, type VexStatement } from '../core';
import { getLinkset } from '../advisories';
import type { Store } from '../store';
import { VexError } from './errors';
import { parseVexDocument } from './parse';
import { productLabel } from './_internal/product';
import { storeVexDocument, type StoreOutcome } from './raw-store';
import { storedComponentMatcher } from './stored-components';

export interface VexImportStatement {
  vulnerability: string;
  /** The document's own aliases plus those of the vulnerability's advisory linkset (CVE ⇄ GHSA). */
  aliases: string[];
  /** purl, else CPE, else bom-ref/BOM-Link, else the name the document gives ('' when it names none). */
  product: string;
  status: VexStatement['status'];
  justification: VexStatement['justification'] | null;
  issuer: string;
  timestamp: string | null;
}

export interface VexUnmatched {
  document: string;
  /** JSON pointer of the statement in its document. */
  statement: string;
  vulnerability: string;
  product: string;
  reason: string;
}

export interface VexRejected {
  document: string;
  /** JSON pointer of the first problem, when the error names one. */
  path: string | null;
  code: string;
  error: string;
}

export interface VexImportDocument {
  uri: string;
  digest: string;
  format: string;
  specVersion: string;
  outcome: StoreOutcome;
  statements: number;
  notes: string[];
}

export interface VexImportReport {
  /** Documents read (imported + rejected). */
  documents: number;
  statements: VexImportStatement[];
  unmatched: VexUnmatched[];
  rejected: VexRejected[];
  /** Per imported document: digest, format, new/unchanged/superseded. */
  imported: VexImportDocument[];
}

export interface VexImportOptions {
  importedAt: string;
  signal?: AbortSignal;
  onDocument?: (done: number, total: number) => void;
}

function readVexFile(file: string, path: string): Buffer {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new VexError('unreadable-input', `${path}: not a regular file; expected a VEX document`, { details: { file: path } });
    size = st.size;
  } catch (e) {
    if (e instanceof VexError) throw e;
    throw new VexError('unreadable-input', `${path}: cannot read: ${(e as Error).message}`, { cause: e, details: { file: path } });
  }
  if (size > DEFAULT_LIMITS.maxDocumentBytes) {
    throw new VexError('unreadable-input', `${path}: ${size} bytes is larger than the ${DEFAULT_LIMITS.maxDocumentBytes}-byte limit for one document`, { details: { file: path } });
  }
  return readFileSync(file);
}

/** A VEX file to read, optionally with the uri provenance records for it (an upload's name), or bytes already at hand with their uri (a kit's verified member keeps the document's own origin). */
export type VexInputPath = string | { path: string; uri: string } | { uri: string; bytes: Buffer };

export async function importVexFiles(store: Store, paths: readonly VexInputPath[], opts: VexImportOptions): Promise<VexImportReport> {
  const report: VexImportReport = { documents: 0, statements: [], unmatched: [], rejected: [], imported: [] };
  const matcher = storedComponentMatcher(store);
  const aliasMemo = new Map<string, string[]>();
  const linksetAliases = (id: string): string[] => {
    let a = aliasMemo.get(id);
    if (!a) {
      const l = getLinkset(store, id);
      a = l ? [l.id, ...l.aliases] : [];
      aliasMemo.set(id, a);
    }
    return a;
  };
  for (const input of paths) {
    const file = typeof input === 'string' ? input : 'bytes' in input ? null : input.path;
    const path = typeof input === 'string' ? input : input.uri;
    throwIfCancelled(opts.signal);
    report.documents++;
    try {
      const bytes = typeof input === 'object' && 'bytes' in input ? input.bytes : readVexFile(file as string, path);
      const parsed = await parseVexDocument(bytes, path);
      throwIfCancelled(opts.signal);
      const stored = storeVexDocument(store, parsed, { uri: path, bytes }, { source: parsed.format, importedAt: opts.importedAt });
      report.imported.push({ uri: path, digest: stored.digest, format: parsed.format, specVersion: parsed.specVersion, outcome: stored.outcome, statements: stored.statements.length, notes: parsed.notes });
      for (const s of stored.statements) {
        const aliases = [...new Set([...s.aliases, ...linksetAliases(s.vulnerability)])].filter((a) => a !== s.vulnerability).sort();
        const product = productLabel(s.product);
        report.statements.push({ vulnerability: s.vulnerability, aliases, product, status: s.status, justification: s.justification ?? null, issuer: s.issuer.name, timestamp: s.timestamp ?? null });
        const reason = matcher.unmatchedReason(s);
        if (reason !== undefined) report.unmatched.push({ document: path, statement: s.raw.path, vulnerability: s.vulnerability, product, reason });
      }
    } catch (e) {
      const err = serializeError(e);
      if (err.category === 'cancelled' || err.category === 'internal') throw e;
      report.rejected.push({ document: path, path: typeof err.details.path === 'string' ? err.details.path : null, code: err.code, error: err.message });
    }
    opts.onDocument?.(report.documents, paths.length);
  }
  return report;
}
