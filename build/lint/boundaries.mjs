// The architecture boundaries of ../shared/DESIGN.md as one ESLint rule, `stella/boundaries`.
//
// Every import specifier (static, `export … from`, dynamic `import('…')`, `import type`, `require('…')`)
// is resolved against the importing file's path and classified into an *area* — `engine/<module>`,
// `plugins/sdk`, `plugins/<plug-in>`, `app/<part>`, `build`, `bin`, a Node built-in or an npm package —
// so `../../../main/host/engine-host` is judged by where it lands, not by how it is spelled. The table
// below is the single source of truth; CONTRIBUTING.md ("Layout and boundaries") explains it.
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The engine's layers: core ← store ← domain modules ← jobs ← cli. Each module lists the engine modules
 * it may import (besides itself). Domain modules form a DAG in pipeline order (an SBOM is read, advisories
 * imported, a target inventoried, matched, VEX applied, policy evaluated, results attested, logged,
 * exported, notified). `plugins/sdk` sits below them all: it stands alone, so any engine module may use it.
 */
export const ENGINE_MODULES = (() => {
  const domain = {
    sbom: [],
    advisories: ['sbom'],
    scanner: ['sbom'],
    match: ['sbom', 'advisories'],
    vex: ['sbom', 'advisories', 'match'],
    policy: ['sbom', 'advisories', 'match', 'vex'],
    replay: ['sbom', 'advisories', 'scanner', 'match', 'vex', 'policy'],
    attest: ['sbom', 'advisories', 'match', 'vex', 'policy'],
    audit: ['attest'],
    export: ['sbom', 'advisories', 'scanner', 'match', 'vex', 'policy', 'replay', 'attest', 'audit'],
    notify: ['match', 'policy', 'audit'],
  };
  const table = { core: [], store: ['core'] };
  for (const [m, deps] of Object.entries(domain)) table[m] = ['core', 'store', ...deps];
  table.jobs = ['core', 'store', ...Object.keys(domain)];
  table.cli = [...table.jobs, 'jobs'];
  return Object.freeze(table);
})();

/** The only places that may hold wall-clock time and randomness (see the no-restricted-syntax rule in eslint.config.js). */
export const CLOCK_MODULE = 'engine/core/clock.ts';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const UI_PACKAGES = new Set(['react', 'react-dom', '@tanstack/react-query', '@tanstack/react-query-persist-client', '@tanstack/react-virtual', 'recharts', 'monaco-editor', 'dexie']);
/** npm packages that only work in Node (native addons, Node streams/sockets): never in the renderer or app/common. */
const NODE_ONLY_PACKAGES = new Set(['electron', 'better-sqlite3', 'libxmljs2', 'ws', 'piscina', 'tar-stream', 'yauzl', 'commander']);

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const BUILD_CONFIGS = new Set(['app/renderer/vite.config.ts']);

/** Tests, test helpers (build/test-support) and scripts in a testdata/ folder (child processes a test spawns). */
const isTestFile = (rel) => /\.test\.tsx?$/.test(rel) || rel.includes('/test-support/') || rel.includes('/testdata/');

/**
 * Where a repository-relative path (posix separators) lives.
 * @returns {{kind:'engine', module:string, internalOf?:string} | {kind:'plugin', name:string} | {kind:'app', part:string, sub:string} | {kind:'build'} | {kind:'bin'} | {kind:'other', top:string} | {kind:'outside'}}
 */
export function areaOfPath(rel) {
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return { kind: 'outside' };
  const parts = rel.split('/');
  const [top, second = '', third = ''] = parts;
  switch (top) {
    case 'engine': {
      const module = second.replace(/\.(m?[jt]sx?)$/, '');
      const internalAt = parts.indexOf('_internal');
      return { kind: 'engine', module, ...(internalAt > 1 ? { internalOf: parts.slice(0, internalAt).join('/') } : {}) };
    }
    case 'plugins':
      return { kind: 'plugin', name: second };
    case 'app':
      return { kind: 'app', part: second, sub: third };
    case 'build':
      return { kind: 'build' };
    case 'bin':
      return { kind: 'bin' };
    default:
      return { kind: 'other', top };
  }
}

