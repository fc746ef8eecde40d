/**
 * Inputs at the scale of the cancellation and host-parity tests, built from the real fixture corpus
 * (never copied into the repository):
 *  - a 10,000-component CycloneDX 1.6 SBOM whose components are real Maven packages at versions that
 *    real GHSA advisories of the corpus list as affected (so matching does real range work), and
 *  - a 5,000-document advisory feed: the corpus's real GHSA records replicated under new ids (`-R<k>`),
 *    one OSV document per line of a `.jsonl` file.
 * Plus a fingerprint of a store's user-visible state, to assert that a cancelled job changed nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openStore } from '../../engine/store';
import { currentSnapshot } from '../../engine/advisories';
import { jobContext } from '../../engine/jobs/context';
import { importAdvisoriesJob } from '../../engine/jobs/import-advisories';
import { fixture, tempDir } from './fixtures';

export const GHSA_FIXTURE = ['advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'] as const;

interface OsvRecord {
  id: string;
  aliases?: string[];
  affected?: { package: { ecosystem: string; name: string; purl?: string }; versions?: string[]; ranges?: unknown[] }[];
  [k: string]: unknown;
}

function ghsaRecords(): OsvRecord[] {
  const p = fixture(...GHSA_FIXTURE);
  if (!p) throw new Error(`fixture ${GHSA_FIXTURE.join('/')} not found (STELLA_FIXTURES)`);
  return gunzipSync(readFileSync(p))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as OsvRecord);
}

/** `n` distinct Maven purls at versions real GHSA advisories list as affected (round-robin over packages). */
export function affectedMavenPurls(n: number): string[] {
  const perPackage = new Map<string, string[]>();
  for (const r of ghsaRecords()) {
    for (const a of r.affected ?? []) {
      if (!a.package.purl || a.package.purl.includes('@')) continue;
      const list = perPackage.get(a.package.purl) ?? [];
      for (const v of a.versions ?? []) if (!list.includes(v)) list.push(v);
      perPackage.set(a.package.purl, list);
    }
  }
  const packages = [...perPackage.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  const seen = new Set<string>();
  // Round-robin so every package is present early; once the real versions run out, the same purls come
  // again with a `type=jar` qualifier (distinct components, same package and version).
  for (let round = 0; out.length < n && round < 10_000; round++) {
    let added = false;
    for (const [purl, versions] of packages) {
      const k = round % Math.max(1, versions.length);
      const cycle = Math.floor(round / Math.max(1, versions.length));
      const v = versions[k];
      if (v === undefined || cycle > 1) continue;
      const p = `${purl}@${encodeURIComponent(v)}${cycle === 1 ? '?type=jar' : ''}`;
      if (seen.has(p)) continue;
      seen.add(p);
      out.push(p);
      added = true;
      if (out.length >= n) break;
    }
    if (!added && round > 0) break;
  }
  if (out.length < n) throw new Error(`only ${out.length} distinct affected Maven purls in the GHSA fixture; wanted ${n}`);
  return out;
}

/** A CycloneDX 1.6 JSON SBOM of `n` real, affected Maven components (`affectedMavenPurls`). */
export function largeSbom(n = 10_000): Buffer {
  const components = affectedMavenPurls(n).map((purl, i) => {
    const [, group, rest] = /^pkg:maven\/([^/]+)\/(.+)$/.exec(purl) ?? [];
    const [name, versionAndQuery] = (rest ?? purl).split('@') as [string, string];
    return { type: 'library', 'bom-ref': `c${i}`, group: decodeURIComponent(group ?? ''), name: decodeURIComponent(name), version: decodeURIComponent(versionAndQuery.split('?')[0] as string), purl };
  });
  return Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: 'urn:uuid:0b6a4c4e-7a55-4c41-9d7c-3f1f0e9f2a10',
      version: 1,
      metadata: { timestamp: '2026-01-01T00:00:00Z', component: { type: 'application', name: `large-${n}`, version: '1.0.0', 'bom-ref': 'root' } },
      components,
      dependencies: [{ ref: 'root', dependsOn: components.map((c) => c['bom-ref']) }],
    }),
  );
}

/** Write `n` OSV documents (real GHSA records under new ids) as one `.jsonl` file in `dir`; returns its path. */
export function replicatedAdvisoryFeed(dir: string, n = 5_000): string {
  const base = ghsaRecords();
  const lines: string[] = [];
  for (let k = 0; lines.length < n; k++) {
    for (const r of base) {
      if (lines.length >= n) break;
      lines.push(JSON.stringify({ ...r, id: `${r.id}-R${k}`, aliases: (r.aliases ?? []).map((a) => `${a}-R${k}`) }));
    }
  }
  const file = join(dir, `replicated-${n}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** What a user can see in a store: row counts of every user-visible table and the current snapshot id. */
export function storeState(home: string): Record<string, number | string | null> {
  const store = openStore({ home, readonly: true });
  try {
    const count = (table: string): number => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const state: Record<string, number | string | null> = {};
    for (const t of ['sboms', 'sbom_components', 'sbom_dependencies', 'match_scans', 'match_findings', 'adv_raw_documents', 'adv_observations', 'adv_snapshots', 'blob_refs', 'blob_small']) state[t] = count(t);
    state.snapshot = currentSnapshot(store).id;
    return state;
  } finally {
    store.close();
  }
}

/**
 * The cancellation tests' set-up: a home holding the GHSA advisories of the corpus, the 10,000-component
 * SBOM and the 5,000-document feed as files, and the home's state before anything is cancelled in it.
 */
export async function cancellationSetup(): Promise<{ home: string; sbom: string; feed: string; before: Record<string, number | string | null> }> {
  const home = tempDir('stella-cancel-');
  const store = openStore({ home });
  try {
    await importAdvisoriesJob(store, { paths: [fixture(...GHSA_FIXTURE) as string] }, jobContext());
  } finally {
    store.close();
  }
  const sbom = join(tempDir(), 'large.cdx.json');
  writeFileSync(sbom, largeSbom(10_000));
  const feed = replicatedAdvisoryFeed(tempDir(), 5_000);
  return { home, sbom, feed, before: storeState(home) };
}
