import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFile as file, memoryFs } from '../../sdk/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePythonName, purlToString, type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import py from './index';
import { distFromFileName, logicalLines } from './requirements';

const run = (files: AnalyzerFile[]): Promise<AnalyzerResult> => py.analyze(files, { foundBy: 'lang/python-lock@1', target: 'file' });
const runFixture = (format: string, rel: string, as: string): Promise<AnalyzerResult> => run([file(as, readFileSync(fixture('analyzers', format, rel) as string))]);

/** "name@version" plus " <groups>" for dev/optional records, sorted. */
const listOf = (r: AnalyzerResult): string[] => r.packages.map((p) => `${p.name}@${p.version ?? ''}${p.scope === 'optional' ? ` ${p.properties?.group}` : ''}`).sort();
const edgesOf = (r: AnalyzerResult): string[] => {
  const purl = new Map(r.packages.map((p) => [p.id, purlToString(p.purl)]));
  return r.relationships.map((e) => `${purl.get(e.from)} -> ${purl.get(e.to)}`).sort();
};

type Row = [string, string[], string[]];

/** [fixture, expected "name@version[ groups]" (sorted), issue severities], read off each lockfile. */
const lockFormats: [string, string, Row[]][] = [
  ['poetry-lock', '/app/poetry.lock', [
    ['osv-scanner/empty.lock', [], []],
    ['osv-scanner/not-toml.txt', [], ["error"]],
    ['osv-scanner/one-package-with-metadata.lock', ["emoji@2.0.0"], []],
    ['osv-scanner/one-package.lock', ["numpy@1.23.3"], []],
    ['osv-scanner/optional-package.lock', ["numpy@1.23.3 optional"], []],
    ['osv-scanner/source-git.lock', ["ike@0.2.0"], []],
    ['osv-scanner/source-legacy.lock', ["appdirs@1.4.4"], []],
    ['osv-scanner/two-packages.lock', ["proto-plus@1.22.0","protobuf@4.21.5"], []],
    ['syft/python__poetry__dev-deps__poetry.lock', ["added-value@0.14.2 dev","alabaster@0.7.12 dev","appnope@0.1.0 dev","asciitree@0.3.3 dev"], []],
  ]],
  ['pipfile-lock', '/app/Pipfile.lock', [
    ['osv-scanner/empty.json', [], []],
    ['osv-scanner/multiple-packages.json', ["itsdangerous@2.1.2","markupsafe@2.1.1","pluggy@1.0.0 develop","pluggy@1.0.1"], []],
    ['osv-scanner/no-version.json', ["itsdangerous@ develop","markupsafe@"], []],
    ['osv-scanner/not-json.txt', [], ["error"]],
    ['osv-scanner/one-package-dev.json', ["markupsafe@2.1.1 develop"], []],
    ['osv-scanner/one-package.json', ["markupsafe@2.1.1"], []],
    ['osv-scanner/two-packages-alt.json', ["itsdangerous@2.1.2","markupsafe@2.1.1"], []],
    ['osv-scanner/two-packages.json', ["itsdangerous@2.1.2","markupsafe@2.1.1 develop"], []],
    ['syft/python__pipfile-lock__Pipfile.lock', ["aio-pika@6.8.0","aiodns@2.0.0","aiohttp-jinja2@1.4.2","aiohttp@3.7.4.post0","astroid@2.5.2 develop","autopep8@1.5.6 develop"], []],
  ]],
  ['pdm-lock', '/app/pdm.lock', [
    ['osv-scanner/dev-dependency.toml', ["pyroute2@0.7.11 dev","toml@0.10.2","win-inet-pton@1.1.0 dev"], []],
    ['osv-scanner/empty.toml', [], []],
    ['osv-scanner/git-dependency.toml', ["toml@0.10.2"], []],
    ['osv-scanner/not-toml.txt', [], ["error"]],
    ['osv-scanner/optional-dependency.toml', ["pyroute2@0.7.11 tmp","toml@0.10.2","win-inet-pton@1.1.0 tmp"], []],
    ['osv-scanner/single-package.toml', ["toml@0.10.2"], []],
    ['osv-scanner/two-packages.toml', ["six@1.16.0","toml@0.10.2"], []],
    ['syft/python__pdm-lock__pdm.lock', ["certifi@2025.1.31 security","chardet@3.0.4","charset-normalizer@2.0.12 security","colorama@0.3.9 tests","idna@2.7","py@1.4.34 tests","pytest@3.2.5 tests","requests@2.27.1 security","setuptools@39.2.0 tests","urllib3@1.26.20 security"], []],
  ]],
  ['uv-lock', '/app/uv.lock', [
    ['osv-scalibr/empty.lock', [], []],
    ['osv-scalibr/grouped-packages.lock', ["black@24.10.0 dev,test","click@8.1.7 cli,dev,test","colorama@0.4.6 cli,dev,test","emoji@2.14.0","flake8@7.1.1 test","mccabe@0.7.0 test","mypy-extensions@1.0.0 dev,test","packaging@24.2 dev,test","pathspec@0.12.1 dev,test","platformdirs@4.3.6 dev,test","pycodestyle@2.12.1 test","pyflakes@3.2.0 test","tomli@2.2.1 dev,test","typing-extensions@4.12.2 dev,test"], []],
    ['osv-scalibr/names-outside-package-block.lock', ["first-pkg@1.0.0","second-pkg@2.0.0"], []],
    ['osv-scalibr/not-toml.txt', [], ["error"]],
    ['osv-scalibr/one-package.lock', ["emoji@2.14.0"], []],
    ['osv-scalibr/source-git.lock', ["ruff@0.8.1"], []],
    ['osv-scalibr/two-packages.lock', ["emoji@2.14.0","protobuf@4.25.5"], []],
    ['syft/python__uv__simple-deps__uv.lock', ["certifi@2025.1.31","charset-normalizer@3.4.1","idna@3.10","requests@2.32.3","urllib3@2.3.0"], []],
  ]],
];

