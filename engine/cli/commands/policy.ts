/**
 * `stella policy lint|test|eval|explain|simulate|compile` — thin adapters over engine/jobs/policy — and
 * the pack lifecycle `import|approve|activate|history|active` (engine/jobs/policy-packs).
 * Exit codes: lint 3 on errors · test 1 when a fixture's expectation fails · eval 1 when the verdict is
 * BLOCKED · activate 1 without two approvals · 3 for a pack that does not compile or a malformed input ·
 * 4 for a scan or pack version that is not stored.
 */
import type { Command } from 'commander';
import { compilePolicyPack, evaluatePolicy, explainPolicyFinding, lintPolicyPack, simulatePolicy, testPolicyPack, type EvaluatePolicyResult } from '../../jobs/policy';
import { canonicalJson } from '../../core';
import { builtinPackNames, formatDiagnostic, parsePackId, type ExplainTrace, type ConditionTrace, type SimulationResult } from '../../policy';
import { activatePolicyPackJob, activePolicyJob, approvePolicyPackJob, importPolicyPackJob, policyHistoryJob } from '../../jobs/policy-packs';
import { CliError, type CommandContext } from '../context';
import { cliPassphraseSource } from '../passphrase';
import { collect, parseEnv } from './options';

export { collect, parseEnv };
import type { RegisterCommands } from './index';

function parseSamples(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new CliError('usage', `--samples: expected a whole number from 0 to 100, got ${JSON.stringify(v)}`);
  return n;
}

interface EvalOpts {
  date?: string;
  env?: string[];
}

function common(ctx: CommandContext, o: EvalOpts) {
  return { cwd: ctx.io.cwd, ...(o.date ? { evaluationDate: o.date } : {}), env: parseEnv(o.env ?? []) };
}

const PACK_HELP = `a pack directory, a .tar.gz, builtin:NAME (${builtinPackNames().join(', ')}), NAME@VERSION of an imported pack, or active`;

