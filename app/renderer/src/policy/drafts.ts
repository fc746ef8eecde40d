/**
 * Policy drafts in Dexie (`stella-ui` → `drafts`, kind `policy`): one draft per pack the author is
 * editing, each the pack's files as text. Saved on every change (debounced a little by `Autosaver`), so a
 * crash of the window or of the engine loses at most the last fraction of a second; reopened on the next
 * start with a "restored draft" notice. Drafts are the author's own work in progress: never evidence,
 * never sent anywhere until the author lints, tests, simulates or imports them.
 */
import type { PackFile } from '../../../common/contract';
import { POLICY_TEMPLATES } from '../../../common/policy-language.gen';
import { deleteDraft, getDraft, getPreference, listDrafts, saveDraft, setPreference, type StellaUiDb } from '../db/db';

export const DRAFT_KIND = 'policy';
const LAST_DRAFT_PREF = 'policy.lastDraft';

export interface PolicyDraft {
  id: string;
  /** Where the draft started: `builtin:NAME` or `blank`. */
  origin: string;
  files: PackFile[];
  activeFile: string;
  updatedAt: number;
}

interface StoredContent {
  v: 1;
  origin: string;
  files: PackFile[];
  activeFile: string;
}

/** Files in a stable order: pack.yaml, the policies, then everything else (fixtures, exceptions). */
export function sortPackFiles(files: readonly PackFile[]): PackFile[] {
  const rank = (p: string) => (p === 'pack.yaml' ? 0 : p.endsWith('.stella') ? 1 : 2);
  return [...files].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
}

/** A new draft's files: a shipped pack's, or a minimal pack. */
export function templateFiles(template: string): PackFile[] {
  const t = POLICY_TEMPLATES[template];
  if (t) return sortPackFiles(Object.entries(t).map(([path, text]) => ({ path, text })));
  return [
    { path: 'pack.yaml', text: 'name: my-pack\nversion: "0.1.0"\ndescription: A new policy pack\n' },
    {
      path: 'policy.stella',
      text: 'policy "my-pack" syntax "stella-dsl@1" {\n  settings {\n    default_status = "pass"\n  }\n\n  rule block_critical priority 10 {\n    when severity.level == "critical"\n    then status := "blocked"\n    because "Critical severity"\n  }\n}\n',
    },
  ];
}

/** The pack's `name:` from pack.yaml (a display label; the engine parses the real YAML). */
export function packNameOf(files: readonly PackFile[]): string | null {
  const y = files.find((f) => f.path === 'pack.yaml')?.text ?? '';
  const m = /^name:\s*["']?([^"'\n#]+?)["']?\s*(?:#.*)?$/m.exec(y);
  return m?.[1]?.trim() || null;
}

export function packVersionOf(files: readonly PackFile[]): string | null {
  const y = files.find((f) => f.path === 'pack.yaml')?.text ?? '';
  const m = /^version:\s*["']?([^"'\n#]+?)["']?\s*(?:#.*)?$/m.exec(y);
  return m?.[1]?.trim() || null;
}

/** A draft id not yet used: `policy:<name>`, `policy:<name>-2`, … */
export function newDraftId(name: string, taken: ReadonlySet<string>): string {
  const base = `policy:${name.replace(/[^A-Za-z0-9_.-]+/g, '-') || 'pack'}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

function decode(row: { id: string; content: string; updatedAt: number }): PolicyDraft | null {
  try {
    const c = JSON.parse(row.content) as StoredContent;
    if (c.v !== 1 || !Array.isArray(c.files)) return null;
    return { id: row.id, origin: c.origin, files: c.files, activeFile: c.activeFile, updatedAt: row.updatedAt };
  } catch {
    return null;
  }
}

export async function loadPolicyDrafts(db: StellaUiDb): Promise<PolicyDraft[]> {
  return (await listDrafts(db, DRAFT_KIND)).map(decode).filter((d): d is PolicyDraft => d !== null);
}

export async function loadPolicyDraft(db: StellaUiDb, id: string): Promise<PolicyDraft | null> {
  const row = await getDraft(db, id);
  return row ? decode(row) : null;
}

export async function savePolicyDraft(db: StellaUiDb, d: Omit<PolicyDraft, 'updatedAt'>, now: number = Date.now()): Promise<void> {
  const content: StoredContent = { v: 1, origin: d.origin, files: d.files, activeFile: d.activeFile };
  await saveDraft(db, { id: d.id, kind: DRAFT_KIND, content: JSON.stringify(content) }, now);
  await setPreference(db, LAST_DRAFT_PREF, d.id);
}

export async function removePolicyDraft(db: StellaUiDb, id: string): Promise<void> {
  await deleteDraft(db, id);
}

export async function lastDraftId(db: StellaUiDb): Promise<string | null> {
  return getPreference<string | null>(db, LAST_DRAFT_PREF, null);
}

export async function rememberLastDraft(db: StellaUiDb, id: string): Promise<void> {
  await setPreference(db, LAST_DRAFT_PREF, id);
}

/**
 * Coalesces rapid saves: `schedule(v)` saves `v` after `delayMs` of quiet (the last value wins),
 * `flush()` saves the pending value now (on page hide/unload and before switching drafts). Saves run one
 * at a time, in order.
 */
export class Autosaver<T> {
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly save: (value: T) => Promise<void>,
    private readonly delayMs: number,
    private readonly onSaved: (value: T) => void = () => undefined,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  schedule(value: T): void {
    this.pending = { value };
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  get dirty(): boolean {
    return this.pending !== null;
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const p = this.pending;
    this.pending = null;
    if (p) {
      this.chain = this.chain.then(
        () => this.save(p.value).then(() => this.onSaved(p.value), this.onError),
        this.onError,
      );
    }
    return this.chain;
  }

  dispose(): void {
    void this.flush();
  }
}
