/**
 * The Go standard library end to end: `stella scan` of an SBOM holding `pkg:golang/stdlib` in every
 * spelling the peers emit, and of a Go executable built with an old (pre-1.18) toolchain, against OSV
 * records in exactly the Go vulndb's shape (`engine/match/testdata/go-vulndb`: `"ecosystem": "Go"`,
 * `"name": "stdlib"` / `"toolchain"`, SEMVER ranges without the `v`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stella } from '../../../build/test-support/cli';
import { tempDir } from '../../../build/test-support/fixtures';
import { fakeGoExecutable } from '../../../build/test-support/go-binary';

const VULNDB = fileURLToPath(new URL('../../match/testdata/go-vulndb', import.meta.url));

const cli = stella;

interface ScanDoc {
  findings: {
    vulnerabilityId: string;
    aliases: string[];
    purl: string | null;
    installedVersion: string;
    fixedVersions: string[];
    evidence: { advisoryId: string; ecosystem: string; packageName: string; matchedBy: string; range?: { type: string; events: Record<string, string>[] }; comparisons: { left: string; op: string; right: string; result: boolean }[] }[];
  }[];
}

async function homeWithVulndb(): Promise<string> {
  const home = tempDir();
  const r = await cli(home, 'advisories', 'import', VULNDB, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { observations: number; rejected: { path: string }[] };
  assert.equal(doc.observations, 6, r.stdout);
  assert.ok(doc.rejected.every((x) => x.path.endsWith('README.md')), r.stdout);
  return home;
}

/** Which Go vulndb ids a component's findings name (through the CVE they alias). */
function goIds(doc: ScanDoc, purl: string): string[] {
  return doc.findings
    .filter((f) => f.purl === purl)
    .flatMap((f) => f.evidence.map((e) => e.advisoryId))
    .sort();
}

const COMPONENTS = [
  // Syft and bin/go write the toolchain with a v, Trivy without, go version -m output with "go"
  ['stdlib', 'v1.18.1', 'pkg:golang/stdlib@v1.18.1'],
  ['stdlib', 'go1.18.1', 'pkg:golang/stdlib@go1.18.1'],
  ['stdlib', '1.17.11', 'pkg:golang/stdlib@1.17.11'],
  ['stdlib', '1.20.5', 'pkg:golang/stdlib@1.20.5'],
  ['stdlib', 'go1.20rc2', 'pkg:golang/stdlib@go1.20rc2'],
  ['golang.org/x/net', 'v0.3.0', 'pkg:golang/golang.org/x/net@v0.3.0'],
] as const;

test('stella scan of an SBOM with pkg:golang/stdlib reports the vulndb stdlib and toolchain advisories, with evidence', async () => {
  const home = await homeWithVulndb();
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: COMPONENTS.map(([name, version, purl]) => ({ type: 'library', 'bom-ref': purl, name, version, purl })),
  };
  const file = join(tempDir(), 'go.cdx.json');
  writeFileSync(file, JSON.stringify(bom));
  const r = await cli(home, 'scan', file, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ScanDoc;
  // 1.18.1: go/parser (fixed 1.18.4), syscall (fixed 1.18.2), runtime and cmd/go (fixed 1.19.10);
  // not encoding/pem, which 1.18.1 fixed
  const at1181 = ['GO-2022-0493', 'GO-2022-0515', 'GO-2023-1840', 'GO-2023-1842'];
  assert.deepEqual(goIds(doc, 'pkg:golang/stdlib@v1.18.1'), at1181);
  assert.deepEqual(goIds(doc, 'pkg:golang/stdlib@go1.18.1'), at1181);
  assert.deepEqual(goIds(doc, 'pkg:golang/stdlib@1.17.11'), ['GO-2022-0515', 'GO-2023-1840', 'GO-2023-1842']);
  assert.deepEqual(goIds(doc, 'pkg:golang/stdlib@1.20.5'), []);
  // a release candidate sorts before its release: 1.20.0-rc.2 is inside [1.20.0-0, 1.20.5)
  assert.deepEqual(goIds(doc, 'pkg:golang/stdlib@go1.20rc2'), ['GO-2023-1840', 'GO-2023-1842']);
  assert.deepEqual(goIds(doc, 'pkg:golang/golang.org/x/net@v0.3.0'), ['GO-2022-1144']);

  const parser = doc.findings.find((f) => f.purl === 'pkg:golang/stdlib@v1.18.1' && f.vulnerabilityId === 'CVE-2022-1962');
  assert.ok(parser, 'findings are named by the CVE the vulndb record aliases');
  assert.equal(parser.installedVersion, 'v1.18.1');
  assert.deepEqual(parser.fixedVersions, ['1.17.12', '1.18.4']);
  const ev = parser.evidence[0];
  assert.equal(ev?.ecosystem, 'Go');
  assert.equal(ev?.packageName, 'stdlib');
  assert.equal(ev?.matchedBy, 'purl');
  assert.deepEqual(ev?.range?.events, [{ introduced: '0' }, { fixed: '1.17.12' }, { introduced: '1.18.0-0' }, { fixed: '1.18.4' }]);
  // compared in the vulndb's spelling: v1.18.1 is below the fix 1.18.4
  assert.ok(ev?.comparisons.some((c) => c.left === '1.18.1' && c.op === '>=' && c.right === '1.18.4' && !c.result), JSON.stringify(ev?.comparisons));
  const cmdGo = doc.findings.find((f) => f.purl === 'pkg:golang/stdlib@v1.18.1' && f.vulnerabilityId === 'CVE-2023-29404');
  assert.equal(cmdGo?.evidence[0]?.packageName, 'toolchain', 'go command advisories are filed under "toolchain"');
});

test('stella scan of a Go executable built with an old toolchain (Go 1.17 build-info layout) gives stdlib findings', async () => {
  const home = await homeWithVulndb();
  const root = tempDir();
  mkdirSync(join(root, 'usr', 'local', 'bin'), { recursive: true });
  const modinfo = ['path\texample.com/legacy', 'mod\texample.com/legacy\tv0.9.0\th1:x=', 'dep\tgolang.org/x/net\tv0.3.0\th1:y=', ''].join('\n');
  writeFileSync(join(root, 'usr', 'local', 'bin', 'legacy'), fakeGoExecutable('go1.17.11', modinfo, { layout: 'pointers' }), { mode: 0o755 });
  const inv = await cli(home, 'inventory', root, '--json');
  assert.equal(inv.code, 0, inv.stderr);
  const pkgs = (JSON.parse(inv.stdout) as { packages: { purl: string }[] }).packages.map((p) => p.purl).sort();
  assert.deepEqual(pkgs, ['pkg:golang/example.com/legacy@v0.9.0', 'pkg:golang/golang.org/x/net@v0.3.0', 'pkg:golang/stdlib@v1.17.11']);
  const r = await cli(home, 'scan', root, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ScanDoc;
  assert.deepEqual(goIds(doc, 'pkg:golang/stdlib@v1.17.11'), ['GO-2022-0515', 'GO-2023-1840', 'GO-2023-1842']);
  assert.deepEqual(goIds(doc, 'pkg:golang/golang.org/x/net@v0.3.0'), ['GO-2022-1144']);
});
