import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { App } from './app/App';
import './app/styles.css';
import { ThemeProvider, UiDbProvider } from './app/ui-db';
import { detectClient, type UiClient } from './client/engine';
import { createQueryClient, EngineProvider } from './client/queries';
import { openUiDb, type StellaUiDb } from './db/db';
import { benchClient } from './findings/bench';

// The contract validates replies with zod; its JIT uses `new Function`, which our CSP forbids.
zodConfig({ jitless: true });

function openDb(): StellaUiDb | null {
  try {
    return typeof indexedDB === 'undefined' ? null : openUiDb();
  } catch {
    return null; // private mode etc.: the UI works, it just forgets views and preferences
  }
}

const params = new URLSearchParams(window.location.search);
// `?bench=<rows>` (bench only): an in-memory client serving one synthetic scan of that many findings.
const benchRows = Number(params.get('bench') ?? 0);
const client: UiClient = benchRows > 0 ? benchClient(benchRows) : detectClient();
const db = openDb();
const queryClient = createQueryClient();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <UiDbProvider value={db}>
      <EngineProvider client={client} queryClient={queryClient} db={benchRows > 0 ? null : db}>
        <ThemeProvider>
          <App />
        </ThemeProvider>
      </EngineProvider>
    </UiDbProvider>
  </StrictMode>,
);
