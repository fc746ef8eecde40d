/** Where the engine worker entry is, for hosts written as ESM (serve, tests). Electron main passes its own. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bundled (dist/serve.mjs): dist/workers/engine.worker.mjs. From source: app/workers/engine.worker.ts (tsx). */
export function defaultWorkerScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return join(dirname(here), 'engine.worker.ts');
  const candidates = [join(dirname(here), 'workers', 'engine.worker.mjs'), join(dirname(here), '..', 'workers', 'engine.worker.mjs')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}
