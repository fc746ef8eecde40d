/**
 * pip requirements files. Lines are joined and comments stripped as pip does (`req_file.py`): a line
 * ending in `\` continues on the next one (all trailing backslashes dropped) unless the line starts a
 * comment; comments (`#` at the start or after whitespace) are removed after joining. Then:
 *  - `-r/--requirement FILE` and `-c/--constraint FILE` are resolved relative to the including file
 *    among the files of the same analyze call; one that is not there is a located issue;
 *  - `name[extras] ==1.0 ; marker --hash=…` is a pinned package (`==` without a wildcard, or `===`);
 *    any other specifier (or none) is reported with no version plus an info issue;
 *  - a wheel / sdist path or URL is reported from its file name; `name @ url` and `#egg=name` with the URL
 *    kept as a purl qualifier; other options (`-i`, `--hash`, …) are not packages.
 */
import { type AnalyzerFile, type AnalyzerResult } from '../../sdk';
import { Collector, redactUrl, type Occurrence } from './common';

export interface LogicalLine {
  line: number;
  text: string;
}

const COMMENT_START = /^\s*#/; // pip's COMMENT_RE used with re.match: only at the start of a line

/** pip's COMMENT_RE `(^|\s+)#.*$` without the regex, whose backtracking is quadratic on long blank runs. */
function stripComment(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '#' && (i === 0 || /\s/.test(s[i - 1] ?? ''))) return s.slice(0, i);
  }
  return s;
}

/** Python's `str.strip("\\")`, linear. */
function stripBackslashes(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === '\\') a++;
  while (b > a && s[b - 1] === '\\') b--;
  return s.slice(a, b);
}

/** pip's join_lines + ignore_comments. */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let parts: string[] = [];
  let first = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (!raw.endsWith('\\') || COMMENT_START.test(raw)) {
      const line = COMMENT_START.test(raw) ? ` ${raw}` : raw;
      if (parts.length) {
        parts.push(line);
        out.push({ line: first, text: parts.join('') });
        parts = [];
      } else out.push({ line: n, text: line });
    } else {
      if (!parts.length) first = n;
      parts.push(stripBackslashes(raw));
    }
  });
  if (parts.length) out.push({ line: first, text: parts.join('') });
  return out.map((l) => ({ line: l.line, text: stripComment(l.text).trim() })).filter((l) => l.text !== '');
}

export type Include = { kind: 'requirement' | 'constraint'; target: string; line: number };

const INCLUDE_RE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=^-[rc]))(\S.*)$/;

