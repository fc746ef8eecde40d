/**
 * Policy pack lifecycle jobs: import a pack as an immutable version, approve it with a workstation key
 * (a DSSE signature over its approval statement), activate it once two distinct keys approved it (the
 * two-person rule), and read the versions, the history and the active pack. Every import, approval and
 * activation — and every refused activation — is audited in the transaction of the change.
 *
 * `importPolicyPackJob` is also what installs packs from an offline kit (pass the kit members as
 * `{files}`); built-in packs are shipped with the app and can be activated without approvals.
 */
import { createPublicKey } from 'node:crypto';
import { type KeystoreOptions, keyIdOf, parseEnvelope, serializeEnvelope, signEnvelope, verifyEnvelope } from '../attest';
import { appendAudit } from '../audit';
import type { Digest } from '../core';
import {
  APPROVAL_PAYLOAD_TYPE,
  DEFAULT_PACK,
  PolicyError,
  REQUIRED_APPROVALS,
  activePackRef,
  approvalPayload,
  builtinPackNames,
  importPackVersion,
  listActivations,
  listPackVersions,
  loadPack,
  loadStoredPack,
  packFilesFromTexts,
  packFromFiles,
  parsePackId,
  readPackRef,
  recordActivation,
  recordApproval,
  requirePackVersion,
  requireUsable,
  runPackFixtures,
  type ActivePackRef,
  type Diagnostic,
  type PackFiles,
  type StoredPackVersion,
} from '../policy';
import type { Store } from '../store';
import { checkpoint, type JobContext } from './context';
import { type PassphraseSource, resolveSigningKeys } from './keys';
import type { PackInput } from './policy';

// ---- import -------------------------------------------------------------------------------------

export interface ImportPolicyPackInput {
  /** A directory, a `.tar.gz`, or the pack's files as text `{files}` (editor, kit). Built-in packs are not imported. */
  pack: PackInput;
  cwd?: string;
  /** The name the user knows a file by (an upload's name): recorded as the origin instead of its path here. */
  name?: string;
}

export interface PackVersionView {
  name: string;
  version: string;
  digest: Digest;
  description: string;
  origin: string;
  importedAt: string;
  files: { path: string; digest: Digest; size: number }[];
  approvals: { keyId: string; keyName: string | null; algorithm: string; approvedAt: string }[];
  /** Approvals still needed before it can be activated (0 when it can be). */
  approvalsNeeded: number;
  active: boolean;
}

export interface ImportPolicyPackResult {
  outcome: 'new' | 'unchanged';
  pack: PackVersionView;
  /** Warnings the pack compiled with. */
  warnings: Diagnostic[];
  fixtures: { passed: number; failed: number };
}

function view(v: StoredPackVersion, active: ActivePackRef): PackVersionView {
  const distinct = new Set(v.approvals.map((a) => a.keyId)).size;
  return {
    name: v.name,
    version: v.version,
    digest: v.digest,
    description: v.description,
    origin: v.origin,
    importedAt: v.importedAt,
    files: v.files,
    approvals: v.approvals.map((a) => ({ keyId: a.keyId, keyName: a.keyName, algorithm: a.algorithm, approvedAt: a.approvedAt })),
    approvalsNeeded: Math.max(0, REQUIRED_APPROVALS - distinct),
    active: active.builtin === null && active.name === v.name && active.version === v.version,
  };
}

async function packFiles(input: ImportPolicyPackInput): Promise<PackFiles> {
  if (typeof input.pack !== 'string') {
    if ('files' in input.pack) return packFilesFromTexts(input.pack.label ?? 'editor', input.pack.files);
    throw new PolicyError('invalid-input', 'only a pack directory, a .tar.gz or the pack files can be imported (built-in packs are shipped, imported versions are already stored)', { details: { path: 'pack' } });
  }
  if (input.pack.startsWith('builtin:')) {
    throw new PolicyError('invalid-input', `${input.pack} is shipped with the app: it is not imported, it can be activated as it is (stella policy activate ${input.pack})`, {
      details: { path: 'pack', expected: 'a pack directory, a .tar.gz, or the pack files' },
    });
  }
  const files = await readPackRef(input.pack, input.cwd ? { cwd: input.cwd } : {});
  if (input.name !== undefined && (files.origin.kind === 'archive' || files.origin.kind === 'directory')) return { ...files, origin: { kind: files.origin.kind, path: input.name } };
  return files;
}

