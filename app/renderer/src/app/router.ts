/** Hash routing (`#/findings?scan=…`): works from file:// in Electron and from serve alike. */
import { useCallback, useSyncExternalStore } from 'react';

export const ROUTES = ['dashboard', 'import', 'findings', 'sbom', 'advisories', 'settings', 'image', 'attestations', 'audit', 'policy', 'vex', 'export', 'kits'] as const;
export type RouteName = (typeof ROUTES)[number];

export interface Route {
  name: RouteName;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = h.split('?');
  const name = (ROUTES as readonly string[]).includes(path) ? (path as RouteName) : 'dashboard';
  return { name, params: new URLSearchParams(query) };
}

export function hrefFor(name: RouteName, params?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${name}${s ? `?${s}` : ''}`;
}

const subscribe = (l: () => void) => {
  window.addEventListener('hashchange', l);
  return () => window.removeEventListener('hashchange', l);
};
const getHash = () => window.location.hash;

export function useRoute(): [Route, (name: RouteName, params?: Record<string, string | undefined>, replace?: boolean) => void] {
  const hash = useSyncExternalStore(subscribe, getHash);
  const route = parseHash(hash);
  const go = useCallback((name: RouteName, params?: Record<string, string | undefined>, replace = false) => {
    const href = hrefFor(name, params);
    if (replace) {
      history.replaceState(null, '', href);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else window.location.hash = href;
  }, []);
  return [route, go];
}
