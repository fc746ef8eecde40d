/**
 * Issuer trust: a tier (integer, higher wins outright) and a weight (0..1, confidence within a tier)
 * per issuer class, overridable per issuer. Settings live in the store (`vex_trust`); the defaults below
 * apply to whatever is not set. Trust is read when consensus is computed, never stored on statements.
 *
 * Class of an issuer, first match: a per-issuer setting; the workstation's own triage documents →
 * `internal`; a declared role or CSAF publisher category naming a vendor/supplier/manufacturer/project
 * → `vendor`; a distribution (by role, or by a well-known distribution's name) → `distro`; else `community`.
 */
import { VEX_ISSUER_CLASSES, type VexIssuerClass, type VexStatement } from '../core';
import type { Store } from '../store';
import { VexError } from './errors';

export interface TrustLevel {
  tier: number;
  weight: number;
}

/** Defaults: the auditor's own triage decides over vendors and distros, who are comparable to each other. */
export const DEFAULT_CLASS_TRUST: Readonly<Record<VexIssuerClass, TrustLevel>> = Object.freeze({
  internal: { tier: 4, weight: 1 },
  vendor: { tier: 3, weight: 1 },
  distro: { tier: 3, weight: 0.9 },
  community: { tier: 1, weight: 0.5 },
});

export interface IssuerTrustSetting {
  issuer: string;
  class?: VexIssuerClass;
  tier?: number;
  weight?: number;
}

export interface TrustSettings {
  classes: Record<VexIssuerClass, TrustLevel>;
  issuers: IssuerTrustSetting[];
}

export interface EffectiveTrust extends TrustLevel {
  issuerClass: VexIssuerClass;
}

/** Issuer names are compared trimmed and case-insensitively. */
export function issuerKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

const DISTRO_NAMES = /\b(debian|ubuntu|canonical|alpine|wolfi|suse|opensuse|fedora|red hat|redhat|centos|rocky|almalinux|oracle linux|amazon linux|photon|mariner|azure linux|gentoo|arch linux|chainguard)\b/i;

export function classifyIssuer(s: Pick<VexStatement, 'issuer' | 'raw'>): VexIssuerClass {
  if (s.raw.source === 'triage') return 'internal';
  const role = (s.issuer.role ?? '').toLowerCase();
  if (/distro|distribution|distributor|packager/.test(role)) return 'distro';
  if (/vendor|supplier|manufacturer|project|maintainer|upstream/.test(role)) {
    return DISTRO_NAMES.test(s.issuer.name) && !/vendor/.test(role) ? 'distro' : 'vendor';
  }
  if (DISTRO_NAMES.test(s.issuer.name)) return 'distro';
  return 'community';
}

function checkLevel(tier: number | undefined, weight: number | undefined): void {
  if (tier !== undefined && (!Number.isInteger(tier) || tier < 0 || tier > 100)) {
    throw new VexError('invalid-argument', `tier: expected an integer from 0 to 100, got ${tier}`, { details: { path: 'tier', expected: 'an integer 0..100' } });
  }
  if (weight !== undefined && (!Number.isFinite(weight) || weight < 0 || weight > 1)) {
    throw new VexError('invalid-argument', `weight: expected a number from 0 to 1, got ${weight}`, { details: { path: 'weight', expected: 'a number 0..1' } });
  }
}

export function isIssuerClass(s: string): s is VexIssuerClass {
  return (VEX_ISSUER_CLASSES as readonly string[]).includes(s);
}

export function readTrustSettings(store: Store): TrustSettings {
  const classes = Object.fromEntries(VEX_ISSUER_CLASSES.map((c) => [c, { ...DEFAULT_CLASS_TRUST[c] }])) as Record<VexIssuerClass, TrustLevel>;
  const issuers: IssuerTrustSetting[] = [];
  for (const r of store.db.prepare('SELECT subject, class, tier, weight FROM vex_trust ORDER BY subject').all() as { subject: string; class: string | null; tier: number | null; weight: number | null }[]) {
    if (r.subject.startsWith('class:')) {
      const c = r.subject.slice(6);
      if (!isIssuerClass(c)) continue;
      if (r.tier !== null) classes[c].tier = r.tier;
      if (r.weight !== null) classes[c].weight = r.weight;
    } else if (r.subject.startsWith('issuer:')) {
      issuers.push({
        issuer: r.subject.slice(7),
        ...(r.class !== null && isIssuerClass(r.class) ? { class: r.class } : {}),
        ...(r.tier !== null ? { tier: r.tier } : {}),
        ...(r.weight !== null ? { weight: r.weight } : {}),
      });
    }
  }
  return { classes, issuers };
}

/** Set (or with everything undefined, reset) the trust of one class or one issuer. */
export function writeTrustSetting(store: Store, target: { issuerClass: VexIssuerClass } | { issuer: string; issuerClass?: VexIssuerClass }, level: Partial<TrustLevel>, updatedAt: string): TrustSettings {
  checkLevel(level.tier, level.weight);
  const subject = 'issuer' in target ? `issuer:${issuerKey(target.issuer)}` : `class:${target.issuerClass}`;
  if ('issuer' in target && !issuerKey(target.issuer)) throw new VexError('invalid-argument', 'issuer: expected a non-empty issuer name', { details: { path: 'issuer' } });
  const cls = 'issuer' in target ? (target.issuerClass ?? null) : null;
  store.write(() => {
    if (cls === null && level.tier === undefined && level.weight === undefined) store.db.prepare('DELETE FROM vex_trust WHERE subject = ?').run(subject);
    else {
      store.db
        .prepare('INSERT INTO vex_trust (subject, class, tier, weight, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(subject) DO UPDATE SET class = excluded.class, tier = excluded.tier, weight = excluded.weight, updated_at = excluded.updated_at')
        .run(subject, cls, level.tier ?? null, level.weight ?? null, updatedAt);
    }
  });
  return readTrustSettings(store);
}

/** A resolver from statement to effective trust for one set of settings. */
export function trustResolver(settings: TrustSettings): (s: Pick<VexStatement, 'issuer' | 'raw'>) => EffectiveTrust {
  const byIssuer = new Map(settings.issuers.map((i) => [i.issuer, i]));
  return (s) => {
    const o = byIssuer.get(issuerKey(s.issuer.name));
    // The workstation's own statements are always internal: an issuer setting cannot re-class them.
    const issuerClass = s.raw.source === 'triage' ? 'internal' : (o?.class ?? classifyIssuer(s));
    const base = settings.classes[issuerClass];
    return { issuerClass, tier: o?.tier ?? base.tier, weight: o?.weight ?? base.weight };
  };
}
