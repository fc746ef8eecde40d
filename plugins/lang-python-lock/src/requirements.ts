/**
 * pip requirements files. Lines are joined and comments stripped as pip does (`req_file.py`): a line
 * ending in `\` continues on the next one (all trailing backslashes dropped) unless the line starts a
 * comment; comments (`#` at the start or after whitespace) are removed after joining. Then:
 *  - `-r/--requirement FILE` and `-c/--constraint FILE` are resolved relative to the including file
 *    (see `parseRequirementsFile`);
 *  - `name[extras] ==1.0 ; marker --hash=…` is a pinned package (`==` without a wildcard, or `===`);
 *    any other specifier (or none) is reported with no version plus an info issue;
 *  - a wheel / sdist path or URL is reported from its file name; `name @ url` and `#egg=name` with the URL
 *    kept as a purl qualifier; other options (`-i`, `--hash`, …) are not packages.
 */
import { normalizePythonName, resolveRelated, type AnalyzerFile, type AnalyzerResult, type FileIssue, type FileSystemView } from '../../sdk';
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

/** Where the text of a requirements file comes from: the files of this call first, then the filesystem view. */
export interface RequirementsSource {
  /** Files handed to this analyze call, by absolute path. */
  available: ReadonlyMap<string, AnalyzerFile>;
  fs?: FileSystemView;
}

type Loaded = { ok: true; text: string; path: string } | { ok: false; message: string };

async function load(path: string, src: RequirementsSource): Promise<Loaded> {
  const own = src.available.get(path);
  if (own) return { ok: true, text: await own.readText(), path };
  if (!src.fs) return { ok: false, message: 'is not among the files analyzed with it and no filesystem view is available' };
  const r = await src.fs.open(path);
  if (!r.ok) return { ok: false, message: r.message };
  return { ok: true, text: await r.file.readText(), path: r.file.path };
}

interface Item {
  occ: Occurrence;
  /** The file the line is in (the top file, or an included one). */
  path: string;
  unpinned?: string;
}

/**
 * Parse one requirements file and, as pip and osv-scanner do, every file it includes:
 *  - `-r FILE` (recursively): its requirements are reported from the top file, with the included file as a
 *    second location (osv-scalibr's convention); each file is read once (a diamond is not a repeat), and an
 *    include of a file already on the chain is a cycle: reported, not followed again;
 *  - `-c FILE`: constraints pin requirements named elsewhere (an unpinned `requests` + `requests==2.31.0`
 *    in the constraints file gives 2.31.0); they never add packages, as in pip.
 * Included files are found among the files of this call, else through the filesystem view (relative to the
 * including file); one that cannot be read is a located issue and the rest is still reported.
 */
export async function parseRequirementsFile(file: AnalyzerFile, text: string, result: AnalyzerResult, src: RequirementsSource): Promise<void> {
  const c = new Collector(file, result);
  const items: Item[] = [];
  const constraints = new Map<string, { version: string; path: string }>();
  const done = new Set<string>([file.path]);
  const issues: FileIssue[] = [];
  const issueAt = (path: string, severity: 'error' | 'warning' | 'info', message: string, line?: number): void => {
    issues.push({ path, severity, message, ...(line ? { line } : {}) });
  };
  const walk = async (path: string, body: string, chain: readonly string[], mode: 'requirement' | 'constraint'): Promise<void> => {
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    for (const { line, text: t } of logicalLines(body)) {
      if (t.startsWith('-')) {
        const inc = INCLUDE_RE.exec(t);
        if (inc) {
          const kind = /^(?:-c|--constraint)/.test(t) ? 'constraint' : 'requirement';
          const target = (inc[1] ?? '').trim().replace(/^["']|["']$/g, '');
          if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
            issueAt(path, 'info', `${kind} file ${JSON.stringify(redactUrl(target))} is a URL; not followed (Stella works offline)`, line);
            continue;
          }
          // requirements named inside a constraints file are constraints too; its -r lines add nothing
          if (mode === 'constraint' && kind === 'requirement') continue;
          const abs = resolveRelated(`${dir}/x`, target);
          if (chain.includes(abs)) {
            issueAt(path, 'info', `${kind} file ${JSON.stringify(target)} (${abs}) includes itself through ${[...chain.slice(chain.indexOf(abs)), abs].join(' -> ')}; followed once`, line);
            continue;
          }
          if (done.has(abs)) continue;
          done.add(abs);
          const loaded = await load(abs, src);
          if (!loaded.ok) {
            issueAt(path, kind === 'requirement' ? 'warning' : 'info', `${kind} file ${JSON.stringify(target)} (${abs}) ${loaded.message}; its ${kind === 'requirement' ? 'packages are' : 'pins are'} not included`, line);
            continue;
          }
          await walk(loaded.path, loaded.text, [...chain, abs], mode === 'constraint' ? 'constraint' : kind);
          continue;
        }
        if (mode === 'constraint') continue;
        const editable = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/.exec(t);
        if (editable) {
          const r = parseRequirement(editable[1] ?? '', line);
          if ('skip' in r) issueAt(path, 'info', `editable requirement ${JSON.stringify(redactUrl(editable[1] ?? ''))} names no project (#egg=); skipped`, line);
          else items.push({ occ: { ...r.occ, properties: { ...r.occ.properties, editable: 'true' } }, path, ...(r.unpinned ? { unpinned: r.unpinned } : {}) });
        }
        continue; // global options (-i, --index-url, --extra-index-url, -f, --pre, --require-hashes, …)
      }
      const r = parseRequirement(t, line);
      if ('skip' in r) {
        if (mode === 'requirement') issueAt(path, r.severity, r.skip, line);
        continue;
      }
      if (mode === 'constraint') {
        const key = normalizePythonName(r.occ.name);
        if (r.occ.version && !r.unpinned && !constraints.has(key)) constraints.set(key, { version: r.occ.version, path });
        continue;
      }
      items.push({ occ: r.occ, path, ...(r.unpinned ? { unpinned: r.unpinned } : {}) });
    }
  };
  await walk(file.path, text, [file.path], 'requirement');
  for (const { occ, path, unpinned } of items) {
    const pin = !occ.version ? constraints.get(normalizePythonName(occ.name)) : undefined;
    const props: Record<string, string> = { ...occ.properties };
    if (path !== file.path) props.file = path;
    if (pin) props.constrainedBy = pin.path;
    c.add({ ...occ, ...(pin ? { version: pin.version } : {}), properties: props, ...(path !== file.path ? { location: path } : {}) });
    if (unpinned && !pin) issueAt(path, 'info', unpinned, occ.line);
  }
  // the top file's issues first, then each included file's, each by line
  const rank = (p: string): string => (p === file.path ? '' : p);
  issues.sort((a, b) => (rank(a.path) < rank(b.path) ? -1 : rank(a.path) > rank(b.path) ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  result.issues.push(...issues);
  c.finish();
}
