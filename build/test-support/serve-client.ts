/** Helpers for tests that drive `stella serve` over HTTP + WebSocket with the contract's own client. */
import assert from 'node:assert/strict';
import type { EventPayloads, HttpEngineClient, Reply } from '../../app/common/contract';

/** Wait until `n` event WebSockets are open (jobs started earlier would send events nobody hears). */
export async function waitForSockets(s: { eventSockets(): number }, n = 1): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (s.eventSockets() < n) {
    if (Date.now() > deadline) throw new Error('the event WebSocket did not connect');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The value of an ok reply; a failed reply fails the test with its code and message. */
export function value<T>(r: Reply<T>): T {
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Start a job and wait for its `job.finished` (and collect its progress), whichever order events arrive in. */
export async function runJob(client: HttpEngineClient, start: () => Promise<Reply<{ jobId: string }>>): Promise<{ finished: EventPayloads['job.finished']; progress: EventPayloads['job.progress'][] }> {
  const progress: EventPayloads['job.progress'][] = [];
  let jobId = '';
  const early: EventPayloads['job.finished'][] = [];
  let resolveFinished!: (p: EventPayloads['job.finished']) => void;
  const finished = new Promise<EventPayloads['job.finished']>((r) => (resolveFinished = r));
  const offP = client.subscribe('job.progress', (p) => progress.push(p));
  const offF = client.subscribe('job.finished', (p) => (jobId ? p.jobId === jobId && resolveFinished(p) : early.push(p)));
  jobId = value(await start()).jobId;
  const already = early.find((p) => p.jobId === jobId);
  if (already) resolveFinished(already);
  const f = await finished;
  offP();
  offF();
  return { finished: f, progress: progress.filter((p) => p.jobId === jobId) };
}
