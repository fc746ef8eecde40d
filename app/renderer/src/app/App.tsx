import { Component, lazy, Suspense, useEffect, useRef, type ErrorInfo, type ReactNode } from 'react';
import { ErrorBox } from '../common/ErrorBox';
import { AdvisoriesScreen } from '../advisories/AdvisoriesScreen';
import { useEngineQuery } from '../client/queries';
import { Dashboard } from '../dashboard/Dashboard';
import { FindingsExplorer } from '../findings/FindingsExplorer';
import { ImportScreen } from '../import/ImportScreen';
import { SbomExplorer } from '../sbom/SbomExplorer';
import { Settings } from '../settings/Settings';
import { ImageScreen } from '../image/ImageScreen';
import { AttestationsScreen } from '../attest/AttestationsScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { VexScreen } from '../vex/VexScreen';
import { Loading } from '../common/ErrorBox';
import { ExportWizard } from '../export/ExportWizard';
import { KitsScreen } from '../kits/KitsScreen';
import { FeedAgeBadge } from '../kits/FeedAge';
import { NotificationBell, NotificationToasts } from '../notify/NotificationCenter';
import { hrefFor, type RouteName, useRoute } from './router';
import { useTheme } from './ui-db';

// The policy studio carries Monaco: loaded only when the Policy screen opens.
const PolicyStudio = lazy(() => import('../policy/PolicyStudio'));

const NAV: { name: RouteName; label: string }[] = [
  { name: 'dashboard', label: 'Dashboard' },
  { name: 'import', label: 'Import' },
  { name: 'findings', label: 'Findings' },
  { name: 'sbom', label: 'SBOMs' },
  { name: 'advisories', label: 'Advisories' },
  { name: 'policy', label: 'Policy' },
  { name: 'vex', label: 'VEX' },
  { name: 'attestations', label: 'Attestations' },
  { name: 'audit', label: 'Audit' },
  { name: 'export', label: 'Export' },
  { name: 'kits', label: 'Offline kits' },
  { name: 'settings', label: 'Settings' },
];

/** Screens reached from other screens rather than the navigation. */
const OTHER_LABELS: Partial<Record<RouteName, string>> = { image: 'Image' };
const labelOf = (name: RouteName): string => NAV.find((n) => n.name === name)?.label ?? OTHER_LABELS[name] ?? '';

export function App() {
  const [route] = useRoute();
  const { effective, setPref } = useTheme();
  const info = useEngineQuery('app.info', {}, { staleTime: Infinity });
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    const label = labelOf(route.name);
    document.title = `${label} — Stella Evidence Workstation`;
    // Move focus to the new screen for keyboard and screen-reader users (not on first load).
    if (!first.current) mainRef.current?.focus({ preventScroll: true });
    first.current = false;
  }, [route.name]);

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        Skip to content
      </a>
      <div className="shell">
        <nav className="sidebar" aria-label="Main navigation">
          <div className="brand">
            Stella
            <small>Evidence Workstation</small>
          </div>
          <div className="nav">
            {NAV.map((n) => (
              <a key={n.name} href={hrefFor(n.name)} aria-current={route.name === n.name ? 'page' : undefined} data-testid={`nav-${n.name}`}>
                {n.label}
              </a>
            ))}
          </div>
          <div className="sidebar-foot">
            <NotificationBell />
            <FeedAgeBadge />
            <button type="button" onClick={() => setPref(effective === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${effective === 'dark' ? 'light' : 'dark'} theme`} data-testid="theme-toggle">
              {effective === 'dark' ? '☀ Light theme' : '☾ Dark theme'}
            </button>
            {info.data && (
              <span title={info.data.home}>
                v{info.data.version} · {info.data.mode}
              </span>
            )}
          </div>
        </nav>
        <main id="main" className="main" tabIndex={-1} ref={mainRef} aria-label={labelOf(route.name)}>
          <ScreenBoundary key={route.name}>
            <Screen name={route.name} params={route.params} />
          </ScreenBoundary>
        </main>
      </div>
      <NotificationToasts />
    </>
  );
}

function Screen({ name, params }: { name: RouteName; params: URLSearchParams }) {
  switch (name) {
    case 'dashboard':
      return <Dashboard />;
    case 'import':
      return <ImportScreen />;
    case 'findings':
      return <FindingsExplorer scanId={params.get('scan') ?? undefined} viewId={params.get('view') ?? undefined} findingId={params.get('finding') ?? undefined} />;
    case 'sbom':
      return <SbomExplorer sbomId={params.get('id') ?? undefined} />;
    case 'advisories':
      return <AdvisoriesScreen linksetId={params.get('id') ?? undefined} query={params.get('q') ?? ''} />;
    case 'settings':
      return <Settings />;
    case 'image':
      return <ImageScreen sbomId={params.get('sbom') ?? undefined} scanId={params.get('scan') ?? undefined} />;
    case 'attestations':
      return <AttestationsScreen entry={params.get('entry') ?? undefined} />;
    case 'audit':
      return <AuditScreen seq={params.get('seq') ?? undefined} />;
    case 'policy':
      return (
        <Suspense fallback={<Loading what="the policy studio" />}>
          <PolicyStudio />
        </Suspense>
      );
    case 'vex':
      return <VexScreen scanId={params.get('scan') ?? undefined} findingId={params.get('finding') ?? undefined} />;
    case 'export':
      return <ExportWizard scanId={params.get('scan') ?? undefined} />;
    case 'kits':
      return <KitsScreen />;
  }
}

/** A screen that throws while rendering shows the error instead of blanking the whole window. */
class ScreenBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('stella: a screen failed to render', error, info.componentStack);
  }
  override render() {
    if (this.state.error) return <ErrorBox error={this.state.error} title="This screen failed to render" onDismiss={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
