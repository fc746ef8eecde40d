import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFile as file } from '../../sdk/testing';
import { readFileSync } from 'node:fs';
import { purlToString, type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import node from './index';
import { parseDepPath } from './pnpm-lock';

const run = (files: AnalyzerFile[]): Promise<AnalyzerResult> => node.analyze(files, { foundBy: 'lang/node@1', target: 'file' });
const runFixture = (format: string, rel: string, as: string): Promise<AnalyzerResult> => run([file(as, readFileSync(fixture('analyzers', format, rel) as string))]);

/** "name@version" plus " <group>" for dev/optional records, sorted. */
const listOf = (r: AnalyzerResult): string[] => r.packages.map((p) => `${p.name}@${p.version ?? ''}${p.scope === 'optional' ? ` ${p.properties?.group}` : ''}${p.root ? ' root' : ''}`).sort();
/** Edges as "from-purl -> to-purl". */
const edgesOf = (r: AnalyzerResult): string[] => {
  const purl = new Map(r.packages.map((p) => [p.id, purlToString(p.purl)]));
  return r.relationships.map((e) => `${purl.get(e.from)} -> ${purl.get(e.to)}`).sort();
};

/**
 * [fixture, expected "name@version[ group]" (sorted), expected issue severities]. Read off each fixture:
 * git/file sources without a known version have an empty version; a name@version listed at several
 * nested paths is one record, required when any occurrence is required.
 */
type Row = [string, string[], string[]];

const formats: [string, string, Row[]][] = [
  ['npm-package-lock', '/app/package-lock.json', [
    ['osv-scanner/alias.v1.json', ["@babel/code-frame@7.0.0","string-width@4.2.0","string-width@5.1.2"], []],
    ['osv-scanner/alias.v2.json', ["@babel/code-frame@7.0.0","string-width@4.2.0","string-width@5.1.2"], []],
    ['osv-scanner/commits.v1.json', ["@segment/analytics.js-integration-facebook-pixel@","ansi-styles@1.0.0","babel-preset-php@","is-number-1@ dev","is-number-1@ dev","is-number-2@","is-number-2@","is-number-3@ dev","is-number-3@ dev","is-number-4@ dev","is-number-5@ dev","is-number-6@ dev","postcss-calc@7.0.1","raven-js@","slick-carousel@ dev"], []],
    ['osv-scanner/commits.v2.json', ["@segment/analytics.js-integration-facebook-pixel@2.4.1","ansi-styles@1.0.0","babel-preset-php@1.1.1 dev","bump-test@0.0.1 root","is-number-1@3.0.0 dev","is-number-1@3.0.0 dev","is-number-2@2.0.0 dev","is-number-2@2.0.0 dev","is-number-3@2.0.0 dev","is-number-3@3.0.0 dev","is-number-4@3.0.0 dev","is-number-5@3.0.0 dev","postcss-calc@7.0.1","raven-js@","slick-carousel@1.7.1 dev"], ["info"]],
    ['osv-scanner/empty.v1.json', [], []],
    ['osv-scanner/empty.v2.json', [], []],
    ['osv-scanner/files.v1.json', ["lodash@1.3.1","other_package@"], []],
    ['osv-scanner/files.v2.json', ["abbrev@1.0.9 dev","abbrev@2.3.4 dev","etag@1.8.0 dev"], []],
    ['osv-scanner/nested-dependencies-dup.v1.json', ["@vue/component-compiler-utils@2.6.0","autoprefixer@9.5.1","babel-code-frame@6.26.0","css-declaration-sorter@4.0.1","cssnano-preset-default@4.0.7","cssnano-util-raw-cache@4.0.1","cssnano@4.1.10","friendly-errors-webpack-plugin@1.7.0","postcss-calc@7.0.1","postcss-colormin@4.0.3","postcss-convert-values@4.0.1","postcss-discard-comments@4.0.2","postcss-discard-duplicates@4.0.2","postcss-discard-empty@4.0.1","postcss-discard-overridden@4.0.1","postcss-loader@3.0.0","postcss-merge-longhand@4.0.11","postcss-merge-rules@4.0.3","postcss-minify-font-values@4.0.2","postcss-minify-gradients@4.0.2","postcss-minify-params@4.0.2","postcss-minify-selectors@4.0.2","postcss-normalize-charset@4.0.1","postcss-normalize-display-values@4.0.2","postcss-normalize-positions@4.0.2","postcss-normalize-repeat-style@4.0.2","postcss-normalize-string@4.0.2","postcss-normalize-timing-functions@4.0.2","postcss-normalize-unicode@4.0.1","postcss-normalize-url@4.0.1","postcss-normalize-whitespace@4.0.2","postcss-ordered-values@4.1.2","postcss-reduce-initial@4.0.3","postcss-reduce-transforms@4.0.2","postcss-svgo@4.0.2","postcss-unique-selectors@4.0.1","supports-color@2.0.0","supports-color@5.5.0","supports-color@6.1.0"], []],
    ['osv-scanner/nested-dependencies-dup.v2.json', ["supports-color@2.0.0","supports-color@6.1.0"], []],
    ['osv-scanner/nested-dependencies.v1.json', ["postcss-calc@7.0.1","postcss@6.0.23","postcss@7.0.16","supports-color@5.5.0","supports-color@6.1.0"], []],
    ['osv-scanner/nested-dependencies.v2.json', ["postcss-calc@7.0.1","postcss@6.0.23","postcss@7.0.16","supports-color@5.5.0","supports-color@6.1.0"], []],
    ['osv-scanner/not-json.txt', [], ["error"]],
    ['osv-scanner/one-package-dev.v1.json', ["wrappy@1.0.2 dev"], []],
    ['osv-scanner/one-package-dev.v2.json', ["wrappy@1.0.2 dev"], []],
    ['osv-scanner/one-package.v1.json', ["wrappy@1.0.2"], []],
    ['osv-scanner/one-package.v2.json', ["wrappy@1.0.2"], []],
    ['osv-scanner/optional-package.v1.json', ["supports-color@5.5.0 optional","wrappy@1.0.2 dev,optional"], []],
    ['osv-scanner/optional-package.v2.json', ["supports-color@5.5.0 dev,optional","wrappy@1.0.2 optional"], []],
    ['osv-scanner/same-package-different-groups.v1.json', ["ajv@5.5.2","eslint@1.2.3 dev","table@1.0.0"], []],
    ['osv-scanner/same-package-different-groups.v2.json', ["ajv@5.5.2","eslint@1.2.3 dev","table@1.0.0"], []],
    ['osv-scanner/scoped-packages.v1.json', ["@babel/code-frame@7.0.0","wrappy@1.0.2"], []],
    ['osv-scanner/scoped-packages.v2.json', ["@babel/code-frame@7.0.0","wrappy@1.0.2"], []],
    ['osv-scanner/two-packages.v1.json', ["supports-color@5.5.0","wrappy@1.0.2"], []],
    ['osv-scanner/two-packages.v2.json', ["supports-color@5.5.0","wrappy@1.0.2"], []],
    ['syft/javascript__pkg-lock__alias-package-lock-1.json', ["@bundled-es-modules/chai@4.2.2","case@1.6.2","case@1.6.3"], []],
    ['syft/javascript__pkg-lock__alias-package-lock-2.json', ["@bundled-es-modules/chai@4.2.2","alias-check@1.0.0 root","case@1.6.2","case@1.6.3"], []],
    ['syft/javascript__pkg-lock__package-lock-2.json', ["@types/prop-types@15.7.5","@types/react@18.0.17","@types/scheduler@0.16.2","async@3.2.4 dev","csstype@3.1.0","npm@6.14.6 root"], []],
    ['syft/javascript__pkg-lock__package-lock-3.json', ["@types/prop-types@15.7.5","@types/react@18.0.20","@types/scheduler@0.16.2","async@3.2.4 dev","csstype@3.1.1","lock-v3-fixture@1.0.0 root"], []],
  ]],
  ['yarn-lock', '/app/yarn.lock', [
    ['osv-scanner/commits.v1.lock', ["@bower_components/alertify@0.0.0","@bower_components/angular-animate@1.4.14","babel-preset-php@1.1.1","bats-assert@2.0.0","bats-support@0.3.0","bats@1.5.0","casadistance@1.0.0","is-number@2.0.0","is-number@5.0.0","kit@1.0.0","mine1@1.0.0-alpha.37","mine2@0.0.1","mine3@1.2.3","mine4@0.0.2","mine4@0.0.4","minimist@0.0.8","my-package@1.8.3","vue@2.6.12"], []],
    ['osv-scanner/commits.v2.lock', ["@my-scope/my-first-package@0.0.6","@typegoose/typegoose@7.2.0","is-really-great@1.0.0","my-node-sdk@1.1.0","my-second-package@0.2.2","my-third-package@0.16.1-dev","vuejs@2.5.0"], []],
    ['osv-scanner/empty.v1.lock', [], []],
    ['osv-scanner/empty.v2.lock', [], []],
    ['osv-scanner/files.v1.lock', ["etag@1.8.0","etag@1.8.1","filedep@1.2.0","lodash@1.3.1","other_package@0.0.2","sprintf-js@0.0.0"], []],
    ['osv-scanner/files.v2.lock', ["my-package@0.0.2"], []],
    ['osv-scanner/metadata-only.v2.lock', [], []],
    ['osv-scanner/multiple-constraints.v1.lock', ["@babel/code-frame@7.12.13","domelementtype@1.3.1"], []],
    ['osv-scanner/multiple-versions.v1.lock', ["define-properties@1.1.3","define-property@0.2.5","define-property@1.0.0","define-property@2.0.2"], []],
    ['osv-scanner/multiple-versions.v2.lock', ["debug@2.6.9","debug@3.2.7","debug@4.3.3"], []],
    ['osv-scanner/one-package.v1.lock', ["balanced-match@1.0.2"], []],
    ['osv-scanner/one-package.v2.lock', ["balanced-match@1.0.2"], []],
    ['osv-scanner/scoped-packages.v1.lock', ["@babel/code-frame@7.12.11","@babel/compat-data@7.14.0"], []],
    ['osv-scanner/scoped-packages.v2.lock', ["@babel/cli@7.16.8","@babel/code-frame@7.16.7","@babel/compat-data@7.16.8"], []],
    ['osv-scanner/two-packages.v1.lock', ["concat-map@0.0.1","concat-stream@1.6.2"], []],
    ['osv-scanner/two-packages.v2.lock', ["compare-func@2.0.0","concat-map@0.0.1"], []],
    ['osv-scanner/with-aliases.v1.lock', ["@babel/helper-validator-identifier@7.22.20","ansi-regex@5.0.1","ansi-regex@6.0.1"], []],
    ['osv-scanner/with-aliases.v2.lock', ["@babel/helper-validator-identifier@7.22.20","ansi-regex@5.0.1","ansi-regex@6.0.1","mine@0.0.0-use.local root"], []],
    ['osv-scanner/with-build-string.v1.lock', ["domino@2.1.6+git","tslib@2.6.2"], []],
    ['osv-scanner/with-build-string.v2.lock', ["domino@2.1.6+git","tslib@2.6.2","zone.js@0.0.0-use.local root"], []],
    ['osv-scanner/with-prerelease.v1.lock', ["css-tree@1.0.0-alpha.37","gensync@1.0.0-beta.2","node-fetch@3.0.0-beta.9","resolve@1.20.0","resolve@2.0.0-next.3"], []],
    ['osv-scanner/with-prerelease.v2.lock', ["@nicolo-ribaudo/chokidar-2@2.1.8-no-fsevents.3","eslint-plugin-jest@0.0.0-use.local root","gensync@1.0.0-beta.2"], []],
    ['osv-scanner/with-quotes.v1.lock', ["concat-map@0.0.1","concat-stream@1.6.2"], []],
    ['osv-scanner/with-quotes.v2.lock', ["compare-func@2.0.0","concat-map@0.0.1"], []],
    ['syft/javascript__yarn-berry__yarn.lock', ["@babel/code-frame@7.10.4","@types/minimatch@3.0.3","@types/qs@6.9.4","ajv@6.12.3","asn1.js@4.10.1","atob@2.1.2","aws-sdk@2.706.0","c0n-fab_u.laTION@7.7.7 root","jhipster-core@7.3.4"], []],
    ['syft/javascript__yarn__yarn.lock', ["@babel/code-frame@7.10.4","@types/minimatch@3.0.3","@types/qs@6.9.4","ajv@6.12.3","asn1.js@4.10.1","atob@2.1.2","aws-sdk@2.706.0","c0n-fab_u.laTION@7.7.7","jhipster-core@7.3.4"], []],
  ]],
  ['pnpm-lock', '/app/pnpm-lock.yaml', [
    ['osv-scanner/commits.v9.yaml', ["ansi-regex@6.0.1","is-number@7.0.0"], []],
    ['osv-scanner/commits.yaml', ["@my-scope/my-other-package@1.0.0","@my-scope/my-package@1.0.0","faker-parser@0.0.1","mocks@20.0.1","my-bitbucket-package@1.0.0"], []],
    ['osv-scanner/empty.yaml', [], []],
    ['osv-scanner/exotic.yaml', ["@foo/bar@1.0.0","@foo/bar@1.1.0","foo@1.0.0","foo@1.1.0","foo@1.2.0","foo@1.3.0","foo@1.4.0"], ["warning","warning"]],
    ['osv-scanner/files.yaml', ["a-local-package@1.0.0","a-nested-local-package@1.0.0","my-file-package@0.0.0","one-up-with-peer@1.0.0","one-up@1.0.0"], ["warning"]],
    ['osv-scanner/invalid-package-path.yaml', ["@babel/helper-string-parser@7.19.4","@babel/helper-validator-identifier@7.19.1","@babel/parser@7.20.7","@types/jsdom@20.0.1 dev","http-proxy-agent@5.0.0 dev","pinia@2.0.28","stream@0.0.2","typescript@4.7.4"], ["warning"]],
    ['osv-scanner/mixed-groups.v53.yaml', ["ansi-regex@5.0.1","is-number@7.0.0 dev","uuid@8.3.2 optional"], []],
    ['osv-scanner/mixed-groups.v54.yaml', ["ansi-regex@5.0.1","is-number@7.0.0 dev","uuid@8.3.2 optional"], []],
    ['osv-scanner/mixed-groups.v6.yaml', ["ansi-regex@5.0.0","is-number@7.0.0 dev","uuid@8.0.0 optional"], []],
    ['osv-scanner/mixed-groups.v9.yaml', ["ansi-regex@5.0.1","is-number@7.0.0 dev","uuid@8.3.2 optional"], []],
    ['osv-scanner/multiple-packages.yaml', ["aws-sdk@2.1087.0","base64-js@1.5.1","buffer@4.9.2","events@1.1.1","ieee754@1.1.13","isarray@1.0.0","jmespath@0.16.0","punycode@1.3.2","querystring@0.2.0","sax@1.2.1","url@0.10.3","uuid@3.3.2","xml2js@0.4.19","xmlbuilder@9.0.7"], []],
    ['osv-scanner/multiple-versions.v9.yaml', ["uuid@8.0.0","uuid@8.3.2","xmlbuilder@11.0.1"], []],
    ['osv-scanner/multiple-versions.yaml', ["uuid@3.3.2","uuid@8.3.2","xmlbuilder@9.0.7"], []],
    ['osv-scanner/no-packages.v9.yaml', [], []],
    ['osv-scanner/no-packages.yaml', [], []],
    ['osv-scanner/not-yaml.txt', [], ["error"]],
    ['osv-scanner/one-package-dev.v9.yaml', ["acorn@8.11.3 dev"], []],
    ['osv-scanner/one-package-dev.yaml', ["acorn@8.7.0"], []],
    ['osv-scanner/one-package-v6-lockfile.yaml', ["acorn@8.7.0"], []],
    ['osv-scanner/one-package.v9.yaml', ["acorn@8.11.3"], []],
    ['osv-scanner/one-package.yaml', ["acorn@8.7.0"], []],
    ['osv-scanner/peer-dependencies-advanced.v9.yaml', ["@eslint-community/eslint-utils@4.4.0","@eslint/eslintrc@2.1.4","@typescript-eslint/eslint-plugin@5.62.0","@typescript-eslint/parser@5.62.0","@typescript-eslint/type-utils@5.62.0","@typescript-eslint/typescript-estree@5.62.0","@typescript-eslint/utils@5.62.0","debug@4.3.4","eslint@8.57.0","has-flag@4.0.0","supports-color@7.2.0","tsutils@3.21.0","typescript@4.9.5"], []],
    ['osv-scanner/peer-dependencies-advanced.yaml', ["@typescript-eslint/eslint-plugin@5.13.0","@typescript-eslint/parser@5.13.0","@typescript-eslint/type-utils@5.13.0","@typescript-eslint/types@5.13.0","@typescript-eslint/typescript-estree@5.13.0","@typescript-eslint/utils@5.13.0","eslint-utils@3.0.0","eslint@8.10.0","tsutils@3.21.0"], []],
    ['osv-scanner/peer-dependencies.v9.yaml', ["acorn-jsx@5.3.2","acorn@8.11.3"], []],
    ['osv-scanner/peer-dependencies.yaml', ["acorn-jsx@5.3.2","acorn@8.7.0"], []],
    ['osv-scanner/scoped-packages-v6-lockfile.yaml', ["@typescript-eslint/types@5.57.1"], []],
    ['osv-scanner/scoped-packages.v9.yaml', ["@typescript-eslint/types@5.62.0"], []],
    ['osv-scanner/scoped-packages.yaml', ["@typescript-eslint/types@5.13.0"], []],
    ['osv-scanner/tarball.yaml', ["@my-org/my-package@3.2.3 dev"], []],
    ['syft/javascript__pnpm-v6__pnpm-lock.yaml', ["@babel/core@7.21.4","@testing-library/jest-dom@5.16.5","@testing-library/react@13.4.0","@testing-library/user-event@13.5.0","@types/eslint@8.37.0","react-dom@18.2.0","react@18.2.0","read-cache@1.0.0","schema-utils@3.1.2","web-vitals@2.1.4"], []],
    ['syft/javascript__pnpm-v9__pnpm-lock.yaml', ["@babel/core@7.24.7","@babel/helper-plugin-utils@7.24.7","is-positive@3.1.0","rollup@4.18.0"], []],
  ]],
];

for (const [format, as, rows] of formats) {
  for (const [rel, expected, severities] of rows) {
    test(`lang/node ${format}: ${rel}`, needsFixtures('analyzers', format, rel), async () => {
      const r = await runFixture(format, rel, as);
      assert.deepEqual(listOf(r), expected);
      assert.deepEqual(r.issues.map((i) => i.severity), severities);
      for (const i of r.issues) assert.equal(i.path, as);
      for (const p of r.packages) {
        assert.equal(p.declared, true, `${p.name} comes from a lockfile`);
        assert.equal(p.purl.type, 'npm');
        assert.equal(p.purl.namespace ? `${p.purl.namespace}/${p.purl.name}` : p.purl.name, p.name);
        assert.deepEqual(p.locations, [as]);
        assert.equal(p.scope === 'optional', Boolean(p.properties?.group));
      }
      assert.equal(new Set(r.packages.map((p) => p.id)).size, r.packages.length, 'ids are unique');
    });
  }
}

/** Files that are not their format: one error issue, located, naming what was expected. */
const rejected: [string, string, string, RegExp][] = [
  ['npm-package-lock', 'osv-scanner/not-json.txt', '/app/package-lock.json', /^not a package-lock\.json: invalid JSON/],
  ['pnpm-lock', 'osv-scanner/not-yaml.txt', '/app/pnpm-lock.yaml', /^not a pnpm-lock\.yaml: expected a YAML mapping with "lockfileVersion" and "packages"$/],
];
for (const [format, rel, as, message] of rejected) {
  test(`lang/node rejects ${format}/${rel} with a located error`, needsFixtures('analyzers', format, rel), async () => {
    const r = await runFixture(format, rel, as);
    assert.deepEqual(r.packages, []);
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0]?.path, as);
    assert.equal(r.issues[0]?.severity, 'error');
    assert.match(r.issues[0]?.message ?? '', message);
  });
}

