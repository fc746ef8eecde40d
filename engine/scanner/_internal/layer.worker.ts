/** Worker thread: analyzes (or re-hashes) one layer per message. No business logic lives here. */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../core';
import { loadPlugins } from '../plugins';
import { runTask, type WorkerReply, type WorkerRequest } from './pool';

parentPort?.on('message', (req: WorkerRequest) => {
  void (async (): Promise<void> => {
    let reply: WorkerReply;
    try {
      const plugins = await loadPlugins(req.pluginsDir);
      if (plugins.fingerprint !== req.fingerprint) throw new Error(`plug-ins changed since start-up: worker loaded ${plugins.fingerprint}, host has ${req.fingerprint}`);
      reply = { id: req.id, result: await runTask(req.task, plugins, req.limits) };
    } catch (e) {
      reply = { id: req.id, error: serializeError(e) };
    }
    parentPort?.postMessage(reply);
  })();
});
