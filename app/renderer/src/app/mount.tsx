import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { App } from './App';
import './styles.css';
import { ThemeProvider, UiDbProvider } from './ui-db';
import type { UiClient } from '../client/engine';
import { createQueryClient, EngineProvider } from '../client/queries';
import { openUiDb, type StellaUiDb } from '../db/db';

/** The UI-local IndexedDB, or null where there is none (private mode …): the UI works, it just forgets views and preferences. */
export function openDb(): StellaUiDb | null {
  try {
    return typeof indexedDB === 'undefined' ? null : openUiDb();
  } catch {
    return null;
  }
}

/**
 * Render the workstation into #root over `client`. `persistQueries: false` keeps the query cache out of
 * IndexedDB (the bench's synthetic client must not leave cached results behind).
 */
export function mountApp(client: UiClient, opts: { persistQueries?: boolean } = {}): void {
  // The contract validates replies with zod; its JIT uses `new Function`, which our CSP forbids.
  zodConfig({ jitless: true });
  const db = openDb();
  const queryClient = createQueryClient();
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <UiDbProvider value={db}>
        <EngineProvider client={client} queryClient={queryClient} db={opts.persistQueries === false ? null : db}>
          <ThemeProvider>
            <App />
          </ThemeProvider>
        </EngineProvider>
      </UiDbProvider>
    </StrictMode>,
  );
}
