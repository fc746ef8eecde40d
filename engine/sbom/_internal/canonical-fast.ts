/**
 * RFC 8785 canonical JSON for plain JSON data (what JSON.parse produces and what normalizers build),
 * several times faster than the generic `canonicalize` for large inventories: keys sorted by UTF-16 code
 * units (Array.prototype.sort's default order), numbers and strings serialized by JSON.stringify (ES
 * Number-to-String and JSON string escaping, as RFC 8785 prescribes), `undefined` members omitted.
 * Property tests compare it with engine/core's canonicalJson.
 */
export function fastCanonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`non-finite number ${v} cannot be canonicalized`);
    return JSON.stringify(v) ?? 'null';
  }
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i) out += ',';
      const x: unknown = v[i];
      out += x === undefined || typeof x === 'function' ? 'null' : fastCanonicalJson(x);
    }
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = o[k];
    if (x === undefined || typeof x === 'function') continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${fastCanonicalJson(x)}`;
  }
  return `${out}}`;
}
