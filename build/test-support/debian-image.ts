/**
 * The real 2-layer Debian bookworm image of ../shared/tools/make-debian-image.sh, built once (~75 s, needs
 * root, mmdebstrap, umoci, skopeo and an apt mirror) into $STELLA_DEBIAN_IMAGE (default /tmp/stella-debimg)
 * and reused by every test that needs it. Tests skip with the reason where it cannot be built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fixturesDir, needsTool } from './fixtures';

export const DEBIAN_IMAGE = process.env.STELLA_DEBIAN_IMAGE ?? '/tmp/stella-debimg';
const MAKE = fixturesDir() ? join(fixturesDir() as string, '..', 'tools', 'make-debian-image.sh') : '';

/** Test options: skip (naming the install command) where the image is absent and cannot be built here. */
export const debianImageNeeds: { skip: string | false } = existsSync(join(DEBIAN_IMAGE, 'expected-dpkg.tsv')) ? { skip: false } : needsTool('mmdebstrap', 'apt-get install -y mmdebstrap umoci skopeo');

/** Build the image if needed; false (with the test skipped and the reason given) when that fails. */
export function ensureDebianImage(t: TestContext): boolean {
  if (existsSync(join(DEBIAN_IMAGE, 'expected-dpkg.tsv')) && existsSync(join(DEBIAN_IMAGE, 'oci', 'index.json'))) return true;
  if (!MAKE || !existsSync(MAKE)) {
    t.skip('../shared/tools/make-debian-image.sh not found');
    return false;
  }
  const r = spawnSync(MAKE, [DEBIAN_IMAGE], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) {
    t.skip(`make-debian-image.sh failed (needs root and an apt mirror): ${(r.stderr || r.stdout).slice(-400)}`);
    return false;
  }
  return true;
}