export const registerPolicyCommands: RegisterCommands = (program: Command, makeContext) => {
  const policy = program.command('policy').description('policy packs (stella-dsl@1): lint, run fixtures, evaluate, explain, simulate');

  policy
    .command('lint')
    .description('check a pack: prints file:line:col: message for every problem (exit 3 on errors)')
    .argument('<pack>', PACK_HELP)
    .action(async (pack: string, _o: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await lintPolicyPack(storeFor(ctx, pack), { pack, cwd: ctx.io.cwd }, ctx.job());
      ctx.output(r, () => {
        for (const d of r.diagnostics) ctx.print(formatDiagnostic(d));
        ctx.log(`stella: ${r.pack.source}: ${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}${r.pack.digest ? `; digest ${r.pack.digest}` : ''}`);
      });
      if (!r.ok) ctx.exitCode = 3;
    });

  policy
    .command('test')
    .description("run the pack's fixtures (exit 1 when an expectation fails)")
    .argument('<pack>', PACK_HELP)
    .action(async (pack: string, _o: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await testPolicyPack(storeFor(ctx, pack), { pack, cwd: ctx.io.cwd }, ctx.job());
      ctx.output(r, () => {
        for (const f of r.fixtures) {
          ctx.print(`${f.passed ? 'ok  ' : 'FAIL'} ${f.file}  (${f.findings} findings, verdict ${f.verdict})`);
          for (const x of f.failures) {
            ctx.print(`     ${x.finding ? `${x.finding}: ` : ''}${x.field} expected ${JSON.stringify(x.expected)}, got ${JSON.stringify(x.actual)}${x.because ? ` — "${x.because}"` : ''}`);
          }
        }
        ctx.print(`${r.passed} passed, ${r.failed} failed — ${r.pack.name}@${r.pack.version} ${r.pack.digest}`);
      });
      if (r.failed > 0) ctx.exitCode = 1;
    });

  policy
    .command('eval')
    .description('evaluate a pack over a stored scan or a `stella scan --json` file (exit 1 when BLOCKED)')
    .argument('<pack>', PACK_HELP)
    .requiredOption('--scan <id|file>', 'stored scan id or scan JSON file')
    .option('--date <YYYY-MM-DD>', 'evaluation date (default today)')
    .option('--env <key=value>', 'environment value for env.* (repeatable)', collect)
    .action(async (pack: string, o: EvalOpts & { scan: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await evaluatePolicy(ctx.openStore(), { pack, scan: o.scan, ...common(ctx, o) }, ctx.job());
      ctx.output(evalJson(r), () => printEval(ctx, r));
      if (r.verdict === 'BLOCKED') ctx.exitCode = 1;
    });

  policy
    .command('explain')
    .description('why a finding got its status: rules tried, condition values, inputs read, VEX, evidence, what would change it')
    .argument('<pack>', PACK_HELP)
    .requiredOption('--scan <id|file>', 'stored scan id or scan JSON file')
    .requiredOption('--finding <id>', 'finding id (fnd_…)')
    .option('--date <YYYY-MM-DD>', 'evaluation date (default today)')
    .option('--env <key=value>', 'environment value for env.* (repeatable)', collect)
    .action(async (pack: string, o: EvalOpts & { scan: string; finding: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await explainPolicyFinding(ctx.openStore(), { pack, scan: o.scan, finding: o.finding, ...common(ctx, o) }, ctx.job());
      ctx.output(r, () => printExplain(ctx, r));
    });

  policy
    .command('simulate')
    .description('compare a candidate pack with a base pack over stored scans (default: all) or scan files; stores nothing')
    .requiredOption('--base <pack>', `the pack in use: ${PACK_HELP}`)
    .requiredOption('--candidate <pack>', 'the draft pack')
    .option('--scan <id|file>', 'scan to simulate over (repeatable; default every stored scan)', collect)
    .option('--samples <n>', 'explain samples of changed findings (0–100, default 10)', parseSamples)
    .option('--date <YYYY-MM-DD>', 'evaluation date (default today)')
    .option('--env <key=value>', 'environment value for env.* (repeatable)', collect)
    .action(async (o: EvalOpts & { base: string; candidate: string; scan?: string[]; samples?: number }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await simulatePolicy(
        ctx.openStore(),
        { base: o.base, candidate: o.candidate, ...(o.scan ? { scans: o.scan } : {}), ...(o.samples !== undefined ? { samples: o.samples } : {}), ...common(ctx, o) },
        ctx.job(),
      );
      ctx.output(r, () => printSimulation(ctx, r));
    });

  policy
    .command('compile')
    .description('print the canonical IR (RFC 8785) of a pack; its sha256 is the pack digest with the exceptions')
    .argument('<pack>', PACK_HELP)
    .action(async (pack: string, _o: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await compilePolicyPack(storeFor(ctx, pack), { pack, cwd: ctx.io.cwd }, ctx.job());
      if (ctx.json) ctx.printJson(r);
      else ctx.print(canonicalJson(r.ir));
    });

  policy
    .command('import')
    .description('import a pack (directory or .tar.gz) as an immutable version NAME@VERSION; it is used once approved by two keys and activated')
    .argument('<pack>', 'a pack directory or .tar.gz')
    .action(async (pack: string, _o: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await importPolicyPackJob(ctx.openStore(), { pack, cwd: ctx.io.cwd }, ctx.job());
      for (const w of r.warnings) ctx.log(`stella: ${formatDiagnostic(w)}`);
      ctx.output(r, () => {
        ctx.print(`${r.outcome === 'new' ? 'imported' : 'already imported'} ${r.pack.name}@${r.pack.version} ${r.pack.digest} (${r.pack.files.length} files; fixtures ${r.fixtures.passed} passed, ${r.fixtures.failed} failed)`);
        if (r.pack.approvalsNeeded > 0) ctx.print(`needs ${r.pack.approvalsNeeded} more approval${r.pack.approvalsNeeded === 1 ? '' : 's'}: stella policy approve ${r.pack.name}@${r.pack.version} --key KEY`);
      });
    });

  policy
    .command('approve')
    .description('approve an imported version with a workstation key (a DSSE signature over its name, version, digest and source files)')
    .argument('<name@version>', 'an imported pack version')
    .requiredOption('--key <name>', 'the signing key that approves (stella keys list)')
    .option('--passphrase-file <file>', 'read the key passphrase from the first line of FILE (else STELLA_PASSPHRASE, else a prompt)')
    .action(async (pack: string, o: { key: string; passphraseFile?: string }, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await approvePolicyPackJob(ctx.openStore(), { pack, key: o.key }, cliPassphraseSource(ctx, o), ctx.job());
      ctx.output(r, () => {
        ctx.print(`approved ${r.pack.name}@${r.pack.version} with ${r.approval.keyName ?? r.approval.keyId} (${r.approval.algorithm}, key ${r.approval.keyId.slice(0, 16)}…)`);
        ctx.print(r.pack.approvalsNeeded > 0 ? `needs ${r.pack.approvalsNeeded} more approval${r.pack.approvalsNeeded === 1 ? '' : 's'} by another key` : `ready: stella policy activate ${r.pack.name}@${r.pack.version}`);
      });
    });

  policy
    .command('activate')
    .description('make a version the active pack (needs approvals by two distinct keys; exit 1 otherwise), or go back to a built-in pack')
    .argument('<name@version>', 'an imported pack version, or builtin:NAME')
    .action(async (pack: string, _o: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await activatePolicyPackJob(ctx.openStore(), { pack }, ctx.job());
      ctx.output(r, () => ctx.print(`${r.changed ? 'active' : 'already active'}: ${r.active.name}@${r.active.version} (${r.active.ref}) ${r.active.digest}`));
    });

  policy
    .command('history')
    .description('the active pack, every imported version with its approvals, the built-in packs, and every import, approval and activation')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await policyHistoryJob(ctx.openStore());
      ctx.output(r, () => {
        ctx.print(`active ${r.active.name}@${r.active.version} (${r.active.ref})`);
        for (const v of r.versions) ctx.print(`  ${v.active ? '*' : ' '} ${v.name}@${v.version} ${v.digest.slice(0, 19)}…  approvals ${v.approvals.map((a) => a.keyName ?? a.keyId.slice(0, 12)).join(', ') || '-'}${v.approvalsNeeded ? ` (needs ${v.approvalsNeeded} more)` : ''}`);
        for (const b of r.builtins) ctx.print(`  ${b.active ? '*' : ' '} ${b.ref} (${b.name}@${b.version})`);
        if (r.events.length) ctx.print('');
        for (const e of r.events) ctx.print(`${e.at}  ${e.event.padEnd(9)} ${e.pack}${e.keyId ? `  by ${e.keyName ?? e.keyId}` : ''}`);
      });
    });

  policy
    .command('active')
    .description('the pack scans are judged by (the shipped builtin:default until another is activated)')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const r = await activePolicyJob(ctx.openStore());
      ctx.output(r, () => ctx.print(`${r.name}@${r.version} (${r.ref}) ${r.digest}${r.activatedAt ? ` — activated ${r.activatedAt}` : ' — the shipped default'}`));
    });
};