test('lang/node rejects a yarn.lock that is neither classic nor berry, and bad JSON shapes', async () => {
  const y = await run([file('/p/yarn.lock', '# yarn lockfile v1\nfoo bar baz\n  x\n')]);
  assert.equal(y.issues.length, 1);
  assert.equal(y.issues[0]?.severity, 'error');
  assert.match(y.issues[0]?.message ?? '', /^not a yarn\.lock: .*expected "descriptor:" blocks/);
  const b = await run([file('/p/yarn.lock', '__metadata:\n  version: 6\n"a@npm:1": [unclosed\n')]);
  assert.equal(b.issues[0]?.severity, 'error');
  assert.match(b.issues[0]?.message ?? '', /^not a yarn\.lock: invalid YAML/);
  assert.equal(typeof b.issues[0]?.line, 'number');
  const j = await run([file('/p/package-lock.json', '[1,2]')]);
  assert.match(j.issues[0]?.message ?? '', /expected an object with a "packages" \(lockfile v2\/v3\) or "dependencies" \(v1\) object/);
  const v = await run([file('/p/pnpm-lock.yaml', "lockfileVersion: '3.0'\npackages: {}\n")]);
  assert.match(v.issues[0]?.message ?? '', /unsupported pnpm lockfileVersion "3\.0" \(expected 5\.x, 6\.x or 9\.x\)/);
});

