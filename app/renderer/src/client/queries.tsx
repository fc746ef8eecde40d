/**
 * Every engine call goes through react-query: `useEngineQuery(channel, args)` and
 * `useEngineMutation(channel)`. Query keys are `[channel, args]`, so `store.changed` events can
 * invalidate by channel. The cache is persisted to Dexie (minus big per-scan lists).
 */
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { JOB_CHANGES, type Channel, type ChannelArgs, type ChannelResult, type EventPayloads } from '../../../common/contract';
import type { StellaUiDb } from '../db/db';
import { createDexiePersister } from '../db/persister';
import { call, EngineError, type UiClient } from './engine';
import { jobStore } from './jobs';

const ClientContext = createContext<UiClient | null>(null);

export function useClient(): UiClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside <EngineProvider>');
  return c;
}

/** Channels whose results are too big or too volatile to persist between sessions. */
const NOT_PERSISTED = new Set<Channel>([
  'findings.list',
  'findings.explain',
  'sbom.get',
  'sbom.export',
  'jobs.list',
  'files.open',
  'advisories.search',
  // answers that are checks made now (a cached "verified" would be a claim nobody made), or big
  'attest.verify',
  'audit.verify',
  'log.proof',
  'image.get',
  'keys.exportPublic',
]);

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        gcTime: 24 * 60 * 60 * 1000,
        refetchOnWindowFocus: false,
        // Engine errors are answers, not glitches: retrying `not-found` or `invalid-input` only delays them.
        retry: (count, err) => !(err instanceof EngineError) && count < 2,
      },
    },
  });
}

/** Which cached channels a `store.changed` event makes stale. */
export const INVALIDATES: Record<EventPayloads['store.changed']['what'], Channel[]> = {
  sboms: ['sbom.list', 'sbom.get', 'image.get'],
  advisories: ['advisories.snapshot', 'advisories.linkset', 'advisories.search'],
  scans: ['scan.list', 'findings.list', 'findings.explain', 'image.get', 'policy.evaluate', 'policy.explain', 'policy.simulate', 'report.html'],
  // VEX (statements, triage, issuer trust) and the active pack decide verdicts: stored verdicts become stale (`current`), evaluations change.
  vex: ['vex.statements', 'vex.consensus', 'vex.unmatched', 'vex.trust', 'scan.list', 'policy.evaluate', 'policy.explain', 'policy.simulate', 'report.html'],
  policy: ['policy.packs', 'policy.history', 'policy.active', 'scan.list', 'policy.evaluate', 'policy.explain', 'policy.simulate', 'report.html'],
  keys: ['keys.list'],
  trust: ['trust.list'],
  // signing logs an entry and audits it
  attestations: ['attest.list', 'log.info', 'log.proof'],
  audit: ['audit.list', 'audit.verify'],
  kits: ['kits.status', 'kits.quarantine', 'feeds.age', 'advisories.snapshot'],
  notifications: ['notify.rules', 'notify.since'],
};

function EventBridge({ client, queryClient }: { client: UiClient; queryClient: QueryClient }) {
  useEffect(() => {
    const offs = [
      client.subscribe('store.changed', (p) => {
        for (const channel of INVALIDATES[p.what] ?? []) void queryClient.invalidateQueries({ queryKey: [channel] });
      }),
      client.subscribe('job.progress', (p) => jobStore.progress(p)),
      client.subscribe('job.finished', (p) => {
        jobStore.finished(p);
        void queryClient.invalidateQueries({ queryKey: ['jobs.list'] });
        // A finished job changed the store even if the host sends no store.changed.
        for (const what of JOB_CHANGES[p.kind]) for (const channel of INVALIDATES[what]) void queryClient.invalidateQueries({ queryKey: [channel] });
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, queryClient]);
  return null;
}

export function EngineProvider({ client, queryClient, db, children }: { client: UiClient; queryClient: QueryClient; db: StellaUiDb | null; children: ReactNode }) {
  const inner = (
    <ClientContext.Provider value={client}>
      <EventBridge client={client} queryClient={queryClient} />
      {children}
    </ClientContext.Provider>
  );
  if (!db) return <QueryClientProviderPlain queryClient={queryClient}>{inner}</QueryClientProviderPlain>;
  return (
    <PersistQueryClientProvider
      client={queryClient}
      persistOptions={{
        persister: createDexiePersister(db),
        maxAge: 7 * 24 * 60 * 60 * 1000,
        buster: 'stella-ui-1',
        dehydrateOptions: {
          shouldDehydrateQuery: (q) => q.state.status === 'success' && !NOT_PERSISTED.has(q.queryKey[0] as Channel),
        },
      }}
    >
      {inner}
    </PersistQueryClientProvider>
  );
}

function QueryClientProviderPlain({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

export function useEngineQuery<C extends Channel>(
  channel: C,
  args: ChannelArgs<C>,
  options: Omit<UseQueryOptions<ChannelResult<C>, EngineError, ChannelResult<C>, readonly unknown[]>, 'queryKey' | 'queryFn'> = {},
) {
  const client = useClient();
  return useQuery<ChannelResult<C>, EngineError, ChannelResult<C>, readonly unknown[]>({
    queryKey: [channel, args],
    queryFn: () => call(client, channel, args),
    ...options,
  });
}

export function useEngineMutation<C extends Channel>(channel: C) {
  const client = useClient();
  const qc = useQueryClient();
  return useMutation<ChannelResult<C>, EngineError, ChannelArgs<C>>({
    mutationFn: (args) => call(client, channel, args),
    onSettled: () => qc.invalidateQueries({ queryKey: ['jobs.list'] }),
  });
}
