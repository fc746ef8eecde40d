/**
 * The events the workstation raises, built from what the jobs already have. Titles and bodies are
 * short (a desktop notification shows two lines); `details` keeps the facts for the digest and the log.
 */
import type { SeverityLevel } from '../core';
import type { NotifyEvent } from './log';
import type { NotifySeverity } from './settings';

const ORDER: SeverityLevel[] = ['critical', 'high', 'medium', 'low', 'unknown', 'none'];

/** The most severe level with a count above zero. */
export function highestSeverity(bySeverity: Partial<Record<SeverityLevel, number>>): NotifySeverity {
  return ORDER.find((s) => (bySeverity[s] ?? 0) > 0) ?? 'none';
}

export interface ScanFacts {
  id: string;
  subject: string;
  findings: number;
  bySeverity: Partial<Record<SeverityLevel, number>>;
  kev: number;
  fixable: number;
}

export function scanCompletedEvent(s: ScanFacts): NotifyEvent {
  const sev = highestSeverity(s.bySeverity);
  const counts = ORDER.filter((l) => l !== 'none' && (s.bySeverity[l] ?? 0) > 0).map((l) => `${s.bySeverity[l]} ${l}`);
  return {
    kind: 'scan.completed',
    subject: s.id,
    title: `Scan completed: ${s.subject}`,
    body: s.findings === 0 ? 'no findings' : `${s.findings} finding${s.findings === 1 ? '' : 's'} (${counts.join(', ')})${s.kev ? `, ${s.kev} on the KEV list` : ''}, ${s.fixable} fixable`,
    severity: sev,
    kev: s.kev > 0,
    details: { scanId: s.id, subject: s.subject, findings: s.findings, bySeverity: s.bySeverity, kev: s.kev, fixable: s.fixable },
  };
}

export interface BlockFacts {
  scanId: string;
  subject: string;
  pack: string;
  verdict: string;
  /** Findings the policy blocked on. */
  blocking: { vulnerabilityId: string; severity: SeverityLevel; kev: boolean; rule: string }[];
}

export function policyBlockedEvent(b: BlockFacts): NotifyEvent {
  const bySeverity: Partial<Record<SeverityLevel, number>> = {};
  for (const f of b.blocking) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  const rules = [...new Set(b.blocking.map((f) => f.rule))].sort();
  return {
    kind: 'policy.blocked',
    subject: b.scanId,
    title: `Policy ${b.pack} blocked ${b.subject}`,
    body: `${b.blocking.length} blocking finding${b.blocking.length === 1 ? '' : 's'}${rules.length ? ` (rules: ${rules.slice(0, 3).join(', ')}${rules.length > 3 ? ', …' : ''})` : ''}`,
    severity: highestSeverity(bySeverity),
    kev: b.blocking.some((f) => f.kev),
    details: { scanId: b.scanId, subject: b.subject, pack: b.pack, verdict: b.verdict, blocking: b.blocking.slice(0, 100), rules },
  };
}

export interface KitFacts {
  channel: string;
  version: string;
  kind: 'kit' | 'mirror';
  feedDate: string;
  kitDigest: string;
  advisories: { new: number; superseded: number };
  vex: { new: number; superseded: number };
  forced: boolean;
}

export function kitImportedEvent(k: KitFacts): NotifyEvent {
  const what = k.kind === 'kit' ? 'Offline kit' : 'Mirror bundle';
  return {
    kind: 'kit.imported',
    subject: `${k.channel}@${k.version}`,
    title: `${what} ${k.channel} ${k.version} activated${k.forced ? ' (forced)' : ''}`,
    body: `${k.advisories.new + k.advisories.superseded} advisory and ${k.vex.new + k.vex.superseded} VEX document(s) new or updated; data as of ${k.feedDate}`,
    severity: k.forced ? 'medium' : 'none',
    kev: false,
    details: { ...k },
  };
}

export interface KitRejectionFacts {
  source: string;
  check: string;
  code: string;
  exitCode: number;
  message: string;
  quarantine: string | null;
  digest: string | null;
}

export function kitRejectedEvent(k: KitRejectionFacts): NotifyEvent {
  return {
    kind: 'kit.rejected',
    subject: k.digest ?? k.source,
    title: `Offline kit rejected (${k.check} check failed)`,
    body: k.message.length > 300 ? `${k.message.slice(0, 297)}…` : k.message,
    severity: k.exitCode === 6 ? 'high' : 'medium',
    kev: false,
    details: { ...k },
  };
}

export interface StaleFacts {
  snapshot: string;
  asOf: string;
  ageDays: number;
  staleAfterDays: number;
  /** The UTC day it is raised on (one notification per snapshot and day). */
  day: string;
}

export function feedStaleEvent(f: StaleFacts): NotifyEvent {
  return {
    kind: 'feed.stale',
    subject: f.snapshot,
    title: `Advisory data is ${f.ageDays} days old`,
    body: `data as of ${f.asOf}; older than ${f.staleAfterDays} days — import a newer offline kit`,
    severity: 'medium',
    kev: false,
    details: { ...f },
    dedupeKey: `feed.stale:${f.snapshot}:${f.day}`,
  };
}

export function testEvent(kind: NotifyEvent['kind'], severity: NotifySeverity, kev: boolean): NotifyEvent {
  return {
    kind,
    subject: 'test',
    title: `Test notification (${kind})`,
    body: `severity ${severity}${kev ? ', KEV' : ''} — sent by \`stella notify test\``,
    severity,
    kev,
    details: { test: true },
  };
}
