/**
 * Agreement with the independent reference tools on every line of
 * ../shared/fixtures/versions/reference-labeled-pairs.tsv (labelled by dpkg, librpm, packaging, RubyGems,
 * Maven 3.8.7, node-semver, composer + PHP, R). Every non-`E` line must agree exactly; a disagreement is
 * allowed only when listed in REFERENCE_EXCEPTIONS (keyed by the exact line, documented in README.md).
 * `E` lines (the reference tool rejected a version) are checked against our own validity rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { compareVersions, isValidVersion } from './index';
import { MatchError } from '../errors';

const FILE = ['versions', 'reference-labeled-pairs.tsv'] as const;

/**
 * Exact lines (ECO<TAB>A<TAB>B<TAB>R) where we deliberately differ from the reference tool, with the reason.
 * Empty: every non-E line agrees. Add an entry only together with a README.md entry.
 */
const REFERENCE_EXCEPTIONS: ReadonlyMap<string, string> = new Map<string, string>([]);

function readLines(): string[] {
  const path = fixture(...FILE);
  if (!path) throw new Error('fixture missing');
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
}

test('every non-E line of reference-labeled-pairs.tsv agrees with the reference tool', needsFixtures(...FILE), () => {
  const lines = readLines();
  assert.ok(lines.length >= 100_000, `expected the full file, got ${lines.length} lines`);
  const perEcosystem = new Map<string, { checked: number; agreed: number }>();
  const disagreements: string[] = [];
  for (const line of lines) {
    const [eco, a, b, expected] = line.split('\t') as [string, string, string, string];
    if (expected === 'E') continue;
    const stats = perEcosystem.get(eco) ?? { checked: 0, agreed: 0 };
    perEcosystem.set(eco, stats);
    stats.checked++;
    let got: string;
    try {
      got = String(compareVersions(eco, a, b));
    } catch (e) {
      got = `E (${(e as Error).message})`;
    }
    if (got === expected) stats.agreed++;
    else if (!REFERENCE_EXCEPTIONS.has(line)) disagreements.push(`${line}\tgot ${got}`);
  }
  assert.deepEqual(disagreements.slice(0, 20), [], `${disagreements.length} disagreements`);
  // all ten reference ecosystems are present and checked
  assert.deepEqual([...perEcosystem.keys()].sort(), ['CRAN', 'Debian', 'Go', 'Maven', 'Packagist', 'PyPI', 'Red Hat', 'RubyGems', 'crates.io', 'npm']);
  for (const [eco, s] of perEcosystem) assert.ok(s.checked > 9_000, `${eco}: ${s.checked} lines checked`);
});

test('comparisons are antisymmetric on every reference pair', needsFixtures(...FILE), () => {
  for (const line of readLines()) {
    const [eco, a, b, expected] = line.split('\t') as [string, string, string, string];
    if (expected === 'E') continue;
    assert.equal(compareVersions(eco, b, a), -compareVersions(eco, a, b) || 0, line);
  }
});

test('E lines: the versions the reference rejected are rejected or (PyPI) recognised as non-PEP 440', needsFixtures(...FILE), () => {
  let seen = 0;
  for (const line of readLines()) {
    const [eco, a, b, expected] = line.split('\t') as [string, string, string, string];
    if (expected !== 'E') continue;
    seen++;
    if (eco === 'PyPI') {
      // legacy versions are ordered (documented choice) but are not valid PEP 440
      assert.ok(!isValidVersion(eco, a) || !isValidVersion(eco, b), line);
      assert.doesNotThrow(() => compareVersions(eco, a, b), line);
    } else {
      assert.throws(() => compareVersions(eco, a, b), (e: unknown) => e instanceof MatchError && e.code === 'invalid-version', line);
    }
  }
  assert.ok(seen > 0);
});
