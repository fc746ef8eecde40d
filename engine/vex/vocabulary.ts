/**
 * One vocabulary for statuses and justifications. Every format's own words map onto the four statuses
 * and OpenVEX's five justifications (CSAF's flag labels are the same five); the original word is kept
 * beside the normalized one on every statement.
 */
import { VEX_JUSTIFICATIONS, VEX_STATUSES, type VexJustification, type VexStatus } from '../core';

const OPENVEX_STATUS: Readonly<Record<string, VexStatus>> = {
  affected: 'affected',
  not_affected: 'not_affected',
  fixed: 'fixed',
  under_investigation: 'under_investigation',
};

/** CycloneDX `analysis.state` → status. */
const CYCLONEDX_STATE: Readonly<Record<string, VexStatus>> = {
  exploitable: 'affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  in_triage: 'under_investigation',
  false_positive: 'not_affected',
  not_affected: 'not_affected',
};

/** CSAF `product_status` keys → status (`recommended` is advice, not a status, and is not listed). */
export const CSAF_PRODUCT_STATUS: Readonly<Record<string, VexStatus>> = {
  first_affected: 'affected',
  known_affected: 'affected',
  last_affected: 'affected',
  known_not_affected: 'not_affected',
  first_fixed: 'fixed',
  fixed: 'fixed',
  under_investigation: 'under_investigation',
};

/**
 * CycloneDX `analysis.justification` → the shared vocabulary, as CISA's minimum-requirements mapping
 * and the common converters do it.
 */
const CYCLONEDX_JUSTIFICATION: Readonly<Record<string, VexJustification>> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_dependency: 'component_not_present',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

/** The CycloneDX word written on export; chosen so that import(export(j)) === j for every j. */
export const CYCLONEDX_JUSTIFICATION_FOR: Readonly<Record<VexJustification, string>> = {
  component_not_present: 'requires_dependency',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

/** The CycloneDX `analysis.state` written on export. */
export const CYCLONEDX_STATE_FOR: Readonly<Record<VexStatus, string>> = {
  affected: 'exploitable',
  not_affected: 'not_affected',
  fixed: 'resolved',
  under_investigation: 'in_triage',
};

export function isVexStatus(s: unknown): s is VexStatus {
  return typeof s === 'string' && (VEX_STATUSES as readonly string[]).includes(s);
}

export function isVexJustification(s: unknown): s is VexJustification {
  return typeof s === 'string' && (VEX_JUSTIFICATIONS as readonly string[]).includes(s);
}

export function openVexStatus(s: string): VexStatus | undefined {
  return OPENVEX_STATUS[s];
}

export function cycloneDxStatus(state: string): VexStatus | undefined {
  return CYCLONEDX_STATE[state];
}

/** Normalize a justification word of any format (OpenVEX/CSAF words pass through). */
export function normalizeJustification(word: string): VexJustification | undefined {
  return isVexJustification(word) ? word : CYCLONEDX_JUSTIFICATION[word];
}
