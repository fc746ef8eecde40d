/**
 * Settings → Notifications: the rules as the engine stores them (JSON; every problem named by its field
 * when saved), back to the defaults, and a test notification that goes through the rules.
 */
import { useEffect, useState } from 'react';
import type { NotifyRulesView, NotifyTestSummary } from '../../../common/contract';
import { ErrorBox, formatDate, Loading } from '../common/ErrorBox';
import { jobError, runTrackedJob } from '../common/job-run';
import { call } from '../client/engine';
import { useClient, useEngineQuery } from '../client/queries';

export function NotifySettingsSection() {
  const client = useClient();
  const rules = useEngineQuery('notify.rules', {});
  const [text, setText] = useState('');
  const [state, setState] = useState<{ busy: boolean; error?: unknown; saved?: string; test?: NotifyTestSummary }>({ busy: false });
  useEffect(() => {
    if (rules.data) setText(JSON.stringify(rules.data.settings, null, 2));
  }, [rules.data]);

  async function run(label: string, start: () => Promise<{ jobId: string }>, kind: 'notify.setRules' | 'notify.test') {
    setState({ busy: true });
    try {
      const done = await runTrackedJob(kind, label, start);
      const err = jobError(done);
      if (err) setState({ busy: false, error: err });
      else if (kind === 'notify.test') setState({ busy: false, test: done.result as NotifyTestSummary });
      else setState({ busy: false, saved: `${label}: saved (${(done.result as NotifyRulesView).source})` });
    } catch (e) {
      setState({ busy: false, error: e });
    }
  }

  function save() {
    let settings: Record<string, unknown>;
    try {
      settings = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      setState({ busy: false, error: new Error(`the rules are not JSON: ${(e as Error).message}`) });
      return;
    }
    void run('Notification rules', () => call(client, 'notify.setRules', { settings }), 'notify.setRules');
  }

  return (
    <section className="panel" aria-labelledby="notify-title" style={{ marginTop: 14 }} data-testid="notify-settings">
      <h2 id="notify-title" style={{ marginTop: 0 }}>
        Notifications
      </h2>
      <p className="muted">
        Rules on event kind (scan.completed, policy.blocked, kit.imported, kit.rejected, feed.stale), minimum severity and KEV, routed to the desktop (this app), stderr (the CLI) or digest files; quiet hours hold back the listed channels.
      </p>
      {rules.isPending ? (
        <Loading what="notification rules" />
      ) : rules.isError ? (
        <ErrorBox error={rules.error} title="Could not read the notification rules" />
      ) : (
        <>
          <p className="muted">
            {rules.data.source === 'default' ? 'The defaults apply (nothing stored).' : `Stored ${formatDate(rules.data.updatedAt)}.`}
          </p>
          <label htmlFor="notify-rules-text">Rules (JSON)</label>
          <textarea id="notify-rules-text" className="mono" rows={14} style={{ width: '100%' }} value={text} onChange={(e) => setText(e.target.value)} data-testid="notify-rules-text" spellCheck={false} />
          <div className="row" style={{ marginTop: 6 }}>
            <button type="button" className="primary" onClick={save} disabled={state.busy} data-testid="notify-save">
              Save rules
            </button>
            <button type="button" onClick={() => void run('Notification rules reset', () => call(client, 'notify.setRules', { reset: true }), 'notify.setRules')} disabled={state.busy} data-testid="notify-reset">
              Back to the defaults
            </button>
            <button type="button" onClick={() => void run('Test notification', () => call(client, 'notify.test', {}), 'notify.test')} disabled={state.busy} data-testid="notify-test">
              Send a test notification
            </button>
          </div>
        </>
      )}
      {state.saved && (
        <p className="ok-text" role="status">
          {state.saved}
        </p>
      )}
      {state.test && (
        <p role="status" data-testid="notify-test-result">
          Test notification {state.test.notification ? `#${state.test.notification.seq} delivered to ${state.test.notification.channels.join(', ') || 'no channel'}` : 'not logged'}
          {state.test.rules.length ? ` (rules: ${state.test.rules.join(', ')})` : ''}
          {state.test.suppressed.length ? ` · held back: ${state.test.suppressed.map((s) => `${s.channel} (${s.reason})`).join(', ')}` : ''}
        </p>
      )}
      {state.error != null && <ErrorBox error={state.error} title="Notification settings" />}
    </section>
  );
}
