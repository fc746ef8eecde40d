/**
 * Matching: a warm scan of a 10,000-component SBOM against >= 50,000 advisories.
 *
 * REPLICATED DATA (said plainly): the shared corpus has ~24,000 real advisories, and real SBOMs rarely
 * hit them. So the real advisory records of the corpus (GHSA Maven, PYSEC, Node Security WG, Debian
 * DSA/DLA, Alpine secdb — their ids, aliases, ranges, explicit versions and severities unchanged) are
 * replicated under NEW PACKAGE NAMES (`<name>-stella-r<k>`, ids `<id>-R<k>`) until there are at least
 * 50,000 advisories, written as OSV JSON arrays and imported through the normal import path. The SBOM's
 * 10,000 components are real purls of those replicated packages (one per distinct package, spread over
 * the corpus): half at a version the advisory lists
 * (or a range's introduced version), half at its fixed version, so both matching and non-matching
 * comparisons are exercised. Distro components carry their `distro=` release.
 *
 * Reported: the cold scan (first in the process: statements prepared, version parse caches empty) and
 * the warm scan (the same SBOM again, as a long-running worker would), wall time and peak RSS; the scan
 * is persisted (scan record + findings) as in the app. The scans run in a child process that only opens
 * the prepared store — like the app's scan worker — so its RSS is the scan's, not the set-up's.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { PackageURL } from 'packageurl-js';
import { fixedClock, newComponent, sequentialIds, type Inventory, type Observation } from '../../engine/core';
import { openStore } from '../../engine/store';
import { importAdvisories } from '../../engine/advisories';
import { scanInventory } from '../../engine/match';
import { fixture, tempDir } from '../test-support/fixtures';
import { measure, report } from './harness';

const BENCH = 'match';

// Child mode: open the prepared store, scan cold then warm, report, exit.
const child = process.env.STELLA_MATCH_BENCH_CHILD;
if (child) {
  const { home, inventoryFile, note } = JSON.parse(child) as { home: string; inventoryFile: string; note: string };
  const inv = JSON.parse(readFileSync(inventoryFile, 'utf8')) as Inventory;
  const st = openStore({ home });
  const c = fixedClock('2026-01-01T00:00:00.000Z');
  const idSource = sequentialIds();
  const coldScan = await measure(async () => scanInventory(st, inv, { subject: 'bench-10k', clock: c, ids: idSource }));
  report({ bench: BENCH, metric: 'scan 10k components, cold', value: coldScan.ms / 1000, unit: 's', note: `${coldScan.result.findings.length} findings; ${note}` });
  const warmScan = await measure(async () => scanInventory(st, inv, { subject: 'bench-10k', clock: c, ids: idSource }));
  report({ bench: BENCH, metric: 'scan 10k components, warm', value: warmScan.ms / 1000, unit: 's', target: '<= 0.5', note: `${warmScan.result.findings.length} findings, persisted; ${note}` });
  report({ bench: BENCH, metric: 'scan 10k components, warm, peak RSS', value: warmScan.peakRssMb, unit: 'MB', target: '<= 300', note: 'scan process (opens the prepared store, scans cold then warm)' });
  const matchOnly = await measure(async () => scanInventory(st, inv, { subject: 'bench-10k', clock: c, ids: idSource, persist: false }));
  report({ bench: BENCH, metric: 'scan 10k components, warm, not persisted', value: matchOnly.ms / 1000, unit: 's', note: `matching + findings with evidence, without writing the ${matchOnly.result.findings.length} findings to the store` });
  st.close();
  process.exit(0);
}
const TARGET_ADVISORIES = 50_000;
const COMPONENTS = 10_000;

const sources = [
  ['advisories', 'maven', 'osv-scalibr-maven-ghsa.jsonl.gz'],
  ['advisories', 'pypi-pysec-advisory-database.tar.gz'],
  ['advisories', 'npm', 'nodejs-security-wg-vuln.tar.gz'],
  ['advisories', 'distro', 'debian-security-tracker'],
  ['advisories', 'distro', 'alpine-secdb', 'v3.11'],
  ['advisories', 'kev', 'known_exploited_vulnerabilities.json.gz'],
].map((p) => fixture(...p));
if (sources.some((p) => p === null)) {
  report({ bench: BENCH, metric: 'skipped', value: 'shared fixtures not found (set STELLA_FIXTURES)' });
  process.exit(0);
}

// 1. Real observations, read back from a scratch import of the corpus.
const scratch = openStore({ home: tempDir('stella-bench-match-src-') });
await importAdvisories(scratch, sources as string[], { importedAt: '2026-01-01T00:00:00.000Z' });
const base = (scratch.db.prepare("SELECT body FROM adv_observations WHERE source IN ('ghsa','pysec','nodejs-security-wg','debian-dsa','debian-dla','alpine-secdb') ORDER BY source, advisory_id").all() as { body: string }[])
  .map((r) => JSON.parse(r.body) as Observation)
  .filter((o) => o.affected.length > 0 && !o.withdrawn);
scratch.close();

// 2. Replicate under new package names as OSV records.
const renamed = (name: string, k: number) => `${name}-stella-r${k}`;
const records: Record<string, unknown>[] = [];
for (let k = 0; records.length < TARGET_ADVISORIES; k++) {
  for (const o of base) {
    if (records.length >= TARGET_ADVISORIES) break;
    records.push({
      schema_version: '1.6.0',
      id: `${o.advisoryId}-R${k}`,
      modified: o.modified ?? '2026-01-01T00:00:00Z',
      aliases: o.aliases.map((a) => `${a}-R${k}`),
      summary: o.summary,
      affected: o.affected.map((p) => ({ package: { ecosystem: p.ecosystem, name: renamed(p.name, k) }, ranges: p.ranges, versions: p.versions })),
      severity: o.severities.filter((s) => s.type.startsWith('CVSS')).map((s) => ({ type: s.type, score: s.score })),
      references: o.references.slice(0, 3),
    });
  }
}
const dir = tempDir('stella-bench-match-feed-');
const CHUNK = 5_000;
const files: string[] = [];
for (let i = 0; i < records.length; i += CHUNK) {
  const f = join(dir, `replicated-${String(i / CHUNK).padStart(3, '0')}.json`);
  writeFileSync(f, JSON.stringify(records.slice(i, i + CHUNK)));
  files.push(f);
}
const store = openStore({ home: tempDir('stella-bench-match-') });
const imp = await measure(() => importAdvisories(store, files, { importedAt: '2026-01-01T00:00:00.000Z' }));
report({ bench: BENCH, metric: 'advisories loaded', value: imp.result.observations, unit: 'advisories', note: `real records replicated under new package names (${base.length} distinct real advisories); imported in ${imp.ms.toFixed(0)} ms` });

// 3. A 10,000-component inventory of real purls of the replicated packages.
function purlOf(ecosystem: string, name: string, version: string): string | null {
  const [eco, release] = ecosystem.split(':');
  switch (eco) {
    case 'PyPI':
      return new PackageURL('pypi', undefined, name, version, undefined, undefined).toString();
    case 'npm': {
      const scoped = name.startsWith('@') ? name.split('/') : null;
      return new PackageURL('npm', scoped ? scoped[0] : undefined, scoped ? (scoped[1] ?? name) : name, version, undefined, undefined).toString();
    }
    case 'Maven': {
      const [g, a] = name.split(':');
      return a ? new PackageURL('maven', g, a, version, undefined, undefined).toString() : null;
    }
    case 'Debian':
      return new PackageURL('deb', 'debian', name, version, { distro: `debian-${release}` }, undefined).toString();
    case 'Alpine':
      return new PackageURL('apk', 'alpine', name, version, { distro: `alpine-${(release ?? '').replace(/^v/, '')}` }, undefined).toString();
    default:
      return null;
  }
}
// One entry per distinct replicated package (sampling records instead would over-weight packages with
// many advisories, e.g. Django or the Linux kernel, far beyond a real SBOM).
type Rec = { affected: { package: { ecosystem: string; name: string }; ranges: Observation['affected'][number]['ranges']; versions: string[] }[] };
const packages = new Map<string, Rec['affected'][number]>();
for (const rec of records as unknown as Rec[]) {
  const p = rec.affected[0];
  if (p && !packages.has(`${p.package.ecosystem} ${p.package.name}`)) packages.set(`${p.package.ecosystem} ${p.package.name}`, p);
}
const pkgList = [...packages.values()];
const purls: string[] = [];
const seen = new Set<string>();
const stride = Math.max(1, Math.floor(pkgList.length / COMPONENTS));
for (let i = 0; purls.length < COMPONENTS && i < pkgList.length * 2; i++) {
  const p = pkgList[(i * stride + Math.floor(i / pkgList.length)) % pkgList.length];
  if (!p) continue;
  const fixed = p.ranges.flatMap((r) => (r.type === 'GIT' ? [] : r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : []))));
  const introduced = p.ranges.flatMap((r) => (r.type === 'GIT' ? [] : r.events.flatMap((e) => ('introduced' in e && e.introduced !== '0' ? [e.introduced] : []))));
  const version = i % 2 === 0 ? (p.versions[0] ?? introduced[0] ?? fixed[0]) : (fixed[0] ?? p.versions[0]);
  if (!version) continue;
  const purl = purlOf(p.package.ecosystem, p.package.name, version);
  if (!purl || seen.has(purl)) continue;
  seen.add(purl);
  purls.push(purl);
}
const inventory: Inventory = {
  document: { format: 'cyclonedx-json', specVersion: '1.6', name: 'bench-10k', tools: [], authors: [], properties: [], extra: {} },
  components: purls.map((p, i) => newComponent({ ref: `c${String(i).padStart(5, '0')}`, name: p, type: 'library', purl: p })),
  dependencies: [],
};

const note = `load avg ${loadavg()[0]?.toFixed(1)}; ${inventory.components.length} components (real purls of replicated packages, ${pkgList.length} distinct), ${imp.result.observations} advisories (replicated real records)`;
const home = store.home;
store.close();
const inventoryFile = join(tempDir('stella-bench-match-inv-'), 'inventory.json');
writeFileSync(inventoryFile, JSON.stringify(inventory));
const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string], {
  env: { ...process.env, STELLA_MATCH_BENCH_CHILD: JSON.stringify({ home, inventoryFile, note }) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
process.exit(r.status ?? 1);
