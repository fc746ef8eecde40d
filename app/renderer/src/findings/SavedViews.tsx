/** Saved views of the findings explorer ({filters, sort, groupBy, columns}), kept in Dexie. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useUiDb } from '../app/ui-db';
import { deleteView, listSavedViews, saveView, type FindingsViewState, type SavedView } from '../db/db';

export function useSavedViews() {
  const db = useUiDb();
  const [views, setViews] = useState<SavedView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const reload = useCallback(async () => {
    if (!db) return;
    setViews(await listSavedViews(db, 'findings'));
    setLoaded(true);
  }, [db]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return {
    available: !!db,
    loaded,
    views,
    async save(name: string, state: FindingsViewState) {
      if (!db) throw new Error('saved views need IndexedDB, which this browser profile does not allow');
      const v = await saveView(db, 'findings', name, state);
      await reload();
      return v;
    },
    async remove(id: number) {
      if (!db) return;
      await deleteView(db, id);
      await reload();
    },
  };
}

export function SavedViewsBar({ current, activeId, onApply, onActiveId }: { current: FindingsViewState; activeId: number | null; onApply(v: SavedView): void; onActiveId(id: number | null): void }) {
  const sv = useSavedViews();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const appliedFromUrl = useRef(false);
  // A view id in the URL (#/findings?view=3) is applied once the views have loaded.
  useEffect(() => {
    if (appliedFromUrl.current || !sv.loaded || activeId === null) return;
    appliedFromUrl.current = true;
    const v = sv.views.find((x) => x.id === activeId);
    if (v) onApply(v);
    else onActiveId(null);
  }, [sv.loaded, sv.views, activeId, onApply, onActiveId]);

  if (!sv.available) return <span className="muted">Saved views unavailable (IndexedDB disabled).</span>;
  const active = sv.views.find((v) => v.id === activeId);

  return (
    <div className="row" role="group" aria-label="Saved views">
      <label>
        View{' '}
        <select
          aria-label="Saved view"
          data-testid="saved-view-select"
          value={activeId ?? ''}
          onChange={(e) => {
            const id = Number(e.target.value);
            const v = sv.views.find((x) => x.id === id);
            if (v) {
              onApply(v);
              onActiveId(id);
              setStatus(`Applied “${v.name}”`);
            } else onActiveId(null);
          }}
        >
          <option value="">(unsaved)</option>
          {sv.views.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          sv.save(name || active?.name || '', current).then(
            (v) => {
              onActiveId(v.id ?? null);
              setName('');
              setStatus(`Saved “${v.name}”`);
            },
            (err: Error) => setError(err.message),
          );
        }}
      >
        <input type="text" placeholder={active ? active.name : 'View name'} aria-label="Name for the saved view" value={name} onChange={(e) => setName(e.target.value)} data-testid="view-name" maxLength={80} />
        <button type="submit" data-testid="save-view" disabled={!name.trim() && !active}>
          {active && !name.trim() ? 'Update view' : 'Save view'}
        </button>
      </form>
      {active && (
        <button
          type="button"
          className="danger"
          onClick={() => {
            void sv.remove(active.id as number).then(() => {
              onActiveId(null);
              setStatus(`Deleted “${active.name}”`);
            });
          }}
          aria-label={`Delete saved view ${active.name}`}
        >
          Delete
        </button>
      )}
      <span className="muted" role="status" aria-live="polite" data-testid="view-status">
        {error ?? status}
      </span>
    </div>
  );
}
