/**
 * The contract between advisory connectors (format parsers, one module each) and the raw store /
 * linkset code. A connector never touches the store: it turns the bytes of ONE raw document into
 * normalized observation drafts (or enrichment records), or throws AdvisoryError('invalid-document').
 */
import type { AffectedPackage, SeverityAsGiven } from '../../core';

/** One raw document as it arrives: a file, or one member of an archive (uri `all.zip!/GHSA-….json`). */
export interface RawInput {
  uri: string;
  bytes: Buffer;
  /** The source recorded for this document where it came from (kits, mirror bundles); overrides detection. */
  source?: string;
}

/** Observation before it is stored (ids and raw ref are assigned by the raw store). */
export interface ObservationDraft {
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
  /** OSV `related` ids: kept apart from aliases because they name a different vulnerability. */
  related?: string[];
  /** Source-specific data kept as given (OSV `database_specific`, distro notes, per-release statuses …). */
  databaseSpecific?: Record<string, unknown>;
}

export interface KevRecord {
  cveId: string;
  vendorProject?: string;
  product?: string;
  dateAdded?: string;
  dueDate?: string;
  knownRansomwareCampaignUse?: string;
  vulnerabilityName?: string;
  shortDescription?: string;
  requiredAction?: string;
  notes?: string;
  cwes?: string[];
}

export interface EpssRecord {
  cveId: string;
  epss: number;
  percentile?: number;
  date?: string;
}

export interface ParsedDocument {
  /** Source name (`osv`, `ghsa`, `pysec`, `nvd`, `cve5`, `csaf`, `debian-dsa`, `debian-dla`, `debian-security-tracker`, `alpine-secdb`, `nodejs-security-wg`, `kev`, `epss`); `parseRawInput(…, { source })` overrides it. */
  source: string;
  /** `osv-json`, `osv-yaml`, `nvd-cve-api-2.0`, `cve-json-5`, `debian-dsa-list`, `alpine-secdb-yaml`, `kev-json`, `kev-csv`, `epss-csv`, … */
  format: string;
  specVersion?: string;
  observations: ObservationDraft[];
  kev?: KevRecord[];
  epss?: EpssRecord[];
}

export interface Connector {
  /** Stable name, also the default `source`. */
  name: string;
  /** Cheap sniff: can this connector parse the document? (file name + first bytes). */
  detect(input: RawInput): boolean;
  parse(input: RawInput): ParsedDocument;
  /**
   * What the dispatcher parses the bytes into before asking the connector (`parseRawInput` parses a
   * document once, then offers the value to every connector of that syntax). `text`: the decoded string.
   */
  syntax: 'json' | 'yaml' | 'text';
  /** Structural sniff on the already parsed value (JSON/YAML value, or the text). */
  detectValue(value: unknown, input: RawInput): boolean;
  /** Parse from the already parsed value; throws AdvisoryError('invalid-document'). */
  parseValue(value: unknown, input: RawInput): ParsedDocument;
}
