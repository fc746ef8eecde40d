/**
 * A home with something to export: the GHSA Maven advisories and the CISA KEV catalogue of the corpus,
 * and the dropwizard CycloneDX SBOM scanned against them (71 findings, 2 in KEV, every severity) with a
 * recorded replay manifest, a default Ed25519 signing key (passphrase `PASSPHRASE`, test KDF cost), and
 * the auditor's triage of one critical finding as not affected (after the scan: the scan's outputs do not
 * depend on VEX, the verdict does). Built once per process and copied for each caller, so a test may change its
 * copy freely. Tests that use it skip with the reason when the corpus is absent.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock, sequentialIds, type Finding } from '../../engine/core';
import { openStore, type Store } from '../../engine/store';
import { importAdvisoriesJob } from '../../engine/jobs/import-advisories';
import { scanTargetJob } from '../../engine/jobs/scan';
import { jobContext, type JobContext } from '../../engine/jobs/context';
import { generateKeyJob } from '../../engine/jobs/keys';
import { createVexStatement } from '../../engine/jobs/vex';
import type { KeystoreOptions } from '../../engine/attest';
import type { ReplayManifest } from '../../engine/replay';
import { fixture, needsFixtures, tempDir } from './fixtures';
import { GHSA_FIXTURE } from './large-inputs';

export const KEV_FIXTURE = ['advisories', 'kev', 'known_exploited_vulnerabilities.json.gz'] as const;
export const DROPWIZARD_XML = ['sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.xml'] as const;

/** When the scanned home's fixtures are present: `{skip: false}`; otherwise the reason. */
export function needsScannedHome(): { skip: string | false } {
  for (const f of [GHSA_FIXTURE, KEV_FIXTURE, DROPWIZARD_XML]) {
    const r = needsFixtures(...f);
    if (r.skip) return r;
  }
  return { skip: false };
}

/** The scan's fixed time: the dates in a bundle come from here, never from the wall clock. */
export const SCAN_TIME = '2026-01-02T03:04:05.000Z';

export function scanContext(over: Partial<JobContext> = {}): JobContext {
  return jobContext({ clock: fixedClock(SCAN_TIME), ids: sequentialIds(), ...over });
}

/** The passphrase of the home's default key (give it as STELLA_PASSPHRASE to the CLI). */
export const PASSPHRASE = 'correct horse battery staple';
/** Argon2id at test cost: the key file records it, so unlocking (the CLI included) is fast too. */
export const FAST_KDF: KeystoreOptions = { kdf: { memoryKiB: 1024, iterations: 1, parallelism: 1 } };

export interface ScannedHome {
  home: string;
  /** The default (world, Ed25519) signing key's id. */
  keyId: string;
  scanId: string;
  manifest: ReplayManifest;
  findings: Finding[];
  /** The finding the home's own triage says is not affected. */
  triaged: string;
}

let template: Promise<ScannedHome> | undefined;

async function buildTemplate(): Promise<ScannedHome> {
  const home = tempDir('stella-scanned-');
  const store = openStore({ home });
  try {
    const ctx = scanContext();
    await importAdvisoriesJob(store, { paths: [fixture(...GHSA_FIXTURE) as string, fixture(...KEV_FIXTURE) as string] }, ctx);
    const first = await scanTargetJob(store, { path: fixture(...DROPWIZARD_XML) as string }, ctx);
    const key = await generateKeyJob(store, { name: 'default', profile: 'world', algorithm: 'ed25519', makeDefault: true }, async () => PASSPHRASE, ctx, FAST_KDF);
    // The auditor's own triage of one critical (blocking) finding: not affected, so the VEX part of a
    // bundle has something to show and the default pack passes that finding.
    const triagedFirst = first.scan.findings.find((f) => f.severity.level === 'critical' && !f.kev && f.purl);
    if (!triagedFirst?.purl) throw new Error('the fixture scan has no critical finding to triage');
    await createVexStatement(store, { vulnerability: triagedFirst.vulnerabilityId, purl: triagedFirst.purl, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impact: 'The <script>-handling code path is never reached by this service' }, ctx);
    // The recorded scan comes after the triage, so its verdict and replay manifest see that VEX (the store
    // keeps no earlier VEX sets: a replay compares with the VEX it holds now).
    const r = await scanTargetJob(store, { path: fixture(...DROPWIZARD_XML) as string, record: true }, ctx);
    if (!r.replay) throw new Error('the scan was not recorded');
    const triaged = r.scan.findings.find((f) => f.vulnerabilityId === triagedFirst.vulnerabilityId && f.componentRef === triagedFirst.componentRef);
    if (!triaged) throw new Error('the recorded scan lost the triaged finding');
    return { home, keyId: key.keyId, scanId: r.scan.id, manifest: r.replay.manifest, findings: r.scan.findings, triaged: triaged.id };
  } finally {
    store.close();
  }
}

/** A fresh copy of the scanned home (closed store files copied; the copy is the caller's). */
export async function scannedHome(): Promise<ScannedHome> {
  template ??= buildTemplate();
  const t = await template;
  const home = tempDir('stella-scanned-copy-');
  cpSync(t.home, home, { recursive: true });
  return { ...t, home };
}

/**
 * A new revision of the advisory behind `finding` (its first evidence link) with a different CVSS
 * vector, written as an OSV file to import: the same advisory id, a later `modified` date.
 */
export function changedAdvisoryFile(store: Store, finding: Finding): { path: string; advisoryId: string } {
  const ev = finding.evidence[0];
  if (!ev) throw new Error(`finding ${finding.id} has no evidence`);
  const doc = JSON.parse(store.blobs.get(ev.rawDocument.digest as `sha256:${string}`).toString('utf8')) as Record<string, unknown>;
  doc.modified = '2026-06-01T00:00:00Z';
  doc.severity = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }];
  const path = join(tempDir(), `${String(doc.id)}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return { path, advisoryId: String(doc.id) };
}
