/**
 * Job: import an SBOM file into the store (parse, validate, normalize, store; idempotent per content).
 * Hosts: `stella sbom import`, the app's `sbom.import` channel (writer worker).
 */
import { basename } from 'node:path';
import type { Store } from '../store';
import { appendAudit } from '../audit';
import { getSbom, importSbom, type ImportPhase, type ImportSource, type SbomRecord } from '../sbom/store';
import { JobError } from './errors';
import type { JobContext } from './context';

export interface ImportSbomInput {
  /** The SBOM file. */
  path: string;
  /** The name the SBOM is listed under (default: the file name). */
  name?: string;
}

export interface ImportSbomResult {
  record: SbomRecord;
  /** What the parser noticed but accepted (dangling dependency refs …), for the host to show. */
  warnings: string[];
}

const PHASES: readonly ImportPhase[] = ['read', 'parse', 'store', 'done'];
const PHASE_NAMES: Record<ImportPhase, string> = { read: 'reading SBOM', parse: 'parsing SBOM', store: 'storing SBOM', done: 'SBOM stored' };

/** Progress of `importSbom` as job progress: the phase and how many of the four phases are done. */
export function sbomImportProgress(ctx: Pick<JobContext, 'onProgress'>): (p: { phase: ImportPhase; componentCount?: number }) => void {
  return (p) =>
    ctx.onProgress({
      phase: PHASE_NAMES[p.phase],
      done: PHASES.indexOf(p.phase) + (p.phase === 'done' ? 1 : 0),
      total: PHASES.length,
      ...(p.componentCount !== undefined ? { message: `${p.componentCount} components` } : {}),
    });
}

export async function importSbomJob(store: Store, input: ImportSbomInput, ctx: JobContext): Promise<ImportSbomResult> {
  const record = await store.writeAsync(() => importSbomAudited(store, { path: input.path, name: input.name ?? basename(input.path) }, ctx));
  return { record, warnings: storedSbom(store, record.id).warnings };
}

/**
 * Import an SBOM and audit it (`sbom.imported`, with whether it was new) — inside the caller's
 * transaction, so the record and its audit entry commit together.
 */
export async function importSbomAudited(store: Store, source: ImportSource, ctx: JobContext): Promise<SbomRecord> {
  const count = store.db.prepare('SELECT COUNT(*) FROM sboms').pluck();
  const before = count.get() as number;
  const record = await importSbom(store, source, { clock: ctx.clock, signal: ctx.signal, onProgress: sbomImportProgress(ctx) });
  const isNew = (count.get() as number) > before;
  appendAudit(store, { kind: 'sbom.imported', subject: record.id, details: { digest: record.digest, name: record.name, format: record.format, specVersion: record.specVersion, components: record.componentCount, new: isNew } }, ctx);
  return record;
}

/** A stored SBOM that must exist (it was just written, or the caller knows its id). */
export function storedSbom(store: Store, id: string): NonNullable<ReturnType<typeof getSbom>> {
  const found = getSbom(store, id);
  if (!found) throw new JobError('readback-failed', `the SBOM ${id} was stored but cannot be read back`, { details: { id } });
  return found;
}
