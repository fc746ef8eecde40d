/**
 * Collecting the records of one file: lockfiles list a package several times (per dependency group,
 * per dependent), so records are keyed by canonical purl and merged. A package that is required by any
 * occurrence stays required; one that only ever appears in named groups (dev, test, optional) gets
 * `scope: 'optional'` and `properties.group` listing them. Edges are de-duplicated. `finish` pushes
 * everything into the result in a deterministic order (records by purl, edges sorted).
 */
import type { AnalyzerFile, AnalyzerResult, PackageRecord } from './index';
import { purlToString, type PurlParts } from './purl';

interface Slot {
  rec: PackageRecord;
  /** null = required by some occurrence. */
  groups: Set<string> | null;
}

export class RecordCollector {
  private readonly slots = new Map<string, Slot>();
  private readonly edges = new Set<string>();

  constructor(
    readonly file: AnalyzerFile,
    readonly result: AnalyzerResult,
  ) {}

  issue(severity: 'error' | 'warning' | 'info', message: string, line?: number): void {
    this.result.issues.push({ path: this.file.path, severity, message, ...(line ? { line } : {}) });
  }

  /**
   * The id of the record for this purl — created by `create(key, id)` on first sight, merged after that
   * (groups, and properties the first occurrence did not have). Undefined, with a warning, when the
   * parts cannot form a purl.
   */
  upsert(purl: PurlParts, groups: readonly string[], create: (id: string) => PackageRecord, what: string, line?: number, properties?: Record<string, string>): string | undefined {
    let key: string;
    try {
      key = purlToString(purl);
    } catch (e) {
      this.issue('warning', `cannot form a package URL for ${what}: ${(e as Error).message}; entry skipped`, line);
      return undefined;
    }
    const have = this.slots.get(key);
    if (have) {
      if (!groups.length) have.groups = null;
      else if (have.groups) for (const g of groups) have.groups.add(g);
      for (const [k, v] of Object.entries(properties ?? {})) if (have.rec.properties && !(k in have.rec.properties)) have.rec.properties[k] = v;
      return have.rec.id;
    }
    const rec = create(`${this.file.path}#${key}`);
    this.slots.set(key, { rec, groups: groups.length ? new Set(groups) : null });
    return rec.id;
  }

  edge(from: string | undefined, to: string | undefined): void {
    if (from && to && from !== to) this.edges.add(`${from}\u0000${to}`);
  }

  /** Push the records (sorted by purl) and edges (sorted) into the result. */
  finish(): void {
    for (const key of [...this.slots.keys()].sort()) {
      const slot = this.slots.get(key) as Slot;
      const rec = slot.rec;
      if (slot.groups && slot.groups.size) {
        rec.scope = 'optional';
        (rec.properties ??= {}).group = [...slot.groups].sort().join(',');
      }
      if (rec.properties && !Object.keys(rec.properties).length) delete rec.properties;
      this.result.packages.push(rec);
    }
    for (const e of [...this.edges].sort()) {
      const [from, to] = e.split('\u0000') as [string, string];
      this.result.relationships.push({ from, to, type: 'depends-on' });
    }
  }
}
