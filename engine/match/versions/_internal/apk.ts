/**
 * Alpine (and the other apk-based distributions: Wolfi, Chainguard, MinimOS): apk-tools' version ordering, after
 * src/version.c of current apk-tools (2.14 / 3.x): `digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}`.
 *  - the first number and -rN / _sufN numbers compare numerically; a later dotted number compares as a
 *    string when either side has a leading zero (Gentoo rule: 1.01 < 1.1, 1.2.07 < 1.2.12);
 *  - suffixes: _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p;
 *  - when one version runs out first it is greater, unless the other continues with a pre-release suffix;
 *    the token kinds rank digit < letter < suffix < suffix number < ~hash < -rN < end.
 * Validity is apk_version_validate: the whole string must tokenize.
 */
import { compareDigits, compareStrings, Invalid, isDigitCode, type CompareResult, type VersionScheme } from './scheme';

const INITIAL_DIGIT = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const COMMIT_HASH = 5;
const REVISION_NO = 6;
const END = 7;
const INVALID = 8;

// suffix order (apk's DECLARE_SUFFIXES): INVALID=0, ALPHA..RC = 1..4, NONE = 5, CVS..P = 6..10
const SUFFIXES: Record<string, number> = { alpha: 1, beta: 2, pre: 3, rc: 4, cvs: 6, svn: 7, git: 8, hg: 9, p: 10 };
const SUFFIX_NONE = 5;

export interface ApkToken {
  type: number;
  /** The token's text (digits, letter, suffix name, hash). */
  value: string;
  /** The suffix rank for SUFFIX tokens. */
  suffix: number;
}

const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isHex = (c: number): boolean => isDigitCode(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

function token(type: number, value: string, suffix = 0): ApkToken {
  return { type, value, suffix };
}

/** End of the run of characters from `pos` that satisfy `pred`. */
function spanEnd(v: string, pos: number, pred: (c: number) => boolean): number {
  let end = pos;
  while (end < v.length && pred(v.charCodeAt(end))) end++;
  return end;
}

/** Tokenize; the last token is END for a valid version, INVALID otherwise. */
export function tokenizeApk(v: string): ApkToken[] {
  const tokens: ApkToken[] = [];
  let pos = spanEnd(v, 0, isDigitCode);
  tokens.push(token(pos === 0 ? INVALID : INITIAL_DIGIT, v.slice(0, pos)));
  let t = (tokens[0] as ApkToken).type;
  while (t < END) {
    let next: ApkToken;
    if (pos >= v.length) {
      next = token(END, '');
    } else {
      const c = v.charCodeAt(pos);
      if (isLower(c)) {
        next = t > DIGIT ? token(INVALID, '') : token(LETTER, v[pos++] as string);
      } else if (c === 46 || isDigitCode(c)) {
        const numberType = t === INITIAL_DIGIT || t === DIGIT ? DIGIT : t === SUFFIX && c !== 46 ? SUFFIX_NO : INVALID;
        if (numberType === INVALID || (c === 46 && t > DIGIT)) {
          next = token(INVALID, '');
        } else {
          if (c === 46) pos++;
          const end = spanEnd(v, pos, isDigitCode);
          next = token(end === pos ? INVALID : numberType, v.slice(pos, end));
          pos = end;
        }
      } else if (c === 95) {
        const end = spanEnd(v, pos + 1, isLower);
        const name = v.slice(pos + 1, end);
        const suffix = t > SUFFIX_NO || !Object.prototype.hasOwnProperty.call(SUFFIXES, name) ? 0 : (SUFFIXES[name] as number);
        next = suffix === 0 ? token(INVALID, '') : token(SUFFIX, name, suffix);
        pos = end;
      } else if (c === 126) {
        const end = spanEnd(v, pos + 1, isHex);
        next = t >= COMMIT_HASH || end === pos + 1 ? token(INVALID, '') : token(COMMIT_HASH, v.slice(pos + 1, end));
        pos = end;
      } else if (c === 45 && t < REVISION_NO && v.charCodeAt(pos + 1) === 114) {
        const end = spanEnd(v, pos + 2, isDigitCode);
        next = token(end === pos + 2 ? INVALID : REVISION_NO, v.slice(pos + 2, end));
        pos = end;
      } else {
        next = token(INVALID, '');
      }
    }
    tokens.push(next);
    t = next.type;
  }
  return tokens;
}

function tokenCompare(a: ApkToken, b: ApkToken): CompareResult {
  switch (a.type) {
    case DIGIT:
      if (a.value.charCodeAt(0) === 48 || b.value.charCodeAt(0) === 48) return compareStrings(a.value, b.value);
      return compareDigits(a.value, b.value);
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      return compareDigits(a.value, b.value);
    case LETTER:
      return compareStrings(a.value, b.value);
    case SUFFIX:
      return a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0;
    default:
      return compareStrings(a.value, b.value);
  }
}

/** apk_version_compare (not fuzzy) on tokenized versions. */
export function compareApkTokens(a: readonly ApkToken[], b: readonly ApkToken[]): CompareResult {
  let i = 0;
  let ta = a[0] as ApkToken;
  let tb = b[0] as ApkToken;
  while (ta.type === tb.type && ta.type < END) {
    const r = tokenCompare(ta, tb);
    if (r !== 0) return r;
    i++;
    ta = a[i] as ApkToken;
    tb = b[i] as ApkToken;
  }
  if (ta.type === tb.type) return 0;
  if (ta.type === SUFFIX && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.type === SUFFIX && tb.suffix < SUFFIX_NONE) return 1;
  if (ta.type > tb.type) return -1;
  if (tb.type > ta.type) return 1;
  return 0;
}

export function isValidApk(v: string): boolean {
  const tokens = tokenizeApk(v);
  return (tokens[tokens.length - 1] as ApkToken).type === END;
}

export const apkScheme: VersionScheme<ApkToken[]> = {
  id: 'apk',
  rule: 'apk version: N{.N}[letter]{_suffix[N]}[~hash][-rN], suffixes alpha|beta|pre|rc|cvs|svn|git|hg|p',
  parse(v) {
    const tokens = tokenizeApk(v);
    return (tokens[tokens.length - 1] as ApkToken).type === END ? tokens : new Invalid('not a valid apk version');
  },
  compare: compareApkTokens,
};
