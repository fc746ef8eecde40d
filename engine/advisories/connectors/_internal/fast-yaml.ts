/**
 * A fast path for the block-style YAML that advisory databases generate (PyPA's PYSEC files, Alpine
 * secdb): block mappings and sequences, plain / single-quoted / double-quoted scalars (multi-line
 * folding included), literal and folded block scalars, comment lines, `[]` / `{}`.
 *
 * Why: the general `yaml` parser costs ~0.6 ms per small advisory (≈1.5 s for the 2,661 PYSEC files),
 * which would make YAML parsing the bottleneck of an import. This parser is ~10× faster.
 *
 * Contract: it returns exactly what `yaml.parse` returns with the connectors' schema (YAML 1.2 core
 * without int/float tags: numbers stay strings; null and booleans resolved) — or `null` ("not handled")
 * for anything outside the subset or anything it is unsure about (flow collections, anchors/aliases,
 * tags, directives, several documents, tabs in indentation, duplicate keys, invalid YAML …). Callers
 * then use the full parser, which also produces the located error messages. Never a different value.
 */

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);

function resolvePlain(s: string): string | boolean | null {
  if (NULLS.has(s)) return null;
  if (TRUES.has(s)) return true;
  if (FALSES.has(s)) return false;
  return s;
}

/** A plain scalar may not start with these indicators (or `-?:` followed by a space). */
function badPlainStart(s: string): boolean {
  const c = s[0]!;
  if ('&*!|>\'"%@`,[]{}#'.includes(c)) return true;
  if ((c === '-' || c === '?' || c === ':') && (s.length === 1 || s[1] === ' ' || s[1] === '\t')) return true;
  return false;
}

/** Plain-scalar text that this subset refuses to interpret (comments, `: `, tabs). */
function badPlainText(s: string): boolean {
  return s.includes(' #') || s.includes('\t') || s.includes(': ') || s.endsWith(':');
}

export function fastParseBlockYaml(text: string): unknown {
  try {
    return new FastYaml(text).document();
  } catch (e) {
    if (e instanceof Bail) return null;
    throw e;
  }
}

class FastYaml {
  private readonly lines: string[];
  private readonly indents: number[];
  private i = 0;

  constructor(text: string) {
    if (text.includes('\t') && /^[ ]*\t/m.test(text)) bail(); // tabs in indentation
    if (text.includes('\r')) text = text.replace(/\r\n/g, '\n');
    if (text.includes('\r')) bail();
    this.lines = text.split('\n');
    // The element after a final line break is not a line (it matters to `|+` keep-chomping).
    if (this.lines.length > 1 && this.lines[this.lines.length - 1] === '') this.lines.pop();
    this.indents = this.lines.map((l) => {
      let n = 0;
      while (n < l.length && l.charCodeAt(n) === 32) n++;
      return n;
    });
  }

  private isBlank(k: number): boolean {
    const l = this.lines[k]!;
    const ind = this.indents[k]!;
    return ind === l.length || l[ind] === '#';
  }

  /** Index of the next non-blank, non-comment line at or after k (or lines.length). */
  private next(k = this.i): number {
    while (k < this.lines.length && this.isBlank(k)) k++;
    return k;
  }

  document(): unknown {
    let k = this.next(0);
    if (k >= this.lines.length) bail();
    const first = this.lines[k]!;
    if (first.startsWith('%')) bail();
    if (first === '---' || first.startsWith('--- ')) {
      if (first !== '---' && first.slice(4).trim() !== '' && !first.slice(4).trim().startsWith('#')) bail();
      k = this.next(k + 1);
      if (k >= this.lines.length) bail();
    }
    this.i = k;
    if (this.indents[k] !== 0) bail();
    const value = this.block(0);
    const rest = this.next();
    if (rest < this.lines.length) bail(); // `---` of a second document, `...`, or stray content
    return value;
  }

