/**
 * Pure logic of the Offline kits screen: the verification checklist built from `kits.import` progress
 * (each step is a `job.progress` phase whose final message is `pass: …` / `fail: …` / `skipped: …` /
 * `forced: …`), what a refusal's error code means as the CLI's exit code, and the feed-age wording.
 */
import type { ContractError, FeedAgeView, KitCheckName, KitCheckView } from '../../../common/contract';

export const KIT_STEPS: readonly { name: KitCheckName; label: string }[] = [
  { name: 'read', label: 'Read the kit (gzip, tar, manifest)' },
  { name: 'signature', label: 'Signature by a key trusted for kits' },
  { name: 'jws', label: 'Detached JWS over the manifest' },
  { name: 'digests', label: 'Every file’s size and sha256 as signed' },
  { name: 'version', label: 'Newer than the active version of the channel' },
  { name: 'activate', label: 'Activate in one transaction' },
];

export type StepState = 'waiting' | 'running' | KitCheckView['status'];

export interface StepView {
  name: KitCheckName;
  label: string;
  state: StepState;
  message: string;
  done?: number;
  total?: number;
}

export type Checklist = Record<KitCheckName, StepView>;

export function emptyChecklist(): Checklist {
  return Object.fromEntries(KIT_STEPS.map((s) => [s.name, { name: s.name, label: s.label, state: 'waiting' as StepState, message: '' }])) as Checklist;
}

const isStep = (phase: string): phase is KitCheckName => KIT_STEPS.some((s) => s.name === phase);

/** One `job.progress` of a kit import applied to the checklist (a new object; unknown phases are ignored). */
export function applyKitProgress(list: Checklist, p: { phase: string; done: number; total?: number; message?: string }): Checklist {
  if (!isStep(p.phase)) return list;
  const m = /^(pass|fail|skipped|forced): ([\s\S]*)$/.exec(p.message ?? '');
  const prev = list[p.phase];
  // a step that has its outcome keeps it (later progress of the same phase only adds detail)
  if (prev.state !== 'waiting' && prev.state !== 'running' && !m) return list;
  const next: StepView = m
    ? { ...prev, state: m[1] as KitCheckView['status'], message: m[2] ?? '' }
    : { ...prev, state: 'running', ...(p.message ? { message: p.message } : {}), done: p.done, ...(p.total !== undefined ? { total: p.total } : {}) };
  return { ...list, [p.phase]: next };
}

/** The checklist as the finished job's result states it (authoritative over the live events). */
export function checklistFromChecks(checks: readonly KitCheckView[]): Checklist {
  let list = emptyChecklist();
  for (const c of checks) list = { ...list, [c.name]: { ...list[c.name], state: c.status, message: c.message } };
  return list;
}

/** A failed job: the step still running when it failed is the one that failed. */
export function failRunningStep(list: Checklist, message: string): Checklist {
  const running = KIT_STEPS.find((s) => list[s.name].state === 'running') ?? KIT_STEPS.find((s) => list[s.name].state === 'waiting');
  if (!running || KIT_STEPS.some((s) => list[s.name].state === 'fail')) return list;
  return { ...list, [running.name]: { ...list[running.name], state: 'fail', message } };
}

export interface Refusal {
  exitCode: number;
  meaning: string;
}

/** What a refused import means, as `stella offline import` would exit (engine/export README). */
export function refusalOf(error: { code: ContractError['code'] | string; details?: Record<string, unknown> | undefined }, failedStep?: KitCheckName): Refusal {
  const engineCode = typeof error.details?.engineCode === 'string' ? error.details.engineCode : '';
  // `job.finished` carries the category only: a version check that failed without a missing base is the non-monotonic refusal
  if (engineCode === 'non-monotonic' || (failedStep === 'version' && error.code !== 'missing-data' && error.code !== 'cancelled')) return { exitCode: 8, meaning: 'not newer than the active version of this channel (activate it anyway only with a recorded reason)' };
  switch (error.code) {
    case 'trust':
      return { exitCode: 6, meaning: 'trust failure: a signature, the JWS or a file digest did not verify, or a file is missing or added' };
    case 'invalid-input':
      return { exitCode: 3, meaning: 'invalid: not a kit, damaged, or a document the workstation rejects' };
    case 'missing-data':
      return { exitCode: 4, meaning: 'required data missing: a delta whose base generation is not active' };
    case 'cancelled':
      return { exitCode: 130, meaning: 'cancelled: nothing was changed' };
    case 'invalid-request':
    case 'unsupported':
      return { exitCode: 2, meaning: 'usage: the request could not be made' };
    default:
      return { exitCode: 10, meaning: 'internal error' };
  }
}

/** The feed-age line every screen shows: how old the advisory data is and whether it is stale. */
export function feedAgeText(a: FeedAgeView): string {
  if (a.basis === 'none' || a.asOf === null) return 'No advisory snapshot is loaded yet';
  const days = a.ageDays ?? 0;
  const age = days < 1 ? 'less than a day' : `${Math.floor(days)} day${Math.floor(days) === 1 ? '' : 's'}`;
  const from = a.basis === 'kit' ? 'offline kit' : 'imported feeds';
  return `Advisory data from ${a.asOf.slice(0, 10)} (${from}) is ${age} old${a.stale ? ` — stale (older than ${a.staleAfterDays} days); results may miss newer vulnerabilities` : ''}`;
}
