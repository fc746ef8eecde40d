/**
 * Gradle dependency locking (`gradle.lockfile`, and the per-configuration
 * `gradle/dependency-locks/<configuration>.lockfile` of Gradle 4.8-6) and dependency verification
 * metadata (`gradle/verification-metadata.xml`). Both are declared: they list what a build resolves.
 */
import type { AnalyzerResult, PackageRecord } from '../../sdk';
import { makeRecord, uniqueIds } from './coords';
import { childArray, childObject, nodeLines, parseXml, type XmlNode } from './xml';

const COORD = /^([^\s:=,]+):([^\s:=,]+):([^\s:=,]+)$/;
const CONFIGURATION = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A configuration used only by tests: its dependencies do not ship. */
function isTestConfiguration(c: string): boolean {
  return /^test/.test(c) || /Test[A-Z]/.test(c) || /Test$/.test(c);
}

function configurationList(s: string): string[] | undefined {
  if (s === '') return [];
  const list = s.split(',');
  return list.every((c) => CONFIGURATION.test(c)) ? list : undefined;
}

export function parseGradleLockfile(path: string, text: string, result: AnalyzerResult): void {
  const base = path.slice(path.lastIndexOf('/') + 1);
  // Gradle < 7 kept one file per configuration, named after it, with bare coordinates.
  const fileConfiguration = base !== 'gradle.lockfile' ? base.replace(/\.lockfile$/, '') : undefined;
  const records: PackageRecord[] = [];
  const lines = text.split(/\r?\n/);
  let recognised = 0;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    const eq = s.indexOf('=');
    const left = eq >= 0 ? s.slice(0, eq) : s;
    const right = eq >= 0 ? s.slice(eq + 1) : undefined;
    if (left === 'empty') {
      if (right === undefined || configurationList(right) === undefined) {
        result.issues.push({ path, line, severity: 'warning', message: `malformed "empty=" line ${JSON.stringify(s.slice(0, 80))}: expected "empty=" followed by comma-separated configuration names; skipped` });
      } else recognised++;
      return;
    }
    const m = COORD.exec(left);
    const configurations = right === undefined ? (fileConfiguration ? [fileConfiguration] : []) : configurationList(right);
    if (!m || configurations === undefined) {
      result.issues.push({ path, line, severity: 'warning', message: `malformed lockfile line ${JSON.stringify(s.slice(0, 80))}: expected "group:artifact:version=configuration,..."; skipped` });
      return;
    }
    recognised++;
    const [, groupId = '', artifactId = '', version = ''] = m;
    const testOnly = configurations.length > 0 && configurations.every(isTestConfiguration);
    records.push(
      makeRecord(path, { groupId, artifactId, version }, {
        declared: true,
        ...(testOnly ? { scope: 'optional' as const } : {}),
        properties: configurations.length ? { configurations: configurations.join(',') } : {},
      }),
    );
  });
  if (!recognised && lines.some((l) => l.trim() !== '' && !l.trim().startsWith('#'))) {
    result.issues.push({ path, severity: 'error', message: 'not a Gradle lockfile: no line has the form "group:artifact:version=configurations" or "empty=..."' });
  }
  uniqueIds(records);
  result.packages.push(...records);
}

const VERIFICATION_ARRAYS = new Set(['verification-metadata.components.component', 'verification-metadata.components.component.artifact']);
const HASH_ELEMENTS: [string, NonNullable<PackageRecord['hashes']>[number]['alg']][] = [
  ['sha512', 'SHA-512'],
  ['sha256', 'SHA-256'],
  ['sha1', 'SHA-1'],
  ['md5', 'MD5'],
];

export function parseGradleVerification(path: string, text: string, result: AnalyzerResult): void {
  const parsed = parseXml(text, VERIFICATION_ARRAYS);
  if (!parsed.ok) {
    result.issues.push({ path, severity: 'error', ...(parsed.line ? { line: parsed.line } : {}), message: `not a Gradle verification-metadata.xml: ${parsed.message}; expected a <verification-metadata> XML document` });
    return;
  }
  const root = parsed.doc['verification-metadata'];
  const meta = childObject(root) ?? (root === '' ? {} : undefined);
  if (!meta) {
    result.issues.push({ path, severity: 'error', line: 1, message: 'not a Gradle verification-metadata.xml: expected a <verification-metadata> root element' });
    return;
  }
  const records: PackageRecord[] = [];
  const lineOf = nodeLines(text);
  childArray(childObject(meta.components)?.component).forEach((c, i) => {
    const o = childObject(c);
    const line = lineOf(o);
    const attr = (k: string): string | undefined => {
      const v = o?.[`@_${k}`];
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    };
    const groupId = attr('group');
    const artifactId = attr('name');
    const version = attr('version');
    if (!groupId || !artifactId || !version) {
      result.issues.push({ path, severity: 'warning', ...(line ? { line } : {}), message: `<component> #${i + 1} lacks a group, name or version attribute; expected all three; skipped` });
      return;
    }
    // The checksums of the main artifact (the jar, or an Android aar) identify the binary that was verified.
    const hashes: NonNullable<PackageRecord['hashes']> = [];
    const main = childArray(o?.artifact)
      .map(childObject)
      .find((a): a is XmlNode => !!a && [`${artifactId}-${version}.jar`, `${artifactId}-${version}.aar`].includes(String(a['@_name'])));
    if (main) {
      for (const [el, alg] of HASH_ELEMENTS) {
        const value = childObject(main[el])?.['@_value'];
        if (typeof value === 'string' && /^[0-9a-fA-F]+$/.test(value)) hashes.push({ alg, content: value.toLowerCase() });
      }
    }
    records.push(makeRecord(path, { groupId, artifactId, version }, { declared: true, hashes }));
  });
  uniqueIds(records);
  result.packages.push(...records);
}
