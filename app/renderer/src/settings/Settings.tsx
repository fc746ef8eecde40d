/** Settings: theme, detection mode, keys and trust roots, VEX issuer trust, UI-local data (saved views, cached queries), host information. */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useDetection, useTheme, useUiDb, type ThemePref } from '../app/ui-db';
import { ErrorBox, Loading } from '../common/ErrorBox';
import { useEngineQuery } from '../client/queries';
import { useSavedViews } from '../findings/SavedViews';
import { KeysSection, PluginsSection, TrustRootsSection, VexTrustSection } from './TrustSettings';
import { NotifySettingsSection } from '../notify/NotifySettings';

export function Settings() {
  const { pref, setPref } = useTheme();
  const { detection, setDetection } = useDetection();
  const db = useUiDb();
  const qc = useQueryClient();
  const info = useEngineQuery('app.info', {}, { staleTime: Infinity });
  const views = useSavedViews();
  const [status, setStatus] = useState('');

  return (
    <div>
      <h1>Settings</h1>
      <section className="panel" aria-labelledby="theme-title">
        <h2 id="theme-title" style={{ marginTop: 0 }}>
          Appearance
        </h2>
        <fieldset style={{ border: 'none', padding: 0 }}>
          <legend className="muted">Theme</legend>
          {(['system', 'light', 'dark'] as ThemePref[]).map((t) => (
            <label key={t} style={{ marginRight: 16 }}>
              <input type="radio" name="theme" value={t} checked={pref === t} onChange={() => setPref(t)} data-testid={`theme-${t}`} /> {t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </fieldset>
      </section>
      <section className="panel" aria-labelledby="scan-title" style={{ marginTop: 14 }}>
        <h2 id="scan-title" style={{ marginTop: 0 }}>
          Scanning
        </h2>
        <label>
          Detection{' '}
          <select value={detection} onChange={(e) => setDetection(e.target.value === 'comprehensive' ? 'comprehensive' : 'default')} data-testid="detection">
            <option value="default">Default — packages a distro package installed are matched through the distro</option>
            <option value="comprehensive">Comprehensive — match them as language packages too</option>
          </select>
        </label>
        <p className="muted">
          A Python, Java or Go package installed by a Debian, Red Hat or Alpine package is matched by default only through that OS package&apos;s
          advisories: the distro backports fixes the upstream version does not show. Comprehensive detection reports both, and labels such findings
          with the OS package (<code>stella scan --detection comprehensive</code>).
        </p>
      </section>
      <KeysSection />
      <TrustRootsSection />
      <VexTrustSection />
      <PluginsSection />
      <NotifySettingsSection />
      <section className="panel" aria-labelledby="local-title" style={{ marginTop: 14 }}>
        <h2 id="local-title" style={{ marginTop: 0 }}>
          Data kept in this window
        </h2>
        <p className="muted">Saved views, preferences and a cache of engine answers live in this browser profile (IndexedDB “stella-ui”). Evidence stays in the Stella home.</p>
        <h3>Saved views ({views.views.length})</h3>
        {views.views.length === 0 ? (
          <div className="muted">None yet — save one from the Findings screen.</div>
        ) : (
          <ul>
            {views.views.map((v) => (
              <li key={v.id}>
                {v.name}{' '}
                <button type="button" className="link" onClick={() => void views.remove(v.id as number)} aria-label={`Delete saved view ${v.name}`}>
                  delete
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="row">
          <button
            type="button"
            disabled={!db}
            onClick={async () => {
              qc.clear();
              await db?.queryCache.clear();
              setStatus('Cached engine answers cleared; they will be fetched again.');
            }}
          >
            Clear cached answers
          </button>
          <span role="status" className="muted">
            {status}
          </span>
        </div>
      </section>
      <section className="panel" aria-labelledby="host-title" style={{ marginTop: 14 }}>
        <h2 id="host-title" style={{ marginTop: 0 }}>
          Host
        </h2>
        {info.isPending && <Loading what="host information" />}
        {info.isError && <ErrorBox error={info.error} title="The engine host did not answer" />}
        {info.data && (
          <dl className="kv">
            <dt>Version</dt>
            <dd>{info.data.version}</dd>
            <dt>Mode</dt>
            <dd>{info.data.mode === 'serve' ? 'stella serve (browser, 127.0.0.1 only)' : 'desktop app'}</dd>
            <dt>Home</dt>
            <dd className="mono">{info.data.home}</dd>
            <dt>Platform</dt>
            <dd>{info.data.platform}</dd>
            <dt>Native file dialogs</dt>
            <dd>{info.data.nativeDialogs ? 'yes' : 'no (files are uploaded to the local host)'}</dd>
          </dl>
        )}
      </section>
    </div>
  );
}