  /** The node starting at line this.i, whose indentation is `indent`. */
  private block(indent: number): unknown {
    const l = this.lines[this.i]!;
    const c = l.slice(indent);
    if (c === '-' || c.startsWith('- ')) return this.seq(indent);
    return this.map(indent);
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const k = this.next();
      if (k >= this.lines.length || this.indents[k]! < indent) break;
      if (this.indents[k]! > indent) bail();
      const l = this.lines[k]!;
      const c = l.slice(indent);
      if (!(c === '-' || c.startsWith('- '))) break;
      this.i = k;
      let off = 1;
      while (off < c.length && c[off] === ' ') off++;
      const rest = c.slice(off);
      if (rest === '' || rest.startsWith('#')) {
        this.i = k + 1;
        out.push(this.nested(indent, true));
        continue;
      }
      const col = indent + off;
      if (rest === '-' || rest.startsWith('- ') || this.isMapStart(rest)) {
        // Compact nested node (`- key: v` / `- - x`): re-read this line as if it were indented to `col`.
        this.lines[k] = ' '.repeat(col) + rest;
        this.indents[k] = col;
        out.push(this.block(col));
        continue;
      }
      this.i = k;
      out.push(this.scalar(rest, indent));
    }
    return out;
  }

  /** Value on the following lines (after `key:` or `-` with nothing after it). */
  private nested(indent: number, inSeq: boolean): unknown {
    const k = this.next();
    if (k >= this.lines.length) return null;
    const ind = this.indents[k]!;
    if (ind > indent) {
      this.i = k;
      return this.block(ind);
    }
    if (!inSeq && ind === indent) {
      const c = this.lines[k]!.slice(indent);
      if (c === '-' || c.startsWith('- ')) {
        this.i = k;
        return this.seq(indent);
      }
    }
    return null;
  }

  private isMapStart(c: string): boolean {
    if (c[0] === '"' || c[0] === "'") {
      const end = c.indexOf(c[0], 1);
      return end > 0 && c[end + 1] === ':' && (c.length === end + 2 || c[end + 2] === ' ');
    }
    const j = c.indexOf(':');
    return j > 0 && (j === c.length - 1 || c[j + 1] === ' ') && !c.slice(0, j).includes(' #');
  }

  private key(c: string): { key: string; rest: string } {
    let key: string;
    let after: number;
    if (c[0] === '"' || c[0] === "'") {
      const q = c[0];
      const end = c.indexOf(q, 1);
      if (end < 0) bail();
      key = c.slice(1, end);
      if (key.includes('\\') || key.includes(q)) bail(); // escapes in keys: leave to the full parser
      after = end + 1;
      if (c[after] !== ':') bail();
    } else {
      const j = c.search(/:( |$)/);
      if (j <= 0) bail();
      key = c.slice(0, j).trimEnd();
      if (badPlainStart(key) || badPlainText(key) || key.includes(': ')) bail();
      const r = resolvePlain(key);
      if (typeof r !== 'string') bail(); // null/boolean keys stringify differently
      after = j;
    }
    if (key === '__proto__' || key === '<<') bail();
    return { key, rest: c.slice(after + 1).trim() };
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const k = this.next();
      if (k >= this.lines.length || this.indents[k]! < indent) break;
      if (this.indents[k]! > indent) bail();
      const c = this.lines[k]!.slice(indent);
      if (c === '-' || c.startsWith('- ')) break;
      if (c === '---' || c === '...' || c.startsWith('--- ')) bail();
      if (c[0] === '?' || c[0] === '&' || c[0] === '!' || c[0] === '*' || c[0] === '[' || c[0] === '{') bail();
      const { key, rest } = this.key(c);
      if (Object.prototype.hasOwnProperty.call(out, key)) bail(); // duplicate keys: the full parser reports them
      this.i = k;
      if (rest === '' || rest.startsWith('#')) {
        this.i = k + 1;
        out[key] = this.nested(indent, false);
      } else {
        out[key] = this.scalar(rest, indent);
      }
    }
    return out;
  }

  /** A scalar that starts on line this.i with text `first`; continuation lines must be indented > parentIndent. */
  private scalar(first: string, parentIndent: number): unknown {
    const c = first[0]!;
    if (c === '|' || c === '>') return this.blockScalar(first, parentIndent);
    if (c === '"' || c === "'") return this.quoted(first, parentIndent);
    if (c === '[' || c === '{') {
      const t = first.replace(/\s+#.*$/, '');
      this.i++;
      if (t === '[]') return [];
      if (t === '{}') return {};
      bail();
    }
    if (badPlainStart(first) || badPlainText(first)) bail();
    const parts = [first.trimEnd()];
    let k = this.i + 1;
    let last = this.i;
    let empties = 0;
    for (; k < this.lines.length; k++) {
      const l = this.lines[k]!;
      const ind = this.indents[k]!;
      if (ind === l.length) {
        empties++;
        continue;
      }
      if (ind <= parentIndent) break;
      const t = l.slice(ind).trimEnd();
      if (t[0] === '#') {
        // A comment ends the scalar; more-indented text after it would be an error.
        const n = this.next(k);
        if (n < this.lines.length && this.indents[n]! > parentIndent) bail();
        break;
      }
      if (badPlainText(t) || t.startsWith('- ') || t === '-') bail();
      parts.push(empties > 0 ? '\n'.repeat(empties) : ' ', t);
      empties = 0;
      last = k;
    }
    this.i = last + 1;
    // parts alternate text and folding separators (' ' for a line break, n× '\n' for n empty lines).
    return parts.length === 1 ? resolvePlain(parts[0]!) : parts.join('');
  }

  private quoted(first: string, parentIndent: number): string {
    const q = first[0]!;
    const raw: string[] = [];
    let k = this.i;
    let line = first.slice(1);
    let closed = -1;
    for (;;) {
      closed = q === "'" ? findSingleClose(line) : findDoubleClose(line);
      if (closed >= 0) {
        raw.push(line.slice(0, closed));
        break;
      }
      raw.push(line);
      k++;
      if (k >= this.lines.length) bail();
      const ind = this.indents[k]!;
      const l = this.lines[k]!;
      if (ind < l.length && ind <= parentIndent) bail();
      line = l;
    }
    const tail = line.slice(closed + 1).trim();
    if (tail !== '' && !tail.startsWith('#')) bail();
    if (tail.startsWith('#') && line.slice(closed + 1)[0] !== ' ') bail();
    this.i = k + 1;
    // Fold: trim around line breaks; a lone break → space, n empty lines → n newlines; an escaped
    // break (`\` at the end of a line in double quotes, PyYAML's wrapping) joins without a space.
    let s = '';
    let empties = 0;
    let noSep = false;
    for (let j = 0; j < raw.length; j++) {
      let seg = raw[j]!;
      if (j > 0) seg = seg.replace(/^[ \t]+/, '');
      const isLast = j === raw.length - 1;
      let escapedBreak = false;
      if (!isLast) {
        if (q === '"' && endsWithEscape(seg)) {
          seg = seg.slice(0, -1);
          escapedBreak = true;
        } else {
          if (q === '"' && /\\[ \t]+$/.test(seg)) bail(); // escaped trailing blank: leave to the full parser
          seg = seg.replace(/[ \t]+$/, '');
        }
      }
      if (j > 0 && seg === '' && !isLast && !escapedBreak) {
        if (noSep) bail();
        empties++;
        continue;
      }
      if (j > 0 && !noSep) s += empties > 0 ? '\n'.repeat(empties) : ' ';
      else if (j > 0 && empties > 0) bail();
      empties = 0;
      s += seg;
      noSep = escapedBreak;
    }
    if (empties > 0) bail();
    return q === "'" ? s.replace(/''/g, "'") : unescapeDouble(s);
  }

  private blockScalar(header: string, parentIndent: number): string {
    const m = /^([|>])([-+]?)(\s+#.*)?\s*$/.exec(header);
    if (!m) bail(); // explicit indentation indicators and odd headers: full parser
    const literal = m![1] === '|';
    const chomp = m![2];
    const body: string[] = [];
    let k = this.i + 1;
    let contentIndent = -1;
    for (; k < this.lines.length; k++) {
      const l = this.lines[k]!;
      const ind = this.indents[k]!;
      if (ind === l.length) {
        if (contentIndent >= 0 && ind > contentIndent) body.push(l.slice(contentIndent));
        else if (contentIndent < 0 && ind > 0 && ind > parentIndent + 1) bail(); // leading blank more indented than content: subtle
        else body.push('');
        continue;
      }
      if (contentIndent < 0) {
        if (ind <= parentIndent) break;
        contentIndent = ind;
      }
      if (ind < contentIndent) break;
      body.push(l.slice(contentIndent));
    }
    // Trailing empty lines belong to the scalar only through chomping; the lines after are not ours.
    let end = body.length;
    while (end > 0 && body[end - 1] === '') end--;
    const trailing = body.length - end;
    const content = body.slice(0, end);
    this.i = k;
    if (content.some((l) => l !== '' && (l[0] === ' ' || l[0] === '\t')) && !literal) bail(); // more-indented folded lines
    let text: string;
    if (literal) text = content.join('\n');
    else {
      text = '';
      let empties = 0;
      let started = false;
      for (const l of content) {
        if (l === '') {
          empties++;
          continue;
        }
        if (started) text += empties > 0 ? '\n'.repeat(empties) : ' ';
        else text += '\n'.repeat(empties);
        empties = 0;
        started = true;
        text += l;
      }
    }
    if (content.length === 0) {
      if (chomp === '+') bail();
      return '';
    }
    if (chomp === '-') return text;
    if (chomp === '+') return text + '\n'.repeat(trailing + 1);
    return text + '\n';
  }
}

function findSingleClose(s: string): number {
  for (let j = 0; j < s.length; j++) {
    if (s[j] === "'") {
      if (s[j + 1] === "'") {
        j++;
        continue;
      }
      return j;
    }
  }
  return -1;
}

function findDoubleClose(s: string): number {
  for (let j = 0; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '"') return j;
  }
  return -1;
}

function endsWithEscape(s: string): boolean {
  let n = 0;
  for (let j = s.length - 1; j >= 0 && s[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

function unescapeDouble(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let j = 0; j < s.length; j++) {
    const c = s[j]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++j];
    if (e === undefined) bail();
    const simple = SIMPLE_ESCAPES[e!];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (!len) bail();
    const hex = s.slice(j + 1, j + 1 + len);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) bail();
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) bail();
    out += String.fromCodePoint(cp);
    j += len;
  }
  return out;
}
