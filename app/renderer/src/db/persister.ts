/**
 * A react-query Persister backed by the Dexie `queryCache` table. The whole dehydrated client is one
 * row (react-query throttles saves); what gets dehydrated is decided in the QueryClient provider
 * (big per-scan finding lists are excluded — they are cheap to refetch and expensive to store).
 */
import type { PersistedClient, Persister } from '@tanstack/query-persist-client-core';
import type { StellaUiDb } from './db';

const KEY = 'react-query';

export function createDexiePersister(db: StellaUiDb, key: string = KEY): Persister {
  return {
    async persistClient(client: PersistedClient) {
      await db.queryCache.put({ key, value: JSON.stringify(client), savedAt: client.timestamp });
    },
    async restoreClient() {
      const row = await db.queryCache.get(key);
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as PersistedClient;
      } catch {
        // A corrupt cache is only a cache: drop it and start cold.
        await db.queryCache.delete(key);
        return undefined;
      }
    },
    async removeClient() {
      await db.queryCache.delete(key);
    },
  };
}