/** Lint, test and compile need no store — unless the pack is an imported version or the active pack. */
function storeFor(ctx: CommandContext, pack: string) {
  return pack === 'active' || parsePackId(pack) !== null ? ctx.openStore() : null;
}

/** The `--json` document of `policy eval`: the contract fields first, then context. */
function evalJson(r: EvaluatePolicyResult) {
  return {
    verdict: r.verdict,
    findings: r.findings.map((d) => ({ id: d.findingId, vulnerabilityId: d.vulnerabilityId, purl: d.purl, status: d.status, rule: d.rule, because: d.because })),
    pack: r.pack,
    scan: r.scan,
    evaluationDate: r.evaluationDate,
    counts: r.counts,
    unknowns: r.unknowns,
    vex: r.vex,
  };
}

function cell(s: string, w: number): string {
  return s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w);
}

function printEval(ctx: CommandContext, r: EvaluatePolicyResult): void {
  const flagged = r.findings.filter((d) => d.verdict !== 'PASS');
  if (flagged.length) {
    ctx.print(`${cell('STATUS', 9)} ${cell('VULNERABILITY', 20)} ${cell('PACKAGE', 48)} RULE`);
    for (const d of flagged) ctx.print(`${cell(d.status, 9)} ${cell(d.vulnerabilityId, 20)} ${cell(d.purl ?? '-', 48)} ${d.rule ?? '(default)'}`);
    ctx.print('');
  }
  const u = r.unknowns;
  ctx.print(`verdict ${r.verdict} — ${r.counts.BLOCKED} blocked, ${r.counts.WARN} warn, ${r.counts.PASS} pass of ${r.findings.length} findings`);
  ctx.print(`unknowns ${u.total}${u.budget !== null ? ` of budget ${u.budget}${u.exceeded ? ' (EXCEEDED)' : ''}` : ''}: ${u.componentsWithoutPurl ?? '?'} components without purl, ${u.unresolvableRanges} unresolvable ranges, ${u.vexConflicts} VEX conflicts`);
  ctx.print(`pack ${r.pack.name}@${r.pack.version} ${r.pack.digest}  date ${r.evaluationDate}  scan ${r.scan.id ?? r.scan.file}`);
}

