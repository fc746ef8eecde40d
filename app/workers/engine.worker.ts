/**
 * Entry of every engine worker thread. `workerData.role` decides what it is:
 *  - `writer`: owns the only writable Store connection (runs migrations) and runs the jobs that write
 *    (imports, scans), one at a time — SQLite has one writer anyway;
 *  - `reader`: a read-only connection for queries and exports, several in parallel.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore, type Store } from '../../engine/store';
import { workerDataSchema, type WorkerToHost } from './protocol';
import { serveWorker, toWireError, type MethodTable } from './runtime';
import { readerMethods, writerChannels, writerMethods } from './engine-api';
import { testHookMethods } from './test-hooks';

const port = parentPort;
if (!port) throw new Error('engine.worker must run in a worker thread');
const post = (m: WorkerToHost): void => port.postMessage(m);

const data = workerDataSchema.safeParse(workerData);
if (!data.success) {
  post({ type: 'init-failed', error: { kind: 'internal', code: 'internal', category: 'internal', message: `invalid workerData: ${data.error.message}` } });
  process.exit(1);
}
const { role, home, testHooks } = data.data;

let store: Store;
try {
  store = openStore({ home, readonly: role === 'reader' });
} catch (e) {
  post({ type: 'init-failed', error: toWireError(e) });
  process.exit(1);
}

const methods: MethodTable<Store> = {
  ...(role === 'writer' ? { ...writerMethods(), ...writerChannels() } : readerMethods()),
  ...(testHooks ? testHookMethods<Store>() : {}),
};

serveWorker(port, store, methods, () => {
  // Give in-flight calls (already aborted) a moment to post their replies, then close the store.
  setTimeout(() => {
    store.close();
    process.exit(0);
  }, 50);
});
post({ type: 'ready' });
