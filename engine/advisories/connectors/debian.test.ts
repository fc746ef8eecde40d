import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { type AdvisoryError } from '../errors';
import { debianListConnector, debianTrackerJsonConnector } from './debian';
import { parseRawInput } from './index';
import type { ObservationDraft, RawInput } from './types';

const tracker = (...p: string[]) => fixture('advisories', 'distro', 'debian-security-tracker', ...p);
const load = (path: string): RawInput => ({ uri: path, bytes: readFileSync(path) });

test('DSA list: one observation per entry with CVE aliases, per-release source packages, markers', needsFixtures('advisories', 'distro', 'debian-security-tracker'), (t) => {
  const start = performance.now();
  const d = parseRawInput(load(tracker('DSA', 'list')!));
  t.diagnostic(`DSA list: ${d.observations.length} observations in ${(performance.now() - start).toFixed(0)} ms`);
  assert.equal(d.source, 'debian-dsa');
  assert.equal(d.format, 'debian-dsa-list');
  assert.equal(d.observations.length, 5406);
  const byId = new Map(d.observations.map((o) => [o.advisoryId, o] as const));
  assert.equal(byId.size, 5406, 'advisory ids are unique');
  const first = d.observations[0]!;
  assert.deepEqual(first, {
    advisoryId: 'DSA-5380-1',
    aliases: ['CVE-2023-1393'],
    affected: [
      {
        ecosystem: 'Debian:11',
        name: 'xorg-server',
        isSourcePackage: true,
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2:1.20.11-1+deb11u6' }] }],
        versions: [],
      },
    ],
    severities: [],
    references: [],
    published: '2023-03-29',
    summary: 'xorg-server - security update',
  } satisfies ObservationDraft);

  // `<not-affected>` for one release: no affected entry for it, the marker is kept.
  const oo = byId.get('DSA-2275-1')!;
  assert.deepEqual(
    oo.affected.map((a) => [a.ecosystem, a.name]),
    [['Debian:6', 'openoffice.org']],
  );
  assert.deepEqual(oo.databaseSpecific?.releases, [{ release: 'lenny', package: 'openoffice.org', status: 'not-affected', note: 'Vulnerable code not present' }]);
  // `<unfixed>`: affected in every version, no fix event.
  const pma = byId.get('DSA-880-1')!;
  assert.deepEqual(pma.affected[0], {
    ecosystem: 'Debian:3.0',
    name: 'phpmyadmin',
    isSourcePackage: true,
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
    versions: [],
    ecosystemSpecific: { status: 'unfixed' },
  });
  // An old entry without the "-N" revision and with the urgency in parentheses.
  const old = byId.get('DSA-1304')!;
  assert.equal(old.published, '2007-06-16');
  // NOTE lines are kept.
  assert.match(String((byId.get('DSA-1605-1')!.databaseSpecific?.notes as string[])[0]), /^<unfixed> \(backport too complicated/);
  const releases = new Set(d.observations.flatMap((o) => o.affected.map((a) => a.ecosystem)));
  assert.deepEqual([...releases].sort(), ['Debian:10', 'Debian:11', 'Debian:3.0', 'Debian:3.1', 'Debian:4', 'Debian:5', 'Debian:6', 'Debian:7', 'Debian:8', 'Debian:9']);
});

test('DLA list: DLA source, end-of-life marker', needsFixtures('advisories', 'distro', 'debian-security-tracker'), () => {
  const d = parseRawInput(load(tracker('DLA', 'list')!));
  assert.equal(d.source, 'debian-dla');
  assert.equal(d.observations.length, 3534);
  const eol = d.observations.find((o) => o.advisoryId === 'DLA-372-1')!;
  assert.deepEqual(eol.affected[0]!.ecosystemSpecific, { status: 'end-of-life' });
  assert.deepEqual(eol.affected[0]!.ranges, [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }]);
});

test('malformed list lines are errors naming the line and what was expected', () => {
  const cases: [text: string, line: number, expected: RegExp][] = [
    ['[01 Apr 2023] DSA-1-1 x - y\n\t[bullseye] - x 1.0\n\tgarbage here\n', 3, /"\{CVE-…\}" line, a "\[release\] - package version" line/],
    ['[01 Apr 2023] DSA-1-1 x - y\n\t[hamster] - x 1.0\n', 2, /known Debian release codename/],
    ['[01 Apr 2023] DSA-1-1 x - y\n\t[bullseye] - x <maybe>\n', 2, /a version or one of the markers/],
    ['[01 Apr 2023] DSA-1-1 x - y\n[01 Apr 2023] DLA-2-1 z\n', 2, /one list holds one advisory series/],
    ['[01 Foo 2023] DSA-1-1 x - y\n', 1, /a date "DD Mon YYYY"/],
  ];
  for (const [text, line, expected] of cases) {
    assert.throws(
      () => debianListConnector.parse({ uri: '/t/list', bytes: Buffer.from(text) }),
      (e: AdvisoryError) => e.code === 'invalid-document' && e.details.line === line && expected.test(e.message) && e.message.startsWith(`/t/list: line ${line}: `),
      text,
    );
  }
});

test('tracker JSON (hand-made testdata in the published shape): per-CVE observations, fixed/open/not-affected', () => {
  const d = parseRawInput(load(new URL('./testdata/debian-tracker.json', import.meta.url).pathname));
  assert.equal(d.source, 'debian-security-tracker');
  assert.deepEqual(
    d.observations.map((o) => o.advisoryId),
    ['CVE-2023-0286', 'CVE-2023-0464'],
  );
  const o = d.observations[0]!;
  assert.equal(o.summary, 'X.400 address type confusion in X.509 GeneralName');
  assert.deepEqual(
    o.affected.map((a) => [a.ecosystem, a.name, a.ranges[0]!.events]),
    [
      ['Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.8-1' }]],
      ['Debian:11', 'openssl', [{ introduced: '0' }, { fixed: '1.1.1n-0+deb11u4' }]],
      ['Debian:10', 'openssl', [{ introduced: '0' }]],
    ],
    'sid has no release number (kept as evidence only); openssl1.0 fixed_version 0 = not affected',
  );
  assert.deepEqual((o.databaseSpecific?.releases as { release: string; package: string }[]).map((r) => `${r.package}/${r.release}`), [
    'openssl/bookworm',
    'openssl/bullseye',
    'openssl/buster',
    'openssl/sid',
    'openssl1.0/buster',
  ]);
  assert.deepEqual(d.observations[1]!.affected[1]!.ecosystemSpecific, { status: 'undetermined', urgency: 'low', repositories: { bullseye: '1.1.1w-0+deb11u1' } });
  assert.throws(
    () => debianTrackerJsonConnector.parse({ uri: '/t/t.json', bytes: Buffer.from('{"p":{"CVE-1":{"releases":{"bookworm":{"status":"resolved"}}}}}') }),
    (e: AdvisoryError) => e.code === 'invalid-document' && e.details.path === '/p/CVE-1/releases/bookworm/fixed_version',
  );
});
