import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMBEDDED_PACKS } from './packs/embedded';
import { MONARCH_LANGUAGE, describeName, tokenize } from './index';
import { dayAfter, parseIsoDate } from './syntax';

type Rule = readonly [RegExp, string | { cases: Record<string, string> }, string?];

/** Enough of Monaco's Monarch runner to tokenize with MONARCH_LANGUAGE (line by line, a state stack). */
function monarch(text: string): { cls: string; text: string }[] {
  const lang = MONARCH_LANGUAGE as unknown as { keywords: string[]; builtins: string[]; tokenizer: Record<string, Rule[]> };
  const out: { cls: string; text: string }[] = [];
  const stack = ['root'];
  text.split('\n').forEach((line, lineIndex) => {
    let pos = 0;
    while (pos < line.length) {
      const state = stack[stack.length - 1] as string;
      const rules = lang.tokenizer[state] as Rule[];
      let matched = false;
      for (const [re, action, next] of rules) {
        const m = new RegExp(re.source, 'y');
        m.lastIndex = pos;
        const hit = m.exec(line);
        if (!hit || hit[0] === '') continue;
        let cls = typeof action === 'string' ? action : '';
        if (typeof action !== 'string') cls = lang.builtins.includes(hit[0]) ? 'predefined' : lang.keywords.includes(hit[0]) ? 'keyword' : 'identifier';
        const last = out[out.length - 1];
        // Inside a string or block comment every piece belongs to the token the root state opened.
        if (state !== 'root' && last) last.text += `${pos === 0 && lineIndex > 0 ? '\n' : ''}${hit[0]}`;
        else out.push({ cls, text: hit[0] });
        if (next === '@pop') stack.pop();
        else if (next) stack.push(next.slice(1));
        pos += hit[0].length;
        matched = true;
        break;
      }
      if (!matched) {
        out.push({ cls: 'invalid', text: line[pos] as string });
        pos++;
      }
    }
  });
  return out;
}

/** Both token streams in one vocabulary (token classes of the lexer), without whitespace. */
function normalize(tokens: { cls: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t.cls === 'white') continue;
    const cls = t.cls.startsWith('string') ? 'string' : t.cls === 'predefined' ? 'identifier' : t.cls === '@brackets' || t.cls === 'delimiter' ? 'punctuation' : t.cls === 'number.date' ? 'date' : t.cls;
    out.push(`${cls} ${t.text}`);
  }
  return out;
}

function lexerTokens(text: string): { cls: string; text: string }[] {
  const r = tokenize(text);
  const all = [...r.tokens, ...r.comments].sort((a, b) => a.span.start.offset - b.span.start.offset);
  const out: { cls: string; text: string; end: number }[] = [];
  for (const t of all) {
    const last = out[out.length - 1];
    const word = t.kind === 'identifier' || t.kind === 'keyword';
    // `severity.level` is one token for the editor: join a name, a dot and a name with nothing between.
    if (last && last.end === t.span.start.offset && ((t.text === '.' && /\w$/.test(last.text)) || (word && last.text.endsWith('.')))) {
      last.text += t.text;
      last.cls = 'identifier';
      last.end = t.span.end.offset;
      continue;
    }
    out.push({ cls: t.kind, text: t.text, end: t.span.end.offset });
  }
  // A lone keyword stays a keyword; joined paths are identifiers (Monarch: builtins before keywords).
  return out.map((t) => ({ cls: t.cls, text: t.text }));
}

test('the Monarch definition tokenizes every shipped policy exactly like the lexer', () => {
  let files = 0;
  for (const pack of Object.values(EMBEDDED_PACKS)) {
    for (const [path, text] of Object.entries(pack)) {
      if (!path.endsWith('.stella')) continue;
      files++;
      assert.deepEqual(normalize(monarch(text)), normalize(lexerTokens(text)), path);
    }
  }
  assert.ok(files >= 4);
  const tricky = 'rule r { when env.x == "a \\"q\\" b" and d < 2026-01-01T10:00:00Z /* c\n d */ or -1.5e3 > x.y.z # end\n}';
  assert.deepEqual(normalize(monarch(tricky)), normalize(lexerTokens(tricky)));
});

test('hover documentation for fields, statement fields, functions, env, actions and settings', () => {
  assert.match(describeName('severity.level')?.title ?? '', /^severity\.level: severity$/);
  assert.match(describeName('issuer_class', true)?.title ?? '', /VEX statement field/);
  assert.equal(describeName('issuer_class'), null);
  assert.match(describeName('vex.any')?.title ?? '', /^vex\.any\(predicate: predicate\): bool$/);
  assert.match(describeName('env.exposure')?.doc ?? '', /--env KEY=VALUE/);
  assert.match(describeName('requireVex')?.title ?? '', /^requireVex \{/);
  assert.match(describeName('unknowns_budget')?.title ?? '', /default unset/);
});

test('ISO dates: calendar validity, end-of-day for dates, zones, the day after', () => {
  const cases: [string, number | null][] = [
    ['2026-03-01', Date.UTC(2026, 2, 1, 23, 59, 59, 999)],
    ['2024-02-29', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ['2026-02-29', null],
    ['1900-02-29', null],
    ['2000-02-29', Date.UTC(2000, 1, 29, 23, 59, 59, 999)],
    ['2026-04-31', null],
    ['2026-13-01', null],
    ['2026-03-01T10:00Z', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01T10:00:00+02:00', Date.UTC(2026, 2, 1, 8)],
    ['2026-03-01T24:00:00Z', null],
    ['2026-03-01T10:00:00', null],
    ['next week', null],
  ];
  for (const [text, ms] of cases) assert.equal(parseIsoDate(text), ms, text);
  assert.deepEqual(['2026-02-28', '2024-02-28', '2026-12-31', '2026-06-30T12:00:00Z', 'x'].map(dayAfter), ['2026-03-01', '2024-02-29', '2027-01-01', '2026-07-01', null]);
});
