/**
 * bin/go — Go executables in bin/, sbin/ and libexec/ directories. Reads the build info the Go linker
 * embeds (see ./buildinfo): the main module, every dependency module with its version (after `=>`
 * replacements) and the Go toolchain, reported as `stdlib` (OSV's name for the Go standard library). Build
 * info of Go 1.13–1.17 executables (behind pointers) is read too, so old binaries report their stdlib.
 * Files that are not Go executables (shell scripts, C binaries) are passed over without an issue.
 */
import { defineAnalyzer, eachFile, emptyResult, goModulePurl, type AnalyzerResult, type PackageRecord } from '../../sdk';
import { readBuildInfo, type GoModule } from './buildinfo';

const EXECUTABLE_MAGIC = [Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.from([0xce, 0xfa, 0xed, 0xfe]), Buffer.from('MZ', 'latin1')];

function isExecutable(b: Uint8Array): boolean {
  return EXECUTABLE_MAGIC.some((m) => b.length >= m.length && m.every((x, i) => b[i] === x));
}

function moduleRecord(m: GoModule, path: string, componentType: 'application' | 'library'): PackageRecord {
  // Ids are per executable: two binaries in one layer may embed the same module.
  const eff = m.replacedBy && m.replacedBy.version ? m.replacedBy : m;
  const version = eff.version && eff.version !== '(devel)' ? eff.version : undefined;
  const properties: Record<string, string> = {};
  if (eff.sum) properties.h1 = eff.sum;
  if (m.replacedBy) properties.replaces = `${m.path}@${m.version ?? ''}`;
  if (m.replacedBy && !m.replacedBy.version) properties.replacedBy = m.replacedBy.path;
  return {
    id: `${path}#${eff.path}@${version ?? ''}`,
    name: eff.path,
    ...(version ? { version } : {}),
    purl: goModulePurl(eff.path, version),
    componentType,
    locations: [path],
    properties,
  };
}

export default defineAnalyzer({
  name: 'bin/go',
  // 2: Go 1.13–1.17 build info; toolchain pre-releases kept in the stdlib version.
  version: 2,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const bytes = await file.readBytes();
      if (!isExecutable(bytes)) return;
      const r = readBuildInfo(bytes);
      if (r.kind === 'not-go') return;
      if (r.kind === 'unsupported') {
        result.issues.push({ path: file.path, severity: 'info', message: `Go executable: ${r.reason}` });
        return;
      }
      const { info } = r;
      const main = info.main ? moduleRecord(info.main, file.path, 'application') : info.path ? moduleRecord({ path: info.path }, file.path, 'application') : undefined;
      const deps = info.deps.map((d) => moduleRecord(d, file.path, 'library'));
      // `go1.21rc2` keeps its pre-release; `go1.20.5 X:boringcrypto` its experiments only as a property
      const goVersion = /^go(\d+(?:\.\d+)*(?:(?:rc|beta)\d+)?)(?:\s|$)/.exec(info.goVersion)?.[1];
      const stdlib: PackageRecord | undefined = goVersion
        ? { id: `${file.path}#stdlib@v${goVersion}`, name: 'stdlib', version: `v${goVersion}`, purl: goModulePurl('stdlib', `v${goVersion}`), locations: [file.path], properties: { toolchain: info.goVersion } }
        : undefined;
      if (main) {
        for (const [k, v] of Object.entries(info.settings)) if (['GOOS', 'GOARCH', 'CGO_ENABLED', 'vcs.revision', 'vcs.time'].includes(k)) (main.properties as Record<string, string>)[`build.${k}`] = v;
        result.packages.push(main);
      }
      result.packages.push(...deps);
      if (stdlib) result.packages.push(stdlib);
      if (main) for (const d of [...deps, ...(stdlib ? [stdlib] : [])]) result.relationships.push({ from: main.id, to: d.id, type: 'depends-on' });
    });
    return result;
  },
});
