/**
 * The one name of a scan's subject, the same in every host (CLI, app, serve) and for a re-scan of the
 * stored SBOM: `<name>@<digest>`, where an image is named by its image digest (what its users know it
 * by) and any other target by the digest of the SBOM that was scanned.
 */
import type { Inventory } from '../../core';
import type { SbomRecord } from '../../sbom/store';

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function scanSubject(record: Pick<SbomRecord, 'name' | 'digest'>, inventory: Inventory): string {
  const s = inventory.subject;
  // The scanner records an image as a container subject versioned by its image digest; the CycloneDX
  // SBOM the inventory is stored as keeps both, so a re-scan of that SBOM names the image the same way.
  if (s && s.type === 'container' && s.version !== undefined && DIGEST_RE.test(s.version)) return `${s.name}@${s.version}`;
  const name = inventory.document.name ?? s?.name ?? record.name;
  return `${name}@${record.digest}`;
}