function checkRecords(r: AnalyzerResult): void {
  for (const p of r.packages) {
    assert.equal(p.declared, true, `${p.name} is declared`);
    assert.equal(p.purl.type, 'pypi');
    assert.equal(p.purl.name, normalizePythonName(p.name), 'purl names are PEP 503 normalized');
    assert.equal(p.purl.version, p.version, 'versions as written');
    assert.equal(p.scope === 'optional', Boolean(p.properties?.group));
  }
  assert.equal(new Set(r.packages.map((p) => p.id)).size, r.packages.length, 'ids are unique');
}

for (const [format, as, rows] of lockFormats) {
  for (const [rel, expected, severities] of rows) {
    test(`lang/python-lock ${format}: ${rel}`, needsFixtures('analyzers', format, rel), async () => {
      const r = await runFixture(format, rel, as);
      assert.deepEqual(listOf(r), expected);
      assert.deepEqual(r.issues.map((i) => i.severity), severities);
      for (const i of r.issues) assert.equal(i.path, as);
      for (const p of r.packages) assert.deepEqual(p.locations, [as]);
      checkRecords(r);
    });
  }
}

/** Files that are not their format: one located error naming what was expected. */
const rejected: [string, string, string, RegExp, number | undefined][] = [
  ['poetry-lock', 'osv-scanner/not-toml.txt', '/app/poetry.lock', /^not a poetry\.lock: invalid TOML \(/, 1],
  ['pipfile-lock', 'osv-scanner/not-json.txt', '/app/Pipfile.lock', /^not a Pipfile\.lock: invalid JSON \(/, undefined],
  ['pdm-lock', 'osv-scanner/not-toml.txt', '/app/pdm.lock', /^not a pdm\.lock: invalid TOML \(/, 1],
  ['uv-lock', 'osv-scalibr/not-toml.txt', '/app/uv.lock', /^not a uv\.lock: invalid TOML \(/, 1],
];
for (const [format, rel, as, message, line] of rejected) {
  test(`lang/python-lock rejects ${format}/${rel} with a located error`, needsFixtures('analyzers', format, rel), async () => {
    const r = await runFixture(format, rel, as);
    assert.deepEqual(r.packages, []);
    assert.equal(r.issues.length, 1);
    assert.deepEqual({ path: r.issues[0]?.path, severity: r.issues[0]?.severity, line: r.issues[0]?.line }, { path: as, severity: 'error', line });
    assert.match(r.issues[0]?.message ?? '', message);
  });
}

test('lang/python-lock rejects wrong shapes: Pipfile.lock without sections, [[package]] not an array', async () => {
  const p = await run([file('/a/Pipfile.lock', '{"x": 1}')]);
  assert.match(p.issues[0]?.message ?? '', /^not a Pipfile\.lock: expected an object with "default" and "develop" sections$/);
  const u = await run([file('/a/uv.lock', 'package = "x"\n')]);
  assert.deepEqual(u.issues.map((i) => `${i.path} ${i.severity} ${i.message}`), ['/a/uv.lock error not a uv.lock: "package" must be an array of tables ([[package]])']);
  const n = await run([file('/a/poetry.lock', '[[package]]\nname = "ok"\nversion = "1"\n[[package]]\nname = "no-version"\n')]);
  assert.deepEqual(listOf(n), ['ok@1']);
  assert.deepEqual(n.issues.map((i) => i.severity), ['warning']);
});

test('lang/python-lock lockfiles: sources as purl qualifiers, dependency edges by name', needsFixtures('analyzers'), async () => {
  const git = await runFixture('poetry-lock', 'osv-scanner/source-git.lock', '/app/poetry.lock');
  assert.equal(purlToString(git.packages[0]!.purl), 'pkg:pypi/ike@0.2.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fdzshn%2Fike%40cd66602cd29f61a2d2e7fb995fef1e61708c034d');
  const legacy = await runFixture('poetry-lock', 'osv-scanner/source-legacy.lock', '/app/poetry.lock');
  assert.equal(legacy.packages[0]?.purl.qualifiers?.repository_url, 'https://piwheels.org/simple');
  const two = await runFixture('poetry-lock', 'osv-scanner/two-packages.lock', '/app/poetry.lock');
  assert.deepEqual(edgesOf(two), ['pkg:pypi/proto-plus@1.22.0 -> pkg:pypi/protobuf@4.21.5']);
  const pip = await runFixture('pipfile-lock', 'osv-scanner/no-version.json', '/app/Pipfile.lock');
  assert.equal(pip.packages.find((p) => p.name === 'markupsafe')?.purl.qualifiers?.vcs_url, 'git+https://github.com/pallets/markupsafe@b36054111bc1e8bbadb5d0d60158feb72926f467');
  const uvGit = await runFixture('uv-lock', 'osv-scalibr/source-git.lock', '/app/uv.lock');
  assert.equal(uvGit.packages[0]?.purl.qualifiers?.vcs_url, 'git+https://github.com/astral-sh/ruff@84748be16341b76e073d117329f7f5f4ee2941ad');
  const uv = await runFixture('uv-lock', 'syft/python__uv__simple-deps__uv.lock', '/app/uv.lock');
  assert.deepEqual(edgesOf(uv), [
    'pkg:pypi/requests@2.32.3 -> pkg:pypi/certifi@2025.1.31',
    'pkg:pypi/requests@2.32.3 -> pkg:pypi/charset-normalizer@3.4.1',
    'pkg:pypi/requests@2.32.3 -> pkg:pypi/idna@3.10',
    'pkg:pypi/requests@2.32.3 -> pkg:pypi/urllib3@2.3.0',
  ]);
  const pdm = await runFixture('pdm-lock', 'syft/python__pdm-lock__pdm.lock', '/app/pdm.lock');
  assert.ok(edgesOf(pdm).includes('pkg:pypi/requests@2.27.1 -> pkg:pypi/urllib3@1.26.20'));
});

/**
 * requirements.txt, each fixture analyzed alone as osv-scanner's tests do, with the fixture directory as the
 * filesystem view (files in /src/pip/, so `-r ./../pip/x.txt` resolves there): [fixture, expected
 * "name@version[ <included file]" (sorted), expected issues "file:line severity"]. Packages of `-r` includes
 * are reported from the top file with the included file as a second location — osv-scanner's expected sets
 * for with-multiple-r-options, duplicate-r-dev/-test, cyclic-r-self/-complex and file-format-example (its
 * `-r other-file.txt`). Unpinned requirements have an empty version and an info issue (osv-scanner: 0.0.0 or
 * the lower bound); versions follow pip's own line joining (`bar == 4.5\\` + `.6` is 4.5.6).
 */
const MIXED = ['flask-cors@', 'flask@', 'gevent@', 'numpy@1.16.0', 'pandas@0.23.4', 'requests@', 'scikit-learn@0.20.1', 'sklearn@'];
const reqCases: [string, string[], string[]][] = [
  ['empty.txt', [], []],
  ['only-comments.txt', [], []],
  ['one-package-constrained.txt', ['django@2.2.24'], []],
  ['one-package-unconstrained.txt', ['flask@'], ['one-package-unconstrained.txt:1 info']],
  ['other-file.txt', ['django@2.2.24'], []],
  ['with-added-support.txt', ['twisted@20.3.0'], []],
  ['non-normalized-names.txt', ['Pillow@1.0.0', 'Twisted@20.3.0', 'zope.interface@5.4.0'], []],
  ['line-continuation.txt', ['bar@4.5.6', 'baz@7.8.9', 'foo@1.2.3', 'qux@10.11.12'], []],
  ['multiple-packages-constrained.txt', ['astroid@2.5.1', 'beautifulsoup4@4.9.3', 'boto3@1.17.19', 'botocore@1.20.19', 'certifi@2020.12.5', 'chardet@4.0.0', 'circus@0.17.1', 'click@7.1.2', 'django-debug-toolbar@3.2.1', 'django-filter@2.4.0', 'django-nose@1.4.7', 'django-storages@1.11.1', 'django@2.2.24'], []],
  ['multiple-packages-mixed.txt', MIXED, [1, 2, 6, 7, 8].map((l) => `multiple-packages-mixed.txt:${l} info`)],
  ['with-per-requirement-options.txt', ['BarProject@', 'FooProject@1.2', 'boto3@1.26.121', 'foo@1.0.0'], ['with-per-requirement-options.txt:12 info']],
  [
    'file-format-example.txt',
    ['Mopidy-Dirble@', 'beautifulsoup4@', 'coverage@', 'django@2.2.24 <other-file.txt', 'docopt@0.6.1', 'green@', 'keyring@', 'numpy@1.9.2', 'pytest-cov@', 'pytest@', 'rejected@', 'wxPython_Phoenix@3.0.3.dev1820+49a8884'],
    ['3 info', '4 info', '5 info', '10 info', '11 info', '12 info', '23 info', '24 info'].map((x) => `file-format-example.txt:${x}`),
  ],
  ['with-bad-r-option.txt', ['requests@1.2.3'], ['with-bad-r-option.txt:3 warning']],
  [
    'with-multiple-r-options.txt',
    ['django@2.2.24 <one-package-constrained.txt', ...MIXED.map((x) => `${x} <multiple-packages-mixed.txt`), 'requests@1.2.3'].sort(),
    [1, 2, 6, 7, 8].map((l) => `multiple-packages-mixed.txt:${l} info`),
  ],
  ['cyclic-r-self.txt', ['pandas@0.23.4', 'requests@1.2.3'], ['cyclic-r-self.txt:1 info']],
  ['cyclic-r-complex-1.txt', ['cyclic-r-complex@1', 'cyclic-r-complex@2 <cyclic-r-complex-2.txt', 'cyclic-r-complex@3 <cyclic-r-complex-3.txt'], ['cyclic-r-complex-2.txt:1 info', 'cyclic-r-complex-3.txt:1 info', 'cyclic-r-complex-3.txt:2 info']],
  ['cyclic-r-complex-2.txt', ['cyclic-r-complex@1 <cyclic-r-complex-1.txt', 'cyclic-r-complex@2', 'cyclic-r-complex@3 <cyclic-r-complex-3.txt'], ['cyclic-r-complex-1.txt:1 info', 'cyclic-r-complex-3.txt:2 info']],
  ['cyclic-r-complex-3.txt', ['cyclic-r-complex@1 <cyclic-r-complex-1.txt', 'cyclic-r-complex@2 <cyclic-r-complex-2.txt', 'cyclic-r-complex@3'], ['cyclic-r-complex-2.txt:1 info', 'cyclic-r-complex-2.txt:2 info']],
  ['duplicate-r-base.txt', ['django@0.1.0'], []],
  ['duplicate-r-test.txt', ['django@0.1.0 <duplicate-r-base.txt', 'requests@1.2.3', 'unittest@1.0.0'], []],
  ['duplicate-r-dev.txt', ['django@0.1.0 <duplicate-r-base.txt', 'pandas@0.23.4', 'requests@1.2.3 <duplicate-r-test.txt', 'unittest@1.0.0 <duplicate-r-test.txt'], []],
];

function pipDir(): Record<string, Buffer> {
  const dir = fixture('analyzers', 'requirements-txt', 'osv-scanner') as string;
  return Object.fromEntries(readdirSync(dir).map((f) => [`/src/pip/${f}`, readFileSync(join(dir, f))]));
}

for (const [name, expected, issues] of reqCases) {
  test(`lang/python-lock requirements: ${name} (with its includes)`, needsFixtures('analyzers', 'requirements-txt', 'osv-scanner'), async () => {
    const all = pipDir();
    const path = `/src/pip/${name}`;
    const r = await py.analyze([file(path, all[path] as Buffer)], { foundBy: 'lang/python-lock@2', target: 'file', fs: memoryFs(all) });
    const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version ?? ''}${p.locations.length > 1 ? ` <${p.locations.slice(1).map(base).join(',')}` : ''}`).sort(), expected);
    assert.deepEqual(r.issues.map((i) => `${base(i.path)}:${i.line} ${i.severity}`), issues);
    for (const p of r.packages) assert.equal(p.locations[0], path, 'reported from the file that was analyzed');
    checkRecords(r);
  });
}

test('lang/python-lock requirements: without a filesystem view, includes are found among the files of the same call', needsFixtures('analyzers', 'requirements-txt', 'osv-scanner'), async () => {
  const all = pipDir();
  const names = ['duplicate-r-dev.txt', 'duplicate-r-base.txt', 'duplicate-r-test.txt'];
  const r = await run(names.map((n) => file(`/src/pip/${n}`, all[`/src/pip/${n}`] as Buffer)));
  const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  assert.deepEqual(r.packages.filter((p) => base(p.locations[0] ?? '') === 'duplicate-r-dev.txt').map((p) => `${p.name}@${p.version}`).sort(), ['django@0.1.0', 'pandas@0.23.4', 'requests@1.2.3', 'unittest@1.0.0']);
  const lone = await run([file('/src/pip/with-multiple-r-options.txt', all['/src/pip/with-multiple-r-options.txt'] as Buffer)]);
  assert.deepEqual(lone.issues.map((i) => `${i.line} ${i.severity}`), ['1 warning', '2 warning']);
  assert.match(lone.issues[0]?.message ?? '', /is not among the files analyzed with it and no filesystem view is available/);
});

test('lang/python-lock requirements: -c constraints pin unpinned requirements and add no packages', async () => {
  const fs = memoryFs({ '/app/constraints.txt': 'requests==2.31.0\nnot-required==9.9\n-r ignored.txt\n', '/app/more.in': '-c constraints.txt\nurllib3\n' });
  const r = await py.analyze([file('/app/requirements.txt', 'requests\n-c constraints.txt\n-r more.in\nidna>=3\n')], { foundBy: 'lang/python-lock@2', target: 'file', fs });
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version ?? ''}`).sort(), ['idna@', 'requests@2.31.0', 'urllib3@']);
  assert.equal(r.packages.find((p) => p.name === 'requests')?.properties?.constrainedBy, '/app/constraints.txt');
  assert.deepEqual(fs.opened, ['/app/constraints.txt', '/app/more.in'], 'each file read once; -r inside a constraints file adds nothing');
});

test('every requirements-txt fixture is covered by a case', needsFixtures('analyzers', 'requirements-txt', 'osv-scanner'), async () => {
  const all = readdirSync(fixture('analyzers', 'requirements-txt', 'osv-scanner') as string).sort();
  const covered = new Set(reqCases.map(([name]) => name));
  assert.deepEqual(all.filter((f) => !covered.has(f)), []);
});

test('lang/python-lock requirements: messages name the include and the unpinned requirement; extras, markers, hashes kept', needsFixtures('analyzers', 'requirements-txt'), async () => {
  const bad = await runFixture('requirements-txt', 'osv-scanner/with-bad-r-option.txt', '/src/pip/with-bad-r-option.txt');
  assert.match(bad.issues[0]?.message ?? '', /^requirement file "\.\/does-not-exist\.txt" \(\/src\/pip\/does-not-exist\.txt\) is not among the files analyzed with it/);
  const ex = await runFixture('requirements-txt', 'osv-scanner/file-format-example.txt', '/src/pip/requirements.txt');
  assert.equal(ex.issues.find((i) => i.line === 10)?.message, 'keyring >= 4.1.1 is not pinned to one version (==); reported without a version');
  const r = await run([
    file(
      '/x/requirements.txt',
      [
        'Twisted[http2,tls] == 20.3.0 ; python_version >= "3.6" --hash=sha256:aa',
        'Weird_Name.Thing===1.0-custom',
        'wild==1.*',
        '-e git+https://tok@github.com/o/r.git@v1#egg=mylib',
        '--index-url https://pypi.invalid/simple',
        '-c constraints.txt',
        'pkg @ https://files.invalid/pkg-2.0-py3-none-any.whl',
        'not a requirement ===',
      ].join('\n'),
    ),
  ]);
  const tw = r.packages.find((p) => p.name === 'Twisted');
  assert.deepEqual(tw?.properties, { line: '1', extras: 'http2,tls', marker: 'python_version >= "3.6"', hashes: 'sha256:aa' });
  assert.equal(purlToString(r.packages.find((p) => p.name === 'Weird_Name.Thing')!.purl), 'pkg:pypi/weird-name-thing@1.0-custom');
  assert.equal(r.packages.find((p) => p.name === 'wild')?.version, undefined);
  const lib = r.packages.find((p) => p.name === 'mylib');
  assert.equal(lib?.purl.qualifiers?.vcs_url, 'git+https://github.com/o/r.git@v1#egg=mylib');
  assert.equal(lib?.properties?.editable, 'true');
  assert.equal(r.packages.find((p) => p.name === 'pkg')?.version, '2.0');
  assert.deepEqual(r.issues.map((i) => `${i.line} ${i.severity}`), ['3 info', '4 info', '6 info', '8 warning']);
  assert.doesNotMatch(JSON.stringify(r), /tok@/);
});

test('lang/python-lock requirements: pip line joining and wheel/sdist names', () => {
  assert.deepEqual(logicalLines('a==\\\n1.0\n# c \\\nb==2 # x \\\nc==3\nd==4\\'), [
    { line: 1, text: 'a==1.0' },
    { line: 4, text: 'b==2' },
    { line: 6, text: 'd==4' },
  ]);
  assert.deepEqual(distFromFileName('numpy-1.9.2-cp34-none-win32.whl'), { name: 'numpy', version: '1.9.2' });
  assert.deepEqual(distFromFileName('foo_bar-1.0-1-py3-none-any.whl'), { name: 'foo_bar', version: '1.0' });
  assert.deepEqual(distFromFileName('python-dateutil-2.8.2.tar.gz'), { name: 'python-dateutil', version: '2.8.2' });
  assert.equal(distFromFileName('README.md'), undefined);
});

test('lang/python-lock uv.lock: dev-dependencies of an editable project, forked versions resolved by version; poetry 2 groups', async () => {
  const uv = await run([
    file(
      '/p/uv.lock',
      [
        'version = 1',
        '[[package]]',
        'name = "proj"',
        'version = "0.1.0"',
        'source = { editable = "." }',
        'dependencies = [{ name = "numpy", version = "2.0.0" }]',
        '[package.dev-dependencies]',
        'lint = [{ name = "ruff" }, { name = "numpy", version = "1.26.4" }]',
        '[[package]]',
        'name = "numpy"',
        'version = "1.26.4"',
        'source = { registry = "https://mirror.invalid/simple" }',
        '[[package]]',
        'name = "numpy"',
        'version = "2.0.0"',
        'source = { registry = "https://pypi.org/simple" }',
        '[[package]]',
        'name = "ruff"',
        'version = "0.8.1"',
        'source = { registry = "https://pypi.org/simple" }',
      ].join('\n'),
    ),
  ]);
  assert.deepEqual(uv.issues, []);
  assert.deepEqual(listOf(uv), ['numpy@1.26.4 lint', 'numpy@2.0.0', 'ruff@0.8.1 lint']);
  assert.equal(uv.packages.find((p) => p.version === '1.26.4')?.purl.qualifiers?.repository_url, 'https://mirror.invalid/simple');
  assert.deepEqual(edgesOf(uv), [], 'the project itself is not a package, so it has no edges');

  const poetry = await run([
    file('/p/poetry.lock', '[[package]]\nname = "a"\nversion = "1"\ngroups = ["main"]\n[[package]]\nname = "b"\nversion = "2"\ngroups = ["dev", "test"]\n[[package]]\nname = "c"\nversion = "3"\ngroups = ["main"]\noptional = true\n'),
  ]);
  assert.deepEqual(listOf(poetry), ['a@1', 'b@2 dev,test', 'c@3 optional']);
});
