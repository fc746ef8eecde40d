// Lint: typescript-eslint recommended rules plus the architecture boundaries of ../shared/DESIGN.md,
// enforced by path (build/lint/boundaries.mjs, documented in CONTRIBUTING.md) so that a relative
// specifier cannot slip past, and the ban on wall-clock time and randomness in engine/.
import tseslint from 'typescript-eslint';
import stella from './build/lint/boundaries.mjs';

const CLOCK = 'engine code takes time and ids from the injected Clock / IdSource (engine/core/clock.ts, ctx.clock, ctx.ids) so outputs are reproducible';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', '**/dist/**', 'build/out/**', 'plugins/*/testdata/**', 'test-artifacts/**', 'bench-results/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    plugins: { stella },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'stella/boundaries': 'error',
    },
  },
  {
    // Wall clock and randomness: engine/core/clock.ts is the only place that reads them. Tests may time
    // themselves (diagnostics, deadlines); they never feed an engine output.
    files: ['engine/**/*.ts'],
    ignores: ['engine/core/clock.ts', 'engine/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `new Date() reads the wall clock: ${CLOCK}.` },
        { selector: "CallExpression[callee.name='Date']", message: `Date() reads the wall clock: ${CLOCK}.` },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: `Date.now() reads the wall clock: ${CLOCK}.` },
        { object: 'Math', property: 'random', message: `Math.random() is not reproducible: ${CLOCK}.` },
        { object: 'performance', property: 'now', message: `performance.now() is a clock too: ${CLOCK} (progress throttling uses ctx.clock.nowMs()).` },
        { object: 'process', property: 'hrtime', message: `process.hrtime() is a clock too: ${CLOCK}.` },
        { object: 'process', property: 'uptime', message: `process.uptime() is a clock too: ${CLOCK}.` },
        { object: 'crypto', property: 'randomUUID', message: `random ids are not reproducible: ${CLOCK}.` },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['node:crypto', 'crypto'].map((name) => ({ name, importNames: ['randomUUID'], message: `random ids are not reproducible: ${CLOCK}.` })),
            ...['node:perf_hooks', 'perf_hooks'].map((name) => ({ name, importNames: ['performance'], message: `performance.now() is a clock too: ${CLOCK}.` })),
          ],
        },
      ],
    },
  },
);
