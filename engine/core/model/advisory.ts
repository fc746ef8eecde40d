/** Advisory-side model shared by advisories, match, vex and policy. */
import type { Digest } from '../canonical';

/** Ecosystem names as OSV spells them (`Debian:12` carries a release). */
export type Ecosystem = string;

export interface RawDocumentRef {
  /** Content digest of the raw bytes in the blob store. */
  digest: Digest;
  source: string;
  /** Path or URI it was imported from. */
  uri: string;
  format: string;
  specVersion?: string;
}

export type RangeEvent =
  | { introduced: string }
  | { fixed: string }
  | { last_affected: string }
  | { limit: string };

export interface AffectedRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
  repo?: string;
  events: RangeEvent[];
}

export interface AffectedPackage {
  ecosystem: Ecosystem;
  name: string;
  purl?: string;
  ranges: AffectedRange[];
  versions: string[];
  /** Distro feeds name source packages; set when `name` is a source package. */
  isSourcePackage?: boolean;
  /**
   * The source's own version-range expression when it cannot always be expressed as OSV events
   * (node-semver ranges of the Node Security WG feed): matching evaluates it with `semver.satisfies`.
   * `ranges` then hold a best-effort event form, or nothing.
   */
  semverRange?: string;
  /** OSV `affected[].ecosystem_specific` / `database_specific` (and the like from other feeds), as given. */
  ecosystemSpecific?: Record<string, unknown>;
  databaseSpecific?: Record<string, unknown>;
}

export interface SeverityAsGiven {
  type: string; // CVSS_V2 | CVSS_V3 | CVSS_V4 | Ubuntu | text …
  score: string;
  source?: string;
}

export interface Observation {
  /** Content-addressed id of this observation. */
  id: string;
  source: string;
  advisoryId: string;
  aliases: string[];
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  affected: AffectedPackage[];
  severities: SeverityAsGiven[];
  references: { type?: string; url: string }[];
  raw: RawDocumentRef;
}
