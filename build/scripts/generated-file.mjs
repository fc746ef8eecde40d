// Shared by the scripts that generate committed source files (embed-policy-packs.mjs,
// gen-policy-language.mjs): write the file when its text changed, or with `--check` exit 1 when it is
// out of date (the tests that keep generated files current run the scripts with `--check`).
import { readFileSync, writeFileSync } from 'node:fs';

/** `out`: absolute path; `rel`: the repo-relative name in messages; `script`: the command that regenerates it. */
export function writeGenerated(out, rel, text, script, argv = process.argv) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    current = '';
  }
  if (argv.includes('--check')) {
    if (current !== text) {
      process.stderr.write(`${rel} is out of date: run ${script}\n`);
      process.exit(1);
    }
  } else if (current !== text) {
    writeFileSync(out, text);
    process.stderr.write(`wrote ${rel}\n`);
  }
}
