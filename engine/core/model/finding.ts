/** Findings: a component matched against an advisory, with the evidence that decided it. */
import type { Digest } from '../canonical';

export interface VersionComparison {
  /** e.g. `1.2.3 >= 1.0.0 (introduced)` */
  left: string;
  op: '<' | '<=' | '=' | '>=' | '>';
  right: string;
  result: boolean;
  event?: 'introduced' | 'fixed' | 'last_affected' | 'limit' | 'version';
}

export interface MatchEvidence {
  rawDocument: { digest: Digest; source: string; uri: string };
  observationId: string;
  advisoryId: string;
  ecosystem: string;
  packageName: string;
  matchedBy: 'purl' | 'source-package' | 'cpe' | 'name';
  range?: { type: string; events: Record<string, string>[] };
  explicitVersion?: string;
  comparisons: VersionComparison[];
}

export interface Finding {
  /** Content-addressed: digest of (component ref+purl+version, vulnerabilityId). */
  id: string;
  vulnerabilityId: string;
  aliases: string[];
  componentRef: string;
  purl?: string;
  packageName: string;
  ecosystem: string;
  installedVersion: string;
  fixedVersions: string[];
  severity: { given: { type: string; score: string; source?: string }[]; score: number | null; level: SeverityLevel };
  kev: boolean;
  epss?: { score: number; percentile?: number };
  evidence: MatchEvidence[];
  /**
   * Set when the component is a language package owned by this OS package (purl): such findings exist only
   * with comprehensive detection, since by default the OS package's distro advisories speak for it.
   */
  ownedBy?: string;
}

export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unknown';
