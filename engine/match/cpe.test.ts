import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../build/test-support/fixtures';
import { openStore } from '../store';
import { fixedClock, newComponent, sequentialIds, type Inventory } from '../core';
import { importAdvisories } from '../advisories';
import { parseCpe, scanInventory } from './index';

// An NVD CVE API 2.0 page in the shape NVD serves (CVE-2021-44228's log4j-core configuration).
const NVD_PAGE = {
  resultsPerPage: 1,
  startIndex: 0,
  totalResults: 1,
  format: 'NVD_CVE',
  version: '2.0',
  timestamp: '2026-01-01T00:00:00.000',
  vulnerabilities: [
    {
      cve: {
        id: 'CVE-2021-44228',
        sourceIdentifier: 'security@apache.org',
        published: '2021-12-10T10:15:09.143',
        lastModified: '2025-02-04T15:15:13.773',
        vulnStatus: 'Analyzed',
        descriptions: [{ lang: 'en', value: 'Apache Log4j2 JNDI features do not protect against attacker controlled LDAP and other JNDI related endpoints.' }],
        metrics: {
          cvssMetricV31: [
            {
              source: 'nvd@nist.gov',
              type: 'Primary',
              cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', baseScore: 10.0, baseSeverity: 'CRITICAL' },
            },
          ],
        },
        configurations: [
          {
            nodes: [
              {
                operator: 'OR',
                negate: false,
                cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*', versionStartIncluding: '2.0.1', versionEndExcluding: '2.12.2', matchCriteriaId: '03FA5E81-F9C0-403E-8A4B-E4284E4E7B72' }],
              },
            ],
          },
        ],
        references: [{ url: 'https://logging.apache.org/log4j/2.x/security.html', source: 'security@apache.org' }],
      },
    },
  ],
};

function inv(version: string): Inventory {
  return {
    document: { format: 'cyclonedx-json', specVersion: '1.6', tools: [], authors: [], properties: [], extra: {} },
    components: [newComponent({ ref: 'log4j', name: 'log4j-core', type: 'library', version, cpes: [`cpe:2.3:a:apache:log4j:${version}:*:*:*:*:*:*:*`] })],
    dependencies: [],
  };
}

test('parseCpe reads CPE 2.3 and 2.2 names', () => {
  assert.deepEqual(parseCpe('cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*'), { part: 'a', vendor: 'apache', product: 'log4j', version: '2.14.1' });
  assert.deepEqual(parseCpe('cpe:/a:openssl:openssl:1.0.2'), { part: 'a', vendor: 'openssl', product: 'openssl', version: '1.0.2' });
  assert.equal(parseCpe('not-a-cpe'), null);
});

test('CPE matching happens only when asked for, with the NVD version range', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'nvd.json'), JSON.stringify(NVD_PAGE));
  const store = openStore({ home: tempDir() });
  try {
    const r = await importAdvisories(store, [join(dir, 'nvd.json')], { importedAt: '2026-01-01T00:00:00Z' });
    assert.deepEqual(r.rejected, []);
    const opts = { subject: 's', clock: fixedClock('2026-01-01T00:00:00Z'), ids: sequentialIds(), persist: false };
    assert.deepEqual((await scanInventory(store, inv('2.11.0'), opts)).findings, [], 'no CPE matching unless asked');
    const table: [string, boolean][] = [
      ['2.11.0', true],
      ['2.0.1', true],
      ['2.12.2', false],
      ['2.0', false],
    ];
    for (const [v, want] of table) {
      const f = (await scanInventory(store, inv(v), { ...opts, cpe: true })).findings;
      assert.equal(f.length === 1, want, v);
      if (want) {
        assert.equal(f[0]?.vulnerabilityId, 'CVE-2021-44228');
        assert.equal(f[0]?.evidence[0]?.matchedBy, 'cpe');
        assert.equal(f[0]?.severity.score, 10);
      }
    }
  } finally {
    store.close();
  }
});
