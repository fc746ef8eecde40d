import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canonicalJson } from '../core';
import { ACTIONS, FIELDS, FUNCTIONS, POLICY_STATUS_NAMES, REQUIRE_VEX_FIELDS, SETTINGS, VEX_STATEMENT_FIELDS, compilePolicySources, irDigest, lintPolicyText, tokenize, type Diagnostic } from './index';
import { FIELD_GETTERS, STATEMENT_GETTERS } from './_internal/values';

const HEAD = 'policy "p" syntax "stella-dsl@1" {\n';
const wrap = (body: string) => `${HEAD}${body}\n}\n`;
const rule = (when: string, then = 'status := "blocked"', extra = '') => wrap(`  rule r { when ${when} then ${then} ${extra} because "why" }`);

function diags(text: string): Diagnostic[] {
  return lintPolicyText(text, 'p.stella');
}

function short(d: Diagnostic): string {
  return `${d.line}:${d.column} ${d.severity} ${d.code}`;
}

test('lint: each problem is reported with its code, severity and line:column', () => {
  interface Case {
    name: string;
    text: string;
    /** `line:col severity code` of each expected diagnostic (exactly these). */
    expect: string[];
    /** A fragment of the first message. */
    message?: RegExp;
  }
  const cases: Case[] = [
    { name: 'clean', text: rule('severity.level >= "high"'), expect: [] },
    { name: 'unknown field with suggestion', text: rule('sevrity.level == "high"'), expect: ['2:17 error unknown-identifier'], message: /did you mean severity\.level/ },
    { name: 'namespace alone', text: rule('severity == "high"'), expect: ['2:17 error unknown-identifier'], message: /severity\.level/ },
    { name: 'statement field outside vex.any', text: rule('issuer_class == "distro"'), expect: ['2:17 error unknown-identifier'], message: /inside vex\.any/ },
    { name: 'unknown function', text: rule('advisory.has_tags("kev")'), expect: ['2:17 error unknown-identifier'], message: /did you mean advisory\.has_tag/ },
    { name: 'function used as a field', text: rule('vex.any'), expect: ['2:17 error type'], message: /is a function/ },
    { name: 'number as a condition', text: rule('epss'), expect: ['2:17 error type'], message: /not a condition/ },
    { name: 'number in and', text: rule('fix.available and epss'), expect: ['2:35 error type'] },
    { name: 'ordering strings', text: rule('component.name < "b"'), expect: ['2:17 error type'], message: /orders numbers, dates and severities/ },
    { name: 'severity vs number', text: rule('severity.level >= 7'), expect: ['2:17 error type'], message: /severity with a number/ },
    { name: 'unknown severity band', text: rule('severity.level >= "severe"'), expect: ['2:35 error unknown-value'] },
    { name: 'closed vocabulary', text: rule('vex.status == "not-affected"'), expect: ['2:31 error unknown-value'], message: /did you mean not_affected/ },
    { name: 'open vocabulary warns', text: rule('vex.justification == "because"'), expect: ['2:38 warning unknown-value'] },
    { name: 'list compared with ==', text: rule('fix.versions == "1.0"'), expect: ['2:17 error type'], message: /in LIST/ },
    { name: 'in needs a list', text: rule('component.name in "x"'), expect: ['2:35 error type'] },
    { name: 'mixed list', text: rule('component.name in ["a", 1]'), expect: ['2:35 error type'] },
    { name: 'in list of wrong type', text: rule('epss in ["a"]'), expect: ['2:17 error type'] },
    { name: 'invalid calendar date', text: rule('fix.available', 'ignore until 2026-02-30'), expect: ['2:49 error invalid-date'] },
    { name: 'invalid date string', text: rule('fix.available', 'defer until "next week"'), expect: ['2:48 error invalid-date'] },
    { name: 'unknown status', text: rule('fix.available', 'status := "block"'), expect: ['2:46 error unknown-status'], message: /did you mean blocked/ },
    { name: 'escalate to a non-band', text: rule('fix.available', 'escalate to "urgent"'), expect: ['2:36 warning no-status', '2:48 error type'] },
    { name: 'requireVex unknown field', text: rule('fix.available', 'requireVex { issuer_classes = ["distro"] }'), expect: ['2:49 error unknown-identifier'], message: /did you mean issuer_class/ },
    { name: 'requireVex bad status', text: rule('fix.available', 'requireVex { statuses = ["not-affected"] }'), expect: ['2:61 error unknown-value'] },
    { name: 'no status set', text: rule('fix.available', 'annotate k := 1'), expect: ['2:36 warning no-status'] },
    { name: 'status overridden', text: rule('fix.available', 'status := "warn" status := "blocked"'), expect: ['2:53 warning status-overridden'] },
    { name: 'empty because', text: wrap('  rule r { when fix.available then warn because "" }'), expect: ['2:49 warning empty-because'] },
    { name: 'constants compared', text: rule('1 == 1'), expect: ['2:17 warning constant-condition'] },
    { name: 'always-false rule', text: rule('false'), expect: ['2:17 warning unreachable-rule'], message: /never fires/ },
    { name: 'vex.any nested', text: rule('vex.any(vex.any(status == "fixed"))'), expect: ['2:25 error type'] },
    { name: 'has_tag needs a literal', text: rule('advisory.has_tag(component.name)'), expect: ['2:34 error type'] },
    { name: 'wrong argument count', text: rule('sbom.has_tag()'), expect: ['2:17 error type'] },
    { name: 'single = in a condition', text: rule('fix.available = true'), expect: ['2:31 error syntax'], message: /use "=="/ },
    { name: 'unknown setting', text: wrap('  settings { default_stat = "pass" }'), expect: ['2:14 error unknown-setting'], message: /did you mean default_status/ },
    { name: 'bad setting value', text: wrap('  settings { unknowns_action = "pass" }'), expect: ['2:32 error type'] },
    { name: 'negative budget', text: wrap('  settings { unknowns_budget = -1 }'), expect: ['2:32 error type'] },
    { name: 'wrong syntax id', text: 'policy "p" syntax "stella-dsl@2" {\n}\n', expect: ['1:19 error syntax'] },
    { name: 'two policies in a file', text: `${wrap('')}policy "q" syntax "stella-dsl@1" { }\n`, expect: ['4:1 error syntax'] },
    // The string swallows `then warn because ` up to the next quote; `x` follows, then an unterminated `" }`.
    { name: 'unterminated string', text: wrap('  rule r { when component.name == "abc then warn because "x" }'), expect: ['2:59 error syntax', '2:60 error syntax', '4:1 error syntax'], message: /expected "then", found "x"/ },
    { name: 'unterminated string at end of line', text: wrap('  rule r { when component.name == "abc\n then warn because "x" }'), expect: ['2:35 error syntax'] },
  ];
  const failures: string[] = [];
  for (const c of cases) {
    const d = diags(c.text);
    const got = d.map(short);
    if (canonicalJson(got) !== canonicalJson(c.expect)) failures.push(`${c.name}: expected ${JSON.stringify(c.expect)}, got ${JSON.stringify(got)} — ${d.map((x) => x.message).join(' | ')}`);
    else if (c.message && !c.message.test(d[0]?.message ?? '')) failures.push(`${c.name}: message ${JSON.stringify(d[0]?.message)} does not match ${c.message}`);
  }
  assert.deepEqual(failures, []);
});

