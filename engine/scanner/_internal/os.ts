/**
 * OS identification from `/etc/os-release` (falling back to `/usr/lib/os-release`, as systemd does)
 * and, for images without either, distro marker files (`/etc/debian_version`, `/etc/alpine-release`).
 */
import type { ScanIssue } from './types';

export interface OsInfo {
  id: string;
  versionId?: string;
  name?: string;
}

/** Parse os-release(5): `KEY=value` lines, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2] ?? '';
    const q = v[0];
    if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) {
      v = v.slice(1, -1);
      if (q === '"') v = v.replace(/\\(["\\$`])/g, '$1');
    }
    out[m[1] ?? ''] = v;
  }
  return out;
}

/**
 * `read(path)` returns the content of a root-relative path after symlink resolution inside the root,
 * or undefined (with `why`) when it does not resolve to a file.
 */
export function detectOs(read: (path: string) => { text?: string; why?: string }, issues: ScanIssue[]): OsInfo | null {
  for (const p of ['etc/os-release', 'usr/lib/os-release']) {
    const r = read(p);
    if (r.text === undefined) {
      if (r.why && !r.why.endsWith('does not exist')) issues.push({ severity: 'warning', path: `/${p}`, message: `cannot read: ${r.why}` });
      continue;
    }
    const fields = parseOsRelease(r.text);
    if (fields.ID) {
      const id = fields.ID.toLowerCase();
      return { id, ...(fields.VERSION_ID ? { versionId: fields.VERSION_ID } : {}), ...(fields.PRETTY_NAME || fields.NAME ? { name: fields.PRETTY_NAME ?? fields.NAME } : {}) };
    }
    issues.push({ severity: 'warning', path: `/${p}`, message: 'no ID= line (expected os-release(5) KEY=value lines); trying the next source' });
  }
  const debian = read('etc/debian_version').text?.trim();
  if (debian) {
    const major = /^(\d+)/.exec(debian)?.[1];
    return { id: 'debian', ...(major ? { versionId: major } : {}) };
  }
  const alpine = read('etc/alpine-release').text?.trim();
  if (alpine) {
    const mm = /^(\d+\.\d+)/.exec(alpine)?.[1];
    return { id: 'alpine', ...(mm ? { versionId: alpine } : {}) };
  }
  return null;
}
