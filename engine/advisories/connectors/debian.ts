/**
 * Debian security tracker data.
 *
 * (a) DSA / DLA (/ DTSA) `list` files (`data/DSA/list`, `data/DLA/list` of the tracker repository):
 *       [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *       	{CVE-2023-1393}
 *       	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *       	NOTE: fixed in testing at time of DSA
 *     One observation per entry: advisoryId `DSA-5380-1`, aliases = the ids in `{…}`, published = the
 *     date, one affected entry per `[release] - source-package version` line on ecosystem
 *     `Debian:<release number>` (source package, ECOSYSTEM [introduced 0, fixed version]).
 *     Markers instead of a version: `<not-affected>` / `<removed>` → no affected entry (listed in
 *     databaseSpecific.releases); `<unfixed>`, `<end-of-life>`, `<no-dsa>`, `<ignored>`, `<postponed>`,
 *     `<undetermined>` → affected in every version (introduced 0, no fix) with the marker as status.
 *     The whole list is ONE raw document; parsing is a single pass over the lines.
 *
 * (b) The tracker JSON (`security-tracker.debian.org/tracker/data/json`):
 *       { "<source package>": { "<CVE or TEMP id>": { description, releases: { "<codename>": { status, fixed_version, urgency, repositories } } } } }
 *     One observation per vulnerability id (grouping packages); per release: `resolved` with a
 *     fixed_version → fixed; fixed_version `0` → not affected; `open`/`undetermined` → affected, no fix.
 */
import { DEBIAN_RELEASES, type AffectedPackage } from '../../core';
import { AdvisoryError } from '../errors';
import { dayMonYear, decodeText, firstSignificantByte, invalid, isObject, parseJsonText, Reader, uniq, uniqSorted, type JsonObject } from './_internal/util';
import type { Connector, ObservationDraft, ParsedDocument, RawInput } from './types';

/** Debian release codename → version as used in ecosystem names (`Debian:11`). */
export { DEBIAN_RELEASES };

/** Markers that stand where a fixed version would. */
const NOT_AFFECTED_MARKERS = new Set(['<not-affected>', '<removed>']);
const AFFECTED_NO_FIX_MARKERS = new Set(['<unfixed>', '<end-of-life>', '<no-dsa>', '<ignored>', '<postponed>', '<undetermined>']);

// ------------------------------------------------------------------ (a) DSA/DLA list

const HEADER_RE = /^\[(\d{1,2} [A-Z][a-z]{2} \d{4})\]\s+((?:DSA|DLA|DTSA)-\d+(?:-\d+)?)(?:\s+(.*))?$/;
const RELEASE_RE = /^\s+\[([a-z-]+)\]\s+-\s+(\S+)(?:\s+([^\s(]+))?\s*(?:\((.*)\))?\s*$/;
const IDS_RE = /^\s+\{([^}]*)\}\s*$/;
const NOTE_RE = /^\s+NOTE:\s?(.*)$/;

function isListText(text: string): boolean {
  return HEADER_RE.test(text.slice(0, Math.max(0, text.indexOf('\n'))).replace(/\r$/, ''));
}

function listSource(kind: string): { source: string; format: string } {
  const k = kind.toLowerCase();
  return { source: `debian-${k}`, format: `debian-${k}-list` };
}

function listError(input: RawInput, line: number, expected: string, found: string): AdvisoryError {
  return new AdvisoryError('invalid-document', `${input.uri}: line ${line}: expected ${expected}, found "${found.slice(0, 120)}"`, {
    details: { file: input.uri, line, expected },
  });
}

