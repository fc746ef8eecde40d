/**
 * XML for Maven and Gradle files through the SDK's one safe reader (`plugins/sdk/xml`: entity-free, DTDs
 * refused, depth capped). Nothing here throws: a refusal is returned as a located message.
 */
import { readXml } from '../../sdk/xml';

export { childArray, childObject, nodeLines, textOf, type XmlNode } from '../../sdk/xml';

export const MAX_XML_DEPTH = 64;

export type XmlParse = { ok: true; doc: Record<string, unknown> } | { ok: false; line?: number; message: string };

/**
 * Parse `text` as XML. `arrays` lists the element paths (`project.dependencies.dependency`) that are
 * always arrays, so one element and many look the same.
 */
export function parseXml(text: string, arrays: ReadonlySet<string>): XmlParse {
  const r = readXml(text, { isArray: (_name, jpath) => arrays.has(jpath), maxDepth: MAX_XML_DEPTH, withLines: true });
  if (r.ok) return r;
  return { ok: false, ...(r.problem.line !== undefined ? { line: r.problem.line } : {}), message: r.problem.message };
}
