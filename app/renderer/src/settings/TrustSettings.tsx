/**
 * Settings that the engine keeps (and audits): signing keys and crypto profiles, trust roots with their
 * purposes, and VEX issuer trust. The passphrase of a new key is read from its field once, sent in the
 * one request that needs it, and the field is cleared: it is never kept in React state, the query
 * cache or storage. Also the plug-ins the host loaded and refused.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { CRYPTO_PROFILES, TRUST_PURPOSES, VEX_ISSUER_CLASS_NAMES, type ChannelArgs, type CryptoProfileName, type SigningAlgorithmName, type TrustPurposeName, type VexIssuerClassName } from '../../../common/contract';
import { ErrorBox, formatDate, Loading, shortDigest } from '../common/ErrorBox';
import { FilePick, refOf, type Picked } from '../common/FilePick';
import { call } from '../client/engine';
import { useClient, useEngineMutation, useEngineQuery } from '../client/queries';
import { download } from '../sbom/SbomExplorer';

const PURPOSE_LABEL: Record<TrustPurposeName, string> = { attestations: 'attestations', kits: 'offline kits', plugins: 'plug-ins' };

export function KeysSection() {
  const keys = useEngineQuery('keys.list', {});
  const exportKey = useEngineMutation('keys.exportPublic');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  return (
    <section className="panel" aria-labelledby="keys-title" style={{ marginTop: 14 }} data-testid="keys-section">
      <h2 id="keys-title" style={{ marginTop: 0 }}>
        Signing keys and crypto profiles
      </h2>
      {keys.isPending && <Loading what="keys" />}
      {keys.isError && <ErrorBox error={keys.error} title="Could not list keys" />}
      {keys.data && (
        <>
          <p className="muted">
            Profiles on this platform:{' '}
            {keys.data.profiles.map((p) => (
              <span key={p.profile} className="profile" title={p.reason}>
                <strong>{p.profile}</strong> ({p.algorithms.join(', ')}){p.available ? '' : ' — not available here'}
                {'; '}
              </span>
            ))}
          </p>
          {keys.data.keys.length === 0 ? (
            <div className="empty">No key yet. The first signing command creates the default world/Ed25519 key, or generate one below.</div>
          ) : (
            <table className="simple" aria-labelledby="keys-title" data-testid="keys-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Profile</th>
                  <th scope="col">Algorithm</th>
                  <th scope="col">Key id</th>
                  <th scope="col">Created</th>
                  <th scope="col">Public key</th>
                </tr>
              </thead>
              <tbody>
                {keys.data.keys.map((k) => (
                  <tr key={k.name} data-testid="key-row">
                    <td>
                      {k.name} {k.isDefault && <span className="badge">default</span>}
                    </td>
                    <td>{k.profile}</td>
                    <td>{k.algorithm}</td>
                    <td className="mono" title={k.keyId}>
                      {k.keyId.slice(0, 16)}…
                    </td>
                    <td>{formatDate(k.createdAt)}</td>
                    <td>
                      <button
                        type="button"
                        aria-label={`Export the public key of ${k.name}`}
                        onClick={async () => {
                          setError(null);
                          try {
                            const pub = await exportKey.mutateAsync({ name: k.name });
                            download(pub.fileName, 'application/x-pem-file', btoa(pub.pem));
                            setStatus(`Saved ${pub.fileName}`);
                          } catch (e) {
                            setError(e);
                          }
                        }}
                      >
                        Export
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <span role="status" className="muted">
            {status}
          </span>
          {error !== null && <ErrorBox error={error} title="Export failed" onDismiss={() => setError(null)} />}
          <GenerateKeyForm profiles={keys.data.profiles} />
        </>
      )}
    </section>
  );
}

function GenerateKeyForm({ profiles }: { profiles: { profile: CryptoProfileName; algorithms: SigningAlgorithmName[]; available: boolean }[] }) {
  const client = useClient();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [profile, setProfile] = useState<CryptoProfileName>('world');
  const [algorithm, setAlgorithm] = useState<SigningAlgorithmName | ''>('');
  const [makeDefault, setMakeDefault] = useState(false);
  const pass = useRef<HTMLInputElement>(null);
  const again = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ busy: boolean; error?: unknown; done?: string; problem?: string }>({ busy: false });
  const algorithms = profiles.find((p) => p.profile === profile)?.algorithms ?? [];

  async function generate() {
    const passphrase = pass.current?.value ?? '';
    const repeat = again.current?.value ?? '';
    if (passphrase !== repeat) {
      setState({ busy: false, problem: 'The two passphrases differ.' });
      return;
    }
    if (pass.current) pass.current.value = '';
    if (again.current) again.current.value = '';
    setState({ busy: true });
    try {
      // a plain call, not a cached mutation: react-query would keep the variables (the passphrase)
      const k = await call(client, 'keys.generate', { name: name.trim(), profile, ...(algorithm ? { algorithm } : {}), passphrase, ...(makeDefault ? { makeDefault } : {}) });
      setState({ busy: false, done: `Created ${k.name} (${k.profile}/${k.algorithm}, key id ${k.keyId.slice(0, 16)}…)` });
      setName('');
      void qc.invalidateQueries({ queryKey: ['keys.list'] });
      void qc.invalidateQueries({ queryKey: ['trust.list'] });
    } catch (e) {
      setState({ busy: false, error: e });
    }
  }

  return (
    <form
      className="form-grid"
      aria-labelledby="genkey-title"
      data-testid="generate-key"
      onSubmit={(e) => {
        e.preventDefault();
        void generate();
      }}
    >
      <h3 id="genkey-title">Generate a key</h3>
      <label>
        Name <input type="text" required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" value={name} onChange={(e) => setName(e.target.value)} data-testid="key-name" />
      </label>
      <label>
        Profile{' '}
        <select
          value={profile}
          onChange={(e) => {
            setProfile(e.target.value as CryptoProfileName);
            setAlgorithm('');
          }}
          data-testid="key-profile"
        >
          {CRYPTO_PROFILES.map((p) => (
            <option key={p} value={p} disabled={profiles.find((x) => x.profile === p)?.available === false}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Algorithm{' '}
        <select value={algorithm} onChange={(e) => setAlgorithm(e.target.value as SigningAlgorithmName | '')} data-testid="key-algorithm">
          <option value="">profile default ({algorithms[0] ?? '—'})</option>
          {algorithms.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label>
        Passphrase <input ref={pass} type="password" required minLength={8} autoComplete="new-password" data-testid="key-passphrase" />
      </label>
      <label>
        Repeat passphrase <input ref={again} type="password" required minLength={8} autoComplete="new-password" data-testid="key-passphrase-again" />
      </label>
      <label>
        <input type="checkbox" checked={makeDefault} onChange={(e) => setMakeDefault(e.target.checked)} /> Default key of its profile
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={state.busy || !name.trim()} data-testid="key-generate">
          {state.busy ? 'Generating…' : 'Generate'}
        </button>
        <span role="status" className="muted" data-testid="key-status">
          {state.done ?? state.problem ?? ''}
        </span>
      </div>
      {state.error !== undefined && <ErrorBox error={state.error} title="The key was not created" onDismiss={() => setState({ busy: false })} />}
    </form>
  );
}

export function TrustRootsSection() {
  const client = useClient();
  const qc = useQueryClient();
  const list = useEngineQuery('trust.list', {});
  const [file, setFile] = useState<Picked | null>(null);
  const [name, setName] = useState('');
  const [purposes, setPurposes] = useState<TrustPurposeName[]>(['attestations']);
  const [state, setState] = useState<{ busy: boolean; error?: unknown; done?: string }>({ busy: false });
  const [confirm, setConfirm] = useState<string | null>(null);

  async function run(what: () => Promise<string>) {
    setState({ busy: true });
    try {
      const done = await what();
      setState({ busy: false, done });
      void qc.invalidateQueries({ queryKey: ['trust.list'] });
    } catch (e) {
      setState({ busy: false, error: e });
    }
  }

  return (
    <section className="panel" aria-labelledby="trust-title" style={{ marginTop: 14 }} data-testid="trust-section">
      <h2 id="trust-title" style={{ marginTop: 0 }}>
        Trust roots
      </h2>
      <p className="muted">Keys and trusted roots (trusted_root.json) this workstation accepts signatures from, per purpose. Each change is written to the audit trail.</p>
      {list.isPending && <Loading what="trust roots" />}
      {list.isError && <ErrorBox error={list.error} title="Could not list trust roots" />}
      {list.data && (
        <table className="simple" aria-labelledby="trust-title" data-testid="trust-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Purposes</th>
              <th scope="col">Keys</th>
              <th scope="col">Added</th>
              <th scope="col">Remove</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((t) => (
              <tr key={t.name} data-testid="trust-row" data-origin={t.origin}>
                <td>
                  {t.name} {t.origin === 'workstation' && <span className="badge">workstation</span>}
                </td>
                <td>
                  {t.kind}
                  {t.algorithm ? ` (${t.algorithm})` : ''}
                </td>
                <td>{t.purposes.map((p) => PURPOSE_LABEL[p]).join(', ')}</td>
                <td className="mono">{t.keyIds.map((k) => `${k.slice(0, 12)}…`).join(' ')}</td>
                <td>{t.origin === 'workstation' ? '—' : formatDate(t.addedAt)}</td>
                <td>
                  {t.origin === 'workstation' ? (
                    <span className="muted">always trusted</span>
                  ) : confirm === t.name ? (
                    <span className="row">
                      <button type="button" className="danger" disabled={state.busy} onClick={() =>
                          void run(async () => {
                            await call(client, 'trust.remove', { name: t.name });
                            setConfirm(null);
                            return `Removed ${t.name}`;
                          })
                        }
                      >
                        Remove {t.name}
                      </button>
                      <button type="button" onClick={() => setConfirm(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button type="button" aria-label={`Remove trust root ${t.name}`} onClick={() => setConfirm(t.name)}>
                      Remove…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="form-grid"
        aria-labelledby="addtrust-title"
        data-testid="add-trust"
        onSubmit={(e) => {
          e.preventDefault();
          if (!file || purposes.length === 0) return;
          void run(async () => {
            const t = await call(client, 'trust.add', { file: await refOf(client, file), ...(name.trim() ? { name: name.trim() } : {}), purposes });
            setFile(null);
            setName('');
            return `Added ${t.name} for ${t.purposes.map((p) => PURPOSE_LABEL[p]).join(', ')}`;
          });
        }}
      >
        <h3 id="addtrust-title">Add a trust root</h3>
        <FilePick purpose="trust-root" label="PEM public key or trusted_root.json" value={file} onChange={setFile} testId="trust-file" />
        <label>
          Name <input type="text" maxLength={64} value={name} onChange={(e) => setName(e.target.value)} placeholder="from the file name" data-testid="trust-name" />
        </label>
        <fieldset className="plain">
          <legend>Trusted for</legend>
          {TRUST_PURPOSES.map((p) => (
            <label key={p} style={{ marginRight: 12 }}>
              <input type="checkbox" checked={purposes.includes(p)} onChange={(e) => setPurposes(e.target.checked ? [...purposes, p] : purposes.filter((x) => x !== p))} data-testid={`trust-purpose-${p}`} /> {PURPOSE_LABEL[p]}
            </label>
          ))}
        </fieldset>
        <div className="row">
          <button type="submit" className="primary" disabled={state.busy || !file || purposes.length === 0} data-testid="trust-add">
            Add
          </button>
          <span role="status" className="muted" data-testid="trust-status">
            {state.done ?? ''}
          </span>
        </div>
        {state.error !== undefined && <ErrorBox error={state.error} title="The trust roots were not changed" onDismiss={() => setState({ busy: false })} />}
      </form>
    </section>
  );
}

export function VexTrustSection() {
  const client = useClient();
  const qc = useQueryClient();
  const q = useEngineQuery('vex.trust', {});
  const [state, setState] = useState<{ busy: boolean; error?: unknown; done?: string }>({ busy: false });
  const [issuer, setIssuer] = useState('');
  const [issuerClass, setIssuerClass] = useState<VexIssuerClassName | ''>('');
  const [tier, setTier] = useState('');
  const [weight, setWeight] = useState('');

  async function set(args: ChannelArgs<'vex.trust.set'>, done: string) {
    setState({ busy: true });
    try {
      qc.setQueryData(['vex.trust', {}], await call(client, 'vex.trust.set', args));
      setState({ busy: false, done });
    } catch (e) {
      setState({ busy: false, error: e });
    }
  }
  const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

  return (
    <section className="panel" aria-labelledby="vextrust-title" style={{ marginTop: 14 }} data-testid="vex-trust-section">
      <h2 id="vextrust-title" style={{ marginTop: 0 }}>
        VEX issuer trust
      </h2>
      <p className="muted">When VEX statements disagree, the higher tier wins outright; within a tier the weight decides. Per-issuer settings override the issuer&apos;s class.</p>
      {q.isPending && <Loading what="VEX trust" />}
      {q.isError && <ErrorBox error={q.error} title="Could not read VEX trust" />}
      {q.data && (
        <>
          <table className="simple" aria-label="Trust per issuer class" data-testid="vex-classes">
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">Tier (0–100)</th>
                <th scope="col">Weight (0–1)</th>
                <th scope="col">Save</th>
              </tr>
            </thead>
            <tbody>
              {VEX_ISSUER_CLASS_NAMES.map((issuerClass) => {
                const c = { issuerClass, ...q.data.classes[issuerClass] };
                return <ClassRow key={`${issuerClass}/${c.tier}/${c.weight}`} c={c} busy={state.busy} onSave={(t, w) => void set({ target: { kind: 'class', issuerClass, tier: t, weight: w } }, `Saved ${issuerClass}: tier ${t}, weight ${w}`)} />;
              })}
            </tbody>
          </table>
          <h3>Issuer overrides</h3>
          {q.data.issuers.length === 0 ? (
            <div className="muted">None.</div>
          ) : (
            <ul data-testid="vex-issuers">
              {q.data.issuers.map((i) => (
                <li key={i.issuer}>
                  <strong>{i.issuer}</strong> {i.class && `class ${i.class}`} {i.tier !== undefined && `tier ${i.tier}`} {i.weight !== undefined && `weight ${i.weight}`}{' '}
                  <button type="button" className="link" disabled={state.busy} aria-label={`Remove the override of ${i.issuer}`} onClick={() => void set({ target: { kind: 'issuer', issuer: i.issuer } }, `Removed the override of ${i.issuer}`)}>
                    remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form
            className="row"
            aria-label="Add an issuer override"
            onSubmit={(e) => {
              e.preventDefault();
              if (!issuer.trim()) return;
              void set(
                { target: { kind: 'issuer', issuer: issuer.trim(), ...(issuerClass ? { issuerClass } : {}), ...(num(tier) !== undefined ? { tier: num(tier) } : {}), ...(num(weight) !== undefined ? { weight: num(weight) } : {}) } },
                `Saved the override of ${issuer.trim()}`,
              );
            }}
          >
            <label>
              Issuer <input type="text" value={issuer} onChange={(e) => setIssuer(e.target.value)} maxLength={500} />
            </label>
            <label>
              Class{' '}
              <select value={issuerClass} onChange={(e) => setIssuerClass(e.target.value as VexIssuerClassName | '')}>
                <option value="">by its statements</option>
                {VEX_ISSUER_CLASS_NAMES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Tier <input type="number" min={0} max={100} step={1} value={tier} onChange={(e) => setTier(e.target.value)} style={{ width: 70 }} />
            </label>
            <label>
              Weight <input type="number" min={0} max={1} step={0.05} value={weight} onChange={(e) => setWeight(e.target.value)} style={{ width: 70 }} />
            </label>
            <button type="submit" disabled={state.busy || !issuer.trim()}>
              Save override
            </button>
          </form>
          <IdentityForm identity={q.data.identity} busy={state.busy} onSave={(n) => void set({ target: { kind: 'identity', name: n } }, `Triage statements are now issued by ${n}`)} />
        </>
      )}
      <span role="status" className="muted" data-testid="vex-trust-status">
        {state.done ?? ''}
      </span>
      {state.error !== undefined && <ErrorBox error={state.error} title="VEX trust was not changed" onDismiss={() => setState({ busy: false })} />}
    </section>
  );
}

function ClassRow({ c, busy, onSave }: { c: { issuerClass: VexIssuerClassName; tier: number; weight: number }; busy: boolean; onSave(tier: number, weight: number): void }) {
  const [tier, setTier] = useState(String(c.tier));
  const [weight, setWeight] = useState(String(c.weight));
  const t = Number(tier);
  const w = Number(weight);
  const valid = tier.trim() !== '' && weight.trim() !== '' && Number.isInteger(t) && t >= 0 && t <= 100 && w >= 0 && w <= 1;
  return (
    <tr data-testid="vex-class" data-class={c.issuerClass}>
      <th scope="row">{c.issuerClass}</th>
      <td>
        <input type="number" min={0} max={100} step={1} value={tier} onChange={(e) => setTier(e.target.value)} aria-label={`Tier of ${c.issuerClass}`} style={{ width: 70 }} />
      </td>
      <td>
        <input type="number" min={0} max={1} step={0.05} value={weight} onChange={(e) => setWeight(e.target.value)} aria-label={`Weight of ${c.issuerClass}`} style={{ width: 70 }} />
      </td>
      <td>
        <button type="button" disabled={busy || !valid || (t === c.tier && w === c.weight)} onClick={() => onSave(t, w)} aria-label={`Save the trust of ${c.issuerClass}`}>
          Save
        </button>
      </td>
    </tr>
  );
}

function IdentityForm({ identity, busy, onSave }: { identity: string; busy: boolean; onSave(name: string): void }) {
  const [name, setName] = useState(identity);
  return (
    <form
      className="row"
      style={{ marginTop: 10 }}
      aria-label="Triage identity"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) onSave(name.trim());
      }}
    >
      <label>
        Triage statements are issued by <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={500} size={40} data-testid="triage-identity" />
      </label>
      <button type="submit" disabled={busy || !name.trim() || name.trim() === identity}>
        Save
      </button>
    </form>
  );
}


/** Plug-ins as the engine host loaded them at start-up: built-in or signed third-party, and every refused one with why. */
export function PluginsSection() {
  const q = useEngineQuery('plugins.list', {});
  const refused = (q.data?.plugins ?? []).filter((p) => p.status === 'refused');
  return (
    <section className="panel" aria-labelledby="plugins-title" style={{ marginTop: 14 }} data-testid="plugins-section">
      <h2 id="plugins-title" style={{ marginTop: 0 }}>
        Plug-ins
      </h2>
      {q.isPending && <Loading what="plug-ins" />}
      {q.isError && <ErrorBox error={q.error} title="Could not list plug-ins" />}
      {q.data && (
        <>
          <p className="muted">
            SDK API {q.data.sdkApi}. {q.data.plugins.length - refused.length} loaded
            {refused.length > 0 ? `, ${refused.length} refused` : ''}. Plug-ins are loaded once at start-up; a third-party plug-in loads only with a signature by a key trusted for plug-ins.
          </p>
          <table className="simple" aria-labelledby="plugins-title" data-testid="plugins-table">
            <thead>
              <tr>
                <th scope="col">Plug-in</th>
                <th scope="col">Kind</th>
                <th scope="col">Origin</th>
                <th scope="col">Status</th>
                <th scope="col">Digest</th>
              </tr>
            </thead>
            <tbody>
              {q.data.plugins.map((p) => (
                <tr key={`${p.name}/${p.folder}`} data-testid="plugin-row" data-status={p.status}>
                  <td>
                    {p.name}
                    {p.version !== undefined ? `@${p.version}` : ''}
                  </td>
                  <td>{p.kind ?? '—'}</td>
                  <td>{p.signer ? `${p.origin} (signed by ${p.signer.name})` : p.origin}</td>
                  <td className={p.status === 'loaded' ? 'ok-text' : 'bad-text'}>
                    {p.status === 'loaded' ? 'loaded' : `refused — ${p.code ?? ''}: ${p.reason ?? ''}`}
                  </td>
                  <td className="mono" title={p.digest}>
                    {p.digest ? shortDigest(p.digest) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
