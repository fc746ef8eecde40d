// Development entry for the layer worker: registers tsx so the TypeScript worker can run unbuilt.
// The built CLI uses dist/workers/scanner-layer.mjs instead (build/scripts/build.mjs).
import { register } from 'tsx/esm/api';

register();
const worker = await import('./layer.worker.ts');
export default worker.default;
