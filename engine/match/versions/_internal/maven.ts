/**
 * Maven: org.apache.maven.artifact.versioning.ComparableVersion as shipped in maven-artifact 3.8.7 (the
 * reference tool). Items: integers (int / long / big, by digit count), string qualifiers and sub-lists
 * (opened by `-` and by every digit/letter transition); trailing null items (0, "", "ga", "final",
 * "release", empty lists) are removed. Known qualifiers order alpha < beta < milestone < rc < snapshot <
 * "" (release) < sp; unknown qualifiers sort after all of them, case-insensitively in lexical order.
 * Maven accepts any string. See README.md for how Maven 3.9's changes differ.
 */
import { compareDigits, compareStrings, type CompareResult, type VersionScheme } from './scheme';

const INT = 3;
const LONG = 4;
const BIG = 0;
const STR = 1;
const LIST = 2;

type Item = NumItem | StrItem | ListItem;

interface NumItem {
  kind: typeof INT | typeof LONG | typeof BIG;
  /** Digits without leading zeros ("0" for zero). */
  digits: string;
}
interface StrItem {
  kind: typeof STR;
  /** comparableQualifier(value): "0".."6" for known qualifiers, "7-<value>" for the rest. */
  key: string;
}
interface ListItem {
  kind: typeof LIST;
  items: Item[];
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_KEY = String(QUALIFIERS.indexOf(''));

function qualifierKey(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function strItem(value: string, followedByDigit: boolean): StrItem {
  let v = value;
  if (followedByDigit && v.length === 1) {
    if (v === 'a') v = 'alpha';
    else if (v === 'b') v = 'beta';
    else if (v === 'm') v = 'milestone';
  }
  v = Object.prototype.hasOwnProperty.call(ALIASES, v) ? (ALIASES[v] as string) : v;
  return { kind: STR, key: qualifierKey(v) };
}

function numItem(buf: string): NumItem {
  let i = 0;
  while (i < buf.length - 1 && buf.charCodeAt(i) === 48) i++;
  const digits = buf.slice(i);
  return { kind: digits.length <= 9 ? INT : digits.length <= 18 ? LONG : BIG, digits };
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? numItem(buf) : strItem(buf, false);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case INT:
    case LONG:
    case BIG:
      return item.digits === '0';
    case STR:
      return item.key === RELEASE_KEY;
    case LIST:
      return item.items.length === 0;
  }
}

function normalize(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const last = items[i] as Item;
    if (isNull(last)) items.splice(i, 1);
    else if (last.kind !== LIST) break;
  }
}

/** Java's Character.isDigit for the characters that matter here (ASCII and other Unicode Nd digits). */
function isDigitChar(c: string): boolean {
  return /\p{Nd}/u.test(c);
}

export function parseMaven(version: string): ListItem {
  const root: ListItem = { kind: LIST, items: [] };
  const v = version.toLowerCase();
  let list = root;
  const stack: ListItem[] = [root];
  let isDigit = false;
  let start = 0;
  const open = (): void => {
    const next: ListItem = { kind: LIST, items: [] };
    list.items.push(next);
    list = next;
    stack.push(next);
  };
  for (let i = 0; i < v.length; i++) {
    const c = v[i] as string;
    if (c === '.') {
      list.items.push(i === start ? numItem('0') : parseItem(isDigit, v.slice(start, i)));
      start = i + 1;
    } else if (c === '-') {
      list.items.push(i === start ? numItem('0') : parseItem(isDigit, v.slice(start, i)));
      start = i + 1;
      open();
    } else if ((c >= '0' && c <= '9') || (c > '\x7f' && isDigitChar(c))) {
      if (!isDigit && i > start) {
        // 3.8.7 (MNG-7644 backport): ".X1" is treated as "-X1" — a qualifier after items opens a sub-list.
        if (list.items.length > 0) open();
        list.items.push(strItem(v.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, v.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (v.length > start) {
    if (!isDigit && list.items.length > 0) open();
    list.items.push(parseItem(isDigit, v.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop() as ListItem);
  return root;
}

function compareItem(a: Item, b: Item | null): CompareResult {
  switch (a.kind) {
    case INT:
    case LONG:
    case BIG:
      if (b === null) return a.digits === '0' ? 0 : 1;
      if (b.kind === STR || b.kind === LIST) return 1;
      if (a.kind !== b.kind) {
        // int < long < big (the kind is fixed by the digit count)
        const rank = (k: number): number => (k === INT ? 0 : k === LONG ? 1 : 2);
        return rank(a.kind) < rank(b.kind) ? -1 : 1;
      }
      return compareDigits(a.digits, b.digits);
    case STR:
      if (b === null) return compareStrings(a.key, RELEASE_KEY);
      if (b.kind === STR) return compareStrings(a.key, b.key);
      return -1;
    case LIST:
      if (b === null) {
        // The whole list against "nothing", not just its first item (MNG-6964, in 3.8.x).
        for (const item of a.items) {
          const r = compareItem(item, null);
          if (r !== 0) return r;
        }
        return 0;
      }
      if (b.kind === STR) return 1;
      if (b.kind !== LIST) return -1;
      return compareLists(a, b);
  }
}

function compareLists(a: ListItem, b: ListItem): CompareResult {
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i];
    const r = b.items[i];
    let result: CompareResult;
    if (l === undefined) result = r === undefined ? 0 : (-compareItem(r, null) as CompareResult);
    else result = compareItem(l, r ?? null);
    if (result !== 0) return result;
  }
  return 0;
}

export const mavenScheme: VersionScheme<ListItem> = {
  id: 'maven',
  rule: 'Maven ComparableVersion (any string is accepted)',
  parse: parseMaven,
  compare: compareLists,
};
