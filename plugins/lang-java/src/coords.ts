/**
 * Maven coordinates → PackageRecord. One place decides the name (`group:artifact`), the purl
 * (`pkg:maven/<group>/<artifact>@<version>`) and the record id, so every format reports the same shape.
 */
import type { PackageRecord } from '../../sdk';

export interface Coordinates {
  groupId?: string;
  artifactId: string;
  version?: string;
}

export interface RecordExtras {
  declared?: boolean;
  scope?: PackageRecord['scope'];
  properties?: Record<string, string>;
  hashes?: PackageRecord['hashes'];
  /** Extra evidence paths after the file itself (e.g. `/app/x.war!/WEB-INF/lib/y.jar`). */
  moreLocations?: string[];
}

/** `group:artifact` as Maven prints it; just the artifact when the group is unknown. */
export function mavenName(c: Coordinates): string {
  return c.groupId ? `${c.groupId}:${c.artifactId}` : c.artifactId;
}

export const GUESSED_GROUP = 'guess: artifactId (no groupId recorded)';

/**
 * A maven purl must have a namespace. Without a recorded groupId the artifactId doubles as the group
 * (Maven's convention for old artifacts: junit:junit, javax.inject:javax.inject), flagged in
 * `properties.groupIdFrom` so nobody mistakes the guess for evidence.
 */
export function makeRecord(path: string, given: Coordinates, extras: RecordExtras = {}): PackageRecord {
  const c: Coordinates = given.groupId ? given : { ...given, groupId: given.artifactId };
  if (!given.groupId) extras = { ...extras, properties: { groupIdFrom: GUESSED_GROUP, ...extras.properties } };
  const name = mavenName(c);
  const where = extras.moreLocations?.[extras.moreLocations.length - 1] ?? path;
  const rec: PackageRecord = {
    // Unique within a result even when several files (or nested jars) name the same coordinates.
    id: `${where}#${name}@${c.version ?? ''}`,
    name,
    ...(c.version ? { version: c.version } : {}),
    purl: { type: 'maven', ...(c.groupId ? { namespace: c.groupId } : {}), name: c.artifactId, ...(c.version ? { version: c.version } : {}) },
    locations: [path, ...(extras.moreLocations ?? [])],
  };
  if (extras.properties && Object.keys(extras.properties).length) rec.properties = extras.properties;
  if (extras.declared) rec.declared = true;
  if (extras.scope) rec.scope = extras.scope;
  if (extras.hashes?.length) rec.hashes = extras.hashes;
  return rec;
}

/** Make ids unique within one result (same coordinates twice in one file keep both records). */
export function uniqueIds(records: PackageRecord[]): void {
  const seen = new Map<string, number>();
  for (const r of records) {
    const n = seen.get(r.id) ?? 0;
    seen.set(r.id, n + 1);
    if (n > 0) r.id = `${r.id}#${n + 1}`;
  }
}
