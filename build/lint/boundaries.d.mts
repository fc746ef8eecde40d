// Types of boundaries.mjs (plain JavaScript so that eslint.config.js can load it without a TypeScript loader).
import type { ESLint } from 'eslint';

export declare const REPO_ROOT: string;
/** Engine module → the engine modules it may import. */
export declare const ENGINE_MODULES: Readonly<Record<string, readonly string[]>>;
export declare const CLOCK_MODULE: string;
/** The reason `spec` may not be imported from the repository-relative file `fromRel`, or null when it may. */
export declare function violation(fromRel: string, spec: string): string | null;
declare const plugin: ESLint.Plugin;
export default plugin;