test('lang/node package-lock: purls, aliases, git sources (credentials removed), dependency edges', needsFixtures('analyzers', 'npm-package-lock'), async () => {
  const alias = await runFixture('npm-package-lock', 'osv-scanner/alias.v2.json', '/app/package-lock.json');
  const cjs = alias.packages.find((p) => p.version === '4.2.0');
  assert.equal(cjs?.properties?.alias, 'string-width-cjs');
  assert.equal(purlToString(alias.packages[0]!.purl), 'pkg:npm/%40babel/code-frame@7.0.0');

  const commits = await runFixture('npm-package-lock', 'osv-scanner/commits.v1.json', '/app/package-lock.json');
  const n5 = commits.packages.find((p) => p.name === 'is-number-5');
  assert.equal(n5?.purl.qualifiers?.vcs_url, 'git+https://github.com/jonschlinkert/is-number.git#af885e2e890b9ef0875edd2b117305119ee5bdc5');
  for (const p of commits.packages) assert.doesNotMatch(JSON.stringify(p), /dummy-token/);

  // v1: postcss-calc requires postcss, found in its own nested dependencies (7.0.16), not the top-level 6.0.23
  const nested = await runFixture('npm-package-lock', 'osv-scanner/nested-dependencies.v1.json', '/app/package-lock.json');
  assert.ok(edgesOf(nested).includes('pkg:npm/postcss-calc@7.0.1 -> pkg:npm/postcss@7.0.16'));
  assert.ok(!edgesOf(nested).includes('pkg:npm/postcss-calc@7.0.1 -> pkg:npm/postcss@6.0.23'));
  const tarball = await run([
    file('/p/package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/t': { version: '1.0.0', resolved: 'https://u:p@files.invalid/t-1.0.0.tgz' }, 'node_modules/r': { version: '2.0.0', resolved: 'https://registry.invalid/r/-/r-2.0.0.tgz' } } })),
  ]);
  assert.deepEqual(tarball.packages.map((p) => purlToString(p.purl)), ['pkg:npm/r@2.0.0', 'pkg:npm/t@1.0.0?download_url=https%3A%2F%2Ffiles.invalid%2Ft-1.0.0.tgz']);
  const v2 = await runFixture('npm-package-lock', 'syft/javascript__pkg-lock__package-lock-3.json', '/app/package-lock.json');
  assert.deepEqual(edgesOf(v2), [
    'pkg:npm/%40types/react@18.0.20 -> pkg:npm/%40types/prop-types@15.7.5',
    'pkg:npm/%40types/react@18.0.20 -> pkg:npm/%40types/scheduler@0.16.2',
    'pkg:npm/%40types/react@18.0.20 -> pkg:npm/csstype@3.1.1',
    // the root package (Syft's convention) depends on what package.json names, dev dependencies included
    'pkg:npm/lock-v3-fixture@1.0.0 -> pkg:npm/%40types/react@18.0.20',
    'pkg:npm/lock-v3-fixture@1.0.0 -> pkg:npm/async@3.2.4',
  ]);
  const root = v2.packages.find((p) => p.root);
  assert.deepEqual([root?.name, root?.version, root?.componentType], ['lock-v3-fixture', '1.0.0', 'application']);
});