test('lint: syntax errors do not hide the rest of the file (recovery at the next rule)', () => {
  const text = wrap(
    [
      '  rule a { when sevrity.level == "high" then status := "blok" because "x" }',
      '  rule b { when epss then status := "pass" because "y" }',
      '  rule c { when fix.available then status := "pass" because "z"', // missing }
      '  rule d { when fix.available = true then status := "pass" because "w" }',
      '  rule a { when true then status := "pass" because "dup" }',
    ].join('\n'),
  );
  const got = diags(text).map((d) => `${d.line}:${d.column} ${d.code}`);
  assert.deepEqual(got, ['2:17 unknown-identifier', '2:56 unknown-status', '3:17 type', '5:3 syntax', '5:31 syntax', '6:8 duplicate-rule']);
});

test('lint: unreachable rules — after a catch-all, after an else, and when an earlier condition is a conjunct', () => {
  const text = wrap(
    [
      '  rule kev priority 5 { when advisory.kev then status := "blocked" because "k" }',
      '  rule kev_and_fix priority 6 { when advisory.kev and fix.available then warn because "never: kev decided first" }',
      '  rule temp priority 7 { when true then ignore until 2026-01-01 because "expires, so not a catch-all" }',
      '  rule high priority 8 { when severity.level == "high" then warn else status := "pass" because "decides everything" }',
      '  rule late priority 9 { when epss > 0.1 then status := "blocked" because "shadowed" }',
    ].join('\n'),
  );
  const d = diags(text).filter((x) => x.code === 'unreachable-rule');
  assert.deepEqual(
    d.map((x) => `${x.line} ${x.message.split(':')[0]}`),
    ['3 rule kev_and_fix is unreachable', '6 rule late is unreachable'],
  );
  assert.match(d[0]?.message ?? '', /decided first by rule kev \(p\.stella:2:8\)/);
  assert.match(d[1]?.message ?? '', /rule high \(p\.stella:5:8, priority 8\) decides every finding/);
});