/** Classify a specifier as seen from `fromRel` (repository-relative path of the importing file). */
export function targetOf(spec, fromRel) {
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const abs = resolve(REPO_ROOT, dirname(fromRel), spec);
    const rel = relative(REPO_ROOT, abs).split(sep).join('/');
    return { kind: 'path', rel, area: areaOfPath(rel) };
  }
  if (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0]) || spec.startsWith('node:')) return { kind: 'node', name: spec };
  return { kind: 'package', name: packageName(spec) };
}

const describe = (t) => (t.kind === 'path' ? t.rel : t.kind === 'node' ? `the Node built-in ${t.name}` : `the npm package ${t.name}`);

function engineRules(from, t, test) {
  if (t.kind === 'package' && t.name === 'electron') return 'engine/ is a plain-Node library: it never imports electron';
  if (t.kind === 'package' && UI_PACKAGES.has(t.name)) return `engine/ has no UI: it never imports ${t.name}`;
  if (t.kind !== 'path') return null;
  const a = t.area;
  switch (a.kind) {
    case 'app':
      return 'engine/ must not import app code (the app hosts the engine, not the other way round)';
    case 'plugin':
      return a.name === 'sdk' ? null : `engine/ may import plugins/sdk only, not the plug-in plugins/${a.name} (plug-ins are loaded at start-up from their pinned bundles)`;
    case 'build':
      return test ? null : 'engine/ must not import build/ (only tests may use build/test-support)';
    case 'engine': {
      if (a.module === from.area.module) return null;
      if (a.internalOf) return `${a.internalOf}/_internal is private to engine/${a.module}; import ${a.internalOf}/index.ts instead`;
      const allowed = ENGINE_MODULES[from.area.module];
      if (!allowed) return `engine/${from.area.module} is not in the engine module table (build/lint/boundaries.mjs, CONTRIBUTING.md): add it with the modules it may import`;
      if (!ENGINE_MODULES[a.module]) return `engine/${a.module} is not in the engine module table (build/lint/boundaries.mjs, CONTRIBUTING.md)`;
      // Tests exercise a module through the layers above it (a scanner test may run the CLI).
      if (test) return null;
      if (!allowed.includes(a.module)) {
        return `engine/${from.area.module} may not import engine/${a.module}: the layering is core ← store ← domain modules ← jobs ← cli, and engine/${from.area.module} may import only ${allowed.length ? allowed.map((m) => `engine/${m}`).join(', ') : 'Node built-ins and npm packages'} (CONTRIBUTING.md)`;
      }
      return null;
    }
    case 'outside':
      return `${describe(t)} is outside the repository`;
    default:
      return null;
  }
}

function pluginRules(from, t, test) {
  const own = from.area.name;
  if (t.kind === 'package' && (t.name === 'electron' || UI_PACKAGES.has(t.name))) return `plug-ins import only plugins/sdk, Node built-ins and npm libraries, not ${t.name}`;
  if (t.kind !== 'path') return null;
  const a = t.area;
  if (a.kind === 'plugin') {
    if (a.name === own || a.name === 'sdk') return null;
    return own === 'sdk' ? 'plugins/sdk stands alone: it never imports a plug-in' : `a plug-in imports only plugins/sdk, not another plug-in (plugins/${a.name}): each bundle is pinned by its own digest`;
  }
  if (a.kind === 'build' && test) return null;
  if (a.kind === 'outside') return `${describe(t)} is outside the repository`;
  return own === 'sdk' ? `plugins/sdk stands alone: it never imports ${t.rel}` : `a plug-in imports only plugins/sdk, not ${t.rel}`;
}