test('lang/node yarn.lock: classic and berry edges follow descriptors; berry workspaces are the root', async () => {
  const classic = await run([
    file('/p/yarn.lock', '# yarn lockfile v1\n\n"a@^1.0.0", a@~1.2:\n  version "1.2.3"\n  dependencies:\n    "@s/b" "^2"\n\n"@s/b@^2":\n  version "2.0.1"\n  resolved "https://registry.invalid/@s/b/-/b-2.0.1.tgz"\n'),
  ]);
  assert.deepEqual(listOf(classic), ['@s/b@2.0.1', 'a@1.2.3']);
  assert.deepEqual(edgesOf(classic), ['pkg:npm/a@1.2.3 -> pkg:npm/%40s/b@2.0.1']);
  const berry = await run([
    file(
      '/p/yarn.lock',
      '__metadata:\n  version: 8\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n  dependencies:\n    x: ^2.0\n\n"x@npm:^2.0":\n  version: 2.0\n  resolution: "x@npm:2.0"\n  dependencies:\n    y: "npm:1"\n\n"y@npm:1":\n  version: 1.0.0\n  resolution: "y@npm:1.0.0"\n',
    ),
  ]);
  assert.deepEqual(listOf(berry), ['app@0.0.0-use.local root', 'x@2.0', 'y@1.0.0'], 'YAML scalars stay strings: version 2.0 is not the number 2');
  assert.deepEqual(edgesOf(berry), ['pkg:npm/app@0.0.0-use.local -> pkg:npm/x@2.0', 'pkg:npm/x@2.0 -> pkg:npm/y@1.0.0']);
});