test('compile: IR is canonical, independent of layout and comments, and changes with meaning', () => {
  const a = wrap('  rule r priority 5 { when severity.level >= "High" and not fix.available then status := "blocked" because "x" }');
  const b = `# a comment\n${HEAD}\n  // another\n  rule r\n    priority 5\n  {\n    when (severity.level >= "high") and (not fix.available)\n    then status := "blocked";\n    because "x";\n  }\n}\n`;
  const c = wrap('  rule r priority 6 { when severity.level >= "high" and not fix.available then status := "blocked" because "x" }');
  const ir = (t: string) => {
    const r = compilePolicySources([{ path: 'p.stella', text: t }], { name: 'n', version: '1' });
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.ir);
    return r.ir;
  };
  assert.equal(irDigest(ir(a)), irDigest(ir(b)));
  assert.notEqual(irDigest(ir(a)), irDigest(ir(c)));
  assert.match(irDigest(ir(a)), /^sha256:[0-9a-f]{64}$/);
  // Severity literals are normalized, comparisons carry their domain.
  assert.deepEqual((ir(a).rules[0]?.when as { args: unknown[] }).args[0], { op: 'cmp', cmp: '>=', kind: 'severity', left: { op: 'field', path: 'severity.level' }, right: { op: 'const', type: 'severity', value: 'high' } });
});

test('compile: rules of a pack run by priority, then file path, then position; duplicate names and conflicting settings across files are errors', () => {
  const f1 = 'policy "one" syntax "stella-dsl@1" {\n  settings { default_status = "pass" }\n  rule b1 { when fix.available then warn because "x" }\n  rule b0 priority 1 { when advisory.kev then status := "blocked" because "x" }\n}\n';
  const f2 = 'policy "two" syntax "stella-dsl@1" {\n  rule a1 { when epss > 0.5 then warn because "x" }\n  rule a0 priority 1 { when vex.conflict then warn because "x" }\n}\n';
  const r = compilePolicySources([{ path: 'z.stella', text: f1 }, { path: 'a.stella', text: f2 }], { name: 'n', version: '1' });
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.ir?.rules.map((x) => `${x.name}@${x.policy}`), ['a0@two', 'b0@one', 'a1@two', 'b1@one']);
  assert.deepEqual(r.locations.b0, { file: 'z.stella', line: 4, column: 8 });

  const dup = 'policy "three" syntax "stella-dsl@1" {\n  settings { default_status = "warn" }\n  rule b1 { when fix.available then warn because "x" }\n}\n';
  const bad = compilePolicySources([{ path: 'z.stella', text: f1 }, { path: 'c.stella', text: dup }], { name: 'n', version: '1' });
  assert.equal(bad.ir, null);
  assert.deepEqual(bad.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`), ['z.stella:2:14 conflicting-setting', 'z.stella:3:8 duplicate-rule']);
  assert.match(bad.diagnostics[1]?.message ?? '', /first defined at c\.stella:3:8/);
});

test('tokenize: token kinds and positions for the editor, comments kept apart', () => {
  const r = tokenize('rule r { when epss >= 0.5 # note\n and "s" in [2026-01-01] }');
  assert.deepEqual(
    r.tokens.map((t) => `${t.kind}:${t.text}@${t.span.start.line}:${t.span.start.column}`),
    ['keyword:rule@1:1', 'identifier:r@1:6', 'punctuation:{@1:8', 'keyword:when@1:10', 'identifier:epss@1:15', 'operator:>=@1:20', 'number:0.5@1:23', 'keyword:and@2:2', 'string:"s"@2:6', 'keyword:in@2:10', 'punctuation:[@2:13', 'date:2026-01-01@2:14', 'punctuation:]@2:24', 'punctuation:}@2:26'],
  );
  assert.deepEqual(r.comments.map((c) => c.text), ['# note']);
  assert.deepEqual(r.diagnostics, []);
});

test('the vocabulary, the evaluator and GRAMMAR.md name the same built-ins', () => {
  assert.deepEqual(FIELDS.map((f) => f.path).sort(), Object.keys(FIELD_GETTERS).sort());
  assert.deepEqual(VEX_STATEMENT_FIELDS.map((f) => f.path).sort(), Object.keys(STATEMENT_GETTERS).sort());
  const grammar = readFileSync(new URL('./GRAMMAR.md', import.meta.url), 'utf8');
  const names = [
    ...FIELDS.map((f) => `\`${f.path}\``),
    ...VEX_STATEMENT_FIELDS.map((f) => `\`${f.path}\``),
    ...FUNCTIONS.map((f) => `\`${f.name}(`),
    ...ACTIONS.map((a) => a.syntax.split(' ')[0] as string),
    ...SETTINGS.map((s) => `\`${s.key}\``),
    ...REQUIRE_VEX_FIELDS.map((f) => `\`${f.key}\``),
    ...POLICY_STATUS_NAMES.map((s) => `\`${s}\``),
  ];
  assert.deepEqual(
    names.filter((n) => !grammar.includes(n)),
    [],
  );
});
