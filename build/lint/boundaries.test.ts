/**
 * The lint boundaries, probed through ESLint's Node API with the repository's own eslint.config.js:
 * `lintText(code, { filePath })` judges a snippet as if it lived at that path, so no probe file is ever
 * written into the tree. Every probe listed in issue 8 must be rejected; the imports the architecture
 * allows must pass (so the rule cannot pass by rejecting everything).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { ENGINE_MODULES, REPO_ROOT } from './boundaries.mjs';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function problems(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  assert.ok(result, filePath);
  // A parse error would make every probe "fail" for the wrong reason.
  assert.deepEqual(result.messages.filter((m) => m.fatal), [], `${filePath} must parse`);
  return result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

interface Probe {
  name: string;
  file: string;
  code: string;
  rule: string;
  /** What the message must say, so the probe fails for the reason it names. */
  says: RegExp;
}

const rejected: Probe[] = [
  // The six probes of issue 8, spelled the way that slipped past the old glob patterns.
  { name: 'renderer → app/main by a relative path', file: 'app/renderer/src/findings/Probe.tsx', code: "import { EngineHost } from '../../../main/host/engine-host';\nexport const x = EngineHost;\n", rule: 'stella/boundaries', says: /renderer imports only app\/renderer and the contract/ },
  { name: 'renderer → node:fs', file: 'app/renderer/src/findings/Probe.tsx', code: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", rule: 'stella/boundaries', says: /renderer never touches Node/ },
  { name: 'renderer → fs (bare built-in)', file: 'app/renderer/src/Probe.ts', code: "import fs from 'fs';\nexport const x = fs;\n", rule: 'stella/boundaries', says: /renderer never touches Node/ },
  { name: 'renderer → electron', file: 'app/renderer/src/Probe.ts', code: "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", rule: 'stella/boundaries', says: /renderer never touches Node: electron/ },
  { name: 'renderer → engine', file: 'app/renderer/src/sbom/Probe.tsx', code: "import type { Store } from '../../../../engine/store';\nexport type X = Store;\n", rule: 'stella/boundaries', says: /renderer imports only/ },
  { name: 'renderer → app/workers by dynamic import', file: 'app/renderer/src/Probe.ts', code: "export const m = () => import('../../workers/pool');\n", rule: 'stella/boundaries', says: /renderer imports only/ },
  { name: 'renderer → app/serve by re-export', file: 'app/renderer/src/Probe.ts', code: "export { startServe } from '../../serve/server';\n", rule: 'stella/boundaries', says: /renderer imports only/ },
  { name: 'app/common → node:fs', file: 'app/common/contract/probe.ts', code: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", rule: 'stella/boundaries', says: /app\/common is shared with the sandboxed renderer: no Node built-ins \(node:fs\)/ },
  { name: 'app/common → path (bare built-in)', file: 'app/common/probe.ts', code: "import { join } from 'path';\nexport const x = join;\n", rule: 'stella/boundaries', says: /no Node built-ins/ },
  { name: 'app/common → the engine', file: 'app/common/contract/probe.ts', code: "import { openStore } from '../../../engine/store';\nexport const x = openStore;\n", rule: 'stella/boundaries', says: /imports nothing outside app\/common \(engine\/store\)/ },
  { name: 'app/common → the engine, type only', file: 'app/common/contract/probe.ts', code: "import type { Finding } from '../../../engine/core';\nexport type X = Finding;\n", rule: 'stella/boundaries', says: /imports nothing outside app\/common/ },
  { name: 'plug-in → another plug-in', file: 'plugins/lang-java/src/probe.ts', code: "import { isObject } from '../../lang-node/src/common';\nexport const x = isObject;\n", rule: 'stella/boundaries', says: /imports only plugins\/sdk, not another plug-in \(plugins\/lang-node\)/ },
  { name: 'plug-in → another plug-in by require', file: 'plugins/os-dpkg/src/probe.ts', code: "export const x = require('../../os-apk/src/index');\n", rule: 'stella/boundaries', says: /not another plug-in \(plugins\/os-apk\)/ },
  { name: 'plug-in → the engine', file: 'plugins/lang-go/src/probe.ts', code: "import { canonicalJson } from '../../../engine/core';\nexport const x = canonicalJson;\n", rule: 'stella/boundaries', says: /imports only plugins\/sdk, not engine\/core/ },
  { name: 'plugins/sdk → a plug-in', file: 'plugins/sdk/probe.ts', code: "export * from '../os-dpkg/src/index';\n", rule: 'stella/boundaries', says: /sdk stands alone/ },
  { name: 'engine → a plug-in other than the SDK', file: 'engine/scanner/probe.ts', code: "import analyzer from '../../plugins/os-dpkg/src/index';\nexport const x = analyzer;\n", rule: 'stella/boundaries', says: /may import plugins\/sdk only, not the plug-in plugins\/os-dpkg/ },
  { name: 'engine → a plug-in bundle by dynamic import', file: 'engine/cli/commands/probe.ts', code: "export const m = () => import('../../../plugins/lang-java/dist/index.mjs');\n", rule: 'stella/boundaries', says: /not the plug-in plugins\/lang-java/ },
  { name: 'engine test → a plug-in', file: 'engine/scanner/probe.test.ts', code: "import analyzer from '../../plugins/os-rpm/src/index';\nexport const x = analyzer;\n", rule: 'stella/boundaries', says: /not the plug-in plugins\/os-rpm/ },
  { name: 'engine/store → engine/match', file: 'engine/store/probe.ts', code: "import { scanInventory } from '../match';\nexport const x = scanInventory;\n", rule: 'stella/boundaries', says: /engine\/store may not import engine\/match/ },
  { name: 'engine/store → engine/match, type only, deep path', file: 'engine/store/schema/probe.ts', code: "import type { ScanListEntry } from '../../match/stored';\nexport type X = ScanListEntry;\n", rule: 'stella/boundaries', says: /engine\/store may not import engine\/match/ },
  { name: 'engine/core → engine/store', file: 'engine/core/probe.ts', code: "import { openStore } from '../store';\nexport const x = openStore;\n", rule: 'stella/boundaries', says: /engine\/core may not import engine\/store/ },
  { name: 'engine/sbom → engine/match (a domain module upstream of match)', file: 'engine/sbom/probe.ts', code: "import { compareVersions } from '../match/versions';\nexport const x = compareVersions;\n", rule: 'stella/boundaries', says: /engine\/sbom may not import engine\/match/ },
  { name: 'engine/match → engine/jobs', file: 'engine/match/probe.ts', code: "import { checkpoint } from '../jobs/context';\nexport const x = checkpoint;\n", rule: 'stella/boundaries', says: /engine\/match may not import engine\/jobs/ },
  { name: 'engine/jobs → engine/cli', file: 'engine/jobs/probe.ts', code: "import { runCli } from '../cli';\nexport const x = runCli;\n", rule: 'stella/boundaries', says: /engine\/jobs may not import engine\/cli/ },
  { name: "another module's _internal", file: 'engine/match/probe.ts', code: "import { isObject } from '../sbom/_internal/common';\nexport const x = isObject;\n", rule: 'stella/boundaries', says: /engine\/sbom\/_internal is private to engine\/sbom/ },
  { name: 'engine → app', file: 'engine/cli/commands/probe.ts', code: "import { startServe } from '../../../app/serve/server';\nexport const x = startServe;\n", rule: 'stella/boundaries', says: /engine\/ must not import app code/ },
  { name: 'engine → electron', file: 'engine/core/probe.ts', code: "import { app } from 'electron';\nexport const x = app;\n", rule: 'stella/boundaries', says: /never imports electron/ },
  { name: 'engine → build/ outside tests', file: 'engine/sbom/probe.ts', code: "import { tempDir } from '../../build/test-support/fixtures';\nexport const x = tempDir;\n", rule: 'stella/boundaries', says: /engine\/ must not import build\// },
  { name: 'engine module missing from the table', file: 'engine/frobnicate/index.ts', code: "import { canonicalJson } from '../core';\nexport const x = canonicalJson;\n", rule: 'stella/boundaries', says: /engine\/frobnicate is not in the engine module table/ },
  { name: 'worker → electron', file: 'app/workers/probe.ts', code: "import { app } from 'electron';\nexport const x = app;\n", rule: 'stella/boundaries', says: /workers run in plain worker_threads/ },
  { name: 'worker → electron by require', file: 'app/workers/probe.ts', code: "export const e = require('electron');\n", rule: 'stella/boundaries', says: /workers run in plain worker_threads/ },
  { name: 'worker → electron, type only', file: 'app/workers/probe.ts', code: "import type { App } from 'electron';\nexport type X = App;\n", rule: 'stella/boundaries', says: /no electron/ },
  { name: 'worker → app/main', file: 'app/workers/probe.ts', code: "import { EngineHost } from '../main/host/engine-host';\nexport const x = EngineHost;\n", rule: 'stella/boundaries', says: /workers import the engine and app\/common/ },
  { name: 'app/main/host → electron (shared with serve)', file: 'app/main/host/probe.ts', code: "import { dialog } from 'electron';\nexport const x = dialog;\n", rule: 'stella/boundaries', says: /shared with `stella serve`/ },
  { name: 'serve → electron', file: 'app/serve/probe.ts', code: "import { app } from 'electron';\nexport const x = app;\n", rule: 'stella/boundaries', says: /runs without Electron/ },
  { name: 'a path outside the repository', file: 'engine/core/probe.ts', code: "import x from '../../../../etc/passwd';\nexport const y = x;\n", rule: 'stella/boundaries', says: /outside the repository/ },
  // The ban on wall-clock time and randomness in engine/.
  { name: 'Date.now() in the engine', file: 'engine/match/probe.ts', code: 'export const t = Date.now();\n', rule: 'no-restricted-properties', says: /Date\.now\(\) reads the wall clock/ },
  { name: 'Date.now passed as a function', file: 'engine/jobs/probe.ts', code: 'export const now = Date.now;\n', rule: 'no-restricted-properties', says: /Date\.now\(\) reads the wall clock/ },
  { name: 'new Date() in the engine', file: 'engine/sbom/export/probe.ts', code: 'export const t = new Date().toISOString();\n', rule: 'no-restricted-syntax', says: /new Date\(\) reads the wall clock/ },
  { name: 'Date() in the engine', file: 'engine/store/probe.ts', code: 'export const t = Date();\n', rule: 'no-restricted-syntax', says: /Date\(\) reads the wall clock/ },
  { name: 'Math.random() in the engine', file: 'engine/advisories/probe.ts', code: 'export const r = Math.random();\n', rule: 'no-restricted-properties', says: /Math\.random\(\) is not reproducible/ },
  { name: 'performance.now() in the engine', file: 'engine/scanner/probe.ts', code: 'export const t = performance.now();\n', rule: 'no-restricted-properties', says: /performance\.now\(\) is a clock too/ },
  { name: 'process.hrtime in the engine', file: 'engine/cli/probe.ts', code: 'export const t = process.hrtime.bigint();\n', rule: 'no-restricted-properties', says: /process\.hrtime\(\) is a clock too/ },
  { name: 'randomUUID imported in the engine', file: 'engine/store/probe.ts', code: "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID();\n", rule: 'no-restricted-imports', says: /random ids are not reproducible/ },
  { name: 'crypto.randomUUID() in the engine', file: 'engine/core/probe.ts', code: 'export const id = crypto.randomUUID();\n', rule: 'no-restricted-properties', says: /random ids are not reproducible/ },
];

const allowed: { name: string; file: string; code: string }[] = [
  { name: 'renderer → the contract', file: 'app/renderer/src/findings/Probe.tsx', code: "import type { Finding } from '../../../common/contract';\nexport type X = Finding;\n" },
  { name: 'renderer → its own files and UI libraries', file: 'app/renderer/src/findings/Probe.tsx', code: "import { useQuery } from '@tanstack/react-query';\nimport { unwrap } from '../client/engine';\nexport const x = [useQuery, unwrap];\n" },
  { name: 'renderer test → Node test runner', file: 'app/renderer/src/findings/probe.test.ts', code: "import { test } from 'node:test';\nexport const x = test;\n" },
  { name: 'app/common → zod and itself', file: 'app/common/contract/probe.ts', code: "import { z } from 'zod';\nimport { CHANNELS } from './channels';\nexport const x = [z, CHANNELS];\n" },
  { name: 'plug-in → the SDK and its own files', file: 'plugins/lang-java/src/probe.ts', code: "import { purlToString } from '../../sdk';\nimport { parseXml } from './xml';\nexport const x = [purlToString, parseXml];\n" },
  { name: 'plug-in → Node and npm', file: 'plugins/os-rpm/src/probe.ts', code: "import { inflateRawSync } from 'node:zlib';\nimport { parse } from 'smol-toml';\nexport const x = [inflateRawSync, parse];\n" },
  { name: 'plug-in test → build/test-support', file: 'plugins/lang-go/src/probe.test.ts', code: "import { tempDir } from '../../../build/test-support/fixtures';\nexport const x = tempDir;\n" },
  { name: 'engine → plugins/sdk', file: 'engine/scanner/probe.ts', code: "import { purlToString } from '../../plugins/sdk';\nexport const x = purlToString;\n" },
  { name: 'engine/core → plugins/sdk (the bottom layer)', file: 'engine/core/probe.ts', code: "import { isObject } from '../../plugins/sdk/guards';\nexport const x = isObject;\n" },
  { name: 'engine/store → engine/core', file: 'engine/store/probe.ts', code: "import { canonicalJson } from '../core';\nexport const x = canonicalJson;\n" },
  { name: 'engine/match → engine/advisories and engine/sbom', file: 'engine/match/probe.ts', code: "import { linksetFor } from '../advisories';\nimport { parseSbom } from '../sbom';\nexport const x = [linksetFor, parseSbom];\n" },
  { name: 'engine/jobs → domain modules', file: 'engine/jobs/probe.ts', code: "import { scanInventory } from '../match';\nimport { inventoryTarget } from '../scanner';\nexport const x = [scanInventory, inventoryTarget];\n" },
  { name: 'engine/cli → engine/jobs', file: 'engine/cli/commands/probe.ts', code: "import { checkpoint } from '../../jobs/context';\nexport const x = checkpoint;\n" },
  { name: "a module's own _internal", file: 'engine/sbom/cyclonedx/probe.ts', code: "import { isObject } from '../_internal/common';\nexport const x = isObject;\n" },
  { name: 'engine test → a higher layer and build/test-support', file: 'engine/scanner/probe.test.ts', code: "import { runCli } from '../cli';\nimport { tempDir } from '../../build/test-support/fixtures';\nexport const x = [runCli, tempDir];\n" },
  { name: 'a child script in testdata/ is test code', file: 'engine/store/testdata/child.ts', code: "import { scanInventory } from '../../match';\nexport const x = scanInventory;\n" },
  { name: 'worker → the engine, zod and the contract', file: 'app/workers/probe.ts', code: "import { openStore } from '../../engine/store';\nimport { z } from 'zod';\nimport type { Channel } from '../common/contract';\nexport const x = [openStore, z];\nexport type Y = Channel;\n" },
  { name: 'app/main/electron → electron', file: 'app/main/electron/probe.ts', code: "import type * as E from 'electron';\nexport type X = typeof E;\n" },
  { name: 'serve → the shared host', file: 'app/serve/probe.ts', code: "import { EngineHost } from '../main/host/engine-host';\nexport const x = EngineHost;\n" },
  { name: 'the clock module reads the clock', file: 'engine/core/clock.ts', code: 'export const t = Date.now();\nexport const d = new Date().toISOString();\n' },
  { name: 'engine: dates from data, not the clock', file: 'engine/sbom/probe.ts', code: "export const t = new Date(0).toISOString();\nexport const p = Date.parse('2026-01-01T00:00:00Z');\nexport const r = Math.round(1.5);\n" },
  { name: 'engine tests may time themselves', file: 'engine/match/probe.test.ts', code: 'export const t = performance.now() + Date.now();\n' },
  { name: 'app code may read the clock', file: 'app/main/host/probe.ts', code: 'export const t = Date.now();\n' },
];

test('lint rejects every boundary probe, for the reason it names', async () => {
  for (const p of rejected) {
    const found = await problems(p.file, p.code);
    const hit = found.find((m) => m.ruleId === p.rule && p.says.test(m.message));
    assert.ok(hit, `${p.name} (${p.file}): expected ${p.rule} matching ${p.says}, got ${JSON.stringify(found)}`);
  }
});

test('lint accepts the imports the architecture allows', async () => {
  for (const a of allowed) {
    const found = await problems(a.file, a.code);
    assert.deepEqual(found, [], `${a.name} (${a.file})`);
  }
});

test('the engine module table: a DAG that names every engine folder', () => {
  const folders = readdirSync(join(REPO_ROOT, 'engine'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  for (const f of folders) assert.ok(f in ENGINE_MODULES, `engine/${f} is missing from ENGINE_MODULES`);
  const table = ENGINE_MODULES as Record<string, readonly string[]>;
  for (const [m, deps] of Object.entries(table)) for (const d of deps) assert.ok(d in table, `${m} → unknown ${d}`);
  // Depth-first search for a cycle: the layering must be acyclic, or "may import" means nothing.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (m: string, path: string[]): void => {
    if (state.get(m) === 'done') return;
    assert.notEqual(state.get(m), 'open', `cycle: ${[...path, m].join(' → ')}`);
    state.set(m, 'open');
    for (const d of table[m] ?? []) visit(d, [...path, m]);
    state.set(m, 'done');
  };
  for (const m of Object.keys(table)) visit(m, []);
  assert.deepEqual(table.core, []);
  assert.deepEqual(table.store, ['core']);
  assert.ok(!table.store?.includes('match'));
});
