/**
 * The policy editor's language logic without Monaco: what to complete and what to document at a
 * position, and how lint diagnostics become editor markers. Pure functions over text, so node:test
 * covers them; monaco-setup.ts only adapts them to Monaco's provider shapes. The vocabulary is the
 * generated copy of engine/policy/language.ts (app/common/policy-language.gen.ts).
 */
import type { PolicyDiagnostic } from '../../../common/contract';
import {
  POLICY_ACTIONS,
  POLICY_DOCS,
  POLICY_ENV,
  POLICY_FIELDS,
  POLICY_FUNCTIONS,
  POLICY_KEYWORDS,
  POLICY_SETTINGS,
  POLICY_STATUSES,
  POLICY_VEX_ANY_DOCS,
  POLICY_VEX_STATEMENT_FIELDS,
  type PolicyFieldData,
  type PolicyNameDoc,
} from '../../../common/policy-language.gen';

export type CompletionKind = 'field' | 'function' | 'keyword' | 'value' | 'setting';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  insertText: string;
  detail: string;
  documentation: string;
}

export interface WordAt {
  word: string;
  /** 1-based columns, end exclusive. */
  startColumn: number;
  endColumn: number;
}

const WORD_CHAR = /[A-Za-z0-9_.]/;

/** The dotted name under (or just before) a 1-based column of a line. */
export function wordAt(line: string, column: number): WordAt | null {
  let start = column - 1;
  let end = column - 1;
  while (start > 0 && WORD_CHAR.test(line[start - 1] ?? '')) start--;
  while (end < line.length && WORD_CHAR.test(line[end] ?? '')) end++;
  const word = line.slice(start, end).replace(/\.+$/, '');
  if (!word || !/^[A-Za-z_]/.test(word)) return null;
  return { word, startColumn: start + 1, endColumn: start + 1 + word.length };
}

/** Is the offset inside the parentheses of a `vex.any(...)` (where the statement fields are in scope)? */
export function insideVexAny(textBefore: string): boolean {
  const code = stripCommentsAndStrings(textBefore);
  let idx = code.lastIndexOf('vex.any(');
  while (idx >= 0) {
    let depth = 0;
    for (let i = idx + 'vex.any'.length; i < code.length; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')') depth--;
      if (depth === 0) break;
    }
    if (depth > 0) return true;
    idx = code.lastIndexOf('vex.any(', idx - 1);
  }
  return false;
}

/** Comments and string contents blanked (same length), so brackets and words inside them don't count. */
function stripCommentsAndStrings(s: string): string {
  return s
    .replace(/"(?:[^"\\\n]|\\.)*"?/g, (m) => `"${' '.repeat(Math.max(0, m.length - 2))}${m.length > 1 && m.endsWith('"') ? '"' : ' '}`)
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, (m) => ' '.repeat(m.length))
    .replace(/(#|\/\/)[^\n]*/g, (m) => ' '.repeat(m.length));
}

/** The field a comparison on the current line compares (for value completion inside a string). */
function comparedField(lineBefore: string, fields: readonly PolicyFieldData[]): PolicyFieldData | undefined {
  const m = /([A-Za-z_][\w.]*)\s*(?:==|!=|in\s*\[[^\]]*)\s*"?[^"]*$/.exec(lineBefore);
  return m ? fields.find((f) => f.path === m[1]) : undefined;
}

/**
 * Completion items at a position: inside a string after `field ==` / `field in [` the field's values;
 * after `status :=` the statuses; inside `vex.any(...)` the statement fields; else built-in fields and
 * functions, keywords, actions and settings — filtered by the dotted prefix typed so far.
 */
export function completionsAt(text: string, line: number, column: number): { items: CompletionItem[]; word: WordAt | null } {
  const lines = text.split('\n');
  const lineText = lines[line - 1] ?? '';
  const lineBefore = lineText.slice(0, column - 1);
  const textBefore = [...lines.slice(0, line - 1), lineBefore].join('\n');
  const inVexAny = insideVexAny(textBefore);
  const quotes = (lineBefore.match(/"/g) ?? []).length;
  const word = wordAt(lineText, column);
  const fields = inVexAny ? [...POLICY_VEX_STATEMENT_FIELDS, ...POLICY_FIELDS] : POLICY_FIELDS;

  if (quotes % 2 === 1) {
    // Inside a string literal: offer the values the compared field (or `status :=`) takes.
    if (/status\s*:=\s*"[^"]*$/.test(lineBefore) || /otherwise\s*=\s*"[^"]*$/.test(lineBefore)) {
      return { items: POLICY_STATUSES.map((s) => value(s, 'policy status')), word: null };
    }
    const f = comparedField(lineBefore, fields);
    return { items: (f?.values ?? []).map((v) => value(v, `${f?.path ?? ''} value`)), word: null };
  }

  const prefix = word && word.startColumn <= column ? lineText.slice(word.startColumn - 1, column - 1) : '';
  const items: CompletionItem[] = [];
  if (inVexAny) for (const f of POLICY_VEX_STATEMENT_FIELDS) items.push(fieldItem(f, 'VEX statement field'));
  for (const f of POLICY_FIELDS) items.push(fieldItem(f, f.type));
  for (const f of POLICY_FUNCTIONS) items.push({ label: f.name, kind: 'function', insertText: `${f.name}(`, detail: f.signature, documentation: `${f.doc}\n\nExample: \`${f.example}\`` });
  items.push({ label: POLICY_ENV.prefix, kind: 'field', insertText: POLICY_ENV.prefix, detail: 'env.NAME: any', documentation: POLICY_ENV.doc });
  for (const k of POLICY_KEYWORDS) {
    const a = POLICY_ACTIONS.find((x) => x.kind === k);
    items.push({ label: k, kind: 'keyword', insertText: k, detail: a ? a.syntax : 'keyword', documentation: a?.doc ?? '' });
  }
  for (const s of POLICY_SETTINGS) items.push({ label: s.key, kind: 'setting', insertText: `${s.key} = `, detail: `${s.type} (default ${s.default})`, documentation: s.doc });
  const seen = new Set<string>();
  const filtered = items.filter((i) => {
    if (seen.has(i.label)) return false;
    seen.add(i.label);
    return i.label.toLowerCase().startsWith(prefix.toLowerCase());
  });
  return { items: filtered, word };
}

