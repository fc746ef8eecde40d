import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deleteView, getDraft, getPreference, listSavedViews, openUiDb, saveDraft, saveView, setPreference, type FindingsViewState } from './db';
import { createDexiePersister } from './persister';

const fresh = () => openUiDb({ indexedDB: new IDBFactory(), IDBKeyRange }, 'stella-ui-test');

const state = (over: Partial<FindingsViewState> = {}): FindingsViewState => ({
  filters: { text: '', severities: ['critical'], ecosystems: [], kevOnly: true, fixableOnly: false },
  sort: { key: 'severity', dir: 'desc' },
  groupBy: 'package',
  columns: ['vulnerabilityId', 'packageName'],
  ...over,
});

test('saved views: save, list sorted by name, overwrite by name, delete', async () => {
  const db = fresh();
  await saveView(db, 'findings', 'zeta', state(), 1);
  const a = await saveView(db, 'findings', '  KEV only ', state(), 2);
  assert.equal(a.name, 'KEV only');
  let views = await listSavedViews(db, 'findings');
  assert.deepEqual(views.map((v) => v.name), ['KEV only', 'zeta']);
  assert.deepEqual(views[0]?.state, state());

  const b = await saveView(db, 'findings', 'KEV only', state({ groupBy: 'severity' }), 3);
  assert.equal(b.id, a.id, 'same name overwrites the same row');
  views = await listSavedViews(db, 'findings');
  assert.equal(views.length, 2);
  assert.equal(views[0]?.state.groupBy, 'severity');
  assert.equal(views[0]?.createdAt, 2);
  assert.equal(views[0]?.updatedAt, 3);

  await deleteView(db, a.id as number);
  assert.deepEqual((await listSavedViews(db, 'findings')).map((v) => v.name), ['zeta']);
  await assert.rejects(saveView(db, 'findings', '   ', state()), /needs a name/);
  db.close();
});

test('saved views survive closing and reopening the database', async () => {
  const factory = new IDBFactory();
  const db1 = openUiDb({ indexedDB: factory, IDBKeyRange }, 'persist');
  await saveView(db1, 'findings', 'mine', state());
  db1.close();
  const db2 = openUiDb({ indexedDB: factory, IDBKeyRange }, 'persist');
  assert.deepEqual((await listSavedViews(db2, 'findings')).map((v) => v.name), ['mine']);
  db2.close();
});

test('preferences fall back to the default and round-trip values', async () => {
  const db = fresh();
  assert.equal(await getPreference(db, 'theme', 'system'), 'system');
  await setPreference(db, 'theme', 'dark');
  assert.equal(await getPreference(db, 'theme', 'system'), 'dark');
  await setPreference(db, 'columns', ['a', 'b']);
  assert.deepEqual(await getPreference<string[]>(db, 'columns', []), ['a', 'b']);
  db.close();
});

test('drafts are stored with their update time', async () => {
  const db = fresh();
  await saveDraft(db, { id: 'policy:default', kind: 'policy', content: 'rule x {}' }, 42);
  assert.deepEqual(await getDraft(db, 'policy:default'), { id: 'policy:default', kind: 'policy', content: 'rule x {}', updatedAt: 42 });
  db.close();
});

test('query-cache persister round-trips, drops corrupt rows and removes', async () => {
  const db = fresh();
  const p = createDexiePersister(db);
  assert.equal(await p.restoreClient(), undefined);
  const client = { timestamp: 5, buster: 'v1', clientState: { queries: [], mutations: [] } };
  await p.persistClient(client);
  assert.deepEqual(await p.restoreClient(), client);
  await db.queryCache.put({ key: 'react-query', value: '{not json', savedAt: 1 });
  assert.equal(await p.restoreClient(), undefined);
  assert.equal(await db.queryCache.count(), 0);
  await p.persistClient(client);
  await p.removeClient();
  assert.equal(await p.restoreClient(), undefined);
  db.close();
});
