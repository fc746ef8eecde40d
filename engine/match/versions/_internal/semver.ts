/**
 * The SemVer 2.0 family — npm, crates.io, Go, Hex — ordered as OSV orders them (`semver-like.ts`): the
 * reference tools (node-semver for npm and crates.io, x/mod/semver for Go, Elixir's `Version`) agree with
 * it on every version they accept, and OSV additionally orders what real SBOMs carry and they refuse:
 *  - a leading `v` (Hex, and npm/crates.io already tolerate it; Go versions are written with or without it),
 *  - numeric parts of any size (node-semver stops at 2^53),
 *  - fewer components (`v1`, `1.2` = `1.0.0`, `1.2.0`, Go's shorthands) and extra ones (`1.1.3.4.5`: OSV
 *    appends them to the pre-release part, so `1.1.3.4` sorts *before* `1.1.3` — osv.dev's answer),
 *  - leading zeros (`01.2.3` = `1.2.3`).
 * `+build` is ignored; `+incompatible` (Go) is build metadata; pseudo-versions are ordinary pre-releases.
 * npm and crates.io trim surrounding whitespace first, as node-semver does.
 */
import { Invalid, type VersionScheme } from './scheme';
import { compareSemverLike, isLenientSemver, parseSemverLike, type SemverLike } from './semver-like';

const RULE_TAIL = '[v]MAJOR[.MINOR[.PATCH[.…]]][-PRERELEASE][+BUILD] (SemVer 2.0 as OSV orders it)';

function semverScheme(id: string, ecosystemTool: string, trim: boolean): VersionScheme<SemverLike> {
  return {
    id,
    rule: `${ecosystemTool}: ${RULE_TAIL}`,
    parse(v) {
      const s = trim ? v.trim() : v;
      if (!isLenientSemver(s)) return new Invalid('not a SemVer-like version (digits separated by dots, then optional -prerelease and +build identifiers)');
      return parseSemverLike(s, 3);
    },
    compare: (a, b) => compareSemverLike(a, b, 'semver'),
  };
}

export const npmScheme = semverScheme('semver', 'SemVer', true);
export const goScheme = semverScheme('go-semver', 'Go module version', false);
export const hexScheme = semverScheme('hex-semver', 'Elixir Version', false);
