/**
 * The Monaco editor of one draft: a text model per pack file (so undo history survives switching
 * files), the `stella-dsl` language for `.stella` files, lint markers on every model. Models are
 * disposed with the component or when the draft changes.
 */
import { useEffect, useRef } from 'react';
import type { PackFile, PolicyDiagnostic } from '../../../common/contract';
import { markersFor } from './language-support';
import { LANGUAGE_ID, monaco, registerStellaDsl, setMarkers } from './monaco-setup';

export interface RevealTarget {
  file: string;
  line: number;
  column: number;
  /** Changes on every request, so the same place can be revealed twice. */
  nonce: number;
}

export interface PolicyEditorProps {
  draftId: string;
  files: PackFile[];
  activeFile: string;
  diagnostics: readonly PolicyDiagnostic[];
  dark: boolean;
  reveal: RevealTarget | null;
  onChange(path: string, text: string): void;
}

export function PolicyEditor({ draftId, files, activeFile, diagnostics, dark, reveal, onChange }: PolicyEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const models = useRef(new Map<string, monaco.editor.ITextModel>());
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const filesRef = useRef(files);
  filesRef.current = files;

  useEffect(() => {
    registerStellaDsl();
    const el = host.current;
    if (!el) return;
    const editor = monaco.editor.create(el, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
      ariaLabel: 'Policy source editor',
      renderValidationDecorations: 'on',
      fixedOverflowWidgets: true,
      // Tab moves focus out of the editor for keyboard users until they toggle it (Ctrl+M), as in VS Code's screen-reader mode.
      tabFocusMode: true,
    });
    editorRef.current = editor;
    return () => {
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  // One model per file of this draft; a new draft replaces them all.
  useEffect(() => {
    const map = models.current;
    for (const f of filesRef.current) {
      const uri = monaco.Uri.from({ scheme: 'stella-draft', authority: encodeURIComponent(draftId), path: `/${f.path}` });
      const model = monaco.editor.createModel(f.text, f.path.endsWith('.stella') ? LANGUAGE_ID : 'plaintext', uri);
      model.onDidChangeContent(() => changeRef.current(f.path, model.getValue()));
      map.set(f.path, model);
    }
    return () => {
      editorRef.current?.setModel(null);
      for (const m of map.values()) m.dispose();
      map.clear();
    };
    // files are read once per draft: later edits come from the models themselves
  }, [draftId, files.length]);

  useEffect(() => {
    const model = models.current.get(activeFile) ?? null;
    if (editorRef.current && editorRef.current.getModel() !== model) editorRef.current.setModel(model);
  }, [activeFile, draftId, files.length]);

  useEffect(() => {
    for (const [path, model] of models.current) setMarkers(model, markersFor(diagnostics, path));
  }, [diagnostics, draftId, files.length]);

  useEffect(() => {
    monaco.editor.setTheme(dark ? 'vs-dark' : 'vs');
  }, [dark]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!reveal || !editor) return;
    const model = models.current.get(reveal.file);
    if (!model) return;
    if (editor.getModel() !== model) editor.setModel(model);
    editor.setPosition({ lineNumber: reveal.line, column: reveal.column });
    editor.revealPositionInCenter({ lineNumber: reveal.line, column: reveal.column });
    editor.focus();
  }, [reveal]);

  return <div ref={host} className="policy-editor" data-testid="policy-editor" data-active-file={activeFile} />;
}
