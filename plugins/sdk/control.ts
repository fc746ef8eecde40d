/**
 * RFC 822-style "control" paragraphs as used by Debian (`var/lib/dpkg/status`, `status.d/*`) and by
 * Python core metadata (METADATA / PKG-INFO, which is an e-mail header block followed by a body).
 *
 * The parser never throws: lines it cannot read become located problems (1-based line numbers), and
 * paragraphs before and after them are still returned, so an analyzer can keep partial results.
 */

export interface ControlField {
  /** Field name as written (case preserved). */
  name: string;
  /** Value with continuation lines joined by `\n` (leading space of each continuation removed). */
  value: string;
  /** 1-based line of the field name. */
  line: number;
}

export interface ControlParagraph {
  /** 1-based line where the paragraph starts. */
  line: number;
  fields: ControlField[];
  /** Case-insensitive lookup of the first field with this name (trimmed value), or undefined. */
  get(name: string): string | undefined;
}

export interface ControlProblem {
  line: number;
  message: string;
}

export interface ControlParseResult {
  paragraphs: ControlParagraph[];
  problems: ControlProblem[];
  /** Set in `headersOnly` mode: the text after the header block (a METADATA description body). */
  body?: string;
}

export interface ControlParseOptions {
  /**
   * Stop after the first paragraph and return the rest as `body` (e-mail / Python core metadata).
   * Default false (Debian: every paragraph is a record).
   */
  headersOnly?: boolean;
  /** Lines starting with `#` are comments (Debian source control files). Default false. */
  comments?: boolean;
}

const FIELD_RE = /^([!-9;-~][!-9;-~]*):(.*)$/; // any printable except ':' and space, then ':'

function makeParagraph(line: number, fields: ControlField[]): ControlParagraph {
  return {
    line,
    fields,
    get(name: string): string | undefined {
      const lower = name.toLowerCase();
      const f = fields.find((x) => x.name.toLowerCase() === lower);
      return f?.value.trim();
    },
  };
}

/** Parse control paragraphs separated by blank lines (lines containing only whitespace count as blank). */
export function parseControl(text: string, opts: ControlParseOptions = {}): ControlParseResult {
  const lines = text.split(/\r?\n/);
  const paragraphs: ControlParagraph[] = [];
  const problems: ControlProblem[] = [];
  let fields: ControlField[] = [];
  let start = 0;
  let current: ControlField | undefined;
  const flush = (): void => {
    if (fields.length) paragraphs.push(makeParagraph(start, fields));
    fields = [];
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    if (raw.trim() === '') {
      flush();
      if (opts.headersOnly && paragraphs.length) {
        return { paragraphs, problems, body: lines.slice(i + 1).join('\n') };
      }
      continue;
    }
    if (opts.comments && raw.startsWith('#')) continue;
    if (raw.startsWith(' ') || raw.startsWith('\t')) {
      if (!current) {
        problems.push({ line: lineNo, message: 'continuation line without a field before it (expected "Field: value")' });
        continue;
      }
      const cont = raw.slice(1);
      // Debian writes an empty line inside a multi-line value as " ."
      current.value += `\n${cont === '.' ? '' : cont}`;
      continue;
    }
    const m = FIELD_RE.exec(raw);
    if (!m) {
      problems.push({ line: lineNo, message: `not a control field: ${JSON.stringify(raw.slice(0, 60))} (expected "Field: value")` });
      current = undefined;
      continue;
    }
    if (!fields.length) start = lineNo;
    current = { name: m[1] ?? '', value: (m[2] ?? '').replace(/^[ \t]+/, ''), line: lineNo };
    fields.push(current);
  }
  flush();
  return opts.headersOnly ? { paragraphs, problems, body: '' } : { paragraphs, problems };
}
