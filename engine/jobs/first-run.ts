/**
 * Job: the first real SBOMs of a fresh workstation — the application's own dependencies (its
 * package-lock.json) and the host's installed OS packages (the dpkg, apk or rpm database), each
 * inventoried by the built-in analyzers and stored as a CycloneDX 1.6 SBOM, all in one transaction.
 * Nothing needs advisories: the SBOMs are scanned once a snapshot is loaded. Hosts: the app's first-run
 * workspace (`firstrun.inventory`).
 */
import { existsSync, statSync } from 'node:fs';
import type { Store } from '../store';
import type { JobContext } from './context';
import { checkpoint } from './context';
import { JobError } from './errors';
import { inventoryJob } from './inventory';
import { importSbomAudited } from './import-sbom';

export interface FirstRunTarget {
  kind: 'app' | 'os';
  /** The file to inventory. */
  path: string;
  /** Where the analyzers see it (an OS database's path in a root filesystem). */
  as: string;
  /** The name the SBOM is listed under. */
  name: string;
}

/** The OS package databases the analyzers read, in the order a host is likely to have them. */
const OS_DATABASES: readonly { as: string; name: string }[] = [
  { as: 'var/lib/dpkg/status', name: 'host OS packages (dpkg)' },
  { as: 'lib/apk/db/installed', name: 'host OS packages (apk)' },
  { as: 'var/lib/rpm/rpmdb.sqlite', name: 'host OS packages (rpm)' },
  { as: 'usr/lib/sysimage/rpm/rpmdb.sqlite', name: 'host OS packages (rpm)' },
];

/** The host's package databases that exist and are not empty (`root` = `/`; tests point it elsewhere). */
export function hostPackageDatabases(root = '/'): FirstRunTarget[] {
  const out: FirstRunTarget[] = [];
  for (const db of OS_DATABASES) {
    const path = `${root.replace(/\/+$/, '')}/${db.as}`;
    try {
      if (existsSync(path) && statSync(path).isFile() && statSync(path).size > 0) out.push({ kind: 'os', path, as: db.as, name: db.name });
    } catch {
      /* unreadable: not offered */
    }
  }
  return out;
}

export interface FirstRunInput {
  /** The application's package-lock.json (the installed app's, or the repository's in development). */
  appLockfile?: string;
  /** The host's package databases (default: `hostPackageDatabases()`). */
  osDatabases?: FirstRunTarget[];
}

export interface FirstRunResult {
  sboms: { kind: 'app' | 'os'; target: string; name: string; status: 'imported' | 'skipped'; sbomId: string | null; components: number; reason: string | null }[];
}

export async function firstRunInventoryJob(store: Store, input: FirstRunInput, ctx: JobContext): Promise<FirstRunResult> {
  const targets: FirstRunTarget[] = [];
  const skipped: FirstRunResult['sboms'] = [];
  if (input.appLockfile !== undefined) {
    if (existsSync(input.appLockfile)) targets.push({ kind: 'app', path: input.appLockfile, as: 'package-lock.json', name: 'Stella Evidence Workstation (package-lock.json)' });
    else skipped.push({ kind: 'app', target: input.appLockfile, name: 'Stella Evidence Workstation (package-lock.json)', status: 'skipped', sbomId: null, components: 0, reason: 'the application has no package-lock.json beside it' });
  }
  const os = input.osDatabases ?? hostPackageDatabases();
  // one OS database is the host's: the first found
  if (os[0]) targets.push(os[0]);
  else skipped.push({ kind: 'os', target: '/', name: 'host OS packages', status: 'skipped', sbomId: null, components: 0, reason: 'no dpkg, apk or rpm database was found on this host' });
  if (targets.length === 0) throw new JobError('target-unreadable', 'nothing to inventory: neither the application lockfile nor an OS package database was found', { details: { expected: 'package-lock.json or /var/lib/dpkg/status' } });

  const { exportInventory } = await import('../sbom/export');
  const documents: { target: FirstRunTarget; bytes: Uint8Array }[] = [];
  for (const [i, t] of targets.entries()) {
    ctx.onProgress({ phase: `inventory: ${t.name}`, done: i, total: targets.length });
    const inv = await inventoryJob(store, { path: t.path, as: t.as }, ctx);
    documents.push({ target: t, bytes: exportInventory(inv.inventory, { format: 'cyclonedx-json', specVersion: '1.6' }).bytes });
    await checkpoint(ctx);
  }
  ctx.onProgress({ phase: 'storing SBOMs', done: targets.length, total: targets.length });
  const imported = await store.writeAsync(async () => {
    const out: FirstRunResult['sboms'] = [];
    for (const d of documents) {
      const r = await importSbomAudited(store, { bytes: d.bytes, name: d.target.name }, ctx);
      out.push({ kind: d.target.kind, target: d.target.path, name: d.target.name, status: 'imported', sbomId: r.id, components: r.componentCount, reason: null });
    }
    return out;
  });
  return { sboms: [...imported, ...skipped] };
}
