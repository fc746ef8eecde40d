/**
 * Notification settings: rules (which events go to which channels), quiet hours and the digest folder.
 * Stored as one JSON document in `notify_settings`; set from a JSON or YAML file (`stella notify rules
 * --set FILE`), validated field by field. Without stored settings the defaults below apply.
 */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { canonicalJson, type Clock } from '../core';
import type { Store } from '../store';
import { NotifyError } from './errors';

export const NOTIFY_EVENT_KINDS = ['scan.completed', 'policy.blocked', 'kit.imported', 'kit.rejected', 'feed.stale'] as const;
export type NotifyEventKind = (typeof NOTIFY_EVENT_KINDS)[number];

export const NOTIFY_CHANNELS = ['desktop', 'stderr', 'digest'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

export const SEVERITIES = ['none', 'unknown', 'low', 'medium', 'high', 'critical'] as const;
export type NotifySeverity = (typeof SEVERITIES)[number];

/** Ordering for `minSeverity`: unknown counts as medium (an unscored vulnerability is not harmless). */
export const SEVERITY_RANK: Record<NotifySeverity, number> = { none: 0, low: 1, unknown: 2, medium: 2, high: 3, critical: 4 };

export interface NotifyRule {
  /** A name for the rule (shown with each delivery). */
  id: string;
  enabled: boolean;
  /** Event kinds this rule matches. */
  kinds: NotifyEventKind[];
  /** Only events at least this severe. */
  minSeverity?: NotifySeverity;
  /** Only events that involve a vulnerability on CISA's KEV list. */
  kevOnly?: boolean;
  channels: NotifyChannel[];
}

export interface QuietHours {
  /** `HH:MM`, 24-hour; quiet from `start` (inclusive) to `end` (exclusive), across midnight when end < start. */
  start: string;
  end: string;
  /** IANA time zone of `start`/`end` (default: the system's). */
  timeZone?: string;
  /** Channels held back while quiet (default: desktop). Held deliveries go to the digest when one is set. */
  channels: NotifyChannel[];
}

export interface NotifySettings {
  rules: NotifyRule[];
  quietHours?: QuietHours;
  /** Digest files (`stella-digest-YYYY-MM-DD.md` / `.html`, one per UTC day) are written to `dir`. */
  digest?: { dir: string; formats: ('markdown' | 'html')[] };
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  rules: [
    { id: 'kits', enabled: true, kinds: ['kit.imported', 'kit.rejected'], channels: ['desktop', 'stderr', 'digest'] },
    { id: 'blocked', enabled: true, kinds: ['policy.blocked'], channels: ['desktop', 'stderr', 'digest'] },
    { id: 'critical-findings', enabled: true, kinds: ['scan.completed'], minSeverity: 'critical', channels: ['desktop', 'stderr', 'digest'] },
    { id: 'kev-findings', enabled: true, kinds: ['scan.completed'], kevOnly: true, channels: ['desktop', 'stderr', 'digest'] },
    { id: 'scans', enabled: true, kinds: ['scan.completed'], channels: ['digest'] },
    { id: 'stale-feeds', enabled: true, kinds: ['feed.stale'], channels: ['desktop', 'stderr', 'digest'] },
  ],
};

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (00:00 to 23:59)');

const ruleSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a rule id of letters, digits, ".", "_" or "-"'),
    enabled: z.boolean().default(true),
    kinds: z.array(z.enum(NOTIFY_EVENT_KINDS)).min(1),
    minSeverity: z.enum(SEVERITIES).optional(),
    kevOnly: z.boolean().optional(),
    channels: z.array(z.enum(NOTIFY_CHANNELS)).min(1),
  })
  .strict();

const settingsSchema = z
  .object({
    rules: z.array(ruleSchema),
    quietHours: z
      .object({
        start: hhmm,
        end: hhmm,
        timeZone: z
          .string()
          .refine((tz) => {
            try {
              new Intl.DateTimeFormat('en-GB', { timeZone: tz });
              return true;
            } catch {
              return false;
            }
          }, 'an IANA time zone such as Europe/Berlin or UTC')
          .optional(),
        channels: z.array(z.enum(NOTIFY_CHANNELS)).min(1).default(['desktop']),
      })
      .strict()
      .optional(),
    digest: z
      .object({ dir: z.string().min(1).max(4096), formats: z.array(z.enum(['markdown', 'html'])).min(1).default(['markdown', 'html']) })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id ${r.id} is used twice` });
      seen.add(r.id);
    });
  });

/** Validate settings from a JSON or YAML text; errors name the field (`/rules/2/channels/0`). */
export function parseNotifySettings(text: string, file: string): NotifySettings {
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(file) ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (e) {
    throw new NotifyError('invalid-rules', `${file}: not ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'} (${(e as Error).message})`, { cause: e, details: { file } });
  }
  const r = settingsSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    const path = `/${(i?.path ?? []).map(String).join('/')}`;
    throw new NotifyError('invalid-rules', `${file}: ${path}: ${i?.message ?? 'invalid'}`, { details: { file, path, expected: 'notification settings: {rules: [{id, kinds, channels, minSeverity?, kevOnly?}], quietHours?, digest?}' } });
  }
  return r.data as NotifySettings;
}

export interface StoredSettings {
  settings: NotifySettings;
  source: 'default' | 'stored';
  updatedAt: string | null;
}

export function readNotifySettings(store: Store): StoredSettings {
  const r = store.db.prepare("SELECT value, updated_at FROM notify_settings WHERE key = 'settings'").get() as { value: string; updated_at: string } | undefined;
  if (!r) return { settings: DEFAULT_NOTIFY_SETTINGS, source: 'default', updatedAt: null };
  return { settings: JSON.parse(r.value) as NotifySettings, source: 'stored', updatedAt: r.updated_at };
}

export function writeNotifySettings(store: Store, settings: NotifySettings | null, ctx: { clock: Clock }): StoredSettings {
  store.write(() => {
    if (settings === null) store.db.prepare("DELETE FROM notify_settings WHERE key = 'settings'").run();
    else
      store.db
        .prepare("INSERT INTO notify_settings (key, value, updated_at) VALUES ('settings', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
        .run(canonicalJson(settings), ctx.clock.nowIso());
  });
  return readNotifySettings(store);
}
