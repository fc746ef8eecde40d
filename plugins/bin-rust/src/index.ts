/**
 * bin/rust — Rust executables built with `cargo auditable`: the `.dep-v0` ELF section holds the crate
 * dependency tree as zlib-compressed JSON (`{"packages":[{name, version, source, kind, dependencies,
 * root}]}`, the format of the `auditable-serde` crate). Every crate is reported with its version and
 * source; build-only crates get optional scope; the root crate is the application. Executables without
 * the section (most binaries) are passed over silently.
 */
import { inflateSync } from 'node:zlib';
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult, type PackageRecord } from '../../sdk';
import { ElfError, elfSection, isElf } from './elf';

/** Decompressed audit data is small (kilobytes); cap it so a hostile section cannot balloon. */
const MAX_AUDIT_JSON = 8 * 1024 * 1024;

interface AuditPackage {
  name?: unknown;
  version?: unknown;
  source?: unknown;
  kind?: unknown;
  dependencies?: unknown;
  root?: unknown;
}

export default defineAnalyzer({
  name: 'bin/rust',
  version: 1,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const bytes = await file.readBytes();
      if (!isElf(bytes)) return;
      let section: Uint8Array | undefined;
      try {
        section = elfSection(bytes, '.dep-v0');
      } catch (e) {
        if (e instanceof ElfError) {
          result.issues.push({ path: file.path, severity: 'info', message: `unreadable ELF section table: ${e.message}` });
          return;
        }
        throw e;
      }
      if (!section) return;
      let doc: { packages?: unknown };
      try {
        doc = JSON.parse(inflateSync(section, { maxOutputLength: MAX_AUDIT_JSON }).toString('utf8')) as { packages?: unknown };
      } catch (e) {
        result.issues.push({ path: file.path, severity: 'error', message: `the .dep-v0 section is not zlib-compressed cargo-auditable JSON (${(e as Error).message})` });
        return;
      }
      if (!Array.isArray(doc.packages)) {
        result.issues.push({ path: file.path, severity: 'error', message: 'the .dep-v0 audit data has no "packages" array' });
        return;
      }
      const list = doc.packages as AuditPackage[];
      const records: (PackageRecord | undefined)[] = list.map((p, i) => {
        if (typeof p?.name !== 'string' || typeof p.version !== 'string') {
          result.issues.push({ path: file.path, severity: 'warning', message: `audit package #${i} lacks a string name or version; skipped` });
          return undefined;
        }
        const source = typeof p.source === 'string' ? p.source : 'crates.io';
        const rec: PackageRecord = {
          id: `${file.path}#${i}`,
          name: p.name,
          version: p.version,
          purl: { type: 'cargo', name: p.name, version: p.version },
          componentType: p.root === true ? 'application' : 'library',
          locations: [file.path],
          properties: { source, ...(typeof p.kind === 'string' ? { kind: p.kind } : {}) },
          ...(p.kind === 'build' ? { scope: 'optional' as const } : {}),
        };
        return rec;
      });
      list.forEach((p, i) => {
        const from = records[i];
        if (!from) return;
        result.packages.push(from);
        for (const d of Array.isArray(p.dependencies) ? p.dependencies : []) {
          const to = typeof d === 'number' ? records[d] : undefined;
          if (to && to !== from) result.relationships.push({ from: from.id, to: to.id, type: 'depends-on' });
        }
      });
    });
    return result;
  },
});