function appRules(from, t, test) {
  const part = from.area.part;
  const a = t.kind === 'path' ? t.area : null;
  if (a?.kind === 'outside') return `${describe(t)} is outside the repository`;
  if (a?.kind === 'engine' && a.internalOf) return `${a.internalOf}/_internal is private to engine/${a.module}; import ${a.internalOf}/index.ts instead`;
  // Tests run in Node whatever they test, and are not shipped.
  if (test && (t.kind === 'node' || t.kind === 'package')) return null;
  switch (part) {
    case 'renderer': {
      if (t.kind === 'node') return `the renderer never touches Node: ${t.name} is not available in the sandboxed page`;
      if (t.kind === 'package') return NODE_ONLY_PACKAGES.has(t.name) ? `the renderer never touches Node: ${t.name} runs only in Node` : null;
      if (a.kind === 'app' && (a.part === 'renderer' || a.part === 'common')) return null;
      if (a.kind === 'build' && test) return null;
      return `the renderer imports only app/renderer and the contract in app/common, not ${t.rel} (it talks to the engine through the contract)`;
    }
    case 'common': {
      if (t.kind === 'node') return `app/common is shared with the sandboxed renderer: no Node built-ins (${t.name})`;
      if (t.kind === 'package') return NODE_ONLY_PACKAGES.has(t.name) || UI_PACKAGES.has(t.name) ? `app/common is shared by every process: no ${t.name}` : null;
      if (a.kind === 'app' && a.part === 'common') return null;
      if (a.kind === 'build' && test) return null;
      return `app/common is the contract shared by renderer, main, serve and workers: it imports nothing outside app/common (${t.rel})`;
    }
    case 'workers': {
      if (t.kind === 'package' && t.name === 'electron') return 'workers run in plain worker_threads (also under `stella serve`): no electron';
      if (t.kind === 'package' && UI_PACKAGES.has(t.name)) return `workers have no UI: no ${t.name}`;
      if (!a) return null;
      if (a.kind === 'app' && (a.part === 'renderer' || a.part === 'serve' || (a.part === 'main' && !test))) return `workers import the engine and app/common, not ${t.rel}`;
      if (a.kind === 'plugin' && a.name !== 'sdk') return `workers reach plug-ins through engine/scanner, not ${t.rel}`;
      return null;
    }
    case 'main': {
      if (t.kind === 'package' && t.name === 'electron' && from.area.sub === 'host') return 'app/main/host is shared with `stella serve`, which runs without Electron: no electron here (app/main/electron holds the Electron side)';
      if (!a) return null;
      if (a.kind === 'app' && (a.part === 'renderer' || a.part === 'serve')) return `app/main does not import ${t.rel}`;
      if (a.kind === 'plugin' && a.name !== 'sdk') return `app/main reaches plug-ins through the engine, not ${t.rel}`;
      return null;
    }
    case 'serve': {
      if (t.kind === 'package' && t.name === 'electron') return '`stella serve` runs without Electron: no electron';
      if (!a) return null;
      if (a.kind === 'app' && (a.part === 'renderer' || (a.part === 'main' && a.sub === 'electron'))) return `app/serve may share app/main/host, not ${t.rel}`;
      if (a.kind === 'plugin' && a.name !== 'sdk') return `app/serve reaches plug-ins through the engine, not ${t.rel}`;
      return null;
    }
    default:
      return null;
  }
}

/** The reason `spec` may not be imported from `fromRel`, or null when it may. */
export function violation(fromRel, spec) {
  // Build configuration that happens to live beside the code it builds runs in Node.
  if (BUILD_CONFIGS.has(fromRel)) return null;
  const area = areaOfPath(fromRel);
  const from = { rel: fromRel, area };
  const t = targetOf(spec, fromRel);
  const test = isTestFile(fromRel);
  switch (area.kind) {
    case 'engine':
      return engineRules(from, t, test);
    case 'plugin':
      return pluginRules(from, t, test);
    case 'app':
      return appRules(from, t, test);
    default:
      return null;
  }
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Architecture boundaries between engine layers, plug-ins and app processes, judged by resolved path' },
    schema: [],
    messages: { boundary: '{{spec}}: {{reason}}.' },
  },
  create(context) {
    const fromRel = relative(REPO_ROOT, context.filename).split(sep).join('/');
    if (fromRel.startsWith('../')) return {};
    const check = (node, source) => {
      let spec;
      if (source?.type === 'Literal' && typeof source.value === 'string') spec = source.value;
      else if (source?.type === 'TemplateLiteral' && source.expressions.length === 0) spec = source.quasis[0].value.cooked;
      if (spec === undefined) return;
      const reason = violation(fromRel, spec);
      if (reason) context.report({ node: source, messageId: 'boundary', data: { spec, reason } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source),
      TSImportType: (n) => check(n, n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.argument),
      TSExternalModuleReference: (n) => check(n, n.expression),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1) check(n, n.arguments[0]);
      },
    };
  },
};

export default { meta: { name: 'stella' }, rules: { boundaries } };
