/**
 * `stella serve [--port N] [--home DIR] [--open] [--feeds DIR] [--media DIR]…`: the workstation UI and its engine host on
 * 127.0.0.1 only, for a browser. The serve host is app code, which engine/ must not import: it is
 * loaded at runtime from the built bundle (dist/serve.mjs), with a clear error when it isn't built.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveHome } from '../../store';
import { CliError } from '../context';
import type { RegisterCommands } from './index';

interface ServeModule {
  runServe(opts: { home: string; port?: number; open?: boolean; feeds?: string; mediaFolders?: string[]; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; signal: AbortSignal }): Promise<void>;
}

/** dist/serve.mjs beside the built CLI (dist/cli.mjs), or in the repository's dist/ when run from source. */
export function serveBundleCandidates(here = fileURLToPath(import.meta.url)): string[] {
  const dir = dirname(here);
  // dist/cli.mjs, a CLI chunk in dist/chunks/, or the TypeScript source in engine/cli/commands/.
  return [join(dir, 'serve.mjs'), join(dir, '..', 'serve.mjs'), join(dir, '..', '..', '..', 'dist', 'serve.mjs')];
}

export const registerServeCommand: RegisterCommands = (program, makeContext) => {
  program
    .command('serve')
    .description('serve the workstation UI on 127.0.0.1 with a per-start token (prints the URL on stdout)')
    .option('--port <n>', 'TCP port on 127.0.0.1 (default: a free port)')
    .option('--open', 'open the URL in the default browser')
    .option('--feeds <dir>', 'import this folder of advisories at start (progress shows in the UI)')
    .option('--media <dir>', 'offer this folder as an export target besides removable media (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (opts: { port?: string; open?: boolean; feeds?: string; media?: string[] }, cmd) => {
      const ctx = makeContext(cmd);
      let port: number | undefined;
      if (opts.port !== undefined) {
        port = Number(opts.port);
        if (!/^\d+$/.test(opts.port) || port < 0 || port > 65535) throw new CliError('usage', `--port must be an integer from 0 to 65535, got ${JSON.stringify(opts.port)}`);
      }
      if (opts.feeds !== undefined && !existsSync(opts.feeds)) throw new CliError('missing-data', `--feeds ${opts.feeds}: no such file or folder`);
      for (const d of opts.media ?? []) if (!existsSync(d)) throw new CliError('missing-data', `--media ${d}: no such folder`);
      const bundle = serveBundleCandidates().find((p) => existsSync(p));
      if (!bundle) {
        throw new CliError('missing-data', `the serve host is not built (looked for ${serveBundleCandidates().join(', ')}); run \`npm run build\` first`);
      }
      const mod = (await import(pathToFileURL(bundle).href)) as ServeModule;
      const home = resolveHome({ home: ctx.flags.home, env: ctx.io.env });
      // Stop on Ctrl-C (the CLI's signal) and on SIGTERM (service managers, `timeout`), draining running jobs.
      const stop = new AbortController();
      const onTerm = (): void => stop.abort();
      ctx.signal.addEventListener('abort', onTerm, { once: true });
      process.once('SIGTERM', onTerm);
      try {
        await mod.runServe({ home, port, open: opts.open === true, ...(opts.feeds !== undefined ? { feeds: opts.feeds } : {}), ...(opts.media ? { mediaFolders: opts.media } : {}), stdout: ctx.io.stdout, stderr: ctx.io.stderr, signal: stop.signal });
      } catch (e) {
        if (e instanceof Error && /already in use|cannot listen/.test(e.message)) throw new CliError('usage', e.message, { cause: e });
        // The engine host reports a store it can't open (e.g. an unusable --home) with the engine's category.
        const category = (e as { wire?: { category?: unknown } }).wire?.category;
        if (e instanceof Error && (category === 'invalid-input' || category === 'missing-data')) throw new CliError(category, e.message, { cause: e });
        throw e;
      } finally {
        process.off('SIGTERM', onTerm);
        ctx.signal.removeEventListener('abort', onTerm);
      }
    });
};
