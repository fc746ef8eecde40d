/**
 * `java.util.Properties` text syntax (for `pom.properties`), the JAR manifest (`META-INF/MANIFEST.MF`)
 * and coordinate extraction from both. Neither parser throws.
 */
import type { AnalyzerResult, PackageRecord } from '../../sdk';
import { makeRecord, type Coordinates } from './coords';

export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based line where the logical line starts. */
  line: number;
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
  });
}

/**
 * Parse `.properties` text as `java.util.Properties.load` does: `#`/`!` comments, `\` line
 * continuations, key ending at the first unescaped `=`, `:` or whitespace, escapes decoded. Values
 * are trimmed (Maven writes none with trailing spaces; a stray one must not change a version).
 */
export function parseProperties(text: string): PropertyEntry[] {
  const entries: PropertyEntry[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = (lines[i] ?? '').replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    // An odd number of trailing backslashes continues the line.
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      i++;
      logical = logical.slice(0, -1) + (lines[i] ?? '').replace(/^[ \t\f]+/, '');
    }
    if (/(^|[^\\])(\\\\)*\\$/.test(logical)) logical = logical.slice(0, -1);
    let k = 0;
    while (k < logical.length) {
      const ch = logical[k];
      if (ch === '\\') k += 2;
      else if (ch === '=' || ch === ':' || ch === ' ' || ch === '\t' || ch === '\f') break;
      else k++;
    }
    const key = logical.slice(0, Math.min(k, logical.length));
    let rest = logical.slice(k).replace(/^[ \t\f]+/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1);
    entries.push({ key: unescape(key), value: unescape(rest.replace(/^[ \t\f]+/, '')).trim(), line: startLine });
  }
  return entries;
}

export interface PomProperties {
  coords?: Coordinates;
  /** What is wrong, when coordinates are incomplete. */
  problem?: string;
  line?: number;
  extra: Record<string, string>;
}

/** Coordinates from `pom.properties` (`groupId`, `artifactId`, `version`); other keys kept as `pom.<key>`. */
export function readPomProperties(text: string): PomProperties {
  const entries = parseProperties(text);
  const get = (k: string): PropertyEntry | undefined => entries.find((e) => e.key === k);
  const extra: Record<string, string> = {};
  for (const e of entries) if (!['groupId', 'artifactId', 'version'].includes(e.key) && e.key) extra[`pom.${e.key}`] = e.value;
  const g = get('groupId')?.value;
  const a = get('artifactId')?.value;
  const v = get('version')?.value;
  if (!a) {
    return { problem: `no artifactId${g ? '' : ' or groupId'}; expected groupId, artifactId and version keys`, ...(entries[0] ? { line: entries[0].line } : {}), extra };
  }
  return { coords: { ...(g ? { groupId: g } : {}), artifactId: a, ...(v ? { version: v } : {}) }, ...(!v || !g ? { problem: `no ${!g ? 'groupId' : 'version'}; expected groupId, artifactId and version keys` } : {}), extra };
}

/** A loose `META-INF/maven/<group>/<artifact>/pom.properties` (an exploded jar): the package is installed. */
export function parsePomPropertiesFile(path: string, text: string, result: AnalyzerResult, extras: { moreLocations?: string[]; properties?: Record<string, string> } = {}): PackageRecord | undefined {
  const p = readPomProperties(text);
  if (!p.coords) {
    result.issues.push({ path, severity: 'error', ...(p.line ? { line: p.line } : {}), message: `not a Maven pom.properties${extras.moreLocations?.length ? ` (${extras.moreLocations[extras.moreLocations.length - 1]})` : ''}: ${p.problem ?? 'no coordinates'}` });
    return undefined;
  }
  if (p.problem) result.issues.push({ path, severity: 'info', message: `pom.properties${extras.moreLocations?.length ? ` (${extras.moreLocations[extras.moreLocations.length - 1]})` : ''} has ${p.problem}; reported with what it has` });
  const rec = makeRecord(path, p.coords, { properties: { ...p.extra, ...extras.properties }, ...(extras.moreLocations ? { moreLocations: extras.moreLocations } : {}) });
  result.packages.push(rec);
  return rec;
}

/** Main-section attributes of a JAR manifest (names lower-cased). Continuation lines start with one space. */
export function parseManifest(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (attrs.size) break; // end of the main section
      continue;
    }
    if (line.startsWith(' ')) {
      if (last !== undefined) attrs.set(last, (attrs.get(last) ?? '') + line.slice(1));
      continue;
    }
    const c = line.indexOf(':');
    if (c <= 0) {
      last = undefined;
      continue;
    }
    last = line.slice(0, c).trim().toLowerCase();
    if (!attrs.has(last)) attrs.set(last, line.slice(c + 1).replace(/^ /, ''));
    else last = undefined; // first wins; ignore continuations of a duplicate
  }
  for (const [k, v] of attrs) attrs.set(k, v.trim());
  return attrs;
}