/** Import a pack as an immutable version (idempotent for the same content; another digest under the same version is refused). */
export async function importPolicyPackJob(store: Store, input: ImportPolicyPackInput, ctx: JobContext): Promise<ImportPolicyPackResult> {
  ctx.onProgress({ phase: 'reading pack', done: 0 });
  const files = await packFiles(input);
  const pack = requireUsable(packFromFiles(files));
  await checkpoint(ctx);
  const fixtures = runPackFixtures(pack);
  const r = importPackVersion(store, pack, files, {
    importedAt: ctx.clock.nowIso(),
    inTransaction: (v) =>
      appendAudit(store, { kind: 'policy.imported', subject: `${v.name}@${v.version}`, details: { digest: v.digest, origin: v.origin, files: v.files.map((f) => ({ path: f.path, digest: f.digest })), fixtures: { passed: fixtures.passed, failed: fixtures.failed } } }, ctx),
  });
  ctx.onProgress({ phase: 'pack imported', done: 1, total: 1 });
  return { outcome: r.outcome, pack: view(r.version, await activePackRef(store)), warnings: pack.diagnostics.filter((d) => d.severity === 'warning'), fixtures: { passed: fixtures.passed, failed: fixtures.failed } };
}

// ---- approve ------------------------------------------------------------------------------------

export interface ApprovePolicyPackInput {
  /** `NAME@VERSION` of an imported version. */
  pack: string;
  /** The workstation key that approves (a keystore name). */
  key: string;
}

export interface ApprovePolicyPackResult {
  pack: PackVersionView;
  approval: { keyId: string; keyName: string | null; algorithm: string; approvedAt: string };
}

function requirePackId(text: string): { name: string; version: string } {
  const id = parsePackId(text);
  if (!id) throw new PolicyError('invalid-input', `${JSON.stringify(text)}: expected NAME@VERSION of an imported pack (stella policy history lists them)`, { details: { path: 'pack', expected: 'NAME@VERSION' } });
  return id;
}

/**
 * One key's approval: it signs the version's approval statement (name, version, pack digest, source
 * file digests) as a DSSE envelope; the envelope and the public key are stored with the version.
 */
export async function approvePolicyPackJob(store: Store, input: ApprovePolicyPackInput, passphrase: PassphraseSource, ctx: JobContext, opts: KeystoreOptions = {}): Promise<ApprovePolicyPackResult> {
  const id = requirePackId(input.pack);
  const v = requirePackVersion(store, id.name, id.version);
  if (v.approvals.some((a) => a.keyName === input.key || a.keyId === input.key)) {
    throw new PolicyError('already-approved', `key ${input.key} has already approved ${v.name}@${v.version}: the two-person rule needs another key`, { details: { path: 'key', expected: 'a key that has not approved this version' } });
  }
  const [key] = await resolveSigningKeys(store, [input.key], passphrase, ctx, opts);
  if (!key) throw new PolicyError('invalid-input', `no signing key ${input.key}`, { details: { path: 'key' } });
  const payload = approvalPayload(v);
  const envelope = await signEnvelope(APPROVAL_PAYLOAD_TYPE, payload, [key]);
  const publicKey = key.publicKey();
  // What activation will check, checked now: a key that cannot verify its own approval is not stored.
  const check = verifyEnvelope(envelope, [{ keyId: key.keyId, publicKey: createPublicKey(publicKey) }]);
  if (!check.verified) throw new PolicyError('invalid-input', `the approval signed by ${input.key} does not verify with its own public key`, { details: { path: 'key' } });
  const approvedAt = ctx.clock.nowIso();
  const approval = { keyId: key.keyId, keyName: key.name ?? null, algorithm: key.algorithm, publicKey, envelope: serializeEnvelope(envelope), approvedAt };
  const updated = recordApproval(store, v, approval, () =>
    appendAudit(
      store,
      { kind: 'policy.approved', subject: `${v.name}@${v.version}`, details: { digest: v.digest, keyId: key.keyId, keyName: key.name ?? null, algorithm: key.algorithm, approvals: new Set([...v.approvals.map((a) => a.keyId), key.keyId]).size } },
      ctx,
    ),
  );
  return { pack: view(updated, await activePackRef(store)), approval: { keyId: approval.keyId, keyName: approval.keyName, algorithm: approval.algorithm, approvedAt } };
}