/** Wheel `name-ver(-build)?-py-abi-plat.whl` or sdist `name-ver.tar.gz|.zip|.tar.bz2` file names. */
export function distFromFileName(base: string): { name: string; version: string } | undefined {
  const whl = /^([A-Za-z0-9_.]+)-([^-]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/i.exec(base);
  if (whl) return { name: whl[1] as string, version: whl[2] as string };
  const sdist = /^(.+?)-(\d[^-]*)\.(?:tar\.gz|tar\.bz2|tar\.xz|zip|tgz)$/i.exec(base);
  if (sdist) return { name: sdist[1] as string, version: sdist[2] as string };
  return undefined;
}

interface Spec {
  op: string;
  version: string;
}

function parseSpecifiers(s: string): Spec[] | undefined {
  const t = s.trim().replace(/^\((.*)\)$/, '$1').trim();
  if (!t) return [];
  const out: Spec[] = [];
  for (const clause of t.split(',')) {
    const m = /^\s*(===|==|~=|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$/.exec(clause);
    if (!m) return undefined;
    out.push({ op: m[1] as string, version: m[2] as string });
  }
  return out;
}

/** The occurrence a requirement line describes, or a reason it is not a package. */
export function parseRequirement(text: string, line: number): { occ: Occurrence; unpinned?: string } | { skip: string; severity: 'info' | 'warning' } {
  // per-requirement options (`--hash=…`, `--global-option=…`, `--config-settings …`) follow the requirement
  const opt = /(?:^|\s)--?[A-Za-z]/.exec(text);
  const optionText = opt ? text.slice(opt.index) : '';
  let req = (opt ? text.slice(0, opt.index) : text).trim();
  const hashes = [...optionText.matchAll(/--hash[=\s]\s*(\S+)/g)].map((m) => m[1] as string);
  const properties: Record<string, string> = { line: String(line) };
  if (hashes.length) properties.hashes = hashes.join(' ');
  // markers: `; …` (for URLs the `;` must follow whitespace, PEP 508)
  const semi = /^[a-z+]+:\/\/|^[./]/i.test(req) ? req.search(/\s;/) : req.indexOf(';');
  if (semi >= 0) {
    const marker = req.slice(semi).replace(/^\s*;/, '').trim();
    if (marker) properties.marker = marker;
    req = req.slice(0, semi).trim();
  }
  const named = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*)$/.exec(req);
  const looksLikePath = /^(?:[a-z][a-z0-9+.-]*:\/\/|file:|\.{1,2}[\\/]|\/|[A-Za-z]:[\\/])/i.test(req) || /\.(?:whl|tar\.gz|zip|tar\.bz2|tgz)$/i.test(req);
  if (named && !looksLikePath) {
    const [, name = '', extras, rest = ''] = named;
    if (extras?.trim()) properties.extras = extras.split(',').map((x) => x.trim()).filter(Boolean).join(',');
    if (rest.startsWith('@')) {
      const url = rest.slice(1).trim();
      const clean = redactUrl(url);
      const occ: Occurrence = { name, groups: [], properties, line, qualifiers: /^git\+|^hg\+|^svn\+|^bzr\+/i.test(url) ? { vcs_url: clean } : /^https?:/i.test(url) ? { download_url: clean } : undefined };
      if (!occ.qualifiers) properties.resolved = clean;
      const dist = distFromFileName(url.split(/[?#]/)[0]?.split('/').pop() ?? '');
      if (dist) return { occ: { ...occ, version: dist.version } };
      return { occ, unpinned: `${name} is a direct reference (${clean}) without a version; reported without one` };
    }
    const specs = parseSpecifiers(rest);
    if (!specs) return { skip: `not a requirement: ${JSON.stringify(text.slice(0, 80))} (expected "name[extras] ==version ; marker")`, severity: 'warning' };
    const pin = specs.find((s) => s.op === '===' || (s.op === '==' && !s.version.includes('*')));
    if (pin) return { occ: { name, version: pin.version, groups: [], properties, line } };
    return { occ: { name, groups: [], properties, line }, unpinned: `${name}${rest ? ` ${rest.trim()}` : ''} is not pinned to one version (==); reported without a version` };
  }
  // a path or URL: the name (and version) come from the file name or an #egg= fragment
  const clean = redactUrl(req);
  const hash = req.indexOf('#');
  const eggParam = hash >= 0 ? req.slice(hash + 1).split('&').find((kv) => kv.startsWith('egg=')) : undefined;
  const egg = eggParam && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(eggParam.slice(4)) ? eggParam.slice(4) : undefined;
  const base = req.split(/[?#]/)[0]?.split(/[\\/]/).pop() ?? '';
  const dist = distFromFileName(base);
  const qualifiers = /^(?:git|hg|svn|bzr)\+/i.test(req) ? { vcs_url: clean } : /^https?:/i.test(req) ? { download_url: clean } : undefined;
  if (!qualifiers) properties.resolved = clean;
  if (dist) return { occ: { name: dist.name, version: dist.version, groups: [], properties, line, qualifiers } };
  if (egg) return { occ: { name: egg, groups: [], properties, line, qualifiers }, unpinned: `${egg} comes from ${clean} without a version; reported without one` };
  return { skip: `${JSON.stringify(clean.slice(0, 120))} names no project (no wheel/sdist file name, no #egg=); skipped`, severity: 'info' };
}

/** POSIX-normalize `dir/./a/../b` (paths are absolute and `/`-separated). */
function normalizePath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** Parse one requirements file; its includes are checked against `available` (the paths of this call). */
export function parseRequirementsFile(file: AnalyzerFile, text: string, result: AnalyzerResult, available: ReadonlySet<string>): void {
  const c = new Collector(file, result);
  const dir = file.path.slice(0, file.path.lastIndexOf('/')) || '/';
  for (const { line, text: t } of logicalLines(text)) {
    if (t.startsWith('-')) {
      const inc = INCLUDE_RE.exec(t);
      if (inc) {
        const kind = /^(?:-c|--constraint)/.test(t) ? 'constraint' : 'requirement';
        const target = (inc[1] ?? '').trim().replace(/^["']|["']$/g, '');
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
          c.issue('info', `${kind} file ${JSON.stringify(redactUrl(target))} is a URL; not followed (Stella works offline)`, line);
          continue;
        }
        const abs = normalizePath(target.startsWith('/') ? target : `${dir}/${target}`);
        if (!available.has(abs)) {
          c.issue(kind === 'requirement' ? 'warning' : 'info', `${kind} file ${JSON.stringify(target)} (${abs}) is not among the files analyzed with ${file.path} (expected a requirements file beside it); its packages are not included`, line);
        }
        continue;
      }
      const editable = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/.exec(t);
      if (editable) {
        const r = parseRequirement(editable[1] ?? '', line);
        if ('skip' in r) c.issue('info', `editable requirement ${JSON.stringify(redactUrl(editable[1] ?? ''))} names no project (#egg=); skipped`, line);
        else {
          c.add({ ...r.occ, properties: { ...r.occ.properties, editable: 'true' } });
          if (r.unpinned) c.issue('info', r.unpinned, line);
        }
      }
      continue; // global options (-i, --index-url, --extra-index-url, -f, --pre, --require-hashes, …)
    }
    const r = parseRequirement(t, line);
    if ('skip' in r) {
      c.issue(r.severity, r.skip, line);
      continue;
    }
    c.add(r.occ);
    if (r.unpinned) c.issue('info', r.unpinned, line);
  }
  c.finish();
}

