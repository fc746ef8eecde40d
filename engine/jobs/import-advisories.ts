/**
 * Job: import advisory files, directories and archives into the raw store (Aggregation-Only Contract:
 * byte-exact documents with provenance, observations, a new snapshot when anything changed). One bad
 * document never aborts the others — it is reported as rejected. The whole import commits in ONE
 * transaction, so a cancelled import leaves the store (documents, observations, snapshot) as it was.
 * Hosts: `stella advisories import`, the app's `advisories.import` channel (writer worker).
 */
import type { Store } from '../store';
import { importAdvisories, type ImportReport } from '../advisories/raw-store';
import type { InputPath } from '../advisories/input';
import { appendAudit } from '../audit';
import type { JobContext } from './context';

export interface ImportAdvisoriesInput {
  /** Files, directories, `.zip` / `.tar.gz` / `.jsonl(.gz)` archives; `{path, uri}` records `uri` as the origin (uploads). */
  paths: readonly InputPath[];
  /** Source name recorded for every document (default: what the connector detects). */
  source?: string;
  /** Import time recorded as provenance (ISO-8601; default: now, from the job's clock). */
  importedAt?: string;
}

export type { ImportReport };

export async function importAdvisoriesJob(store: Store, input: ImportAdvisoriesInput, ctx: JobContext): Promise<ImportReport> {
  ctx.onProgress({ phase: 'importing advisories', done: 0 });
  const importedAt = input.importedAt ?? ctx.clock.nowIso();
  return store.writeAsync(async () => {
    const r = await importAdvisories(store, input.paths, {
      ...(input.source !== undefined ? { source: input.source } : {}),
      importedAt,
      signal: ctx.signal,
      onProgress: (done, total) => ctx.onProgress({ phase: 'importing advisories', done, ...(total !== undefined ? { total } : {}) }),
    });
    appendAudit(
      store,
      {
        kind: 'advisories.imported',
        subject: r.snapshot ?? 'no-snapshot',
        details: { documents: r.documents, new: r.new, unchanged: r.unchanged, superseded: r.superseded, rejected: r.rejected.length, observations: r.observations, sources: Object.keys(r.sources).sort() },
      },
      ctx,
    );
    return r;
  });
}
