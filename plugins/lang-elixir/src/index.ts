/**
 * lang/elixir — dependencies in `mix.lock`, an Elixir map literal written by Mix:
 *   %{"name" => … or "name": {:hex, :package, "version", "inner_hash", [managers], [deps], "repo", "outer_hash"}}
 *   or {:git, "url", "commit", [opts]} or {:path, "dir", [opts]}.
 * The file is parsed as data with a small reader for exactly the literal subset Mix writes (maps,
 * tuples, lists, keyword lists, strings, atoms, numbers) — never evaluated.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult } from '../../sdk';

type Term = string | number | boolean | null | { atom: string } | Term[] | { tuple: Term[] } | { map: [Term, Term][] };

class TermReader {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  fail(expected: string): never {
    const line = this.s.slice(0, this.i).split('\n').length;
    throw Object.assign(new Error(`expected ${expected} at line ${line}`), { line });
  }

  private ws(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === ',') this.i++;
      else if (c === '#') while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      else return;
    }
  }

  private string(): string {
    this.i++; // opening quote
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i++] as string;
      if (c === '"') return out;
      if (c === '\\') out += this.s[this.i++] ?? '';
      else out += c;
    }
    return this.fail('a closing "');
  }

  term(): Term {
    if (++this.depth > 64) this.fail('nesting no deeper than 64');
    try {
      this.ws();
      const c = this.s[this.i];
      if (c === '"') return this.string();
      if (c === ':') {
        this.i++;
        if (this.s[this.i] === '"') return { atom: this.string() };
        const m = /^[A-Za-z_][A-Za-z0-9_@]*[?!]?/.exec(this.s.slice(this.i, this.i + 256));
        if (!m) this.fail('an atom name');
        this.i += m[0].length;
        return { atom: m[0] };
      }
      if (c === '{') return { tuple: this.seq('}') };
      if (c === '[') return this.seq(']');
      if (c === '%' && this.s[this.i + 1] === '{') {
        this.i++;
        return { map: this.pairs() };
      }
      const m = /^(true|false|nil|-?\d+(?:\.\d+)?)/.exec(this.s.slice(this.i, this.i + 64));
      if (m) {
        this.i += m[0].length;
        return m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'nil' ? null : Number(m[0]);
      }
      // keyword-list element `key: value` inside a list
      const kw = /^([A-Za-z_][A-Za-z0-9_]*[?!]?): /.exec(this.s.slice(this.i, this.i + 256));
      if (kw) {
        this.i += kw[0].length;
        return { tuple: [{ atom: kw[1] as string }, this.term()] };
      }
      return this.fail('a string, atom, number, tuple, list or map');
    } finally {
      this.depth--;
    }
  }

  private seq(close: string): Term[] {
    this.i++;
    const out: Term[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      if (this.i >= this.s.length) this.fail(`"${close}"`);
      out.push(this.term());
    }
  }

  private pairs(): [Term, Term][] {
    this.i++; // {
    const out: [Term, Term][] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      if (this.i >= this.s.length) this.fail('"}" closing the map');
      let key: Term;
      if (this.s[this.i] === '"') {
        key = this.string();
        if (this.s[this.i] === ':') this.i++; // "name": value
        else {
          this.ws();
          if (this.s.slice(this.i, this.i + 2) !== '=>') this.fail('":" or "=>" after a map key');
          this.i += 2;
        }
      } else {
        key = this.term();
        this.ws();
        if (this.s.slice(this.i, this.i + 2) !== '=>') this.fail('"=>" after a map key');
        this.i += 2;
      }
      out.push([key, this.term()]);
    }
  }

  end(): void {
    this.ws();
    if (this.i < this.s.length) this.fail('end of file');
  }
}

function isMap(t: Term): t is { map: [Term, Term][] } {
  return t !== null && typeof t === 'object' && !Array.isArray(t) && 'map' in t;
}

const atomOf = (t: Term | undefined): string | undefined => (t && typeof t === 'object' && 'atom' in t ? t.atom : undefined);

export default defineAnalyzer({
  name: 'lang/elixir',
  version: 1,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const text = await file.readText();
      if (text.trim() === '') return;
      let root: Term;
      try {
        const r = new TermReader(text);
        root = r.term();
        r.end();
      } catch (e) {
        const err = e as Error & { line?: number };
        result.issues.push({ path: file.path, severity: 'error', ...(err.line ? { line: err.line } : {}), message: `not a mix.lock: ${err.message}` });
        return;
      }
      if (!isMap(root)) {
        result.issues.push({ path: file.path, severity: 'error', message: 'not a mix.lock: expected a map literal %{…}' });
        return;
      }
      for (const [k, v] of root.map) {
        const name = typeof k === 'string' ? k : atomOf(k);
        const t = v && typeof v === 'object' && 'tuple' in v ? v.tuple : undefined;
        const kind = atomOf(t?.[0]);
        if (!name || !t || !kind) {
          result.issues.push({ path: file.path, severity: 'warning', message: `entry ${String(name)}: expected a {:hex, …} or {:git, …} tuple; skipped` });
          continue;
        }
        if (kind === 'hex') {
          const pkg = atomOf(t[1]) ?? name;
          const version = typeof t[2] === 'string' ? t[2] : undefined;
          const repo = typeof t[6] === 'string' ? t[6] : 'hexpm';
          const properties: Record<string, string> = { repo };
          if (typeof t[7] === 'string') properties.outerChecksum = `sha256:${t[7]}`;
          result.packages.push({ id: name, name: pkg, version, purl: { type: 'hex', name: pkg, version }, locations: [file.path], properties, declared: true });
        } else if (kind === 'git') {
          const url = typeof t[1] === 'string' ? t[1] : '';
          const commit = typeof t[2] === 'string' ? t[2] : undefined;
          result.packages.push({
            id: name,
            name,
            purl: { type: 'hex', name },
            locations: [file.path],
            properties: { source: 'git', gitUrl: url, ...(commit ? { gitCommit: commit } : {}) },
            declared: true,
          });
        } else if (kind === 'path') {
          // A local path dependency: its code is whatever is on disk, so it has no version.
          result.packages.push({
            id: name,
            name,
            purl: { type: 'hex', name },
            locations: [file.path],
            properties: { source: 'path', ...(typeof t[1] === 'string' ? { localPath: t[1] } : {}) },
            declared: true,
          });
        } else {
          result.issues.push({ path: file.path, severity: 'warning', message: `entry ${name}: unknown dependency kind :${kind} (expected :hex, :git or :path); skipped` });
        }
      }
      // Edges: the 6th element of a hex tuple lists {:dep, requirement, [hex: :dep, …]}.
      const ids = new Set(result.packages.map((p) => p.id));
      for (const [k, v] of root.map) {
        const t = v && typeof v === 'object' && 'tuple' in v ? v.tuple : undefined;
        const deps = t && atomOf(t[0]) === 'hex' && Array.isArray(t[5]) ? t[5] : [];
        for (const d of deps) {
          const dep = d && typeof d === 'object' && 'tuple' in d ? atomOf(d.tuple[0]) : undefined;
          if (typeof k === 'string' && dep && ids.has(dep)) result.relationships.push({ from: k, to: dep, type: 'depends-on' });
        }
      }
    });
    return result;
  },
});
