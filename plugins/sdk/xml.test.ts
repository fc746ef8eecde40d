import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { decodeXmlEntities, lineColumnAt, readXml } from './xml';

// libxml2 (through libxmljs2, already used for CycloneDX XSD validation) is the oracle for "does this
// document have a DTD": it tokenizes XML by the specification.
const libxml = createRequire(import.meta.url)('libxmljs2') as {
  parseXml(text: string, opts: Record<string, boolean>): { getDtd(): unknown };
};
const ORACLE_OPTS = { noent: false, dtdload: false, nonet: true, noblanks: false };

function libxmlSays(text: string): 'dtd' | 'no-dtd' | 'malformed' {
  try {
    return libxml.parseXml(text, ORACLE_OPTS).getDtd() ? 'dtd' : 'no-dtd';
  } catch {
    return 'malformed';
  }
}

const laughs = ['<!DOCTYPE lolz [', ' <!ENTITY lol "lol">', ...Array.from({ length: 8 }, (_, i) => ` <!ENTITY lol${i + 2} "${`&lol${i === 0 ? '' : i + 1};`.repeat(10)}">`), ']>'].join('\n');

const cases: { name: string; text: string; kind?: string; at?: [number, number]; says?: RegExp }[] = [
  { name: 'billion laughs', text: `<?xml version="1.0"?>\n${laughs}\n<a>&lol9;</a>`, kind: 'dtd', at: [2, 1] },
  { name: 'billion laughs behind a PI holding <!--', text: `<?xml version="1.0"?>\n<?m <!-- ?>\n${laughs}\n<a>&lol9;</a>`, kind: 'dtd', at: [3, 1] },
  { name: 'XXE', text: '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', kind: 'dtd', at: [1, 1], says: /XML <!DOCTYPE> declarations are not accepted/ },
  { name: 'external DTD only', text: '<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>', kind: 'dtd', at: [1, 22] },
  { name: 'a stray ENTITY declaration in content', text: '<a>\n  <!ENTITY x "y"></a>', kind: 'dtd', at: [2, 3], says: /<!ENTITY>/ },
  { name: 'a conditional section', text: '<a><![INCLUDE[ x ]]></a>', kind: 'dtd', says: /<!\[INCLUDE>/ },
  { name: 'DOCTYPE inside a comment', text: '<!-- <!DOCTYPE a [<!ENTITY x "y">]> --><a>x</a>' },
  { name: 'DOCTYPE inside CDATA', text: '<a><![CDATA[<!DOCTYPE a [<!ENTITY x "y">]>]]></a>' },
  { name: 'DOCTYPE inside a PI', text: '<?pi <!DOCTYPE a [<!ENTITY x "y">]> ?><a/>' },
  { name: 'DOCTYPE text in an attribute value', text: `<a b='&lt;!DOCTYPE x>' c=">"/>` },
  { name: 'comment-like text in a PI before a real element', text: '<?m <!-- ?><a><b>1</b></a>' },
  { name: 'a ">" inside an attribute does not end the tag', text: '<a x="/>"><b/></a>' },
  { name: 'deep nesting', text: `<a>${'<b>'.repeat(300)}${'</b>'.repeat(300)}</a>`, kind: 'too-deep', at: [1, 1 + 3 + 3 * 255], says: /XML nested deeper than 256 levels at line 1, column 769/ },
  { name: 'truncated', text: '<a>\n<b>1</b>\n<c>', kind: 'truncated', at: [3, 4], says: /truncated XML \(the document ends early\) at line 3, column 4: <a>, <c> are not closed/ },
  { name: 'malformed', text: '<a>\n<b>1</c>\n</a>', kind: 'malformed', says: /malformed XML at line 2/ },
  { name: 'reserved name', text: '<a><__proto__>1</__proto__></a>', kind: 'reserved-name', says: /XML refused: .*__proto__/ },
];

test('readXml: hostile documents are refused with their place, decoys are not mistaken for DTDs', () => {
  for (const c of cases) {
    const r = readXml(c.text);
    if (c.kind === undefined) {
      assert.ok(r.ok, `${c.name}: ${r.ok ? '' : r.problem.message}`);
      continue;
    }
    assert.ok(!r.ok, `${c.name}: expected a ${c.kind} refusal`);
    assert.equal(r.problem.kind, c.kind, `${c.name}: ${r.problem.message}`);
    if (c.at) assert.deepEqual([r.problem.line, r.problem.column], c.at, c.name);
    if (c.says) assert.match(r.problem.message, c.says, c.name);
  }
});

test('readXml agrees with libxml2 on which of these documents carry a DTD', () => {
  for (const c of cases) {
    const oracle = libxmlSays(c.text);
    if (oracle === 'malformed') continue;
    const r = readXml(c.text, { maxDepth: 10_000 });
    assert.equal(!r.ok && r.problem.kind === 'dtd', oracle === 'dtd', `${c.name}: libxml2 says ${oracle}`);
  }
});

test('readXml never expands an entity and decodes only the predefined ones', () => {
  const r = readXml('<a t="&lt;&#x41;&amp;">&lt;b&gt; &#66; &unknown; &amp;amp;</a>');
  assert.ok(r.ok);
  assert.deepEqual(r.doc, { a: { '@_t': '<A&', '#text': '<b> B &unknown; &amp;' } });
  assert.equal(decodeXmlEntities('&#x110000; &#1114111;'), '&#x110000; \u{10ffff}');
});

test('readXml: arrays by path, namespace prefixes removed', () => {
  const r = readXml('<p:a xmlns:p="urn:x"><p:b>1</p:b></p:a>', { isArray: (_n, jpath) => jpath === 'a.b' });
  assert.ok(r.ok);
  assert.deepEqual(r.doc, { a: { b: ['1'] } });
});

test('lineColumnAt counts lines and UTF-16 columns from 1', () => {
  assert.deepEqual(lineColumnAt('ab\ncd\nef', 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumnAt('ab\ncd\nef', 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumnAt('ab\ncd\nef', 6), { line: 3, column: 1 });
});

/**
 * Random prologs and bodies made of the constructs a pre-scan can trip on — comments, processing
 * instructions and CDATA whose text holds `<!--`, `-->`, `]]>`-free DOCTYPE look-alikes — with or without
 * one real DOCTYPE: whenever libxml2 finds a DTD, readXml refuses it; whenever libxml2 finds none, readXml
 * does not claim one.
 */
test('property: readXml finds a DTD exactly when libxml2 does', () => {
  const noise = fc.constantFrom('<!--', '-->', '<!DOCTYPE x>', '<!ENTITY e "v">', '<![CDATA[', ']]', '?', '"', "'", '<', '>', 'x', ' ', '\n', '&lol;');
  const text = (forbidden: string[]) =>
    fc
      .array(noise, { maxLength: 6 })
      .map((parts) => parts.join(''))
      .filter((s) => forbidden.every((f) => !s.includes(f)));
  const comment = text(['--']).map((t) => `<!--${t}-->`);
  const pi = text(['?>']).map((t) => `<?pi ${t}?>`);
  const cdata = text([']]>']).map((t) => `<![CDATA[${t}]]>`);
  const misc = fc.oneof(comment, pi, fc.constant('\n'));
  const doc = fc.record({
    before: fc.array(misc, { maxLength: 3 }),
    dtd: fc.boolean(),
    after: fc.array(misc, { maxLength: 3 }),
    body: fc.array(fc.oneof(comment, pi, cdata, fc.constant('<b x=">"/>')), { maxLength: 4 }),
  });
  fc.assert(
    fc.property(doc, (d) => {
      const xml = `${d.before.join('')}${d.dtd ? '<!DOCTYPE a [<!ENTITY e "v">]>' : ''}${d.after.join('')}<a>${d.body.join('')}</a>`;
      const oracle = libxmlSays(xml);
      const r = readXml(xml);
      if (oracle === 'dtd') return !r.ok && r.problem.kind === 'dtd';
      if (oracle === 'no-dtd') return r.ok || r.problem.kind !== 'dtd';
      return !r.ok; // libxml2 finds it malformed: so must we (for whatever reason)
    }),
    { numRuns: 400, seed: 8 },
  );
});
