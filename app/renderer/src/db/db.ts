/**
 * UI-local state in IndexedDB (Dexie database `stella-ui`). Evidence never lives here — only what the
 * user arranged: saved views, preferences, policy drafts and the persisted react-query cache.
 */
import Dexie, { type EntityTable } from 'dexie';

export type SortDir = 'asc' | 'desc';
export type GroupBy = 'none' | 'severity' | 'package' | 'ecosystem' | 'fixable' | 'kev';

export interface FindingFilters {
  text: string;
  severities: string[];
  ecosystems: string[];
  kevOnly: boolean;
  fixableOnly: boolean;
}

export interface FindingsViewState {
  filters: FindingFilters;
  sort: { key: string; dir: SortDir };
  groupBy: GroupBy;
  columns: string[];
}

export interface SavedView {
  id?: number;
  name: string;
  /** Which explorer the view belongs to (only 'findings' for now). */
  screen: 'findings';
  state: FindingsViewState;
  createdAt: number;
  updatedAt: number;
}

export interface Preference {
  key: string;
  value: unknown;
}

export interface Draft {
  id: string;
  kind: string;
  content: string;
  updatedAt: number;
}

export interface QueryCacheEntry {
  key: string;
  value: string;
  savedAt: number;
}

export type StellaUiDb = Dexie & {
  savedViews: EntityTable<SavedView, 'id'>;
  preferences: EntityTable<Preference, 'key'>;
  drafts: EntityTable<Draft, 'id'>;
  queryCache: EntityTable<QueryCacheEntry, 'key'>;
};

export const UI_DB_NAME = 'stella-ui';

/** Opens (or creates) the UI database. `options` lets Node tests pass fake-indexeddb. */
export function openUiDb(options?: ConstructorParameters<typeof Dexie>[1], name: string = UI_DB_NAME): StellaUiDb {
  const db = new Dexie(name, options) as StellaUiDb;
  db.version(1).stores({
    savedViews: '++id, &[screen+name], screen, updatedAt',
    preferences: 'key',
    drafts: 'id, kind, updatedAt',
    queryCache: 'key',
  });
  return db;
}

// ---------- saved views ----------
export async function listSavedViews(db: StellaUiDb, screen: SavedView['screen']): Promise<SavedView[]> {
  const rows = await db.savedViews.where('screen').equals(screen).toArray();
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** Saves a view by name: an existing view with the same name is overwritten (same id). */
export async function saveView(db: StellaUiDb, screen: SavedView['screen'], name: string, state: FindingsViewState, now: number = Date.now()): Promise<SavedView> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('a saved view needs a name');
  return db.transaction('rw', db.savedViews, async () => {
    const existing = await db.savedViews.where('[screen+name]').equals([screen, trimmed]).first();
    const view: SavedView = existing
      ? { ...existing, state: structuredClone(state), updatedAt: now }
      : { name: trimmed, screen, state: structuredClone(state), createdAt: now, updatedAt: now };
    const id = await db.savedViews.put(view);
    return { ...view, id: id as number };
  });
}

export async function deleteView(db: StellaUiDb, id: number): Promise<void> {
  await db.savedViews.delete(id);
}

// ---------- preferences ----------
export async function getPreference<T>(db: StellaUiDb, key: string, fallback: T): Promise<T> {
  const row = await db.preferences.get(key);
  return row === undefined ? fallback : (row.value as T);
}

export async function setPreference(db: StellaUiDb, key: string, value: unknown): Promise<void> {
  await db.preferences.put({ key, value });
}

// ---------- drafts (autosaved, for the policy editor) ----------
export async function saveDraft(db: StellaUiDb, draft: Omit<Draft, 'updatedAt'>, now: number = Date.now()): Promise<void> {
  await db.drafts.put({ ...draft, updatedAt: now });
}

export async function getDraft(db: StellaUiDb, id: string): Promise<Draft | undefined> {
  return db.drafts.get(id);
}

/** Every draft of a kind, most recently changed first. */
export async function listDrafts(db: StellaUiDb, kind: string): Promise<Draft[]> {
  const rows = await db.drafts.where('kind').equals(kind).toArray();
  return rows.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

export async function deleteDraft(db: StellaUiDb, id: string): Promise<void> {
  await db.drafts.delete(id);
}
