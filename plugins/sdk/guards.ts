/**
 * Type guards shared by the whole code base. The SDK stands alone (plug-ins import only plugins/sdk), and
 * engine/core re-exports these, so there is one definition for plug-ins and engine alike.
 */

/** A plain JSON-style object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