// ---- activate -----------------------------------------------------------------------------------

export interface ActivatePolicyPackInput {
  /** `NAME@VERSION` of an imported version, or `builtin:NAME`. */
  pack: string;
}

export interface ApprovalCheck {
  keyId: string;
  keyName: string | null;
  valid: boolean;
  /** Why it does not count (a bad signature, a statement about something else). */
  reason?: string;
}

export interface ActivatePolicyPackResult {
  active: ActivePackRef;
  /** False when it was already the active pack (nothing recorded). */
  changed: boolean;
  approvals: ApprovalCheck[];
}

/** Verify each stored approval of a version against its own public key and the version's statement. */
export function checkApprovals(v: StoredPackVersion): ApprovalCheck[] {
  const expected = approvalPayload(v);
  return v.approvals.map((a) => {
    const base = { keyId: a.keyId, keyName: a.keyName };
    try {
      const env = parseEnvelope(a.envelope, `approval by ${a.keyName ?? a.keyId}`);
      if (env.payloadType !== APPROVAL_PAYLOAD_TYPE) return { ...base, valid: false, reason: `payload type ${env.payloadType}, expected ${APPROVAL_PAYLOAD_TYPE}` };
      if (!Buffer.from(env.payload, 'base64').equals(expected)) return { ...base, valid: false, reason: 'it signs another statement than this version’s (name, version, digest or source files differ)' };
      const pub = createPublicKey(a.publicKey);
      if (keyIdOf(pub) !== a.keyId) return { ...base, valid: false, reason: 'the stored public key is not the approving key' };
      const r = verifyEnvelope(env, [{ keyId: a.keyId, publicKey: pub }]);
      return r.verified ? { ...base, valid: true } : { ...base, valid: false, reason: 'the signature does not verify' };
    } catch (e) {
      return { ...base, valid: false, reason: (e as Error).message };
    }
  });
}

/**
 * Make a version the active pack — only with valid approvals by `REQUIRED_APPROVALS` distinct keys
 * (refused with exit 1 and the reason otherwise; the refusal is audited too). A built-in pack is part
 * of the app and is activated without approvals.
 */
