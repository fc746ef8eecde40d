/** VEX-side model shared by vex, policy and the hosts: normalized statements and consensus results. */
import type { Digest } from '../canonical';

/** The four normalized statuses, whatever the input format called them. */
export type VexStatus = 'affected' | 'not_affected' | 'fixed' | 'under_investigation';

export const VEX_STATUSES: readonly VexStatus[] = Object.freeze(['affected', 'not_affected', 'fixed', 'under_investigation']);

/** One justification vocabulary (OpenVEX's, which CSAF's flags share); CycloneDX's are mapped onto it. */
export type VexJustification =
  | 'component_not_present'
  | 'vulnerable_code_not_present'
  | 'vulnerable_code_not_in_execute_path'
  | 'vulnerable_code_cannot_be_controlled_by_adversary'
  | 'inline_mitigations_already_exist';

export const VEX_JUSTIFICATIONS: readonly VexJustification[] = Object.freeze([
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
]);

/** A version constraint of a product (CycloneDX `affects[].versions[]`): one version or a `vers:` range. */
export interface VexVersionConstraint {
  version?: string;
  range?: string;
  /** CycloneDX per-version status as given (`affected`, `unaffected`, `unknown`). */
  status?: string;
}

/** What a statement is about: as identified by the source (any of purl, CPE, bom-ref/BOM-Link, name). */
export interface VexProduct {
  /** Canonical purl (version and qualifiers as given: a versionless purl covers every version). */
  purl?: string;
  cpe?: string;
  /** CycloneDX bom-ref or BOM-Link (`urn:cdx:serial/version#ref`), CSAF product_id. */
  ref?: string;
  /** A name when the source gives nothing machine-matchable (OpenVEX `nginx`, a CSAF product name). */
  name?: string;
  /** When present, the statement covers only these versions of the product. */
  versions?: VexVersionConstraint[];
}

/** Who issued a statement, as the document declares it (classification into trust classes happens at read time). */
export interface VexIssuer {
  name: string;
  /** OpenVEX `role`, CSAF `publisher.category`, `triage` for the workstation's own statements. */
  role?: string;
  /** CSAF `publisher.namespace`. */
  namespace?: string;
}

export interface VexRawRef {
  digest: Digest;
  source: string;
  uri: string;
  format: string;
  specVersion?: string;
  /** JSON pointer of the statement inside the raw document. */
  path: string;
}

/** A normalized statement: one vulnerability, one product, as the source said it (nothing judged). */
export interface VexStatement {
  /** Content-addressed id (`vexst_…`) of this statement of this raw document. */
  id: string;
  vulnerability: string;
  /** Other ids the document itself gives (CVE, GHSA, CSAF ids[]); linkset aliases are added at read time. */
  aliases: string[];
  product: VexProduct;
  /** OpenVEX subcomponents: where in the product the vulnerable code is. */
  subcomponents?: VexProduct[];
  status: VexStatus;
  statusAsGiven: string;
  justification?: VexJustification;
  justificationAsGiven?: string;
  impact?: string;
  action?: string;
  /** Free text: OpenVEX status_notes, CycloneDX analysis.detail, CSAF notes. */
  detail?: string;
  timestamp?: string;
  issuer: VexIssuer;
  raw: VexRawRef;
}

export type VexIssuerClass = 'vendor' | 'distro' | 'internal' | 'community';

export const VEX_ISSUER_CLASSES: readonly VexIssuerClass[] = Object.freeze(['vendor', 'distro', 'internal', 'community']);

/** What consensus made of one statement. */
export type VexContributionRole = 'decisive' | 'agreeing' | 'conflicting' | 'deferred' | 'overridden' | 'superseded';

export interface VexContribution {
  statementId: string;
  issuer: string;
  issuerClass: VexIssuerClass;
  tier: number;
  weight: number;
  status: VexStatus;
  justification?: VexJustification;
  timestamp?: string;
  role: VexContributionRole;
  raw: { digest: Digest; uri: string; format: string };
}

export interface VexConflict {
  kind: 'status-disagreement';
  tier: number;
  statuses: VexStatus[];
  statements: { statementId: string; issuer: string; status: VexStatus; weight: number }[];
}

export interface VexConsensus {
  vulnerability: { id: string; aliases: string[] };
  component: { purl?: string; ref?: string; version?: string };
  /** `none` when no statement applies. */
  status: VexStatus | 'none';
  justification?: VexJustification;
  /** 0..1: the share of the deciding tier's weight that agrees with `status` (0 for `none`). */
  confidence: number;
  statements: VexContribution[];
  conflicts: VexConflict[];
  /** sha256 of the canonical JSON of everything above. */
  digest: Digest;
}
