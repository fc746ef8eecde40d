/** Driving the app contract from tests: unwrap replies, wait for the event socket, run a job to its end. */
import assert from 'node:assert/strict';
import type { EventPayloads, HttpEngineClient, Reply } from '../../app/common/contract';

/** The value of an `ok` reply; fails the test naming the error otherwise. */
export function value<T>(r: Reply<T>): T {
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Wait until `n` event WebSockets are connected (jobs started before would miss their events). */
export async function waitForSockets(s: { eventSockets(): number }, n = 1): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (s.eventSockets() < n) {
    if (Date.now() > deadline) throw new Error('the event WebSocket did not connect');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Start a job and wait for its `job.finished` event; the job's progress events come along. */
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
