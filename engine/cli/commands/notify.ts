/**
 * `stella notify rules [--set FILE | --reset]`, `stella notify test [--kind K] [--severity S] [--kev]`,
 * `stella notify list` — notification rules (event kind, severity, KEV → desktop / stderr / digest),
 * quiet hours and the digest folder; a test event through the rules; recent notifications.
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { NOTIFY_EVENT_KINDS, SEVERITIES, type NotifyEventKind, type NotifySeverity } from '../../notify';
import { notificationsSinceJob, notifyRulesJob, notifyTestJob, setNotifyRulesJob } from '../../jobs/notify';
import { CliError } from '../context';
import { parseNonNegativeInt } from './attest-shared';
import type { RegisterCommands } from './index';

export const registerNotifyCommands: RegisterCommands = (program: Command, makeContext) => {
  const notify = program.command('notify').description('notifications: rules, quiet hours, digest files, a test');

  notify
    .command('rules')
    .description('show the notification settings, or set them from a JSON/YAML file')
    .option('--set <file>', 'replace the settings with this file ({rules: [...], quietHours?, digest?})')
    .option('--reset', 'go back to the default rules')
    .action((opts: { set?: string; reset?: boolean }, cmd: Command) => {
      const ctx = makeContext(cmd);
      if (opts.set && opts.reset) throw new CliError('usage', '--set and --reset exclude each other');
      const store = ctx.openStore();
      const r = opts.set ? setNotifyRulesJob(store, { file: resolve(ctx.io.cwd, opts.set) }, ctx.job()) : opts.reset ? setNotifyRulesJob(store, { reset: true }, ctx.job()) : notifyRulesJob(store);
      ctx.output(r, () => {
        ctx.print(`${r.source === 'default' ? 'default settings' : `settings set ${r.updatedAt}`}:`);
        for (const rule of r.settings.rules) {
          const when = [rule.minSeverity ? `severity ≥ ${rule.minSeverity}` : '', rule.kevOnly ? 'KEV only' : ''].filter(Boolean).join(', ');
          ctx.print(`  ${rule.enabled ? ' ' : '-'} ${rule.id.padEnd(20)} ${rule.kinds.join(',')}${when ? ` (${when})` : ''} → ${rule.channels.join(', ')}`);
        }
        const q = r.settings.quietHours;
        ctx.print(q ? `quiet hours ${q.start}–${q.end}${q.timeZone ? ` ${q.timeZone}` : ' (system time zone)'}: hold ${q.channels.join(', ')}` : 'no quiet hours');
        ctx.print(r.settings.digest ? `digest: ${r.settings.digest.formats.join(' + ')} in ${r.settings.digest.dir}` : 'no digest folder (digest deliveries are only logged)');
      });
    });

  notify
    .command('test')
    .description('send a test notification through the rules and say where it went')
    .addOption(new Option('--kind <kind>', 'event kind').choices([...NOTIFY_EVENT_KINDS]).default('scan.completed'))
    .addOption(new Option('--severity <level>', 'event severity').choices([...SEVERITIES]).default('critical'))
    .option('--kev', 'the event involves a KEV-listed vulnerability')
    .action((opts: { kind: NotifyEventKind; severity: NotifySeverity; kev?: boolean }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = notifyTestJob(ctx.openStore(), { kind: opts.kind, severity: opts.severity, kev: opts.kev === true }, ctx.job());
      const n = r.notification;
      ctx.output(r, () => {
        if (!n) return;
        ctx.print(n.rules.length ? `matched rule(s) ${n.rules.join(', ')}` : 'no rule matches this event: nothing delivered');
        if (n.channels.length) ctx.print(`delivered to: ${n.channels.join(', ')}${n.channels.includes('desktop') ? ' (desktop: shown by the open app)' : ''}`);
        for (const s of n.suppressed) ctx.print(`held back: ${s.channel} (${s.reason})`);
        for (const f of r.digestFiles) ctx.print(`digest: ${f}`);
      });
    });

  notify
    .command('list')
    .description('recent notifications, newest first')
    .option('--limit <n>', 'at most this many', '50')
    .action((opts: { limit: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = notificationsSinceJob(ctx.openStore(), { limit: parseNonNegativeInt('--limit', opts.limit) });
      ctx.output(r.notifications, () => {
        for (const n of r.notifications) ctx.print(`${String(n.seq).padStart(5)} ${n.at} ${n.kind.padEnd(15)} ${n.severity.padEnd(8)} ${n.title} → ${n.channels.join(',') || '(none)'}`);
      });
    });
};
