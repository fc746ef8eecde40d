/**
 * The host's read-only SQLite capability (AnalyzeContext.openSqlite) for plug-in tests: plug-ins import
 * only plugins/sdk, so their tests get the host's implementation through build/test-support.
 */
export { openSqliteReadOnly } from '../../engine/scanner';
