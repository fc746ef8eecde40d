/**
 * Mirror bundle jobs: export the current advisory and VEX snapshots (full, or a delta against an earlier
 * bundle's feed snapshot) as a signed folder, optionally straight onto removable media; list the feed
 * snapshots exported so far. Hosts: `stella export mirror`, the app's `mirror.export` channel. The other
 * side imports a bundle with the kit import job (`stella offline import DIR`).
 */
import type { KeystoreOptions } from '../attest';
import { appendAudit } from '../audit';
import { type FeedSnapshot, type MediaWriteResult, type MirrorBuildResult, buildMirror, currentFeedSnapshot, listMirrorSnapshots, resolveMirrorBase } from '../export';
import type { Store } from '../store';
import type { JobContext } from './context';
import type { PassphraseSource } from './keys';
import { resolveKitSigningKey, writeMediaJob } from './kit';

export interface ExportMirrorInput {
  output: string;
  /** Base feed snapshot of a delta (the id an earlier bundle printed, or its advisory snapshot id). */
  since?: string;
  /** Signing key name (default: the workstation's default key). */
  key?: string;
  /** Also write the bundle to this folder (removable media) and read it back. */
  to?: string;
}

export interface ExportMirrorResult extends MirrorBuildResult {
  media?: MediaWriteResult;
}

export async function exportMirrorJob(store: Store, input: ExportMirrorInput, passphrase: PassphraseSource, ctx: JobContext, keystore: KeystoreOptions = {}): Promise<ExportMirrorResult> {
  ctx.onProgress({ phase: 'reading snapshots', done: 0 });
  // A wrong --since fails before anyone is asked for a passphrase.
  if (input.since !== undefined) resolveMirrorBase(store, input.since);
  const key = await resolveKitSigningKey(store, input.key, passphrase, ctx, keystore);
  const r = await buildMirror(store, { output: input.output, ...(input.since !== undefined ? { since: input.since } : {}) }, key, {
    signal: ctx.signal,
    onProgress: (phase, done, total) => ctx.onProgress({ phase, done, ...(total !== undefined ? { total } : {}) }),
  });
  store.write(() =>
    appendAudit(
      store,
      {
        kind: 'mirror.exported',
        subject: r.manifestDigest,
        details: { output: r.output, generation: r.manifest.generation, mode: r.manifest.mode, base: r.manifest.base, snapshot: r.manifest.snapshot, documents: r.documents, keyId: key.keyId },
      },
      ctx,
    ),
  );
  if (input.to === undefined) return r;
  return { ...r, media: await writeMediaJob(store, { source: r.output, to: input.to }, ctx) };
}

export interface MirrorSnapshotsResult {
  current: FeedSnapshot;
  exported: FeedSnapshot[];
}

export function mirrorSnapshotsJob(store: Store): MirrorSnapshotsResult {
  const { advisoryRows: _a, vexRows: _v, ...current } = currentFeedSnapshot(store);
  void _a;
  void _v;
  return { current, exported: listMirrorSnapshots(store) };
}
