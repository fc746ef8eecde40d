/**
 * Hackage (Haskell PVP): Cabal's `Version` — a non-empty dot list of natural numbers compared as lists
 * (so 1.0 < 1.0.0). As Cabal's parser: no leading zeros ("0" itself is fine), at most 9 digits per part;
 * deprecated `-tag` suffixes are accepted and ignored.
 */
import { compareDigits, Invalid, type CompareResult, type VersionScheme } from './scheme';

const PATTERN = /^(?:0|[1-9]\d{0,8})(?:\.(?:0|[1-9]\d{0,8}))*(?:-[0-9A-Za-z]+)*$/;

export function parseHackage(v: string): string[] | Invalid {
  if (!PATTERN.test(v)) return new Invalid('not a PVP version (dot-separated numbers, no leading zeros, at most 9 digits each)');
  const dash = v.indexOf('-');
  return (dash < 0 ? v : v.slice(0, dash)).split('.');
}

export const hackageScheme: VersionScheme<string[]> = {
  id: 'pvp',
  rule: 'PVP / Cabal version: N(.N)*',
  parse: parseHackage,
  compare(a, b): CompareResult {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareDigits(a[i] as string, b[i] as string);
      if (c !== 0) return c;
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  },
};
