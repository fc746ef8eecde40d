/**
 * Layer worker (run by piscina): analyzes (or re-hashes) one layer per task with the plug-ins the host
 * verified, imported from the bytes it sent. No business logic lives here.
 */
import { parentPort } from 'node:worker_threads';
import { workerData } from 'piscina';
import { loadVerifiedPlugins, type PluginSet } from '../plugins';
import { serveLayerTask, type LayerWorkerData, type WorkerReply, type WorkerRequest } from './pool';

const data = workerData as LayerWorkerData;
let plugins: Promise<PluginSet> | undefined;

export default function run(req: WorkerRequest): Promise<WorkerReply> {
  plugins ??= loadVerifiedPlugins(data.pluginsDir, data.verified);
  return serveLayerTask(req, plugins, data.fingerprint, (m) => parentPort?.postMessage(m));
}