test('lang/node pnpm: dependency paths of every lockfile generation', () => {
  const cases: [string, 5 | 6 | 9, string | undefined][] = [
    ['/foo/1.0.0', 5, 'foo@1.0.0'],
    ['/@foo/bar/1.0.0_react@18.0.0', 5, '@foo/bar@1.0.0'],
    ['registry.invalid/foo/1.1.0', 5, 'foo@1.1.0'],
    ['/foo/1.4.0_@types+babel__core@7.1.14', 5, 'foo@1.4.0'],
    ['github.com/kevva/is-positive', 5, undefined],
    ['axios@1.2.5', 5, undefined],
    ['/@babel/core@7.21.4', 6, '@babel/core@7.21.4'],
    ['/react-dom@18.2.0(react@18.2.0)', 6, 'react-dom@18.2.0'],
    ["@typescript-eslint/parser@5.62.0(eslint@8.57.0)(typescript@4.9.5)", 9, '@typescript-eslint/parser@5.62.0'],
    ['file:../a-local-package', 9, undefined],
  ];
  for (const [path, major, expected] of cases) {
    const r = parseDepPath(path, major);
    assert.equal(r ? `${r.name}@${r.version}` : undefined, expected, path);
  }
});

test('lang/node pnpm: groups (v5 dev/optional flags, v9 from importers) and edges through peer suffixes', needsFixtures('analyzers', 'pnpm-lock'), async () => {
  const v9 = await runFixture('pnpm-lock', 'osv-scanner/peer-dependencies.v9.yaml', '/app/pnpm-lock.yaml');
  assert.deepEqual(edgesOf(v9), ['pkg:npm/acorn-jsx@5.3.2 -> pkg:npm/acorn@8.11.3']);
  const v5 = await runFixture('pnpm-lock', 'osv-scanner/peer-dependencies-advanced.yaml', '/app/pnpm-lock.yaml');
  assert.ok(edgesOf(v5).includes('pkg:npm/%40typescript-eslint/eslint-plugin@5.13.0 -> pkg:npm/%40typescript-eslint/parser@5.13.0'));
  const git = await runFixture('pnpm-lock', 'osv-scanner/commits.yaml', '/app/pnpm-lock.yaml');
  const mine = git.packages.find((p) => p.name === '@my-scope/my-package');
  assert.equal(mine?.purl.qualifiers?.vcs_url, 'git+ssh://git@github.com/my-org/my-package.git#267087851ad5fac92a184749c27cd539e2fc862e');
  assert.ok(edgesOf(git).includes('pkg:npm/mocks@20.0.1?download_url=https%3A%2F%2Fcodeload.github.com%2Fmy-org%2Fmocks%2Ftar.gz%2F590f321b4eb3f692bb211bd74e22947639a6f79d -> pkg:npm/faker-parser@0.0.1?download_url=https%3A%2F%2Fcodeload.github.com%2Fmy-org%2Ffaker-parser%2Ftar.gz%2Fd2dc42a9351d4d89ec48c525e34f612b6d77993f'));
});

