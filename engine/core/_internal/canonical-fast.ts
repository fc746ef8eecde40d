/**
 * The fast path behind `canonicalJson` (engine/core/canonical.ts) for plain JSON data — what JSON.parse
 * produces and what normalizers build — several times faster than the generic implementation on large
 * inventories: keys sorted by UTF-16 code units (Array.prototype.sort's default order), numbers and
 * strings serialized by JSON.stringify (ES Number-to-String and JSON string escaping, exactly what RFC
 * 8785 prescribes), `undefined` members omitted and `undefined` array items written as null.
 *
 * Anything that is not plain data (an object with `toJSON`) makes it give up with `NOT_PLAIN`, and the
 * entry point uses the generic implementation instead; values JSON cannot hold at all (non-finite numbers,
 * functions, symbols, bigints) throw. canonical.test.ts checks it byte for byte against the generic one.
 */
export const NOT_PLAIN: unique symbol = Symbol('not plain JSON data');

export class NotCanonicalizable extends Error {}

export function fastCanonicalJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new NotCanonicalizable(`non-finite number ${v}`);
      return JSON.stringify(v);
    case 'object':
      break;
    default:
      throw new NotCanonicalizable(`a ${typeof v} is not JSON data`);
  }
  if (v === null) return 'null';
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i) out += ',';
      const x: unknown = v[i];
      out += x === undefined ? 'null' : fastCanonicalJson(x);
    }
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = o[k];
    if (x === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${fastCanonicalJson(x)}`;
  }
  return `${out}}`;
}
