/**
 * Choosing one file for an engine request, the same way in both hosts: a native dialog (Electron) or a
 * file input (browser), and drag-and-drop onto the zone. In Electron a dropped file arrives as a
 * `files.dropped` event with the zone's purpose (the preload reads its path); in the browser as a File
 * that is uploaded when the request is made (uploads are single-use: each request uploads afresh).
 */
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { FilePurpose, FileRef } from '../../../common/contract';
import { useClient, useEngineMutation, useEngineQuery } from '../client/queries';
import type { UiClient } from '../client/engine';

export type Picked = { kind: 'file'; file: File } | { kind: 'ref'; ref: FileRef };

export function pickedName(p: Picked): string {
  return p.kind === 'file' ? p.file.name : (p.ref.name ?? (p.ref.kind === 'path' ? p.ref.path : p.ref.uploadId));
}

/** The FileRef to send: a path ref as it is, a browser File uploaded now. */
export async function refOf(client: UiClient, p: Picked, signal?: AbortSignal): Promise<FileRef> {
  return p.kind === 'ref' ? p.ref : client.fileRef(p.file, () => undefined, signal);
}

/** Files dropped on the Electron window for `purpose` (granted paths). */
export function useDroppedFiles(purpose: FilePurpose, onRefs: (refs: FileRef[]) => void): void {
  const client = useClient();
  const cb = useRef(onRefs);
  cb.current = onRefs;
  useEffect(() => client.subscribe('files.dropped', (e) => (e.purpose === purpose ? cb.current(e.files) : undefined)), [client, purpose]);
}

/** Drag-over feedback for a drop zone: `over` while files are dragged over it, and the handlers that track it. */
export function useDragOver(): { over: boolean; setOver(v: boolean): void; handlers: { onDragOver(e: DragEvent): void; onDragLeave(): void } } {
  const [over, setOver] = useState(false);
  return {
    over,
    setOver,
    handlers: {
      onDragOver: (e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      },
      onDragLeave: () => setOver(false),
    },
  };
}

export function FilePick({ purpose, label, value, onChange, testId, hint }: { purpose: FilePurpose; label: string; value: Picked | null; onChange(p: Picked | null): void; testId: string; hint?: ReactNode }) {
  const client = useClient();
  const info = useEngineQuery('app.info', {}, { staleTime: Infinity });
  const native = info.data?.nativeDialogs ?? client.mode === 'electron';
  const openFiles = useEngineMutation('files.open');
  const input = useRef<HTMLInputElement>(null);
  const { over, setOver, handlers } = useDragOver();
  const [error, setError] = useState<string | null>(null);
  useDroppedFiles(purpose, (refs) => refs[0] && onChange({ kind: 'ref', ref: refs[0] }));
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    // a drop here is this zone's, not the screen's around it
    e.stopPropagation();
    setOver(false);
    if (client.mode === 'electron') return;
    const f = e.dataTransfer.files[0];
    if (f) onChange({ kind: 'file', file: f });
  };
  return (
    <div
      className={`pick${over ? ' over' : ''}`}
      data-drop-purpose={purpose}
      data-testid={`${testId}-zone`}
      {...handlers}
      onDrop={onDrop}
    >
      <span className="pick-label" id={`${testId}-label`}>
        {label}
      </span>
      <span className="mono pick-name" data-testid={`${testId}-name`}>
        {value ? pickedName(value) : <span className="muted">none — drop a file here or choose one</span>}
      </span>
      {native ? (
        <button
          type="button"
          aria-label={`Choose… (${label})`}
          onClick={async () => {
            setError(null);
            try {
              const refs = await openFiles.mutateAsync({ purpose });
              if (refs[0]) onChange({ kind: 'ref', ref: refs[0] });
            } catch (e) {
              setError((e as Error).message);
            }
          }}
        >
          Choose…
        </button>
      ) : (
        <>
          <button type="button" aria-label={`Choose… (${label})`} onClick={() => input.current?.click()}>
            Choose…
          </button>
          <input
            ref={input}
            type="file"
            hidden
            aria-labelledby={`${testId}-label`}
            data-testid={testId}
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) onChange({ kind: 'file', file: f });
            }}
          />
        </>
      )}
      {value && (
        <button type="button" className="link" onClick={() => onChange(null)} aria-label={`Clear ${label}`}>
          clear
        </button>
      )}
      {hint && <span className="muted">{hint}</span>}
      {error && (
        <span role="alert" className="muted">
          {error}
        </span>
      )}
    </div>
  );
}
