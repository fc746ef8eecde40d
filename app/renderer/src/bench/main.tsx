// Bench-only entry (build/bench/ui.bench.ts builds it in place of src/main.tsx; never part of the shipped renderer):
// the workstation over an in-memory client serving one synthetic scan of `?rows=N` findings.
import { mountApp } from '../app/mount';
import { benchClient } from './client';

const rows = Number(new URLSearchParams(window.location.search).get('rows') ?? 100_000);
mountApp(benchClient(rows), { persistQueries: false });
