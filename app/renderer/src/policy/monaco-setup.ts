/**
 * Monaco, the core editor only: the editor API, the few contributions the policy studio uses (hover,
 * completion, find, bracket matching, comments, folding, markers navigation, context menu, clipboard)
 * and no other language. Loaded only by the lazily loaded policy studio, so the rest of the app never
 * downloads it. Registers the `stella-dsl` language once: Monarch highlighting, completion and hover
 * from the generated vocabulary (language-support.ts); diagnostics come from `policy.lint` in the
 * engine's worker and are set as markers by the studio.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/wordHighlighter/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { POLICY_MONARCH } from '../../../common/policy-language.gen';
import { completionsAt, hoverAt, type CompletionKind, type MarkerData } from './language-support';

export const LANGUAGE_ID = 'stella-dsl';

// The editor's own worker (text model diffing, word ranges) is a bundled module worker from 'self':
// the Electron and serve Content-Security-Policies allow `worker-src 'self' blob:`, script-src stays 'self'.
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = { getWorker: () => new EditorWorker() };

let registered = false;

function kindOf(k: CompletionKind): monaco.languages.CompletionItemKind {
  switch (k) {
    case 'field':
      return monaco.languages.CompletionItemKind.Field;
    case 'function':
      return monaco.languages.CompletionItemKind.Function;
    case 'keyword':
      return monaco.languages.CompletionItemKind.Keyword;
    case 'value':
      return monaco.languages.CompletionItemKind.EnumMember;
    case 'setting':
      return monaco.languages.CompletionItemKind.Property;
  }
}

export function registerStellaDsl(): typeof monaco {
  if (registered) return monaco;
  registered = true;
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.stella'], aliases: ['stella-dsl', 'Stella policy'] });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, POLICY_MONARCH as unknown as monaco.languages.IMonarchLanguage);
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    comments: { lineComment: '#', blockComment: ['/*', '*/'] },
    brackets: [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '(', close: ')' },
      { open: '"', close: '"', notIn: ['string', 'comment'] },
    ],
    wordPattern: /[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*|-?\d+(?:\.\d+)?/,
  });
  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ['.', '"'],
    provideCompletionItems(model, position) {
      const { items, word } = completionsAt(model.getValue(), position.lineNumber, position.column);
      const range = word && word.startColumn <= position.column ? new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, Math.max(position.column, word.endColumn)) : new monaco.Range(position.lineNumber, position.column, position.lineNumber, position.column);
      return {
        suggestions: items.map((i) => ({ label: i.label, kind: kindOf(i.kind), insertText: i.insertText, detail: i.detail, documentation: i.documentation ? { value: i.documentation } : undefined, range })),
      };
    },
  });
  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    provideHover(model, position) {
      const h = hoverAt(model.getValue(), position.lineNumber, position.column);
      if (!h) return null;
      return {
        range: new monaco.Range(position.lineNumber, h.word.startColumn, position.lineNumber, h.word.endColumn),
        contents: [{ value: `**${h.doc.title}**` }, { value: h.doc.doc }, ...(h.doc.example ? [{ value: `Example: \`${h.doc.example}\`` }] : [])],
      };
    },
  });
  return monaco;
}

export function setMarkers(model: monaco.editor.ITextModel, markers: readonly MarkerData[]): void {
  monaco.editor.setModelMarkers(
    model,
    'policy.lint',
    markers.map((m) => ({ ...m, severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning })),
  );
}

export { monaco };
