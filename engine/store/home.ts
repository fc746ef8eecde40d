/** Where the evidence store lives: --home DIR, else STELLA_HOME, else the per-OS app-data folder. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HomeOptions {
  home?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  userHome?: string;
}

export function defaultAppDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, userHome = homedir()): string {
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(userHome, 'AppData', 'Roaming'), 'Stella Evidence Workstation');
    case 'darwin':
      return join(userHome, 'Library', 'Application Support', 'Stella Evidence Workstation');
    default:
      return join(env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(userHome, '.local', 'share'), 'stella');
  }
}

export function resolveHome(opts: HomeOptions = {}): string {
  const env = opts.env ?? process.env;
  if (opts.home) return resolve(opts.home);
  if (env.STELLA_HOME) return resolve(env.STELLA_HOME);
  return defaultAppDataDir(opts.platform, env, opts.userHome);
}
