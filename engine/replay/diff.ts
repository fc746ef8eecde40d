/**
 * The first place two JSON documents differ, as an RFC 6901 JSON pointer. "First" follows the
 * canonical (RFC 8785) order — object members by UTF-16 code units, array items by index — so the
 * answer is the same whatever order the documents were built in, and names the earliest difference a
 * reader of the canonical bytes would meet.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, token: string | number): string {
  return `${base}/${pointerToken(token)}`;
}

/** The value at `pointer` (undefined when the path does not exist). */
export function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      cur = cur[Number(token)];
    } else if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, token)) {
      cur = (cur as Record<string, unknown>)[token];
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function kindOf(v: unknown): 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'absent' {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : (typeof v as 'string' | 'number' | 'boolean');
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The JSON pointer of the first difference between `a` and `b`, or null when they are equal as JSON
 * (members whose value is `undefined` count as absent, as JSON.stringify drops them).
 */
export function firstDifference(a: unknown, b: unknown, at = ''): string | null {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return at;
  switch (ka) {
    case 'absent':
    case 'null':
      return null;
    case 'string':
    case 'boolean':
      return a === b ? null : at;
    case 'number':
      return Object.is(a, b) || a === b ? null : at;
    case 'array': {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const d = firstDifference(xa[i], xb[i], joinPointer(at, i));
        if (d !== null) return d;
      }
      return xa.length === xb.length ? null : joinPointer(at, n);
    }
    case 'object': {
      const oa = a as Record<string, unknown>;
      const ob = b as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort(byCodeUnits);
      for (const k of keys) {
        const d = firstDifference(oa[k], ob[k], joinPointer(at, k));
        if (d !== null) return d;
      }
      return null;
    }
  }
}
