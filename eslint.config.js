// Lint: typescript-eslint recommended rules plus the architecture boundaries of ../shared/DESIGN.md:
//  - engine/ imports no Electron, React or app code;
//  - plug-ins import only plugins/sdk (and node built-ins / their own files);
//  - the renderer imports only the contract types from app/common (never Node, Electron or engine).
import tseslint from 'typescript-eslint';

const noAppFromEngine = {
  patterns: [
    { group: ['electron', 'electron/*'], message: 'engine/ is a plain-Node library: no Electron imports.' },
    { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'engine/ has no UI: no React imports.' },
    { group: ['**/app/**', '../app/*', '../../app/*', '../../../app/*'], message: 'engine/ must not import app code.' },
  ],
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', '**/dist/**', 'build/out/**', 'plugins/*/testdata/**', 'test-artifacts/**', 'bench-results/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noAppFromEngine] },
  },
  {
    files: ['plugins/**/*.ts'],
    ignores: ['plugins/sdk/**', 'plugins/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/engine/**', '**/app/**'], message: 'plug-ins import only plugins/sdk.' },
            { group: ['electron', 'react'], message: 'plug-ins import only plugins/sdk.' },
          ],
        },
      ],
    },
  },
  {
    files: ['plugins/sdk/**/*.ts'],
    ignores: ['plugins/sdk/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/engine/**', '**/app/**', 'electron', 'react'], message: 'the SDK stands alone.' }] }],
    },
  },
  {
    files: ['app/renderer/**/*.{ts,tsx}'],
    ignores: ['app/renderer/**/*.test.{ts,tsx}', 'app/renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'electron', 'better-sqlite3'], message: 'the renderer never touches Node or the filesystem.' },
            { group: ['**/engine/**', '**/app/main/**', '**/app/workers/**', '**/app/serve/**'], message: 'the renderer imports only the contract (app/common).' },
          ],
        },
      ],
    },
  },
);
