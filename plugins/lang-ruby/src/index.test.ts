import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memoryFile as file } from '../../sdk/testing';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import ruby from './index';

const run = (path: string, body: Buffer) => ruby.analyze([file(path, body)], { foundBy: 'lang/ruby@1', target: 'file' });
const RAILS = 'actioncable@7.0.2.2 actionmailbox@7.0.2.2 actionmailer@7.0.2.2 actionpack@7.0.2.2 actiontext@7.0.2.2 actionview@7.0.2.2 activejob@7.0.2.2 activemodel@7.0.2.2 activerecord@7.0.2.2 activestorage@7.0.2.2 activesupport@7.0.2.2 builder@3.2.4 concurrent-ruby@1.1.9 crass@1.0.6 digest@3.1.0 erubi@1.10.0 globalid@1.0.0 i18n@1.10.0 io-wait@0.2.1 loofah@2.14.0 mail@2.7.1 marcel@1.0.2 method_source@1.0.0 mini_mime@1.1.2 minitest@5.15.0 net-imap@0.2.3 net-pop@0.1.1 net-protocol@0.1.2 net-smtp@0.3.1 nio4r@2.5.8 nokogiri@1.13.3 racc@1.6.0 rack-test@1.1.0 rack@2.2.3 rails-dom-testing@2.0.3 rails-html-sanitizer@1.4.2 rails@7.0.2.2 railties@7.0.2.2 rake@13.0.6 strscan@3.0.1 thor@1.2.1 timeout@0.2.0 tzinfo@2.0.4 websocket-driver@0.7.5 websocket-extensions@0.1.5 zeitwerk@2.5.4';

/** [fixture, expected sorted name@version list (space separated), issue severities] */
const cases: [string, string, string[]][] = [
  ['osv-scanner/no-gem-section.lock', '', []],
  ['osv-scanner/no-spec-section.lock', '', []],
  ['osv-scanner/no-gems.lock', '', []],
  ['osv-scanner/one-gem.lock', 'ast@2.4.2', []],
  ['osv-scanner/some-gems.lock', 'coderay@1.1.3 method_source@1.0.0 pry@0.14.1', []],
  ['osv-scanner/multiple-gems.lock', 'bundler-audit@0.9.0.1 coderay@1.1.3 dotenv@2.7.6 method_source@1.0.0 pry@0.14.1 thor@1.2.1', []],
  ['osv-scanner/rubocop.lock', 'ast@2.4.2 parallel@1.21.0 parser@3.1.1.0 rainbow@3.1.1 regexp_parser@2.2.1 rexml@3.2.5 rubocop-ast@1.16.0 rubocop@1.25.1 ruby-progressbar@1.11.0 unicode-display_width@2.1.0', []],
  ['osv-scanner/has-git-gem.lock', 'concurrent-ruby@1.1.7 hanami-controller@2.0.0.alpha1 hanami-utils@2.0.0.alpha1 rack@2.2.3 transproc@1.1.1', []],
  ['osv-scanner/rails.lock', RAILS, []],
];

for (const [rel, expected, issues] of cases) {
  test(`lang/ruby Gemfile.lock: ${rel}`, needsFixtures('analyzers', 'gemfile-lock', rel), async () => {
    const r = await run('/app/Gemfile.lock', readFileSync(fixture('analyzers', 'gemfile-lock', rel) as string));
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`).sort().join(' '), expected);
    assert.deepEqual(r.issues.map((i) => i.severity), issues);
    for (const p of r.packages) {
      assert.equal(p.declared, true);
      assert.equal(p.purl.type, 'gem');
    }
  });
}

test('lang/ruby: PATH gems, platform suffixes and dependency edges (has-local-gem)', needsFixtures('analyzers', 'gemfile-lock', 'osv-scanner/has-local-gem.lock'), async () => {
  const r = await run('/app/Gemfile.lock', readFileSync(fixture('analyzers', 'gemfile-lock', 'osv-scanner/has-local-gem.lock') as string));
  assert.equal(r.packages.length, 30);
  const backbone = r.packages.find((p) => p.name === 'backbone-on-rails');
  assert.equal(backbone?.properties?.source, 'PATH');
  const nokogiri = r.packages.find((p) => p.name === 'nokogiri');
  assert.equal(nokogiri?.version, '1.13.3');
  assert.equal(nokogiri?.properties?.platform, 'x86_64-linux');
  assert.deepEqual(nokogiri?.purl.qualifiers, { platform: 'x86_64-linux' });
  const edges = r.relationships.map((e) => `${e.from} -> ${e.to}`);
  assert.ok(edges.includes('backbone-on-rails@1.2.0.0 -> railties@7.0.2.2'));
  assert.ok(edges.includes('nokogiri@1.13.3-x86_64-linux -> racc@1.6.0'));
});

test('lang/ruby: syft fixture — PATH, GIT and GEM gems; the unknown BAD-SECTION is skipped with a located warning', needsFixtures('analyzers', 'gemfile-lock', 'syft/ruby__Gemfile.lock'), async () => {
  const r = await run('/app/Gemfile.lock', readFileSync(fixture('analyzers', 'gemfile-lock', 'syft/ruby__Gemfile.lock') as string));
  const names = r.packages.map((p) => p.name);
  assert.equal(r.packages.length, 52, 'every spec of GEM/GIT/PATH, without bad-entry');
  assert.ok(names.includes('google-cloud-errors') && names.includes('turbolinks') && names.includes('unicorn'));
  assert.ok(!names.includes('bad-entry'));
  assert.deepEqual(r.issues.map((i) => `${i.severity}@${i.line}`), ['warning@136']);
});

test('lang/ruby: a file that is not a Gemfile.lock is rejected with a located error', async () => {
  const r = await run('/app/Gemfile.lock', Buffer.from('{"not": "a lockfile"}\n'));
  assert.equal(r.packages.length, 0);
  assert.equal(r.issues[0]?.severity, 'error');
  assert.equal(r.issues[0]?.path, '/app/Gemfile.lock');
  assert.match(r.issues[0]?.message ?? '', /not a Gemfile.lock/);
});

test('lang/ruby: installed gemspec (RubyGems-written Ruby, never evaluated)', async () => {
  const r = await run('/usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec', readFileSync(new URL('../testdata/rake-13.0.6.gemspec', import.meta.url)));
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.packages.map((p) => [p.name, p.version, p.licenses, p.declared]), [['rake', '13.0.6', ['MIT'], undefined]]);
  const bad = await run('/x/specifications/evil.gemspec', Buffer.from('system("rm -rf /")\n'));
  assert.equal(bad.issues[0]?.severity, 'error');
});
