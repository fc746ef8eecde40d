/**
 * RubyGems: Gem::Version (rubygems 3.3). Valid when it matches ANCHORED_VERSION_PATTERN
 * (`\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z`); `-` means `.pre.`;
 * segments are digit runs (numbers) and letter runs (strings); trailing zeros of the release part and of
 * the pre-release part are dropped; a string segment sorts before any number. Numbers are compared
 * exactly (Ruby integers are unbounded).
 */
import { compareDigits, compareStrings, Invalid, type VersionScheme } from './scheme';

export interface GemVersion {
  text: string;
  /** canonical_segments: numbers as digit strings without leading zeros, strings as they are. */
  segs: string[];
  isNum: boolean[];
}

const ANCHORED = /^[ \t\r\n\f\v]*([0-9]+(?:\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?[ \t\r\n\f\v]*$/;

export function parseGem(v: string): GemVersion | Invalid {
  if (!ANCHORED.test(v)) return new Invalid('malformed version number string');
  let text = v.replace(/^[\s\0]+|[\s\0]+$/g, '');
  if (text === '') text = '0';
  text = text.replace(/-/g, '.pre.');
  const raw = text.match(/[0-9]+|[a-z]+/gi) ?? [];
  const segs: string[] = [];
  const isNum: boolean[] = [];
  for (const s of raw) {
    const num = s.charCodeAt(0) <= 57;
    segs.push(num ? s.replace(/^0+(?=.)/, '') : s);
    isNum.push(num);
  }
  // canonical_segments: drop trailing zeros of the numeric prefix and of the rest, separately.
  let stringStart = isNum.indexOf(false);
  if (stringStart < 0) stringStart = segs.length;
  const drop = (from: number, to: number): number[] => {
    let end = to;
    while (end > from && isNum[end - 1] && segs[end - 1] === '0') end--;
    const idx: number[] = [];
    for (let i = from; i < end; i++) idx.push(i);
    return idx;
  };
  const keep = [...drop(0, stringStart), ...drop(stringStart, segs.length)];
  return { text, segs: keep.map((i) => segs[i] as string), isNum: keep.map((i) => isNum[i] as boolean) };
}

export const rubygemsScheme: VersionScheme<GemVersion> = {
  id: 'rubygems',
  rule: 'Gem::Version: digits, then dot-separated alphanumerics, optional -prerelease',
  parse: parseGem,
  compare(a, b) {
    if (a.text === b.text) return 0;
    const n = Math.max(a.segs.length, b.segs.length);
    for (let i = 0; i < n; i++) {
      const l = a.segs[i] ?? '0';
      const r = b.segs[i] ?? '0';
      const ln = a.isNum[i] ?? true;
      const rn = b.isNum[i] ?? true;
      if (ln && rn) {
        const c = compareDigits(l, r);
        if (c !== 0) return c;
      } else if (ln !== rn) {
        return ln ? 1 : -1;
      } else {
        const c = compareStrings(l, r);
        if (c !== 0) return c;
      }
    }
    return 0;
  },
};
