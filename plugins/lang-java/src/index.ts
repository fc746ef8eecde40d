/**
 * lang/java — Maven and Gradle packages.
 * Declared: `pom.xml` (dependencies + dependencyManagement, property interpolation, parent POMs found in
 * the same tree), `gradle.lockfile`
 * (and Gradle 4.8-6 `gradle/dependency-locks/*.lockfile`), `gradle/verification-metadata.xml`.
 * Installed: loose `META-INF/maven/<group>/<artifact>/pom.properties` (exploded jars) and Java
 * archives (jar/war/ear/par/sar/jpi/hpi), nested archives included. See each parser for its decisions.
 * Names are `group:artifact`, purls `pkg:maven/<group>/<artifact>@<version>`.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult } from '../../sdk';
import { analyzeArchive, DEFAULT_ARCHIVE_LIMITS, isArchiveName } from './archive';
import { parseGradleLockfile, parseGradleVerification } from './gradle';
import { parsePom } from './pom';
import { parsePomPropertiesFile } from './properties';

/** Text formats are parsed in memory: refuse bigger ones (archives are bounded by their own limits). */
export const MAX_TEXT_BYTES = 32 * 1024 * 1024;

export type JavaFormat = 'pom' | 'gradle-lockfile' | 'gradle-verification' | 'pom-properties' | 'archive';

/** Which parser a selected path goes to (by base name; the selectors in plugin.json mirror this). */
export function formatOf(path: string): JavaFormat | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'pom.xml') return 'pom';
  if (base.endsWith('.lockfile')) return 'gradle-lockfile';
  if (base === 'verification-metadata.xml') return 'gradle-verification';
  if (base === 'pom.properties') return 'pom-properties';
  if (isArchiveName(base)) return 'archive';
  return undefined;
}

export default defineAnalyzer({
  name: 'lang/java',
  // 2: inflation capped at 128 MiB per outer archive (was 256 MiB); outer archives read by ranges.
  // 3: parent POMs read through the filesystem view (properties, version, managed and inherited dependencies).
  version: 3,
  async analyze(files, ctx) {
    const result: AnalyzerResult = emptyResult();
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    await eachFile(sorted, result, async (file) => {
      if (ctx.signal?.aborted) return;
      const format = formatOf(file.path);
      if (format && format !== 'archive' && file.size > MAX_TEXT_BYTES) {
        result.issues.push({ path: file.path, severity: 'error', message: `${file.size} bytes is more than the ${MAX_TEXT_BYTES}-byte limit for ${format} files; not read` });
        return;
      }
      switch (format) {
        case 'pom':
          return parsePom(file.path, await file.readText(), result, ctx.fs);
        case 'gradle-lockfile':
          return parseGradleLockfile(file.path, await file.readText(), result);
        case 'gradle-verification':
          return parseGradleVerification(file.path, await file.readText(), result);
        case 'pom-properties':
          return void parsePomPropertiesFile(file.path, await file.readText(), result);
        case 'archive': {
          const actx = { file: file.path, result, limits: DEFAULT_ARCHIVE_LIMITS, budget: { used: 0 }, ...(ctx.signal ? { signal: ctx.signal } : {}) };
          // By ranges when the host offers them: a 250 MB jar costs its directory and the members used.
          const readRange = file.readRange?.bind(file);
          if (readRange) return analyzeArchive(actx, { size: file.size, readRange }, file.path, 0);
          // Otherwise the bytes are ours: view them as a Buffer, never copy.
          const bytes = await file.readBytes();
          return analyzeArchive(actx, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file.path, 0);
        }
        case undefined:
          result.issues.push({ path: file.path, severity: 'error', message: 'not a Java package file: expected pom.xml, *.lockfile, verification-metadata.xml, pom.properties or a jar/war/ear/par/sar/jpi/hpi archive' });
          return;
      }
    });
    return result;
  },
});