test('lang/node installed node_modules package.json files: licenses in all three spellings, Node\'s lookup for edges, stubs skipped', async () => {
  const tree = JSON.parse(readFileSync(new URL('../testdata/rootfs-tree.json', import.meta.url), 'utf8')) as Record<string, string>;
  // the analyzer alone, on the installed files: licenses in all three spellings, Node's lookup for edges
  const installed = Object.entries(tree).filter(([rel]) => rel.endsWith('package.json')).map(([rel, body]) => file(`/${rel}`, body));
  const a = await run(installed);
  assert.deepEqual(a.packages.map((p) => `${p.name}@${p.version} ${p.declared ?? 'installed'} ${(p.licenses ?? []).join('|')}`).sort(), [
    '@scope/pkg@2.0.0 installed MIT',
    'debug@2.6.9 installed MIT',
    'debug@4.3.4 installed MIT|Apache-2.0',
    'left-pad@1.3.0 installed WTFPL',
  ]);
  assert.deepEqual(edgesOf(a), ['pkg:npm/%40scope/pkg@2.0.0 -> pkg:npm/debug@4.3.4', 'pkg:npm/%40scope/pkg@2.0.0 -> pkg:npm/left-pad@1.3.0']);
  assert.deepEqual(a.issues.map((i) => `${i.path} ${i.severity}`), ['/app/node_modules/broken/package.json warning'], 'stubs without name/version are skipped silently');
});

