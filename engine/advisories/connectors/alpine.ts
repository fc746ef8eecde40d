/**
 * Alpine secdb (`secdb.alpinelinux.org/v3.x/{main,community}.{yaml,json}`, formerly alpine-secdb on
 * GitHub): `{ distroversion: v3.11, reponame, packages: [{ pkg: { name, secfixes: { "<apk version>": [ids] } } }] }`.
 *
 * - `pkg.name` is the origin (source) package: affected entries carry isSourcePackage.
 * - One observation per vulnerability id (advisoryId = the first id of a secfixes entry, usually a
 *   CVE; further ids on the same entry, e.g. `CVE-2017-8904 XSA-214`, are aliases). A CVE fixed in
 *   several packages gives one observation with one affected entry per package.
 * - A fixed version `v` becomes ECOSYSTEM events [introduced 0, fixed v] on ecosystem `Alpine:v3.11`.
 *   The same id fixed at two versions of one package gives two ranges (conservative: the later fix wins).
 * - The version key `0` means the package was never affected (Alpine's "not affected / whitelisted"
 *   marker): no affected entry; the package is listed in `databaseSpecific.notAffected`.
 */
import type { AffectedPackage } from '../../core';
import { decodeText, firstSignificantByte, hasExt, invalid, isObject, parseJsonText, parseYamlDocument, Reader, uniqSorted } from './_internal/util';
import { fastParseBlockYaml } from './_internal/fast-yaml';
import type { Connector, ObservationDraft, ParsedDocument, RawInput } from './types';

function looksLikeSecdb(v: unknown): boolean {
  // An empty repository has `packages:` with no value (v3.3 community).
  return isObject(v) && typeof v.distroversion === 'string' && (Array.isArray(v.packages) || v.packages === null) && 'reponame' in v;
}

interface Acc {
  aliases: Set<string>;
  affected: Map<string, AffectedPackage>;
  notAffected: Set<string>;
}

function toDocument(input: RawInput, v: unknown, format: string): ParsedDocument {
  const r = new Reader(input);
  const o = r.obj(v, '');
  const distroversion = r.nonEmpty(o.distroversion, '/distroversion').trim();
  if (!/^(v\d+\.\d+|edge)$/.test(distroversion)) throw invalid(input, '/distroversion', 'an Alpine branch such as "v3.11" or "edge"');
  const ecosystem = `Alpine:${distroversion}`;
  const reponame = r.optStr(o.reponame, '/reponame');
  const byId = new Map<string, Acc>();
  const pkgs = r.optArr(o.packages, '/packages');
  pkgs.forEach((entry, i) => {
    const path = `/packages/${i}/pkg`;
    const pkg = r.obj(r.obj(entry, `/packages/${i}`).pkg, path);
    const name = r.nonEmpty(pkg.name, `${path}/name`);
    const secfixes = r.optObj(pkg.secfixes, `${path}/secfixes`) ?? {};
    for (const [version, ids] of Object.entries(secfixes)) {
      const vpath = `${path}/secfixes/${version}`;
      // `"0":` with no list (null) occurs; an empty entry names nothing.
      for (const [j, item] of r.optArr(ids, vpath).entries()) {
        if (item === null) continue;
        const tokens = r.str(item, `${vpath}/${j}`).trim().split(/\s+/).filter(Boolean);
        const id = tokens[0];
        if (!id) continue;
        let acc = byId.get(id);
        if (!acc) byId.set(id, (acc = { aliases: new Set(), affected: new Map(), notAffected: new Set() }));
        for (const t of tokens.slice(1)) if (t !== id) acc.aliases.add(t);
        if (version === '0') {
          acc.notAffected.add(name);
          continue;
        }
        let a = acc.affected.get(name);
        if (!a) acc.affected.set(name, (a = { ecosystem, name, ranges: [], versions: [], isSourcePackage: true }));
        if (!a.ranges.some((x) => x.events.some((e) => 'fixed' in e && e.fixed === version))) {
          a.ranges.push({ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: version }] });
        }
      }
    }
  });
  const observations: ObservationDraft[] = [...byId.keys()].sort().map((id) => {
    const acc = byId.get(id)!;
    const d: ObservationDraft = {
      advisoryId: id,
      aliases: uniqSorted(acc.aliases),
      affected: [...acc.affected.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      severities: [],
      references: [],
    };
    const ds: Record<string, unknown> = { distroversion, ...(reponame ? { reponame } : {}) };
    if (acc.notAffected.size) ds.notAffected = uniqSorted(acc.notAffected);
    d.databaseSpecific = ds;
    return d;
  });
  return { source: 'alpine-secdb', format, specVersion: distroversion, observations };
}

export const alpineYamlConnector: Connector = {
  name: 'alpine-secdb',
  syntax: 'yaml',
  detect: (input) => hasExt(input.uri, '.yaml', '.yml'),
  detectValue: looksLikeSecdb,
  parse(input) {
    const text = decodeText(input);
    const v = fastParseBlockYaml(text) ?? parseYamlDocument(input, text);
    if (!looksLikeSecdb(v)) throw invalid(input, '', 'an Alpine secdb document (distroversion, packages)');
    return toDocument(input, v, 'alpine-secdb-yaml');
  },
  parseValue: (v, input) => toDocument(input, v, 'alpine-secdb-yaml'),
};

export const alpineJsonConnector: Connector = {
  name: 'alpine-secdb',
  syntax: 'json',
  detect: (input) => firstSignificantByte(input.bytes) === '{',
  detectValue: looksLikeSecdb,
  parse(input) {
    const v = parseJsonText(input, decodeText(input));
    if (!looksLikeSecdb(v)) throw invalid(input, '', 'an Alpine secdb document (distroversion, packages)');
    return toDocument(input, v, 'alpine-secdb-json');
  },
  parseValue: (v, input) => toDocument(input, v, 'alpine-secdb-json'),
};
