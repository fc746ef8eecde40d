/**
 * Triage: the auditor's own VEX. A decision is an OpenVEX 0.2.0 document the workstation writes,
 * issued by its triage identity, and stored through the same raw store as any imported document
 * (source `triage`, so AOC holds and consensus sees it as class `internal`). One document per
 * (vulnerability, product): a new decision about the same pair is the next revision of that document.
 */
import { sha256Hex, type VexJustification, type VexStatement, type VexStatus } from '../core';
import { canonicalizePurl } from '../sbom/purl';
import type { Store } from '../store';
import { VexError } from './errors';
import { parseOpenVex } from './_internal/openvex';
import { storeVexDocument, type StoreOutcome } from './raw-store';
import { isVexJustification, isVexStatus } from './vocabulary';

export const TRIAGE_SOURCE = 'triage';
export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';
const DEFAULT_IDENTITY = 'Stella Evidence Workstation (local triage)';

export interface TriageDecision {
  vulnerability: string;
  purl: string;
  status: string;
  justification?: string;
  impact?: string;
  action?: string;
}

export interface TriageResult {
  statement: VexStatement;
  /** The OpenVEX document as stored (byte-exact). */
  document: Buffer;
  digest: string;
  outcome: StoreOutcome;
}

export function triageIdentity(store: Store): string {
  const row = store.db.prepare("SELECT value FROM vex_settings WHERE key = 'triage-identity'").get() as { value: string } | undefined;
  return row?.value ?? DEFAULT_IDENTITY;
}

export function setTriageIdentity(store: Store, name: string): string {
  const n = name.trim();
  if (!n) throw new VexError('invalid-argument', 'identity: expected a non-empty name', { details: { path: 'identity' } });
  store.write(() => store.db.prepare("INSERT INTO vex_settings (key, value) VALUES ('triage-identity', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(n));
  return n;
}

function checkDecision(d: TriageDecision): { status: VexStatus; justification?: VexJustification; purl: string } {
  const vuln = d.vulnerability.trim();
  if (!vuln) throw new VexError('invalid-argument', '--vuln: expected a vulnerability id (e.g. CVE-2021-44228)', { details: { path: 'vulnerability' } });
  if (!isVexStatus(d.status)) throw new VexError('invalid-argument', `--status: expected one of not_affected, affected, fixed, under_investigation, got ${JSON.stringify(d.status)}`, { details: { path: 'status' } });
  if (d.justification !== undefined && !isVexJustification(d.justification)) {
    throw new VexError('invalid-argument', `--justification: expected one of component_not_present, vulnerable_code_not_present, vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary, inline_mitigations_already_exist, got ${JSON.stringify(d.justification)}`, {
      details: { path: 'justification' },
    });
  }
  if (d.justification !== undefined && d.status !== 'not_affected') throw new VexError('invalid-argument', '--justification: only a not_affected decision carries a justification', { details: { path: 'justification' } });
  if (d.status === 'not_affected' && !d.justification) throw new VexError('invalid-argument', '--justification: a not_affected decision needs a justification', { details: { path: 'justification' } });
  if (d.status === 'affected' && !d.action?.trim()) throw new VexError('invalid-argument', '--action: an affected decision needs an action statement (what to do about it)', { details: { path: 'action' } });
  let purl: string;
  try {
    purl = canonicalizePurl(d.purl);
  } catch (e) {
    throw new VexError('invalid-argument', `--purl: ${(e as Error).message}`, { cause: e, details: { path: 'purl' } });
  }
  return { status: d.status, purl, ...(d.justification ? { justification: d.justification } : {}) };
}

/** The document id of the decisions about one (vulnerability, product): stable across revisions. */
export function triageDocumentId(vulnerability: string, purl: string): string {
  return `https://stella.invalid/vex/triage/${sha256Hex(`${vulnerability.trim().toUpperCase()}\n${purl}`).slice(0, 32)}`;
}

export function recordTriageDecision(store: Store, d: TriageDecision, at: { timestamp: string }): TriageResult {
  const { status, justification, purl } = checkDecision(d);
  const vulnerability = d.vulnerability.trim();
  const id = triageDocumentId(vulnerability, purl);
  const prev = store.db.prepare("SELECT COUNT(*) AS n FROM vex_raw_documents WHERE identity_key = ? AND source = 'triage'").get(`openvex|${id}`) as { n: number };
  const author = triageIdentity(store);
  const statement = {
    vulnerability: { name: vulnerability },
    timestamp: at.timestamp,
    products: [{ '@id': purl }],
    status,
    ...(justification ? { justification } : {}),
    ...(d.impact?.trim() ? { impact_statement: d.impact.trim() } : {}),
    ...(d.action?.trim() ? { action_statement: d.action.trim() } : {}),
  };
  const doc = { '@context': OPENVEX_CONTEXT, '@id': id, author, role: 'triage', timestamp: at.timestamp, version: prev.n + 1, statements: [statement] };
  const bytes = Buffer.from(`${JSON.stringify(doc, null, 2)}\n`);
  const parsed = parseOpenVex(id, doc);
  const stored = storeVexDocument(store, parsed, { uri: `stella-triage:${id.slice(id.lastIndexOf('/') + 1)}`, bytes }, { source: TRIAGE_SOURCE, importedAt: at.timestamp });
  return { statement: stored.statements[0]!, document: bytes, digest: stored.digest, outcome: stored.outcome };
}
