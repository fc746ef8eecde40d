/** Test helpers: a finding input with overrides, and a pack compiled from inline sources. */
import type { PolicyFindingInput } from '../input';
import { compilePolicySources } from '../compile';
import { packFromFiles, type UsablePack, requireUsable } from '../pack';
import type { PolicyIr } from '../ir';

export function finding(over: Partial<Omit<PolicyFindingInput, 'component'>> & { component?: Partial<PolicyFindingInput['component']> } = {}): PolicyFindingInput {
  const { component, ...rest } = over;
  return {
    id: 'fnd_1',
    vulnerabilityId: 'CVE-2021-44228',
    aliases: ['GHSA-jfh8-c2jp-5v3q'],
    severity: { level: 'critical', score: 10 },
    kev: false,
    fixedVersions: [],
    advisory: { sources: ['ghsa'], tags: [] },
    sbom: { tags: [] },
    vex: null,
    evidence: [],
    ...rest,
    component: {
      ref: 'c1',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      name: 'log4j-core',
      version: '2.14.1',
      ecosystem: 'Maven',
      scope: 'required',
      declared: false,
      ...component,
    },
  };
}

/** Compile one policy body (rules, settings) or throw with its diagnostics. */
export function irOf(body: string): PolicyIr {
  const r = compilePolicySources([{ path: 't.stella', text: `policy "t" syntax "stella-dsl@1" {\n${body}\n}\n` }], { name: 't', version: '1' });
  if (!r.ir) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return r.ir;
}

/** A usable pack from in-memory files (pack.yaml is added when missing). */
export function packOf(files: Record<string, string>): UsablePack {
  const all = { 'pack.yaml': 'name: t\nversion: "1"\ndescription: test\n', ...files };
  return requireUsable(packFromFiles({ origin: { kind: 'builtin', name: 'test' }, files: new Map(Object.entries(all)), skipped: [] }));
}