function printCondition(ctx: CommandContext, c: ConditionTrace, indent: string): void {
  const v = c.skipped ? 'not evaluated' : JSON.stringify(c.value);
  ctx.print(`${indent}${c.expr}  → ${v}`);
  for (const s of c.statements ?? []) ctx.print(`${indent}  statement ${s.index} ${s.issuer} (${s.issuerClass}) ${s.status} → ${s.value}`);
  // Leaves (a field and a constant) are already visible in the line above; show only sub-conditions.
  for (const k of c.children ?? []) if (k.children || k.statements || k.skipped) printCondition(ctx, k, `${indent}  `);
}

function printExplain(ctx: CommandContext, t: ExplainTrace): void {
  const d = t.decision;
  ctx.print(`${t.finding.vulnerabilityId} in ${t.finding.purl ?? t.finding.component.name}: ${d.status.toUpperCase()} (${d.verdict})`);
  ctx.print(d.rule ? `rule ${d.rule}: ${d.because}` : 'no rule matched: the default status applies');
  if (d.exception) ctx.print(`exception ${d.exception.id} (${d.exception.kind}, owner ${d.exception.owner}, expires ${d.exception.expires}): ${d.exception.reason}`);
  ctx.print('');
  ctx.print('rules:');
  for (const r of t.rules) {
    if (r.outcome === 'not-reached') continue;
    ctx.print(`  ${r.outcome.padEnd(8)} ${r.rule} (priority ${r.priority}${r.location ? `, ${r.location.file}:${r.location.line}` : ''})`);
    if (r.condition) printCondition(ctx, r.condition, '      ');
  }
  ctx.print('');
  ctx.print('inputs read:');
  for (const i of t.inputs) ctx.print(`  ${i.path} = ${JSON.stringify(i.value)}`);
  if (t.vex) {
    ctx.print('');
    ctx.print(`VEX consensus: ${t.vex.status} (confidence ${t.vex.confidence})`);
    for (const s of t.vex.statements) ctx.print(`  ${s.issuer} (${s.issuerClass}, tier ${s.tier}, weight ${s.weight}): ${s.status}${s.justification ? ` / ${s.justification}` : ''}`);
  }
  if (t.evidence.length) {
    ctx.print('');
    ctx.print('evidence:');
    for (const e of t.evidence) ctx.print(`  ${e.source} ${e.advisoryId} ${e.rawDigest}`);
  }
  if (t.whatIf.length) {
    ctx.print('');
    ctx.print('what would change the verdict:');
    for (const w of t.whatIf) ctx.print(`  ${w.change} → ${w.verdict}${w.rule ? ` (rule ${w.rule})` : ''}`);
  }
}

function printSimulation(ctx: CommandContext, r: SimulationResult): void {
  ctx.print(`base ${r.base.name}@${r.base.version}  →  candidate ${r.candidate.name}@${r.candidate.version}  (date ${r.evaluationDate})`);
  for (const s of r.scans) ctx.print(`  scan ${s.scan}: ${s.before} → ${s.after} (${s.findings} findings)`);
  const c = r.counts;
  ctx.print(`added ${c.added}  removed ${c.removed}  changed ${c.changed}  unchanged ${c.unchanged}`);
  if (r.changes.length) {
    ctx.print('');
    ctx.print(`${cell('CHANGE', 8)} ${cell('VULNERABILITY', 20)} ${cell('PACKAGE', 44)} ${cell('BEFORE → AFTER', 22)} RULE`);
    for (const ch of r.changes.slice(0, 200)) ctx.print(`${cell(ch.kind, 8)} ${cell(ch.vulnerabilityId, 20)} ${cell(ch.purl ?? '-', 44)} ${cell(`${ch.before} → ${ch.after}`, 22)} ${ch.rule ?? '(default)'}`);
    if (r.changes.length > 200) ctx.print(`… ${r.changes.length - 200} more (use --json)`);
  }
  ctx.print('');
  ctx.print('rules (findings decided before → after):');
  for (const x of r.rules) ctx.print(`  ${cell(x.rule, 32)} ${String(x.before).padStart(7)} → ${String(x.after).padEnd(7)} ${x.in === 'both' ? '' : `(${x.in} only)`}`);
}
