/**
 * `stella advisories import|show|snapshot|search|raw` — the raw advisory store, linksets and snapshots.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  AdvisoryError,
  currentSnapshot,
  getLinkset,
  getRawDocument,
  getSnapshot,
  listSnapshots,
  readRawDocument,
  searchAdvisories,
  type ImportReport,
  type Linkset,
  type SnapshotInfo,
} from '../../advisories';
import { importAdvisoriesJob } from '../../jobs/import-advisories';
import { CliError, type CommandContext } from '../context';
import type { RegisterCommands } from './index';

function parseLimit(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CliError('usage', `--limit: expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

function importJson(r: ImportReport) {
  return { documents: r.documents, new: r.new, unchanged: r.unchanged, superseded: r.superseded, rejected: r.rejected, observations: r.observations, snapshot: r.snapshot, sources: r.sources };
}

function ageSeconds(ctx: CommandContext, iso: string): number {
  return Math.max(0, Math.round((ctx.engine.clock.nowMs() - Date.parse(iso)) / 1000));
}

function humanAge(s: number): string {
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

function snapshotJson(ctx: CommandContext, s: SnapshotInfo) {
  return {
    id: s.id,
    documentCount: s.documentCount,
    createdAt: s.createdAt,
    sources: s.sources.map((x) => ({ ...x, ageSeconds: ageSeconds(ctx, x.newestImportAt) })),
  };
}

function printLinkset(ctx: CommandContext, l: Linkset): void {
  ctx.print(`${l.id}${l.aliases.length ? `  (aliases: ${l.aliases.join(', ')})` : ''}`);
  ctx.print(`snapshot ${l.snapshot ?? '-'}${l.truncated ? '  [truncated: alias graph larger than the bound]' : ''}`);
  ctx.print('');
  for (const o of l.observations) {
    ctx.print(`- [${o.source}] ${o.advisoryId}${o.withdrawn ? `  WITHDRAWN ${o.withdrawn}` : ''}`);
    if (o.summary) ctx.print(`    ${o.summary}`);
    for (const p of o.affected) {
      const fixed = p.ranges.flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])));
      ctx.print(`    ${p.ecosystem} ${p.name}${fixed.length ? `  fixed: ${fixed.join(', ')}` : ''}${p.versions.length ? `  (${p.versions.length} explicit versions)` : ''}`);
    }
    for (const s of o.severities) ctx.print(`    severity ${s.type}: ${s.score}`);
    ctx.print(`    raw ${o.raw.digest} ${o.raw.uri}`);
  }
  if (l.conflicts.length) {
    ctx.print('');
    ctx.print('conflicts:');
    for (const c of l.conflicts) ctx.print(`  ${c.kind} ${c.subject}: ${c.values.map((v) => `${v.source}/${v.advisoryId}=${JSON.stringify(v.value)}`).join('; ')}`);
  }
}

export const registerAdvisoryCommands: RegisterCommands = (program: Command, makeContext) => {
  const adv = program.command('advisories').description('import advisories (raw, immutable), show linksets, snapshots');

  adv
    .command('import')
    .description('import advisory files, directories or archives into the raw store; one bad document never aborts the others')
    .argument('<paths...>', 'files, directories, .tar.gz/.zip/.gz/.jsonl archives')
    .option('--source <name>', 'source name recorded for every document (default: what the connector detects)')
    .option('--imported-at <iso>', 'import time recorded as provenance (default: now)')
    .action(async (paths: string[], opts: { source?: string; importedAt?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const report = await importAdvisoriesJob(
        ctx.openStore(),
        { paths: paths.map((p) => resolve(ctx.io.cwd, p)), ...(opts.source !== undefined ? { source: opts.source } : {}), ...(opts.importedAt !== undefined ? { importedAt: opts.importedAt } : {}) },
        ctx.job(),
      );
      for (const r of report.rejected) ctx.log(`stella: rejected ${r.path}: ${r.error}`);
      // Exit 3 only when nothing could be imported at all; partial rejection is reported, not fatal.
      if (report.documents > 0 && report.rejected.length === report.documents) ctx.exitCode = 3;
      ctx.output(importJson(report), () => {
        ctx.print(`${report.documents} documents: ${report.new} new, ${report.unchanged} unchanged, ${report.superseded} superseded, ${report.rejected.length} rejected`);
        for (const [s, c] of Object.entries(report.sources).sort()) ctx.print(`  ${s}: ${c.documents} documents, ${c.observations} observations`);
        ctx.print(`snapshot ${report.snapshot ?? '-'}`);
      });
    });

  adv
    .command('show')
    .description('show the linkset of an advisory id or alias: every observation, unmerged, and their conflicts')
    .argument('<id>', 'advisory id or alias (CVE-…, GHSA-…, PYSEC-…, DSA-…)')
    .option('--as-of <snapshot>', 'read as of a recorded snapshot id')
    .action((id: string, opts: { asOf?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const store = ctx.openStore();
      const l = getLinkset(store, id, opts.asOf ? { asOf: opts.asOf } : {});
      if (!l) throw new AdvisoryError('not-found', `no advisory carries the id or alias ${id}${opts.asOf ? ` as of snapshot ${opts.asOf}` : ''}`, { details: { path: 'id' } });
      ctx.output({ id: l.id, aliases: l.aliases, observations: l.observations, conflicts: l.conflicts, snapshot: l.snapshot, truncated: l.truncated }, () => printLinkset(ctx, l));
    });

  adv
    .command('snapshot')
    .description('the current advisory snapshot id, per-source counts and ages (or a recorded one)')
    .option('--id <snapshot>', 'describe a recorded snapshot instead of the current one')
    .option('--list', 'list every recorded snapshot')
    .action(async (opts: { id?: string; list?: boolean }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const store = ctx.openStore();
      if (opts.list) {
        const all = listSnapshots(store);
        ctx.output({ snapshots: all }, () => {
          for (const s of all) ctx.print(`${s.id}  ${s.documentCount} documents  ${s.createdAt}`);
        });
        return;
      }
      const s = opts.id ? getSnapshot(store, opts.id) : currentSnapshot(store);
      // The current data's age (a kit's data date, not its import time); stale data is said, not refused.
      const age = opts.id ? null : (await import('../../export/kit-status')).feedAge(store, ctx.engine.clock.nowMs());
      if (age?.stale) ctx.log(`stella: warning: ${age.message}`);
      const j = { ...snapshotJson(ctx, s), ...(age ? { feedAge: age } : {}) };
      ctx.output(j, () => {
        if (s.id === null) {
          ctx.print('no advisories are loaded — import some with `stella advisories import`');
          return;
        }
        ctx.print(`snapshot ${s.id}  (${s.documentCount} documents${s.createdAt ? `, recorded ${s.createdAt}` : ''})`);
        if (age) ctx.print(`feed age: ${age.message}`);
        for (const x of j.sources) ctx.print(`  ${x.source.padEnd(20)} ${String(x.documents).padStart(7)} documents ${String(x.observations).padStart(8)} observations  newest import ${x.newestImportAt} (${humanAge(x.ageSeconds)} ago)`);
      });
    });

  adv
    .command('search')
    .description('search current advisories by id/alias prefix or summary text')
    .argument('<query>')
    .addOption(new Option('--limit <n>', 'most results').default(50).argParser(parseLimit))
    .action((query: string, opts: { limit: number }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const hits = searchAdvisories(ctx.openStore(), query, opts.limit);
      ctx.output({ query, results: hits }, () => {
        for (const h of hits) ctx.print(`${h.advisoryId.padEnd(24)} [${h.source}] ${h.summary ?? ''}${h.withdrawn ? ' (withdrawn)' : ''}`);
      });
    });

  adv
    .command('raw')
    .description('write the stored raw bytes of an advisory document (byte-exact) to stdout, or its provenance with --json')
    .argument('<digest>', 'sha256:… digest of the raw document')
    .action((digest: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const store = ctx.openStore();
      if (ctx.json) {
        ctx.printJson({ digest, revisions: getRawDocument(store, digest) });
        return;
      }
      ctx.io.stdout.write(readRawDocument(store, digest));
    });
};