export async function activatePolicyPackJob(store: Store, input: ActivatePolicyPackInput, ctx: JobContext): Promise<ActivatePolicyPackResult> {
  await checkpoint(ctx);
  const current = await activePackRef(store);
  const at = ctx.clock.nowIso();
  if (input.pack.startsWith('builtin:')) {
    const name = input.pack.slice('builtin:'.length);
    if (!builtinPackNames().includes(name)) throw new PolicyError('not-found', `no built-in pack ${input.pack}: built-in packs are ${builtinPackNames().map((n) => `builtin:${n}`).join(', ')}`, { details: { path: 'pack' } });
    if (current.builtin === name) return { active: current, changed: false, approvals: [] };
    const pack = requireUsable(await loadPack(input.pack));
    recordActivation(store, { builtin: name, pack }, at, (a) =>
      appendAudit(store, { kind: 'policy.activated', subject: input.pack, details: { name: a.name, version: a.version, digest: a.digest, builtin: true, previous: current.ref } }, ctx),
    );
    return { active: await activePackRef(store), changed: true, approvals: [] };
  }
  const id = requirePackId(input.pack);
  const v = requirePackVersion(store, id.name, id.version);
  const approvals = checkApprovals(v);
  const valid = [...new Set(approvals.filter((a) => a.valid).map((a) => a.keyId))].sort();
  if (valid.length < REQUIRED_APPROVALS) {
    const why = approvals.filter((a) => !a.valid).map((a) => `${a.keyName ?? a.keyId}: ${a.reason}`);
    appendAudit(store, { kind: 'policy.activation-refused', subject: `${v.name}@${v.version}`, details: { digest: v.digest, validApprovals: valid, required: REQUIRED_APPROVALS, invalid: why } }, ctx);
    throw new PolicyError(
      'not-approved',
      `${v.name}@${v.version} cannot be activated: it has ${valid.length} valid approval${valid.length === 1 ? '' : 's'} and needs ${REQUIRED_APPROVALS} from distinct keys (stella policy approve ${v.name}@${v.version} --key KEY)${why.length ? `; not counted: ${why.join('; ')}` : ''}`,
      { details: { path: 'pack', expected: `${REQUIRED_APPROVALS} approvals by distinct keys`, approvals: valid, required: REQUIRED_APPROVALS } },
    );
  }
  // It must still compile to the digest that was approved.
  loadStoredPack(store, v);
  if (current.builtin === null && current.name === v.name && current.version === v.version) return { active: current, changed: false, approvals };
  recordActivation(store, { version: v, approvals: valid }, at, (a) =>
    appendAudit(store, { kind: 'policy.activated', subject: `${v.name}@${v.version}`, details: { digest: a.digest, approvals: a.approvals, previous: current.ref } }, ctx),
  );
  return { active: await activePackRef(store), changed: true, approvals };
}

// ---- read ---------------------------------------------------------------------------------------

export interface PolicyHistoryEvent {
  at: string;
  event: 'imported' | 'approved' | 'activated';
  pack: string;
  digest: Digest;
  keyId?: string;
  keyName?: string | null;
  builtin?: boolean;
}

export interface PolicyHistory {
  active: ActivePackRef;
  versions: PackVersionView[];
  builtins: { ref: string; name: string; version: string; digest: Digest; active: boolean }[];
  /** Imports, approvals and activations, oldest first. */
  events: PolicyHistoryEvent[];
}

/** The active pack, every imported version with its approvals, the built-in packs, and what happened when. */
export async function policyHistoryJob(store: Store): Promise<PolicyHistory> {
  const active = await activePackRef(store);
  const versions = listPackVersions(store);
  const events: (PolicyHistoryEvent & { order: number })[] = [];
  for (const v of versions) {
    events.push({ at: v.importedAt, event: 'imported', pack: `${v.name}@${v.version}`, digest: v.digest, order: 0 });
    for (const a of v.approvals) events.push({ at: a.approvedAt, event: 'approved', pack: `${v.name}@${v.version}`, digest: v.digest, keyId: a.keyId, keyName: a.keyName, order: 1 });
  }
  for (const a of listActivations(store)) events.push({ at: a.activatedAt, event: 'activated', pack: a.builtin ? `builtin:${a.builtin}` : `${a.name}@${a.version}`, digest: a.digest, ...(a.builtin ? { builtin: true } : {}), order: 2 });
  // Stable: by time, then imports before approvals before activations at the same instant.
  events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.order - y.order));
  const builtins = await Promise.all(
    builtinPackNames().map(async (n) => {
      const p = requireUsable(await loadPack(`builtin:${n}`));
      return { ref: `builtin:${n}`, name: p.manifest.name, version: p.manifest.version, digest: p.digest, active: active.builtin === n };
    }),
  );
  return { active, versions: versions.map((v) => view(v, active)), builtins, events: events.map(({ order: _order, ...e }) => e) };
}

/** The active pack (the shipped default until another is activated). */
export async function activePolicyJob(store: Store): Promise<ActivePackRef & { shippedDefault: boolean }> {
  const a = await activePackRef(store);
  return { ...a, shippedDefault: a.ref === DEFAULT_PACK };
}
