/** React access to the Dexie UI database and the theme preference kept in it. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { DetectionMode } from '../../../common/contract';
import { getPreference, setPreference, type StellaUiDb } from '../db/db';

const DbContext = createContext<StellaUiDb | null>(null);
export const UiDbProvider = DbContext.Provider;

export function useUiDb(): StellaUiDb | null {
  return useContext(DbContext);
}

export type ThemePref = 'system' | 'light' | 'dark';
interface ThemeCtx {
  pref: ThemePref;
  effective: 'light' | 'dark';
  setPref(p: ThemePref): void;
}
const ThemeContext = createContext<ThemeCtx>({ pref: 'system', effective: 'light', setPref: () => {} });
export const useTheme = () => useContext(ThemeContext);

function systemTheme(): 'light' | 'dark' {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function ThemeProvider({ children }: { children: ReactNode }) {
  const db = useUiDb();
  const [pref, setPrefState] = useState<ThemePref>('system');
  const [system, setSystem] = useState<'light' | 'dark'>(systemTheme);

  useEffect(() => {
    if (!db) return;
    void getPreference<ThemePref>(db, 'theme', 'system').then(setPrefState);
  }, [db]);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const on = () => setSystem(mq.matches ? 'dark' : 'light');
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const effective = pref === 'system' ? system : pref;
  useEffect(() => {
    document.documentElement.dataset.theme = effective;
  }, [effective]);
  const setPref = useCallback(
    (p: ThemePref) => {
      setPrefState(p);
      if (db) void setPreference(db, 'theme', p);
    },
    [db],
  );
  return <ThemeContext.Provider value={{ pref, effective, setPref }}>{children}</ThemeContext.Provider>;
}

/**
 * The detection mode every scan is started with (Settings): `default` matches a language package that a
 * distro OS package installed only through that package's advisories; `comprehensive` matches it as both.
 * Kept as a UI preference (IndexedDB) and sent with each scan request.
 */
export function useDetection(): { detection: DetectionMode; setDetection(d: DetectionMode): void } {
  const db = useUiDb();
  const [detection, setState] = useState<DetectionMode>('default');
  useEffect(() => {
    if (!db) return;
    void getPreference<DetectionMode>(db, 'detection', 'default').then((d) => setState(d === 'comprehensive' ? 'comprehensive' : 'default'));
  }, [db]);
  const setDetection = useCallback(
    (d: DetectionMode) => {
      setState(d);
      if (db) void setPreference(db, 'detection', d);
    },
    [db],
  );
  return { detection, setDetection };
}