function fieldItem(f: PolicyFieldData, detail: string): CompletionItem {
  return { label: f.path, kind: 'field', insertText: f.path, detail: `${f.path}: ${detail}`, documentation: `${f.doc}\n\nExample: \`${f.example}\`` };
}

function value(v: string, detail: string): CompletionItem {
  return { label: v, kind: 'value', insertText: v, detail, documentation: '' };
}

/** The documentation of the built-in name at a position, with the word's range; null over anything else. */
export function hoverAt(text: string, line: number, column: number): { doc: PolicyNameDoc; word: WordAt } | null {
  const lines = text.split('\n');
  const lineText = lines[line - 1] ?? '';
  const word = wordAt(lineText, column);
  if (!word) return null;
  const textBefore = [...lines.slice(0, line - 1), lineText.slice(0, word.startColumn - 1)].join('\n');
  const doc = describe(word.word, insideVexAny(textBefore));
  return doc ? { doc, word } : null;
}

/** engine/policy's `describeName` over the generated tables. */
export function describe(name: string, inVexAny: boolean): PolicyNameDoc | null {
  if (inVexAny && POLICY_VEX_ANY_DOCS[name]) return POLICY_VEX_ANY_DOCS[name] ?? null;
  const d = POLICY_DOCS[name];
  if (d) return d;
  if (name.startsWith(POLICY_ENV.prefix) && name.length > POLICY_ENV.prefix.length) return { title: `${name}: any`, doc: POLICY_ENV.doc };
  return null;
}

export interface MarkerData {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  severity: 'error' | 'warning';
  message: string;
  code: string;
}

/**
 * The lint diagnostics of one file as editor markers (1-based, end exclusive). A zero-width range is
 * widened to one character so the squiggle is visible.
 */
export function markersFor(diagnostics: readonly PolicyDiagnostic[], file: string): MarkerData[] {
  return diagnostics
    .filter((d) => d.file === file)
    .map((d) => {
      const startLineNumber = Math.max(1, d.line);
      const startColumn = Math.max(1, d.column);
      let endLineNumber = Math.max(startLineNumber, d.endLine);
      let endColumn = d.endColumn;
      if (endLineNumber < startLineNumber || (endLineNumber === startLineNumber && endColumn <= startColumn)) {
        endLineNumber = startLineNumber;
        endColumn = startColumn + 1;
      }
      return { startLineNumber, startColumn, endLineNumber, endColumn, severity: d.severity, message: d.message, code: d.code };
    });
}
