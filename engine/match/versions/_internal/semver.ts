/**
 * SemVer 2.0 family through node-semver (npm's own library; also the reference tool for crates.io, Go and
 * Hex): strict parse, build metadata ignored when ordering.
 *  - npm, crates.io: node-semver `parse` (a leading `v` and surrounding whitespace are tolerated, as npm does).
 *  - Go: optional `v` prefix (OSV records Go versions without it); Go's shorthands `v1`, `v1.2` mean
 *    v1.0.0 / v1.2.0 (golang.org/x/mod/semver); `+incompatible` is build metadata; pseudo-versions are
 *    ordinary pre-releases and order correctly.
 *  - Hex: Elixir's `Version.parse` — strict SemVer 2.0, no `v` prefix, no surrounding whitespace.
 */
import { SemVer } from 'semver';
import { Invalid, type CompareResult, type VersionScheme } from './scheme';

function parseStrict(v: string): SemVer | Invalid {
  try {
    return new SemVer(v);
  } catch {
    return new Invalid('not a valid SemVer 2.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], no leading zeros)');
  }
}

function compare(a: SemVer, b: SemVer): CompareResult {
  return a.compare(b);
}

export const npmScheme: VersionScheme<SemVer> = {
  id: 'semver',
  rule: 'SemVer 2.0 (node-semver strict)',
  parse: parseStrict,
  compare,
};

const GO_SHORT = /^v?(\d+)(?:\.(\d+))?$/;

export const goScheme: VersionScheme<SemVer> = {
  id: 'go-semver',
  rule: 'Go module version: [v]MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] (SemVer 2.0; v1 and v1.2 shorthands)',
  parse(v) {
    const short = GO_SHORT.exec(v);
    if (short && short[1] !== undefined && !/^0\d/.test(short[1]) && !(short[2] !== undefined && /^0\d/.test(short[2]))) {
      return parseStrict(`${short[1]}.${short[2] ?? '0'}.0`);
    }
    return parseStrict(v);
  },
  compare,
};

export const hexScheme: VersionScheme<SemVer> = {
  id: 'hex-semver',
  rule: 'Elixir Version: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] (SemVer 2.0, no "v" prefix)',
  parse(v) {
    if (!/^\d/.test(v) || /\s$/.test(v)) return new Invalid('not a valid Elixir/SemVer 2.0 version (MAJOR.MINOR.PATCH[-PRE][+BUILD])');
    return parseStrict(v);
  },
  compare,
};