test('lang/node package-lock v3: nested folders win over hoisted ones, workspace links resolve to their folder', async () => {
  const tree = JSON.parse(readFileSync(new URL('../testdata/rootfs-tree.json', import.meta.url), 'utf8')) as Record<string, string>;
  const r = await run([file('/app/package-lock.json', tree['app/package-lock.json'] as string)]);
  assert.deepEqual(r.issues, []);
  assert.deepEqual(listOf(r), ['@scope/pkg@2.0.0', 'app@1.0.0 root', 'debug@2.6.9 dev', 'debug@4.3.4', 'left-pad@1.3.0', 'util@0.1.0']);
  const vcs = 'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fx%2Fleft-pad.git%230123456789abcdef0123456789abcdef01234567';
  assert.deepEqual(edgesOf(r), ['pkg:npm/%40scope/pkg@2.0.0 -> pkg:npm/debug@4.3.4', `pkg:npm/%40scope/pkg@2.0.0 -> ${vcs}`, 'pkg:npm/app@1.0.0 -> pkg:npm/%40scope/pkg@2.0.0', `pkg:npm/util@0.1.0 -> ${vcs}`]);
  assert.equal(r.packages.find((p) => p.name === 'util')?.properties?.resolved, 'file:packages/util');
  assert.equal(r.packages.find((p) => p.name === 'left-pad')?.properties?.resolved, 'git+https://github.com/x/left-pad.git#0123456789abcdef0123456789abcdef01234567');
});