function parseList(input: RawInput, text: string): ParsedDocument {
  const lines = text.split('\n');
  const observations: ObservationDraft[] = [];
  let cur: ObservationDraft | null = null;
  let curReleases: { release: string; package: string; status: string; version?: string; note?: string }[] = [];
  let curNotes: string[] = [];
  let kind: string | null = null;
  const finish = () => {
    if (!cur) return;
    const ds: Record<string, unknown> = {};
    // Only marker lines (<not-affected>, <unfixed> …): fixed versions are already the affected entries.
    if (curReleases.length) ds.releases = curReleases;
    if (curNotes.length) ds.notes = curNotes;
    if (Object.keys(ds).length) cur.databaseSpecific = ds;
    observations.push(cur);
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNo = i + 1;
    if (line.trim() === '') continue;
    if (line[0] === '[') {
      const m = HEADER_RE.exec(line);
      if (!m) throw listError(input, lineNo, 'an entry header "[DD Mon YYYY] DSA-NNNN-N package - title"', line);
      finish();
      const date = dayMonYear(m[1]!);
      if (!date) throw listError(input, lineNo, 'a date "DD Mon YYYY"', m[1]!);
      const id = m[2]!;
      const k = id.slice(0, id.indexOf('-'));
      if (kind === null) kind = k;
      else if (kind !== k) throw listError(input, lineNo, `a ${kind} entry (one list holds one advisory series)`, id);
      // "package - title" (older entries have only the package): kept whole as the summary.
      const rest = (m[3] ?? '').trim();
      cur = { advisoryId: id, aliases: [], affected: [], severities: [], references: [], published: date };
      if (rest) cur.summary = rest;
      curReleases = [];
      curNotes = [];
      continue;
    }
    if (!cur) throw listError(input, lineNo, 'an entry header "[DD Mon YYYY] DSA-…" first', line);
    let m = IDS_RE.exec(line);
    if (m) {
      cur.aliases = uniq([...cur.aliases, ...m[1]!.trim().split(/\s+/).filter((t) => t !== '' && t !== cur!.advisoryId)]);
      continue;
    }
    m = NOTE_RE.exec(line);
    if (m) {
      curNotes.push(m[1]!);
      continue;
    }
    m = RELEASE_RE.exec(line);
    if (m) {
      const release = m[1]!;
      const pkg = m[2]!;
      const version = m[3];
      const note = m[4]?.trim();
      const num = DEBIAN_RELEASES[release];
      if (!num) throw listError(input, lineNo, `a known Debian release codename (${Object.keys(DEBIAN_RELEASES).join(', ')})`, release);
      const ecosystem = `Debian:${num}`;
      const entry: { release: string; package: string; status: string; version?: string; note?: string } = { release, package: pkg, status: 'fixed' };
      if (note) entry.note = note;
      if (version === undefined) {
        throw listError(input, lineNo, 'a fixed version or a marker such as <not-affected> after the package name', line);
      } else if (version.startsWith('<')) {
        entry.status = version.slice(1, -1);
        if (NOT_AFFECTED_MARKERS.has(version)) {
          curReleases.push(entry);
          continue;
        }
        if (!AFFECTED_NO_FIX_MARKERS.has(version)) {
          throw listError(input, lineNo, `a version or one of the markers ${[...NOT_AFFECTED_MARKERS, ...AFFECTED_NO_FIX_MARKERS].join(' ')}`, version);
        }
      } else {
        entry.version = version;
      }
      if (entry.status !== 'fixed') curReleases.push(entry);
      const a: AffectedPackage = {
        ecosystem,
        name: pkg,
        isSourcePackage: true,
        ranges: [{ type: 'ECOSYSTEM', events: entry.version ? [{ introduced: '0' }, { fixed: entry.version }] : [{ introduced: '0' }] }],
        versions: [],
      };
      const es: Record<string, unknown> = {};
      if (!entry.version) es.status = entry.status;
      if (note) es.note = note;
      if (Object.keys(es).length) a.ecosystemSpecific = es;
      cur.affected.push(a);
      continue;
    }
    throw listError(input, lineNo, 'a "{CVE-…}" line, a "[release] - package version" line or a "NOTE:" line', line);
  }
  finish();
  if (!kind) throw invalid(input, '', 'a Debian DSA/DLA list with at least one entry');
  return { ...listSource(kind), observations };
}

export const debianListConnector: Connector = {
  name: 'debian-security-tracker-list',
  syntax: 'text',
  detect: (input) => isListText(input.bytes.subarray(0, 512).toString('utf8')),
  detectValue: (v) => typeof v === 'string' && isListText(v),
  parse: (input) => parseList(input, decodeText(input)),
  parseValue: (v, input) => parseList(input, v as string),
};

// ------------------------------------------------------------------ (b) tracker JSON

