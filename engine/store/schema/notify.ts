import type { Migration } from '../migrations';

/**
 * Tables owned by engine/notify: its settings (rules, quiet hours, digest folder — one JSON document)
 * and the log of every notification raised, with where it was delivered and what was held back. The
 * app shows desktop notifications from the log (hosts keep a cursor on `seq`); digest files are
 * rewritten from it. Append new migrations; never edit shipped ones.
 */
export const notifyMigrations: Migration[] = [
  {
    module: 'notify',
    version: 1,
    description: 'notification settings and the notification log',
    up(db) {
      db.exec(`
        CREATE TABLE notify_settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE notify_log (
          seq INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          kind TEXT NOT NULL,
          subject TEXT NOT NULL,
          dedupe_key TEXT,
          event TEXT NOT NULL,
          channels TEXT NOT NULL,
          suppressed TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX notify_log_dedupe ON notify_log(dedupe_key) WHERE dedupe_key IS NOT NULL;
        CREATE INDEX notify_log_by_at ON notify_log(at);
      `);
    },
  },
];