test('lang/node pnpm v9: groups follow the importers transitively; aliases and links', async () => {
  const lock = [
    "lockfileVersion: '9.0'",
    'importers:',
    '  .:',
    '    dependencies:',
    '      c: { specifier: ^1, version: 1.0.0 }',
    '      d: { specifier: npm:e@^1, version: e@1.0.0 }',
    '      w: { specifier: workspace:*, version: link:packages/w }',
    '    devDependencies:',
    "      a: { specifier: ^1, version: '1.0.0(c@1.0.0)' }",
    'packages:',
    '  a@1.0.0: {}',
    '  b@1.0.0: {}',
    '  c@1.0.0: {}',
    '  e@1.0.0: {}',
    'snapshots:',
    "  a@1.0.0(c@1.0.0):",
    '    dependencies: { b: 1.0.0 }',
    '  b@1.0.0: {}',
    '  c@1.0.0:',
    '    dependencies: { b: 1.0.0 }',
    '  e@1.0.0: {}',
  ].join('\n');
  const r = await run([file('/p/pnpm-lock.yaml', lock)]);
  assert.deepEqual(r.issues, []);
  assert.deepEqual(listOf(r), ['a@1.0.0 dev', 'b@1.0.0', 'c@1.0.0', 'e@1.0.0']);
  assert.deepEqual(edgesOf(r), ['pkg:npm/a@1.0.0 -> pkg:npm/b@1.0.0', 'pkg:npm/c@1.0.0 -> pkg:npm/b@1.0.0']);
});