function looksLikeTrackerJson(v: unknown): boolean {
  if (!isObject(v)) return false;
  const pkgs = Object.keys(v);
  if (pkgs.length === 0) return false;
  return pkgs.slice(0, 3).every((p) => {
    const issues = v[p];
    if (!isObject(issues)) return false;
    const ids = Object.keys(issues);
    return ids.length > 0 && ids.slice(0, 3).every((id) => isObject(issues[id]) && isObject((issues[id] as JsonObject).releases));
  });
}

function parseTrackerJson(input: RawInput, v: unknown): ParsedDocument {
  const r = new Reader(input);
  const root = r.obj(v, '');
  interface Acc {
    description?: string;
    affected: AffectedPackage[];
    releases: Record<string, unknown>[];
    bugs: Set<string>;
  }
  const byId = new Map<string, Acc>();
  for (const pkg of Object.keys(root).sort()) {
    const issues = r.obj(root[pkg], `/${pkg}`);
    for (const id of Object.keys(issues).sort()) {
      const path = `/${pkg}/${id}`;
      const issue = r.obj(issues[id], path);
      let acc = byId.get(id);
      if (!acc) byId.set(id, (acc = { affected: [], releases: [], bugs: new Set() }));
      const description = r.optStr(issue.description, `${path}/description`);
      if (description && !acc.description) acc.description = description;
      if (typeof issue.debianbug === 'number') acc.bugs.add(String(issue.debianbug));
      const releases = r.obj(issue.releases, `${path}/releases`);
      for (const release of Object.keys(releases).sort()) {
        const rpath = `${path}/releases/${release}`;
        const rel = r.obj(releases[release], rpath);
        const status = r.nonEmpty(rel.status, `${rpath}/status`);
        const fixed = r.optStr(rel.fixed_version, `${rpath}/fixed_version`);
        const urgency = r.optStr(rel.urgency, `${rpath}/urgency`);
        const num = DEBIAN_RELEASES[release];
        // sid/unstable and experimental have no release number: kept as evidence, never matched.
        const entry: Record<string, unknown> = { release, package: pkg, status, ...(fixed !== undefined ? { fixed_version: fixed } : {}), ...(urgency ? { urgency } : {}) };
        acc.releases.push(entry);
        if (!num) continue;
        if (status === 'resolved' && (fixed === undefined || fixed === '')) throw invalid(input, `${rpath}/fixed_version`, 'a fixed version for a resolved issue');
        if (status === 'resolved' && fixed === '0') continue; // never affected in this release
        if (status !== 'resolved' && status !== 'open' && status !== 'undetermined') {
          throw invalid(input, `${rpath}/status`, 'one of resolved, open, undetermined');
        }
        const a: AffectedPackage = {
          ecosystem: `Debian:${num}`,
          name: pkg,
          isSourcePackage: true,
          ranges: [{ type: 'ECOSYSTEM', events: status === 'resolved' ? [{ introduced: '0' }, { fixed: fixed! }] : [{ introduced: '0' }] }],
          versions: [],
        };
        const es: Record<string, unknown> = { status };
        if (urgency) es.urgency = urgency;
        if (isObject(rel.repositories)) es.repositories = rel.repositories;
        a.ecosystemSpecific = es;
        acc.affected.push(a);
      }
    }
  }
  const observations = [...byId.keys()].sort().map((id): ObservationDraft => {
    const acc = byId.get(id)!;
    const d: ObservationDraft = { advisoryId: id, aliases: [], affected: acc.affected, severities: [], references: [] };
    if (acc.description) d.summary = acc.description;
    const ds: Record<string, unknown> = { releases: acc.releases };
    if (acc.bugs.size) ds.debianbugs = uniqSorted(acc.bugs);
    d.databaseSpecific = ds;
    return d;
  });
  return { source: 'debian-security-tracker', format: 'debian-tracker-json', observations };
}

export const debianTrackerJsonConnector: Connector = {
  name: 'debian-security-tracker',
  syntax: 'json',
  detect: (input) => firstSignificantByte(input.bytes) === '{',
  detectValue: looksLikeTrackerJson,
  parse(input) {
    const v = parseJsonText(input, decodeText(input));
    if (!looksLikeTrackerJson(v)) throw invalid(input, '', 'the Debian security tracker JSON ({package: {CVE: {releases: {codename: {status}}}}})');
    return parseTrackerJson(input, v);
  },
  parseValue: (v, input) => parseTrackerJson(input, v),
};
