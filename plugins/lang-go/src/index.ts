/**
 * lang/go — modules declared in `go.mod`, with the file's own directives applied the way the go
 * command applies them: `replace old [v] => new v` substitutes the module (a local `=> ./dir`
 * replacement keeps the module path, with no version, since the code is whatever is on disk),
 * `exclude mod v` removes that requirement. The `toolchain` (else `go`) directive is reported as the
 * `stdlib` module, which is how OSV names Go standard-library advisories.
 */
import { defineAnalyzer, eachFile, emptyResult, type AnalyzerResult, type FileIssue, type PackageRecord, goModulePurl } from '../../sdk';

interface Directive {
  verb: string;
  args: string[];
  comment: string;
  line: number;
}

const VERBS = new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'replace', 'exclude', 'retract', 'tool', 'ignore']);

/** go.mod lexing: `//` comments, quoted strings, `verb ( … )` blocks. */
export function parseGoMod(text: string, path: string, issues: FileIssue[]): Directive[] {
  const out: Directive[] = [];
  let block: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const at = raw.indexOf('//');
    const code = (at >= 0 ? raw.slice(0, at) : raw).trim();
    const comment = at >= 0 ? raw.slice(at + 2).trim() : '';
    if (!code) continue;
    const tokens = [...code.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
    if (block !== undefined) {
      if (code === ')') {
        block = undefined;
        continue;
      }
      out.push({ verb: block, args: tokens, comment, line: i + 1 });
      continue;
    }
    const verb = tokens[0] ?? '';
    if (!VERBS.has(verb)) {
      issues.push({ path, line: i + 1, severity: 'warning', message: `unknown go.mod directive "${verb.slice(0, 40)}" (expected module, go, require, replace, exclude, …)` });
      continue;
    }
    if (tokens[1] === '(' && tokens.length === 2) {
      block = verb;
      continue;
    }
    out.push({ verb, args: tokens.slice(1), comment, line: i + 1 });
  }
  if (block !== undefined) issues.push({ path, severity: 'warning', message: `"${block} (" block is not closed by ")"` });
  return out;
}

export default defineAnalyzer({
  name: 'lang/go',
  // 2: module paths are purl namespace + name.
  // 3: the stdlib record (go directive) is no longer dropped by the host (purl fix).
  version: 3,
  async analyze(files) {
    const result: AnalyzerResult = emptyResult();
    await eachFile(files, result, async (file) => {
      const text = await file.readText();
      const issues: FileIssue[] = [];
      const directives = parseGoMod(text, file.path, issues);
      if (text.trim() !== '' && directives.length === 0) {
        result.issues.push({ path: file.path, severity: 'error', message: 'not a go.mod file: no module, go or require directives found' });
        return;
      }
      result.issues.push(...issues);
      const requires: { path: string; version: string; indirect: boolean; line: number }[] = [];
      const replaces: { oldPath: string; oldVersion?: string; newPath: string; newVersion?: string; line: number }[] = [];
      const excludes = new Set<string>();
      let goVersion: string | undefined;
      let toolchain: string | undefined;
      for (const d of directives) {
        const bad = (expected: string) => result.issues.push({ path: file.path, line: d.line, severity: 'warning', message: `malformed ${d.verb} directive: expected ${expected}` });
        switch (d.verb) {
          case 'require':
            if (d.args.length !== 2) bad('"require <module> <version>"');
            else requires.push({ path: d.args[0] as string, version: d.args[1] as string, indirect: /(^|;)\s*indirect\s*(;|$)/.test(d.comment), line: d.line });
            break;
          case 'replace': {
            const arrow = d.args.indexOf('=>');
            const left = d.args.slice(0, arrow);
            const right = d.args.slice(arrow + 1);
            if (arrow < 1 || left.length > 2 || right.length < 1 || right.length > 2) bad('"replace <module> [<version>] => <module> <version>" or "=> <local dir>"');
            else replaces.push({ oldPath: left[0] as string, oldVersion: left[1], newPath: right[0] as string, newVersion: right[1], line: d.line });
            break;
          }
          case 'exclude':
            if (d.args.length !== 2) bad('"exclude <module> <version>"');
            else excludes.add(`${d.args[0]}@${d.args[1]}`);
            break;
          case 'go':
            goVersion = d.args[0];
            break;
          case 'toolchain':
            toolchain = d.args[0]?.replace(/^go/, '');
            break;
          default:
            break;
        }
      }
      const seen = new Set<string>();
      for (const r of requires) {
        if (excludes.has(`${r.path}@${r.version}`)) {
          result.issues.push({ path: file.path, line: r.line, severity: 'info', message: `${r.path} ${r.version} is required but excluded by an exclude directive; not reported` });
          continue;
        }
        const rep = replaces.find((x) => x.oldPath === r.path && x.oldVersion === r.version) ?? replaces.find((x) => x.oldPath === r.path && x.oldVersion === undefined);
        const local = rep !== undefined && rep.newVersion === undefined;
        const name = rep && !local ? rep.newPath : r.path;
        const version = rep ? rep.newVersion : r.version;
        const id = `${name}@${version ?? 'local'}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const properties: Record<string, string> = {};
        if (r.indirect) properties.indirect = 'true';
        if (rep) properties.replaces = `${r.path}@${r.version}`;
        if (local) properties.replacedBy = rep.newPath;
        const rec: PackageRecord = {
          id,
          name,
          version,
          purl: goModulePurl(name, version),
          locations: [file.path],
          properties,
          declared: true,
        };
        result.packages.push(rec);
      }
      const stdlib = toolchain ?? goVersion;
      if (stdlib) {
        const version = `v${stdlib}`;
        result.packages.push({
          id: 'stdlib',
          name: 'stdlib',
          version,
          purl: goModulePurl('stdlib', version),
          locations: [file.path],
          properties: { from: toolchain ? 'toolchain directive' : 'go directive (minimum language version)' },
          declared: true,
        });
      }
    });
    return result;
  },
});
