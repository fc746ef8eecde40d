/**
 * Digest files: every notification routed to the `digest` channel on one UTC day, in order, as
 * `stella-digest-YYYY-MM-DD.md` and `.html` in the configured folder. Each file is rewritten whole
 * (temp file + fsync + rename) from the notification log whenever one is added, so it is always
 * complete and the same log gives the same bytes. The HTML is one self-contained page: no script, no
 * external resource, every value escaped.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../store';
import type { LoggedNotification } from './log';
import { NotifyError } from './errors';

export function digestFileNames(day: string): { markdown: string; html: string } {
  return { markdown: `stella-digest-${day}.md`, html: `stella-digest-${day}.html` };
}

function mdEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`[\]<>#])/g, '\\$1').replace(/\r?\n/g, ' ');
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function renderMarkdownDigest(day: string, items: readonly LoggedNotification[]): string {
  const lines = [`# Stella notifications — ${day} (UTC)`, '', `${items.length} notification${items.length === 1 ? '' : 's'}.`, ''];
  if (items.length) {
    lines.push('| time (UTC) | event | severity | KEV | what |', '| --- | --- | --- | --- | --- |');
    for (const n of items) lines.push(`| ${n.at.slice(11, 19)} | ${n.kind} | ${n.severity} | ${n.kev ? 'yes' : ''} | **${mdEscape(n.title)}** — ${mdEscape(n.body)} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

export function renderHtmlDigest(day: string, items: readonly LoggedNotification[]): string {
  const rows = items
    .map(
      (n) =>
        `<tr class="sev-${htmlEscape(n.severity)}"><td>${htmlEscape(n.at.slice(11, 19))}</td><td>${htmlEscape(n.kind)}</td><td>${htmlEscape(n.severity)}</td><td>${n.kev ? 'yes' : ''}</td><td><strong>${htmlEscape(n.title)}</strong><br>${htmlEscape(n.body)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Stella notifications — ${htmlEscape(day)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
tr.sev-critical td:nth-child(3) { color: #a00; font-weight: bold; }
tr.sev-high td:nth-child(3) { color: #c50; font-weight: bold; }
</style>
</head>
<body>
<h1>Stella notifications — ${htmlEscape(day)} (UTC)</h1>
<p>${items.length} notification${items.length === 1 ? '' : 's'}.</p>
${items.length ? `<table>\n<thead><tr><th>time (UTC)</th><th>event</th><th>severity</th><th>KEV</th><th>what</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>` : ''}
</body>
</html>
`;
}

/** (Re)write the digest files of `day` in `dir`; returns the files written. */
export function writeDigestFiles(dir: string, day: string, formats: readonly ('markdown' | 'html')[], items: readonly LoggedNotification[]): string[] {
  const names = digestFileNames(day);
  const out: string[] = [];
  try {
    if (formats.includes('markdown')) {
      writeFileAtomic(join(dir, names.markdown), renderMarkdownDigest(day, items));
      out.push(join(dir, names.markdown));
    }
    if (formats.includes('html')) {
      writeFileAtomic(join(dir, names.html), renderHtmlDigest(day, items));
      out.push(join(dir, names.html));
    }
  } catch (e) {
    throw new NotifyError('write-failed', `cannot write the notification digest in ${dir}: ${(e as Error).message}`, { cause: e, details: { file: dir } });
  }
  return out;
}
