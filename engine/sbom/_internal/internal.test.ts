import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalPurl, sourceFromSourceRpm, upstreamFromPurl } from './purl';
import { firstInvalidUtf8Offset, jsonDepthExceeds, lineColumn } from './text';
import { decodeXmlEntities } from './xml';
import { licenseFromString } from './license';

test('UTF-8 validation names the first bad byte', () => {
  const cases: [number[], number][] = [
    [[0x41, 0x42], -1],
    [[0xe2, 0x82, 0xac], -1],
    [[0x41, 0xc3], 1],
    [[0x41, 0xc0, 0x80], 1], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // > U+10FFFF
    [[0xf0, 0x9f, 0x98, 0x80, 0xff], 4],
  ];
  for (const [bytes, off] of cases) assert.equal(firstInvalidUtf8Offset(Uint8Array.from(bytes)), off, JSON.stringify(bytes));
});

test('text helpers', () => {
  assert.deepEqual(lineColumn('ab\ncd\nef', 4), { line: 2, column: 2 });
  assert.equal(jsonDepthExceeds('[[["[[[[["]]]', 3), -1, 'brackets inside strings do not count');
  assert.equal(jsonDepthExceeds('[[[[', 3), 3);
  assert.equal(decodeXmlEntities('a &amp; b &lt;c&gt; &#x41;&#66; &quot;&apos; &unknown;'), 'a & b <c> AB "\' &unknown;');
});

test('purl helpers', () => {
  const cases: [string, string | null][] = [
    ['pkg:NPM/%40angular/core@16.0.0', 'pkg:npm/%40angular/core@16.0.0'],
    ['pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?distro=debian-12&arch=amd64', 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12'],
    ['pkg:pypi/Django@4.2', 'pkg:pypi/django@4.2'],
    ['not a purl', null],
    ['pkg:/nameonly', null],
  ];
  for (const [raw, want] of cases) {
    const r = canonicalPurl(raw);
    assert.equal(r.ok ? r.purl : null, want, raw);
  }
  assert.deepEqual(upstreamFromPurl(canonicalPurl('pkg:deb/debian/libc6@2.36?upstream=glibc')), { name: 'glibc' });
  assert.deepEqual(upstreamFromPurl(canonicalPurl('pkg:deb/debian/perl-base@5.36?upstream=perl%405.36.0-7')), { name: 'perl', version: '5.36.0-7' });
  assert.deepEqual(upstreamFromPurl(canonicalPurl('pkg:rpm/redhat/openssl-libs@3.0.7?upstream=openssl-3.0.7-27.el9.src.rpm')), { name: 'openssl', version: '3.0.7-27.el9' });
  assert.equal(upstreamFromPurl(canonicalPurl('pkg:npm/x@1')), undefined);
  assert.deepEqual(sourceFromSourceRpm('python3-pip-21.3.1-1.el9.src.rpm'), { name: 'python3-pip', version: '21.3.1-1.el9' });
});

test('licenses: SPDX expressions vs names', () => {
  assert.deepEqual(licenseFromString('MIT OR Apache-2.0'), { expression: 'MIT OR Apache-2.0' });
  assert.deepEqual(licenseFromString('GPL-2.0-or-later WITH Classpath-exception-2.0', 'declared'), { expression: 'GPL-2.0-or-later WITH Classpath-exception-2.0', acknowledgement: 'declared' });
  assert.deepEqual(licenseFromString('LicenseRef-acme'), { expression: 'LicenseRef-acme' });
  assert.deepEqual(licenseFromString('The Apache Software License, Version 2.0'), { name: 'The Apache Software License, Version 2.0' });
  assert.equal(licenseFromString('NOASSERTION'), undefined);
  assert.equal(licenseFromString('NONE'), undefined);
});

