import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFile as file, memoryFs } from '../../sdk/testing';
import { readFileSync } from 'node:fs';
import type { AnalyzerResult, PackageRecord } from '../../sdk';
import { purlToString } from '../../sdk';
import { fixture, needsFixtures } from '../../../build/test-support/fixtures';
import { makeZip as zip } from '../../../build/test-support/zip';
import java, { formatOf } from './index';
import { analyzeArchive, DEFAULT_ARCHIVE_LIMITS, groupFromRepositoryPath, splitArchiveFileName } from './archive';
import { parseManifest, parseProperties } from './properties';

const run = (path: string, body: Buffer | string): Promise<AnalyzerResult> => java.analyze([file(path, body)], { foundBy: 'lang/java@2', target: 'file' });
/** `group:artifact@version`, with ` optional` for test/provided scopes. */
const listOf = (r: AnalyzerResult): string[] => r.packages.map((p) => `${p.name}@${p.version ?? ''}${p.scope === 'optional' ? ' optional' : ''}`).sort();
const issuesOf = (r: AnalyzerResult): string[] => r.issues.map((i) => `${i.severity}${i.line ? `@${i.line}` : ''}`);

function checkShape(r: AnalyzerResult, path: string, declared: boolean): void {
  for (const p of r.packages) {
    assert.equal(p.locations[0], path);
    assert.equal(p.declared, declared ? true : undefined);
    assert.equal(p.purl.type, 'maven');
    assert.equal(p.name, p.purl.namespace ? `${p.purl.namespace}:${p.purl.name}` : p.purl.name);
    assert.equal(p.purl.version, p.version);
    assert.ok(p.purl.namespace, 'maven purls need a namespace');
    assert.match(purlToString(p.purl), /^pkg:maven\//);
  }
  assert.equal(new Set(r.packages.map((p) => p.id)).size, r.packages.length, 'ids are unique');
  for (const i of r.issues) assert.equal(i.path, path);
}

type Row = [fixture: string, packages: string[], issues: string[], message?: RegExp];

const pomCases: Row[] = [
  ['osv-scanner/empty.xml', [], []],
  ['osv-scanner/one-package.xml', ['org.apache.maven:maven-artifact@1.0.0'], []],
  ['osv-scanner/two-packages.xml', ['io.netty:netty-all@4.1.42.Final', 'org.slf4j:slf4j-log4j12@1.7.25'], []],
  // ${mypackageVersion}, ${my.package.version}; the managed ranged-package only has a range → no version + info
  ['osv-scanner/interpolation.xml', ['org.mine:my.package@2.3.4', 'org.mine:mypackage@1.0.0', 'org.mine:ranged-package@'], ['info@33'], /version range \[9\.4\.35\.v20201120,9\.5\)/],
  // the version written on the dependency wins over the managed 4.1.42.Final (Maven semantics); jsr305 is managed-only
  ['osv-scanner/with-dependency-management.xml', ['com.google.code.findbugs:jsr305@3.0.2', 'io.netty:netty-all@4.1.9', 'org.slf4j:slf4j-log4j12@1.7.25'], ['info@7'], /overrides the <dependencyManagement> version 4\.1\.42\.Final/],
  ['osv-scanner/with-scope.xml', ['abc:xyz@1.2.3', 'junit:junit@4.12 optional'], []],
  ['osv-scanner/invalid-syntax.xml', [], ['error@3'], /not a Maven POM: malformed XML at line 3.*'\$\{Id\}\.version' is an invalid name.*expected a pom\.xml with a <project> root element/],
  ['osv-scanner/not-pom.txt', [], ['error@1'], /not a Maven POM: malformed XML at line 1.*expected a pom\.xml with a <project> root element/],
];

for (const [rel, expected, issues, message] of pomCases) {
  test(`lang/java pom.xml: ${rel}`, needsFixtures('analyzers', 'maven-pom-xml', rel), async () => {
    const r = await run('/src/pom.xml', readFileSync(fixture('analyzers', 'maven-pom-xml', rel) as string));
    assert.deepEqual(listOf(r), expected);
    assert.deepEqual(issuesOf(r), issues);
    if (message) assert.match(r.issues[0]?.message ?? '', message);
    checkShape(r, '/src/pom.xml', true);
  });
}

test('lang/java pom.xml: scope and managed markers', needsFixtures('analyzers', 'maven-pom-xml', 'osv-scanner/with-scope.xml'), async () => {
  const r = await run('/src/pom.xml', readFileSync(fixture('analyzers', 'maven-pom-xml', 'osv-scanner/with-scope.xml') as string));
  assert.deepEqual(r.packages.map((p) => p.properties?.scope), ['compile', 'test']);
  assert.equal(purlToString(r.packages[1]?.purl as PackageRecord['purl']), 'pkg:maven/junit/junit@4.12');
  const m = await run('/src/pom.xml', readFileSync(fixture('analyzers', 'maven-pom-xml', 'osv-scanner/with-dependency-management.xml') as string));
  assert.equal(m.packages.find((p) => p.name === 'com.google.code.findbugs:jsr305')?.properties?.dependencyManagement, 'true');
  assert.equal(m.packages.find((p) => p.name === 'io.netty:netty-all')?.properties?.dependencyManagement, undefined);
});

test('lang/java pom.xml: project/parent interpolation, managed versions, parent and cycles reported', async () => {
  const pom = `<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.acme</groupId><artifactId>acme-parent</artifactId><version>7</version></parent>
  <artifactId>svc</artifactId>
  <version>2.0.0</version>
  <properties>
    <lib.version>\${base.version}.1</lib.version>
    <base.version>1.3</base.version><base.version>1.4</base.version>
    <loop.a>\${loop.b}</loop.a>
    <loop.b>\${loop.a}</loop.b>
  </properties>
  <dependencies>
    <dependency><groupId>\${project.groupId}</groupId><artifactId>svc-api</artifactId><version>\${project.version}</version></dependency>
    <dependency><groupId>org.lib</groupId><artifactId>lib</artifactId><version>\${lib.version}</version><scope>provided</scope></dependency>
    <dependency><groupId>org.managed</groupId><artifactId>m</artifactId></dependency>
    <dependency><groupId>org.parent</groupId><artifactId>from-parent</artifactId></dependency>
    <dependency><groupId>org.loop</groupId><artifactId>loop</artifactId><version>\${loop.a}</version></dependency>
    <dependency><groupId>org.pinned</groupId><artifactId>pinned</artifactId><version>[3.1]</version></dependency>
    <dependency><artifactId>no-group</artifactId><version>1</version></dependency>
  </dependencies>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.managed</groupId><artifactId>m</artifactId><version>9.9</version><scope>test</scope></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>bom</artifactId><version>1</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
</project>`;
  const r = await run('/src/pom.xml', pom);
  assert.deepEqual(listOf(r), ['org.acme:bom@1', 'org.acme:svc-api@2.0.0', 'org.lib:lib@1.4.1 optional', 'org.loop:loop@', 'org.managed:m@9.9 optional', 'org.parent:from-parent@', 'org.pinned:pinned@3.1']);
  assert.equal(r.packages.find((p) => p.name === 'org.managed:m')?.properties?.versionFrom, 'dependencyManagement');
  const msgs = r.issues.map((i) => `${i.severity}@${i.line} ${i.message}`);
  assert.ok(msgs.some((m) => /^info@1 parent POM org\.acme:acme-parent:7: no filesystem view to read it from/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^info@16 org\.parent:from-parent has no version: .*parent POM org\.acme:acme-parent:7, which was not found/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^info@17 org\.loop:loop version "\$\{loop\.a\}": cannot resolve/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^warning@19 .*lacks a resolvable <groupId> or <artifactId>/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^info@23 org\.acme:bom is an imported BOM/.test(m)), msgs.join('\n'));
  checkShape(r, '/src/pom.xml', true);
});

// osv-scanner's maven parent fixtures (pkg/lockfile/fixtures/maven/parent.xml and children/*), rebuilt from what its
// TestMavenLock_WithParent* tests expect: the parent supplies properties, the project version and managed versions.
const PARENT = `<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.parent</groupId>
  <artifactId>parent-pom</artifactId>
  <version>1.0-SNAPSHOT</version>
  <properties>
    <mypackageVersion>1.0.0</mypackageVersion>
    <my.package.version>2.3.4</my.package.version>
    <netty.version>4.1.42.Final</netty.version>
  </properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>io.netty</groupId><artifactId>netty-all</artifactId><version>\${netty.version}</version></dependency>
    <dependency><groupId>com.google.code.findbugs</groupId><artifactId>jsr305</artifactId><version>3.0.2</version></dependency>
  </dependencies></dependencyManagement>
</project>`;
const child = (relativePath: string | null, parent = ['org.parent', 'parent-pom', '1.0-SNAPSHOT']): string => `<project>
  <parent><groupId>${parent[0]}</groupId><artifactId>${parent[1]}</artifactId><version>${parent[2]}</version>${relativePath === null ? '' : `<relativePath>${relativePath}</relativePath>`}</parent>
  <artifactId>child</artifactId>
  <dependencies>
    <dependency><groupId>io.netty</groupId><artifactId>netty-all</artifactId></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-log4j12</artifactId><version>1.7.25</version></dependency>
    <dependency><groupId>org.mine</groupId><artifactId>mypackage</artifactId><version>\${mypackageVersion}</version></dependency>
    <dependency><groupId>org.mine</groupId><artifactId>my.package</artifactId><version>\${my.package.version}</version></dependency>
    <dependency><groupId>dev.foo</groupId><artifactId>bar</artifactId><version>\${project.version}</version></dependency>
  </dependencies>
</project>`;
const WITH_PARENT = ['com.google.code.findbugs:jsr305@3.0.2', 'dev.foo:bar@1.0-SNAPSHOT', 'io.netty:netty-all@4.1.42.Final', 'org.mine:my.package@2.3.4', 'org.mine:mypackage@1.0.0', 'org.slf4j:slf4j-log4j12@1.7.25'];

test('lang/java pom.xml: parent POMs found as Maven finds them (relativePath, directory, default ../pom.xml, repository layout)', async () => {
  const rows: [what: string, files: Record<string, string>, childPath: string, parentPath: string][] = [
    ['relativePath ../parent.xml', { '/m/parent.xml': PARENT, '/m/children/pom.xml': child('../parent.xml') }, '/m/children/pom.xml', '/m/parent.xml'],
    ['relativePath of a directory', { '/m/pom.xml': PARENT, '/m/children/pom.xml': child('..') }, '/m/children/pom.xml', '/m/pom.xml'],
    ['no relativePath: ../pom.xml', { '/m/pom.xml': PARENT, '/m/children/pom.xml': child(null) }, '/m/children/pom.xml', '/m/pom.xml'],
    ['empty relativePath: the local repository by coordinates', { '/root/.m2/repository/org/parent/parent-pom/1.0-SNAPSHOT/parent-pom-1.0-SNAPSHOT.pom': PARENT, '/src/pom.xml': child('') }, '/src/pom.xml', '/root/.m2/repository/org/parent/parent-pom/1.0-SNAPSHOT/parent-pom-1.0-SNAPSHOT.pom'],
    ['../pom.xml of other coordinates: the repository (Debian maven-repo)', { '/src/pom.xml': '<project><groupId>x</groupId><artifactId>other</artifactId><version>1</version></project>', '/src/app/pom.xml': child(null), '/usr/share/maven-repo/org/parent/parent-pom/1.0-SNAPSHOT/parent-pom-1.0-SNAPSHOT.pom': PARENT }, '/src/app/pom.xml', '/usr/share/maven-repo/org/parent/parent-pom/1.0-SNAPSHOT/parent-pom-1.0-SNAPSHOT.pom'],
  ];
  for (const [what, files, childPath, parentPath] of rows) {
    const fs = memoryFs(files);
    const r = await java.analyze([file(childPath, files[childPath] as string)], { foundBy: 'lang/java@2', target: 'file', fs });
    assert.deepEqual(listOf(r), WITH_PARENT, what);
    assert.deepEqual(r.issues, [], what);
    const jsr = r.packages.find((p) => p.name === 'com.google.code.findbugs:jsr305');
    assert.deepEqual(jsr?.locations, [childPath, parentPath], `${what}: a managed entry of the parent is reported with the parent as its evidence`);
    assert.equal(jsr?.properties?.inheritedFrom, parentPath);
    assert.equal(r.packages.find((p) => p.name === 'io.netty:netty-all')?.properties?.versionFrom, 'dependencyManagement');
  }
});

test('lang/java pom.xml: grandparents, inherited dependencies, overrides, cycles and missing parents', async () => {
  const grand = '<project><groupId>g</groupId><artifactId>grand</artifactId><version>1</version><properties><lib.version>0.9</lib.version><only.grand>7</only.grand></properties><dependencies><dependency><groupId>org.log</groupId><artifactId>log</artifactId><version>\${only.grand}</version></dependency><dependency><groupId>org.x</groupId><artifactId>x</artifactId><version>1</version></dependency></dependencies></project>';
  const mid = '<project><parent><groupId>g</groupId><artifactId>grand</artifactId><version>1</version></parent><artifactId>mid</artifactId><properties><lib.version>1.0</lib.version></properties></project>';
  const leaf = '<project><parent><groupId>g</groupId><artifactId>mid</artifactId><version>1</version><relativePath>../mid/pom.xml</relativePath></parent><artifactId>leaf</artifactId><properties><lib.version>2.0</lib.version></properties><dependencies><dependency><groupId>org.lib</groupId><artifactId>lib</artifactId><version>\${lib.version}</version></dependency><dependency><groupId>org.x</groupId><artifactId>x</artifactId><version>5</version></dependency></dependencies></project>';
  const fs = memoryFs({ '/p/pom.xml': grand, '/p/mid/pom.xml': mid, '/p/leaf/pom.xml': leaf });
  const r = await java.analyze([file('/p/leaf/pom.xml', leaf)], { foundBy: 'lang/java@2', target: 'file', fs });
  // the child's property wins; the grandparent's dependency is inherited; org.x:x is overridden by the child
  assert.deepEqual(listOf(r), ['org.lib:lib@2.0', 'org.log:log@7', 'org.x:x@5']);
  assert.deepEqual(r.packages.find((p) => p.name === 'org.log:log')?.locations, ['/p/leaf/pom.xml', '/p/pom.xml']);
  assert.deepEqual(fs.opened, ['/p/mid/pom.xml', '/p/pom.xml']);

  const loopA = '<project><parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version><relativePath>../b/pom.xml</relativePath></parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version></project>';
  const loopB = '<project><parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version><relativePath>../a/pom.xml</relativePath></parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version></project>';
  const loop = await java.analyze([file('/l/a/pom.xml', loopA)], { foundBy: 'lang/java@2', target: 'file', fs: memoryFs({ '/l/a/pom.xml': loopA, '/l/b/pom.xml': loopB }) });
  assert.match(loop.issues[0]?.message ?? '', /the parent chain loops back to \/l\/a\/pom\.xml/);

  const missing = await java.analyze([file('/src/pom.xml', child('../parent.xml'))], { foundBy: 'lang/java@2', target: 'file', fs: memoryFs({}) });
  assert.deepEqual(listOf(missing), ['dev.foo:bar@1.0-SNAPSHOT', 'io.netty:netty-all@', 'org.mine:my.package@', 'org.mine:mypackage@', 'org.slf4j:slf4j-log4j12@1.7.25']);
  assert.match(missing.issues[0]?.message ?? '', /^parent POM org\.parent:parent-pom:1\.0-SNAPSHOT not found \(\/parent\.xml: not-found; \/root\/\.m2\/repository\/org\/parent\/parent-pom\/1\.0-SNAPSHOT\/parent-pom-1\.0-SNAPSHOT\.pom: not-found/);
});

test('lang/java pom.xml: fan-out property references expand in linear time, bounded in length', async () => {
  const props = Array.from({ length: 30 }, (_, i) => `<p${i}>${i === 29 ? 'x' : `\${p${i + 1}}`.repeat(10)}</p${i}>`).join('');
  const r = await run('/src/pom.xml', `<project><properties>${props}</properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>\${p0}</version></dependency></dependencies></project>`);
  assert.equal(r.packages.length, 1);
  assert.ok((r.packages[0]?.version?.length ?? 0) <= 4096);
});

test('lang/java pom.xml: hostile XML is refused with a located error, never expanded', async () => {
  const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<project><dependencies><dependency><groupId>&lol2;</groupId><artifactId>a</artifactId><version>1</version></dependency></dependencies></project>`;
  const xxe = `<?xml version="1.0"?>\n\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><project/>`;
  // A processing instruction holding `<!--` must not hide the DTD behind it.
  const smuggled = laughs.replace('\n', '\n<?m <!-- ?>\n');
  for (const [body, line] of [[laughs, 2], [xxe, 3], [smuggled, 3]] as const) {
    const r = await run('/src/pom.xml', body);
    assert.deepEqual(r.packages, []);
    assert.deepEqual(issuesOf(r), [`error@${line}`]);
    assert.match(r.issues[0]?.message ?? '', /XML <!DOCTYPE> declarations are not accepted/);
  }
  const proto = await run('/src/pom.xml', '<project><properties><__proto__>x</__proto__></properties></project>');
  assert.equal(proto.issues[0]?.severity, 'error');
  assert.equal(({} as Record<string, unknown>).x, undefined);
  const deep = await run('/src/pom.xml', `<project>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</project>`);
  assert.match(deep.issues[0]?.message ?? '', /nested deeper than 64/);
  const other = await run('/src/pom.xml', '<settings><x/></settings>');
  assert.deepEqual(issuesOf(other), ['error@1']);
  assert.match(other.issues[0]?.message ?? '', /root element is <settings>; expected a single <project> root element/);
  const textOnly = await run('/src/pom.xml', '<project>just text</project>');
  assert.match(textOnly.issues[0]?.message ?? '', /<project> holds only text/);
});

const lockCases: Row[] = [
  [
    'osv-scanner/5-pkg',
    [
      'org.springframework.boot:spring-boot-autoconfigure@2.7.4',
      'org.springframework.boot:spring-boot-configuration-processor@2.7.5',
      'org.springframework.boot:spring-boot-devtools@2.7.6',
      'org.springframework.boot:spring-boot-starter-aop@2.7.7',
      'org.springframework.boot:spring-boot-starter-data-jpa@2.7.8',
    ],
    [],
  ],
  ['osv-scanner/one-pkg', ['org.springframework.security:spring-security-crypto@5.7.3'], []],
  ['osv-scanner/only-comments', [], []],
  ['osv-scanner/only-empty', [], []],
  [
    'osv-scanner/with-bad-pkg',
    ['org.springframework.boot:spring-boot-autoconfigure@2.7.4', 'org.springframework.boot:spring-boot-configuration-processor@2.7.5'],
    ['warning@3', 'warning@4', 'warning@5', 'warning@9', 'warning@10'],
    /malformed lockfile line ">>>": expected "group:artifact:version=configuration,\.\.\."/,
  ],
  // junit and hamcrest only in test configurations → optional; commons-text on a last line without newline
  ['syft/java__gradle__gradle.lockfile', ['joda-time:joda-time@2.2', 'junit:junit@4.12 optional', 'org.apache.commons:commons-text@1.8', 'org.hamcrest:hamcrest-core@1.3 optional'], []],
];

for (const [rel, expected, issues, message] of lockCases) {
  test(`lang/java gradle.lockfile: ${rel}`, needsFixtures('analyzers', 'gradle-lockfile', rel), async () => {
    const r = await run('/src/gradle.lockfile', readFileSync(fixture('analyzers', 'gradle-lockfile', rel) as string));
    assert.deepEqual(listOf(r), expected);
    assert.deepEqual(issuesOf(r), issues);
    if (message) assert.match(r.issues[0]?.message ?? '', message);
    checkShape(r, '/src/gradle.lockfile', true);
  });
}

test('lang/java gradle.lockfile: configurations, per-configuration lockfiles, not a lockfile', needsFixtures('analyzers', 'gradle-lockfile', 'osv-scanner/with-bad-pkg'), async () => {
  const r = await run('/src/gradle.lockfile', readFileSync(fixture('analyzers', 'gradle-lockfile', 'osv-scanner/with-bad-pkg') as string));
  assert.match(r.issues[2]?.message ?? '', /malformed "empty=" line "empty=======": expected "empty=" followed by comma-separated configuration names/);
  assert.equal(r.packages[0]?.properties?.configurations, 'compileClasspath,developmentOnly,productionRuntimeClasspath,runtimeClasspath');
  const old = await run('/src/gradle/dependency-locks/testRuntimeClasspath.lockfile', '# comment\norg.x:y:1.0\n');
  assert.deepEqual(listOf(old), ['org.x:y@1.0 optional']);
  const bad = await run('/src/gradle.lockfile', '{"not": "a lockfile"}\n');
  assert.deepEqual(issuesOf(bad), ['warning@1', 'error']);
  assert.match(bad.issues[1]?.message ?? '', /not a Gradle lockfile/);
});

const verificationCases: Row[] = [
  ['osv-scanner/empty.xml', [], []],
  ['osv-scanner/one-package.xml', ['org.apache.pdfbox:pdfbox@2.0.17'], []],
  ['osv-scanner/two-packages.xml', ['com.github.javaparser:javaparser-core@3.6.11', 'org.apache.pdfbox:pdfbox@2.0.17'], []],
  [
    'osv-scanner/multiple-versions.xml',
    [
      'androidx.activity:activity-compose@1.5.0',
      'androidx.activity:activity-compose@1.7.0',
      'androidx.activity:activity-compose@1.7.2',
      'androidx.activity:activity-ktx@1.5.1',
      'androidx.activity:activity-ktx@1.7.0',
      'androidx.activity:activity-ktx@1.7.2',
      'androidx.activity:activity@1.2.1',
      'androidx.activity:activity@1.2.3',
      'androidx.activity:activity@1.5.1',
      'androidx.activity:activity@1.6.0',
      'androidx.activity:activity@1.7.0',
      'androidx.activity:activity@1.7.2',
      'com.google.auto.service:auto-service@1.0-rc4',
      'com.google.auto.service:auto-service@1.0.1',
      'com.google.auto.service:auto-service@1.1.1',
      'io.ktor:ktor-serialization-jvm@2.0.0',
      'io.ktor:ktor-serialization-jvm@2.0.0-beta-1',
      'io.ktor:ktor-serialization-jvm@2.0.3',
    ],
    [],
  ],
  [
    'osv-scanner/complex.xml',
    [
      'com.almworks.sqlite4java:sqlite4java@0.282',
      'com.almworks.sqlite4java:sqlite4java@1.0.392',
      'com.android.tools.build.jetifier:jetifier-core@1.0.0-beta10',
      'com.android.tools.build.jetifier:jetifier-processor@1.0.0-beta10',
      'com.android.tools.build:aapt2-proto@8.3.0-10880808',
      'com.android.tools.build:aapt2@8.3.0-10880808',
      'com.android.tools.build:transform-api@2.0.0-deprecated-use-gradle-api',
      'com.android.tools.emulator:proto@31.3.0',
      'com.android.tools.external.com-intellij:intellij-core@31.3.0',
      'com.android.tools.external.com-intellij:kotlin-compiler@31.3.0',
      'com.android.tools.external.org-jetbrains:uast@31.3.0',
      'com.android.tools:sdklib@31.3.0',
      'com.facebook:ktfmt@0.47',
      'com.github.ben-manes:gradle-versions-plugin@0.51.0',
      'com.github.spullara.mustache.java:compiler@0.9.6',
      'com.google.android:annotations@4.1.1.4',
      'com.google.apis:google-api-services-androidpublisher@v3-rev20231115-2.0.0',
      'com.google.devtools.ksp:symbol-processing-api@1.9.22-1.0.17',
      'com.google.devtools.ksp:symbol-processing-gradle-plugin@1.9.22-1.0.17',
      'com.google.devtools.ksp:symbol-processing@1.9.22-1.0.17',
      'com.google.errorprone:javac@9+181-r4173-1',
      'com.google.googlejavaformat:google-java-format@1.8',
      'com.google.guava:guava@32.0.0-jre',
      'com.google.guava:guava@32.0.1-jre',
      'com.google.guava:guava@32.1.3-jre',
      'com.google.guava:listenablefuture@1.0',
      'com.google.guava:listenablefuture@9999.0-empty-to-avoid-conflict-with-guava',
      'com.google.j2objc:j2objc-annotations@2.8',
      'com.google.jimfs:jimfs@1.1',
      'com.google.testing.platform:core-proto@0.0.9-alpha02',
      'com.google.testing.platform:core@0.0.9-alpha02',
      'com.google.testing.platform:launcher@0.0.9-alpha02',
      'com.google:google@1',
      'com.h2database:h2@2.1.214',
      'com.hankcs:aho-corasick-double-array-trie@1.2.3',
      'com.jakewharton.android.repackaged:dalvik-dx@9.0.0_r3',
      'com.samskivert:jmustache@1.15',
      'com.squareup.curtains:curtains@1.2.4',
      'com.vaadin.external.google:android-json@0.0.20131108.vaadin1',
      'commons-logging:commons-logging@1.2',
      'commons-logging:commons-logging@1.3.0',
      'commons-validator:commons-validator@1.7',
      'commons-validator:commons-validator@1.8.0',
      'de.mannodermaus.gradle.plugins:android-junit5@1.10.0.0',
      'io.netty:netty-codec-http2@4.1.93.Final',
      'io.netty:netty-codec-http@4.1.93.Final',
      'javax.inject:javax.inject@1',
      'junit:junit@4.12',
      'junit:junit@4.13',
      'junit:junit@4.13.1',
      'junit:junit@4.13.2',
      'org.apache:apache@13',
      'org.apache:apache@15',
      'org.apache:apache@16',
      'org.apache:apache@5',
      'org.apache:apache@9',
      'org.jetbrains.intellij.deps:trove4j@1.0.20200330',
      'org.json:json@20180813',
      'org.json:json@20211205',
      'org.json:json@20220320',
      'org.sonatype.ossindex:ossindex-service-client@1.8.2',
      'org.tensorflow:tensorflow-lite-metadata@0.1.0-rc2',
      'org.tukaani:xz@1.9',
      'org.whitesource:pecoff4j@0.0.2.1',
      'org.yaml:snakeyaml@2.2',
      'us.springett:cpe-parser@2.0.3',
    ],
    [],
  ],
  ['osv-scanner/not-xml.txt', [], ['error@1'], /not a Gradle verification-metadata\.xml: malformed XML at line 1.*expected a <verification-metadata> XML document/],
];

for (const [rel, expected, issues, message] of verificationCases) {
  test(`lang/java verification-metadata.xml: ${rel}`, needsFixtures('analyzers', 'gradle-verification-metadata', rel), async () => {
    const r = await run('/src/gradle/verification-metadata.xml', readFileSync(fixture('analyzers', 'gradle-verification-metadata', rel) as string));
    assert.deepEqual(listOf(r), expected);
    assert.deepEqual(issuesOf(r), issues);
    if (message) assert.match(r.issues[0]?.message ?? '', message);
    checkShape(r, '/src/gradle/verification-metadata.xml', true);
  });
}

test('lang/java verification-metadata.xml: main artifact checksums become hashes; bad components are located', needsFixtures('analyzers', 'gradle-verification-metadata', 'osv-scanner/two-packages.xml'), async () => {
  const r = await run('/src/gradle/verification-metadata.xml', readFileSync(fixture('analyzers', 'gradle-verification-metadata', 'osv-scanner/two-packages.xml') as string));
  assert.deepEqual(r.packages[0]?.hashes, [{ alg: 'SHA-512', content: '7e11e54a21c395d461e59552e88b0de0ebaf1bf9d9bcacadf17b240d9bbc29bf6beb8e36896c186fe405d287f5d517b02c89381aa0fcc5e0aa5814e44f0ab331' }]);
  assert.equal(r.packages[1]?.hashes, undefined, 'a pgp key id is not a content hash');
  const bad = await run('/src/gradle/verification-metadata.xml', '<verification-metadata>\n<components>\n<component group="g" name="n"/>\n<component group="g" name="n" version="1"/>\n</components></verification-metadata>');
  assert.deepEqual(listOf(bad), ['g:n@1']);
  assert.deepEqual(issuesOf(bad), ['warning@3']);
  assert.match(bad.issues[0]?.message ?? '', /lacks a group, name or version attribute/);
});

const propertiesCases: Row[] = [
  ['syft/java__pom__colon-delimited.pom.properties', ['org.anchore:example-java-app-maven@0.1.0'], []],
  ['syft/java__pom__equals-delimited-with-colons.pom.properties', ['org.anchore:example-java:app-maven@0.1.0:something'], []],
  ['syft/java__pom__extra.pom.properties', ['org.anchore:example-java-app-maven@0.1.0'], []],
  ['syft/java__pom__small.pom.properties', ['org.anchore:example-java-app-maven@0.1.0'], []],
];

const PROPS_PATH = '/opt/app/classes/META-INF/maven/org.anchore/example-java-app-maven/pom.properties';
for (const [rel, expected, issues] of propertiesCases) {
  test(`lang/java pom.properties: ${rel}`, needsFixtures('analyzers', 'java-pom-properties', rel), async () => {
    const r = await run(PROPS_PATH, readFileSync(fixture('analyzers', 'java-pom-properties', rel) as string));
    assert.deepEqual(listOf(r), expected);
    assert.deepEqual(issuesOf(r), issues);
    checkShape(r, PROPS_PATH, false);
  });
}

test('lang/java pom.properties: extra keys kept, purl encodes odd artifactIds, missing keys located', needsFixtures('analyzers', 'java-pom-properties'), async () => {
  const extra = await run(PROPS_PATH, readFileSync(fixture('analyzers', 'java-pom-properties', 'syft/java__pom__extra.pom.properties') as string));
  assert.deepEqual(extra.packages[0]?.properties, { 'pom.name': 'something-here', 'pom.another': 'thing', 'pom.sweet': 'work' });
  const colons = await run(PROPS_PATH, readFileSync(fixture('analyzers', 'java-pom-properties', 'syft/java__pom__equals-delimited-with-colons.pom.properties') as string));
  assert.equal(purlToString(colons.packages[0]?.purl as PackageRecord['purl']), 'pkg:maven/org.anchore/example-java%3Aapp-maven@0.1.0:something');
  const none = await run(PROPS_PATH, '#Generated by Maven\nfoo=bar\n');
  assert.deepEqual(issuesOf(none), ['error@2']);
  assert.match(none.issues[0]?.message ?? '', /not a Maven pom\.properties: no artifactId or groupId; expected groupId, artifactId and version keys/);
  const noVersion = await run(PROPS_PATH, 'groupId=g\nartifactId=a\n');
  assert.deepEqual(listOf(noVersion), ['g:a@']);
  assert.deepEqual(issuesOf(noVersion), ['info']);
  const noGroup = await run(PROPS_PATH, 'artifactId=a\nversion=1\n');
  assert.deepEqual(listOf(noGroup), ['a:a@1']);
  assert.equal(noGroup.packages[0]?.properties?.groupIdFrom, 'guess: artifactId (no groupId recorded)');
  assert.match(noGroup.issues[0]?.message ?? '', /has no groupId/);
  checkShape(noGroup, PROPS_PATH, false);
});

test('lang/java java-properties syntax: separators, continuations, escapes, comments', () => {
  const text = '# c\n! also a comment\n  key1 = v1  \nkey2:v2\nkey3 v3\nkey\\ 4=a\\\n    b\\\\\nkey5=\\u0041\\t\nempty\n';
  assert.deepEqual(
    parseProperties(text).map((e) => [e.key, e.value, e.line]),
    [
      ['key1', 'v1', 3],
      ['key2', 'v2', 4],
      ['key3', 'v3', 5],
      ['key 4', 'ab\\', 6],
      ['key5', 'A', 8],
      ['empty', '', 9],
    ],
  );
});

test('lang/java MANIFEST.MF: main section only, continuation lines joined', () => {
  const m = parseManifest('Manifest-Version: 1.0\r\nBundle-SymbolicName: org.example.very.long.bundle.symbolic.name.that.wraps.past.seventy-tw\r\n o;singleton:=true\r\nImplementation-Version: 1.2\r\n\r\nName: x/\r\nImplementation-Version: 9\r\n');
  assert.equal(m.get('bundle-symbolicname'), 'org.example.very.long.bundle.symbolic.name.that.wraps.past.seventy-two;singleton:=true');
  assert.equal(m.get('implementation-version'), '1.2');
  assert.deepEqual(splitArchiveFileName('guava-31.1-jre.jar'), { name: 'guava', version: '31.1-jre' });
  assert.deepEqual(splitArchiveFileName('app.WAR'), { name: 'app' });
  assert.equal(groupFromRepositoryPath('/root/.m2/repository/net/java/dev/jna/jna/5.13.0/jna-5.13.0.jar', 'jna', '5.13.0'), 'net.java.dev.jna');
  assert.equal(groupFromRepositoryPath('/home/u/.gradle/caches/modules-2/files-2.1/org.ow2.asm/asm-tree/9.6/0123456789abcdef0123456789abcdef01234567/asm-tree-9.6.jar', 'asm-tree', '9.6'), 'org.ow2.asm');
  assert.equal(groupFromRepositoryPath('/srv/app/lib/jna-5.13.0.jar', 'jna', '5.13.0'), undefined);
  assert.equal(groupFromRepositoryPath('/repository/jna/5.13.0/jna-5.13.0.jar', 'jna', '5.13.0'), undefined);
});

// ---- archives: built with the test zip writer, so no tool is needed and sizes can lie ----

const pomProps = (g: string, a: string, v: string): string => `#Generated by Maven\ngroupId=${g}\nartifactId=${a}\nversion=${v}\n`;

test('lang/java archives: war with nested jars (pom.properties, MANIFEST only, file name only), locations name the nesting', async () => {
  const inner = zip([{ name: 'META-INF/maven/org.inner/inner-lib/pom.properties', data: pomProps('org.inner', 'inner-lib', '2.1'), deflate: true }, { name: 'org/inner/A.class', data: 'x' }]);
  const manifestOnly = zip([
    { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nImplementation-Title: acme-tool\r\nImplementation-Version: 3.4\r\n .5\r\nImplementation-Vendor-Id: com.acme\r\n\r\n' },
  ]);
  const nameOnly = zip([{ name: 'org/apache/commons/lang3/A.class', data: 'x' }]);
  // a shaded jar: two pom.properties, both reported
  const shaded = zip([
    { name: 'META-INF/maven/com.shade/outer/pom.properties', data: pomProps('com.shade', 'outer', '1') },
    { name: 'META-INF/maven/com.google.guava/guava/pom.properties', data: pomProps('com.google.guava', 'guava', '31.1-jre') },
  ]);
  const war = zip([
    { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nImplementation-Version: 0.0.0-ignored\r\n\r\n' },
    { name: 'META-INF/maven/com.example/app/pom.properties', data: pomProps('com.example', 'app', '1.0.0') },
    { name: 'WEB-INF/lib/', data: '' },
    { name: 'WEB-INF/lib/inner-lib-2.1.jar', data: inner, deflate: true },
    { name: 'WEB-INF/lib/tool.jar', data: manifestOnly },
    { name: 'WEB-INF/lib/commons-lang3-3.12.0.jar', data: nameOnly },
    { name: 'BOOT-INF/lib/shaded.jar', data: shaded },
    // shaded, its own pom.properties dropped: the file itself is reported as well
    { name: 'WEB-INF/lib/uber-utils-3.5.2.jar', data: zip([{ name: 'META-INF/maven/commons-io/commons-io/pom.properties', data: pomProps('commons-io', 'commons-io', '2.17.0') }]) },
  ]);
  const r = await run('/srv/app.war', war);
  // Read by ranges (the host offers readRange; only the directory and the members used) or whole: the same result.
  const { readRange: _unused, ...whole } = file('/srv/app.war', war);
  assert.deepEqual(await java.analyze([whole], { foundBy: 'lang/java@2', target: 'file' }), r);
  let rangeBytes = 0;
  const counted = file('/srv/app.war', war);
  const ranged = { ...counted, readBytes: () => Promise.reject(new Error('read by ranges only')), readRange: async (o: number, l: number) => ((rangeBytes += l), counted.readRange?.(o, l) as Promise<Uint8Array>) };
  assert.deepEqual(await java.analyze([ranged], { foundBy: 'lang/java@2', target: 'file' }), r);
  assert.ok(rangeBytes > 0);
  assert.deepEqual(r.issues, []);
  assert.deepEqual(
    r.packages.map((p) => `${p.name}@${p.version ?? ''} ${p.locations.join(' ')}`),
    [
      'com.example:app@1.0.0 /srv/app.war',
      'com.google.guava:guava@31.1-jre /srv/app.war /srv/app.war!/BOOT-INF/lib/shaded.jar',
      'com.shade:outer@1 /srv/app.war /srv/app.war!/BOOT-INF/lib/shaded.jar',
      'commons-lang3:commons-lang3@3.12.0 /srv/app.war /srv/app.war!/WEB-INF/lib/commons-lang3-3.12.0.jar',
      'org.inner:inner-lib@2.1 /srv/app.war /srv/app.war!/WEB-INF/lib/inner-lib-2.1.jar',
      'com.acme:acme-tool@3.4.5 /srv/app.war /srv/app.war!/WEB-INF/lib/tool.jar',
      'commons-io:commons-io@2.17.0 /srv/app.war /srv/app.war!/WEB-INF/lib/uber-utils-3.5.2.jar',
      'uber-utils:uber-utils@3.5.2 /srv/app.war /srv/app.war!/WEB-INF/lib/uber-utils-3.5.2.jar',
    ],
  );
  checkShape(r, '/srv/app.war', false);
  const tool = r.packages.find((p) => p.name === 'com.acme:acme-tool');
  assert.deepEqual(tool?.properties, {
    coordinatesFrom: 'MANIFEST.MF Implementation-Title',
    groupIdFrom: 'MANIFEST.MF Implementation-Vendor-Id',
    versionFrom: 'MANIFEST.MF Implementation-Version',
    archive: '/srv/app.war!/WEB-INF/lib/tool.jar',
    'manifest.Implementation-Title': 'acme-tool',
    'manifest.Implementation-Version': '3.4.5',
  });
  assert.equal(purlToString(tool?.purl as PackageRecord['purl']), 'pkg:maven/com.acme/acme-tool@3.4.5');
  const lang = r.packages.find((p) => p.name === 'commons-lang3:commons-lang3');
  assert.equal(lang?.properties?.coordinatesFrom, 'filename');
  assert.equal(lang?.properties?.groupIdFrom, 'guess: artifactId (no groupId recorded)');
});

test('lang/java archives: a Jenkins plug-in named after its short name; coordinates from its manifest', async () => {
  const jpi = zip([{ name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nGroup-Id: org.jenkins-ci.plugins\r\nShort-Name: git\r\nPlugin-Version: 4.11.0\r\nImplementation-Title: Jenkins Git plugin\r\n\r\n' }]);
  const r = await run('/var/jenkins_home/plugins/git.jpi', jpi);
  assert.deepEqual(listOf(r), ['org.jenkins-ci.plugins:git@4.11.0']);
  assert.deepEqual(r.issues, []);
  assert.equal(r.packages[0]?.properties?.groupIdFrom, 'MANIFEST.MF Group-Id');
  assert.equal(r.packages[0]?.properties?.versionFrom, 'MANIFEST.MF Plugin-Version');
  checkShape(r, '/var/jenkins_home/plugins/git.jpi', false);
});

test('lang/java archives: corrupt and truncated archives are rejected with a located error', async () => {
  const good = zip([{ name: 'META-INF/maven/g/a/pom.properties', data: pomProps('g', 'a', '1') }]);
  for (const body of [Buffer.from('PK\u0003\u0004 this is not really a zip'), good.subarray(0, good.length - 30), Buffer.alloc(0)]) {
    const r = await run('/srv/broken.jar', body);
    assert.deepEqual(r.packages, []);
    assert.deepEqual(issuesOf(r), ['error']);
    assert.equal(r.issues[0]?.path, '/srv/broken.jar');
    assert.match(r.issues[0]?.message ?? '', /not a readable Java archive: .*; expected a zip file \(jar\/war\/ear\)/);
  }
  // a corrupt nested jar costs only itself
  const r = await run('/srv/app.ear', zip([{ name: 'lib/bad-1.0.jar', data: 'not a zip' }, { name: 'META-INF/maven/g/app/pom.properties', data: pomProps('g', 'app', '2') }]));
  assert.deepEqual(listOf(r), ['g:app@2']);
  assert.deepEqual(issuesOf(r), ['warning']);
  assert.match(r.issues[0]?.message ?? '', /not a readable Java archive \(\/srv\/app\.ear!\/lib\/bad-1\.0\.jar\)/);
});

test('lang/java archives: zip bombs (declared and actual sizes) become located issues', async () => {
  // declared: a pom.properties claiming 2 GB
  const declared = zip([{ name: 'META-INF/maven/g/a/pom.properties', data: pomProps('g', 'a', '1'), deflate: true, declaredSize: 0x7fff0000 }]);
  const d = await run('/srv/bomb-1.0.jar', declared);
  assert.deepEqual(listOf(d), ['bomb:bomb@1.0'], 'falls back to the file name');
  assert.deepEqual(issuesOf(d), ['warning']);
  assert.match(d.issues[0]?.message ?? '', /pom\.properties declares 2147418112 uncompressed bytes, more than the 1048576-byte limit \(possible zip bomb\)/);
  // actual: a nested jar that declares 1000 bytes but inflates to 8 MiB of zeros
  const actual = zip([{ name: 'WEB-INF/lib/inner.jar', data: Buffer.alloc(8 * 1024 * 1024), deflate: true, declaredSize: 1000 }]);
  const a = await run('/srv/app.war', actual);
  assert.deepEqual(listOf(a), ['app:app@']);
  assert.deepEqual(issuesOf(a), ['info', 'warning']);
  assert.match(a.issues[1]?.message ?? '', /\/srv\/app\.war!\/WEB-INF\/lib\/inner\.jar size does not match its declared 1000 bytes \(.*; possible zip bomb\)/);
  // actual, honest header, over the member cap (small limits to keep the test fast)
  const big = zip([{ name: 'lib/big.jar', data: Buffer.alloc(3 * 1024 * 1024), deflate: true }]);
  const result: AnalyzerResult = { packages: [], relationships: [], issues: [] };
  await analyzeArchive({ file: '/srv/x.ear', result, limits: { ...DEFAULT_ARCHIVE_LIMITS, maxNestedBytes: 1024 * 1024 }, budget: { used: 0 } }, big, '/srv/x.ear', 0);
  assert.match(result.issues.map((i) => i.message).join('\n'), /lib\/big\.jar declares 3145728 uncompressed bytes, more than the 1048576-byte limit/);
  // total budget across members
  const two = zip([
    { name: 'lib/a.jar', data: Buffer.alloc(700 * 1024), deflate: true },
    { name: 'lib/b.jar', data: Buffer.alloc(700 * 1024), deflate: true },
  ]);
  const t: AnalyzerResult = { packages: [], relationships: [], issues: [] };
  await analyzeArchive({ file: '/srv/y.ear', result: t, limits: { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 1024 * 1024 }, budget: { used: 0 } }, two, '/srv/y.ear', 0);
  assert.match(t.issues.map((i) => i.message).join('\n'), /lib\/b\.jar would exceed the 1048576-byte total uncompressed budget/);
});

test('lang/java archives: nesting depth is capped; hostile entry names are skipped', async () => {
  let current = zip([{ name: 'META-INF/maven/g/level6/pom.properties', data: pomProps('g', 'level6', '6') }]);
  for (let level = 5; level >= 1; level--) {
    current = zip([
      { name: `META-INF/maven/g/level${level}/pom.properties`, data: pomProps('g', `level${level}`, String(level)) },
      { name: `lib/level${level + 1}.jar`, data: current },
    ]);
  }
  const r = await run('/srv/level1.jar', current);
  assert.deepEqual(listOf(r), ['g:level1@1', 'g:level2@2', 'g:level3@3', 'g:level4@4', 'g:level5@5']);
  assert.deepEqual(issuesOf(r), ['info']);
  assert.match(r.issues[0]?.message ?? '', /level5\.jar!\/lib\/level6\.jar: nested deeper than 4 archives; not opened/);

  const evil = zip([
    { name: '../../etc/evil.jar', data: 'x' },
    { name: '/abs/evil.jar', data: 'x' },
    { name: 'META-INF/maven/g/a/pom.properties', data: pomProps('g', 'a', '1') },
  ]);
  const e = await run('/srv/evil.jar', evil);
  assert.deepEqual(listOf(e), ['g:a@1']);
  assert.deepEqual(issuesOf(e), ['warning', 'warning']);
  assert.match(e.issues[0]?.message ?? '', /entry name "\.\.\/\.\.\/etc\/evil\.jar" contains "\.\."; expected a relative path; skipped/);
  assert.match(e.issues[1]?.message ?? '', /entry name "\/abs\/evil\.jar" is absolute/);
});

test('lang/java dispatch by file name; results are deterministic whatever the input order', async () => {
  assert.equal(formatOf('/a/pom.xml'), 'pom');
  assert.equal(formatOf('/a/gradle/verification-metadata.xml'), 'gradle-verification');
  assert.equal(formatOf('/a/x.HPI'), 'archive');
  assert.equal(formatOf('/a/readme.txt'), undefined);
  const a = file('/b/pom.xml', '<project><dependencies><dependency><groupId>g</groupId><artifactId>b</artifactId><version>1</version></dependency></dependencies></project>');
  const b = file('/a/gradle.lockfile', 'g:a:1=runtimeClasspath\n');
  const ctx = { foundBy: 'lang/java@2', target: 'file' as const };
  assert.deepEqual(await java.analyze([a, b], ctx), await java.analyze([b, a], ctx));
});
