import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../core';
import { openStore } from '../store';
import { fixture, needsFixtures, REPO_ROOT, tempDir } from '../../build/test-support/fixtures';
import { importSbom, parseSbom, SbomError, validateSbom } from './index';

const clock = fixedClock('2026-01-01T00:00:00.000Z');
const good = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'a', version: '1' }] }, null, 2);

function isSbomError(code: string, re: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof SbomError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.category, e.code === 'cancelled' ? 'cancelled' : 'invalid-input');
    assert.match(e.message, re);
    return true;
  };
}

/** Every blob file under a home (the store must stay empty after a failed import). */
function blobFiles(home: string): string[] {
  const root = join(home, 'blobs', 'sha256');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&lol3;</name></component></components></bom>`;

const xxe = `<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>`;

/**
 * The same bomb behind a processing instruction that holds `<!--`: a regex pre-scan took the DTD for a
 * comment, and libxml2 (the XSD validator) then refused the entity loop as an internal error (exit 10).
 */
const smuggledLaughs = billionLaughs.replace('<?xml version="1.0"?>\n', '<?xml version="1.0"?>\n<?m <!-- ?>\n');
/** A DTD after a comment holding `-->`-less text and a CDATA-looking PI: still found at its real place. */
const dtdAfterTricks = `<?xml version="1.0"?>\n<!-- <![CDATA[ -->\n<?pi ]]> <!DOCTYPE not-here ?>\n<!DOCTYPE bom [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&e;</name></component></components></bom>`;
const spdxXxe = `<?xml version="1.0"?>\n<?x <!-- ?>\n<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document><spdxVersion>SPDX-2.3</spdxVersion><SPDXID>SPDXRef-DOCUMENT</SPDXID><name>&x;</name></Document>`;

const yamlBomb = ['spdxVersion: SPDX-2.3', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]'].join('\n');

const cases: { name: string; bytes: Buffer; code: string; re: RegExp }[] = [
  { name: 'truncated JSON', bytes: Buffer.from(good.slice(0, good.length - 30)), code: 'malformed', re: /truncated JSON \(the document ends early\) at line \d+, column \d+/ },
  { name: 'malformed JSON mid-document', bytes: Buffer.from(good.replace('"name": "a"', '"name" "a"')), code: 'malformed', re: /malformed JSON at line 8, column 14: Unexpected string/ },
  { name: 'truncated XML', bytes: Buffer.from('<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">\n<components>\n<component type="library"><name>a</name>'), code: 'malformed', re: /evil: truncated XML \(the document ends early\) at line 4, column 41: <bom>, <components>, <component> are not closed/ },
  { name: 'invalid UTF-8', bytes: Buffer.concat([Buffer.from('{"bomFormat":"CycloneDX","x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), code: 'invalid-encoding', re: /invalid UTF-8 byte 0xc3 at byte offset 30/ },
  { name: 'Latin-1 text', bytes: Buffer.from('SPDXVersion: SPDX-2.3\nPackageName: caf\xe9\n', 'latin1'), code: 'invalid-encoding', re: /invalid UTF-8 byte 0xe9 at byte offset 38/ },
  { name: 'UTF-16 with an unpaired surrogate', bytes: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x00, 0xd8, 0x7d, 0x00]), code: 'invalid-encoding', re: /UTF-16LE/ },
  { name: 'JSON bomb (deep nesting)', bytes: Buffer.from(`{"bomFormat":"CycloneDX","specVersion":"1.6","x":${'['.repeat(100000)}${']'.repeat(100000)}}`), code: 'too-deep', re: /nested deeper than 256 levels at line 1, column \d+/ },
  { name: 'XML billion laughs', bytes: Buffer.from(billionLaughs), code: 'forbidden-construct', re: /line 2, column 1: XML <!DOCTYPE> declarations are not accepted/ },
  { name: 'XML external entity', bytes: Buffer.from(xxe), code: 'forbidden-construct', re: /<!DOCTYPE>/ },
  { name: 'XML billion laughs behind a processing instruction', bytes: Buffer.from(smuggledLaughs), code: 'forbidden-construct', re: /evil: line 3, column 1: XML <!DOCTYPE> declarations are not accepted/ },
  { name: 'XML DTD after comment/PI decoys', bytes: Buffer.from(dtdAfterTricks), code: 'forbidden-construct', re: /evil: line 4, column 1: XML <!DOCTYPE> declarations are not accepted/ },
  { name: 'SPDX XML external entity behind a processing instruction', bytes: Buffer.from(spdxXxe), code: 'forbidden-construct', re: /evil: line 3, column 1: XML <!DOCTYPE> declarations are not accepted/ },
  { name: 'XML deep nesting', bytes: Buffer.from(`<bom xmlns="http://cyclonedx.org/schema/bom/1.6">${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</bom>`), code: 'too-deep', re: /XML nested deeper than 256/ },
  { name: 'XML element named __proto__', bytes: Buffer.from('<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>a</name><__proto__><x>1</x></__proto__></component></components></bom>'), code: 'forbidden-construct', re: /XML refused: Invalid name: "__proto__"/ },
  { name: 'YAML alias bomb', bytes: Buffer.from(yamlBomb), code: 'forbidden-construct', re: /YAML alias expansion exceeds the limit of 100/ },
  { name: 'empty file', bytes: Buffer.alloc(0), code: 'unknown-format', re: /not a recognized SBOM/ },
  { name: 'binary garbage', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), code: 'invalid-encoding', re: /byte offset 0/ },
  { name: 'JSON that is no SBOM', bytes: Buffer.from('{"name":"x"}'), code: 'unknown-format', re: /expected CycloneDX/ },
  { name: 'unterminated tag-value <text>', bytes: Buffer.from('SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nDocumentComment: <text>never closed\n'), code: 'malformed', re: /line 3: <text> of tag DocumentComment is never closed/ },
];

test('hostile and broken inputs: clear errors, nothing stored', async () => {
  const home = tempDir();
  const store = openStore({ home });
  try {
    for (const c of cases) {
      await assert.rejects(parseSbom(c.bytes, { fileName: 'evil' }), isSbomError(c.code, c.re), c.name);
      await assert.rejects(importSbom(store, { bytes: c.bytes, name: 'evil' }, { clock }), isSbomError(c.code, c.re), c.name);
      const v = await validateSbom(c.bytes, { fileName: 'evil' });
      assert.equal(v.valid, false, c.name);
    }
    assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM sboms').get() as { n: number }).n, 0);
    assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM sbom_components').get() as { n: number }).n, 0);
    assert.deepEqual(blobFiles(home), []);
  } finally {
    store.close();
  }
});

test('a 2 GB file is refused by size before it is read, nothing stored', async () => {
  const home = tempDir();
  const path = join(tempDir(), 'huge.json');
  execFileSync('truncate', ['-s', '2G', path]);
  const store = openStore({ home });
  try {
    const rssBefore = process.memoryUsage.rss();
    await assert.rejects(importSbom(store, { path }, { clock }), isSbomError('too-large', /huge\.json: 2147483648 bytes is larger than the 536870912-byte limit/));
    assert.ok(process.memoryUsage.rss() - rssBefore < 64 * 1024 * 1024, 'the file was not read into memory');
    assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM sboms').get() as { n: number }).n, 0);
    assert.deepEqual(blobFiles(home), []);
  } finally {
    store.close();
  }
});

test('a missing file and a directory are clear errors', async () => {
  const store = openStore({ home: tempDir() });
  try {
    await assert.rejects(importSbom(store, { path: '/nonexistent/bom.json' }, { clock }), isSbomError('file-unreadable', /\/nonexistent\/bom\.json: cannot read/));
    await assert.rejects(importSbom(store, { path: tempDir() }, { clock }), isSbomError('file-unreadable', /not a regular file/));
  } finally {
    store.close();
  }
});

test('a cancelled import stores nothing', async () => {
  const home = tempDir();
  const store = openStore({ home });
  const ac = new AbortController();
  ac.abort();
  try {
    await assert.rejects(importSbom(store, { bytes: Buffer.from(good), name: 'a.json' }, { clock, signal: ac.signal }), (e: unknown) => (e as { category?: string }).category === 'cancelled');
    assert.deepEqual(blobFiles(home), []);
  } finally {
    store.close();
  }
});

test('a truncated real SBOM names line and column', needsFixtures('sbom', 'cyclonedx-bom-examples'), async () => {
  const full = readFileSync(fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.xml') as string);
  const path = join(tempDir(), 'cut.xml');
  writeFileSync(path, full.subarray(0, Math.floor(full.length / 2)));
  await assert.rejects(parseSbom(readFileSync(path), { fileName: path }), isSbomError('malformed', /cut\.xml: truncated XML \(the document ends early\) at line \d+, column \d+: <bom>, .* are not closed/));
  const json = readFileSync(fixture('sbom', 'cyclonedx-bom-examples', 'SBOM', 'dropwizard-1.3.15', 'bom.json') as string);
  await assert.rejects(parseSbom(json.subarray(0, 100000), { fileName: 'cut.json' }), isSbomError('malformed', /cut\.json: truncated JSON \(the document ends early\) at line \d+, column \d+/));
});

test('hostile XML through the CLI: exit 3 with a located message, never exit 10', async () => {
  const dir = tempDir();
  for (const [name, body, where] of [
    ['laughs.xml', billionLaughs, 'line 2, column 1'],
    ['smuggled.xml', smuggledLaughs, 'line 3, column 1'],
    ['xxe.xml', xxe, 'line 2, column 1'],
    ['spdx-xxe.xml', spdxXxe, 'line 3, column 1'],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, body);
    for (const verb of ['import', 'validate']) {
      const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'stella.mjs'), '--home', join(dir, 'home'), 'sbom', verb, path], { encoding: 'utf8' });
      assert.equal(r.status, 3, `${verb} ${name}: ${r.stderr}`);
      // import reports on stderr; validate prints its verdict on stdout.
      assert.ok(`${r.stdout}${r.stderr}`.includes(`${path}: ${where}: XML <!DOCTYPE> declarations are not accepted`), `${verb} ${name}: ${r.stdout}${r.stderr}`);
    }
  }
});
