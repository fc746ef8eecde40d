/**
 * report.html: one self-contained page about one scan that an auditor opens on any machine and prints
 * to PDF. No script, no external fetch (a Content-Security-Policy of `default-src 'none'` says so to the
 * browser), inline CSS with print rules, inline SVG charts with a <title> and <desc> each. Every text
 * that comes from data — advisory ids, package names, VEX and rule texts, all of it attacker-controlled
 * in principle — goes through `esc()`; nothing is ever inserted as markup.
 *
 * Deterministic: a pure function of the evidence (dates from the scan record, sorted collections), so the
 * page in a bundle and the page `stella report` writes are byte-identical for the same scan and signer.
 */
import type { Finding, SeverityLevel, VexConsensus } from '../core';
import type { FindingDecision } from '../policy/evaluate';
import type { ExplainTrace } from '../policy/explain';
import { CHECKSUMS_FILE, MANIFEST_FILE, MIN_OPENSSL, SIGNATURE_FILE, SIGNER_KEY_FILE, VERIFY_SCRIPT } from './evidence-bundle';
import { EVIDENCE_PATHS, attestationPath } from './evidence-documents';
import { subjectArtifact, type EvidenceSigner, type ScanEvidence } from './evidence-model';

export interface ReportInput {
  evidence: ScanEvidence;
  /** The key that signs the bundle this page belongs to (null: the workstation has no signing key yet). */
  signer: EvidenceSigner | null;
  /** The bundle folder name (`stella-evidence-<scan id>`). */
  bundleRoot: string;
}

/** A source whose newest import is older than this, at scan time, is flagged as stale (shown, never refused). */
export const STALE_FEED_DAYS = 7;

const LEVELS: readonly SeverityLevel[] = ['critical', 'high', 'medium', 'low', 'none', 'unknown'];
const LEVEL_COLORS: Record<SeverityLevel, string> = { critical: '#7f1d1d', high: '#b91c1c', medium: '#b45309', low: '#1d4ed8', none: '#4b5563', unknown: '#6b7280' };
const VERDICT_COLORS: Record<string, string> = { BLOCKED: '#b91c1c', WARN: '#b45309', PASS: '#15803d' };

/** HTML-escape text and attribute values (the five characters that matter). */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whole days from `from` to `to` (ISO dates); null when either is not a date. */
function daysBetween(from: string | null | undefined, to: string): number | null {
  if (!from) return null;
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Number.isFinite(a) && Number.isFinite(b) ? Math.floor((b - a) / 86_400_000) : null;
}

function dl(rows: [string, string][]): string {
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function code(s: string): string {
  return `<code>${esc(s)}</code>`;
}

// ---------- charts (inline SVG) ----------

interface Bar {
  label: string;
  value: number;
  color: string;
}

/** A horizontal bar chart with its numbers written beside the bars (so it reads without colour too). */
function barChart(id: string, title: string, desc: string, bars: readonly Bar[]): string {
  const rowH = 26;
  const labelW = 90;
  const barW = 300;
  const height = bars.length * rowH + 10;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars
    .map((b, i) => {
      const y = 5 + i * rowH;
      const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * barW));
      return (
        `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" class="axis">${esc(b.label)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" fill="${esc(b.color)}"/>` +
        `<text x="${labelW + w + 6}" y="${y + 16}" class="value">${b.value}</text>`
      );
    })
    .join('');
  return (
    `<figure class="chart"><svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${labelW + barW + 60} ${height}" width="${labelW + barW + 60}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>${rows}</svg>` +
    `<figcaption>${esc(title)}</figcaption></figure>`
  );
}

function severityChart(findings: readonly Finding[]): string {
  const counts = LEVELS.map((l) => ({ label: l, value: findings.filter((f) => f.severity.level === l).length, color: LEVEL_COLORS[l] }));
  const desc = counts.map((c) => `${c.label}: ${c.value}`).join(', ');
  return barChart('chart-severity', 'Findings by severity', desc, counts);
}

function kevChart(findings: readonly Finding[]): string {
  const kev = findings.filter((f) => f.kev);
  const bars: Bar[] = [
    { label: 'in KEV', value: kev.length, color: '#7f1d1d' },
    { label: 'not in KEV', value: findings.length - kev.length, color: '#6b7280' },
    ...LEVELS.filter((l) => kev.some((f) => f.severity.level === l)).map((l) => ({ label: `KEV ${l}`, value: kev.filter((f) => f.severity.level === l).length, color: LEVEL_COLORS[l] })),
  ];
  const desc = `${kev.length} of ${findings.length} findings are in CISA's Known Exploited Vulnerabilities catalogue` + (kev.length ? ` (${bars.slice(2).map((b) => `${b.label.slice(4)}: ${b.value}`).join(', ')})` : '');
  return barChart('chart-kev', 'Known exploited vulnerabilities (CISA KEV)', desc, bars);
}

// ---------- sections ----------

function subjectSection(e: ScanEvidence): string {
  const s = e.scan;
  const snap = e.snapshot;
  const rec = e.sbom.record;
  const sources = snap.sources.map((src) => {
    const age = daysBetween(src.newestImportAt, s.createdAt);
    const stale = age !== null && age > STALE_FEED_DAYS;
    return `<li>${esc(src.source)}: ${plural(src.documents, 'document')}, newest import ${esc(src.newestImportAt)}${age !== null ? ` — <span class="${stale ? 'stale' : 'fresh'}">${esc(plural(age, 'day'))} old at scan time${stale ? ' (stale)' : ''}</span>` : ''}</li>`;
  });
  return `<section aria-labelledby="h-subject"><h2 id="h-subject">Subject and snapshot</h2>${dl([
    ['Subject', code(s.subject)],
    ['Scan', `${code(s.id)}, made ${esc(s.createdAt)}`],
    ['SBOM', `${esc(rec.name)} (${esc(rec.format)} ${esc(rec.specVersion)}), ${esc(plural(rec.componentCount, 'component'))}, ${code(rec.digest)}`],
    ['Advisory snapshot', `${code(snap.id ?? s.snapshot)}${snap.createdAt ? `, recorded ${esc(snap.createdAt)}` : ''}, ${esc(plural(snap.documentCount, 'document'))}`],
    ['Feed age', sources.length ? `<ul class="plain">${sources.join('')}</ul>` : 'no sources recorded'],
    ['Engine', `${esc(e.engine.name)} ${esc(e.engine.version)}`],
  ])}</section>`;
}

/** The rules behind a non-PASS verdict: each rule that decided a BLOCKED or WARN finding, with counts. */
function decidingRules(decisions: readonly FindingDecision[]): { rule: string; verdict: string; findings: number; because: string | null }[] {
  const by = new Map<string, { rule: string; verdict: string; findings: number; because: string | null }>();
  for (const d of decisions) {
    if (d.verdict === 'PASS') continue;
    const rule = d.rule ?? '(default status)';
    const key = `${d.verdict}\u0000${rule}`;
    const cur = by.get(key) ?? { rule, verdict: d.verdict, findings: 0, because: d.because };
    cur.findings++;
    by.set(key, cur);
  }
  const rank = (v: string): number => (v === 'BLOCKED' ? 0 : 1);
  return [...by.values()].sort((a, b) => rank(a.verdict) - rank(b.verdict) || b.findings - a.findings || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

function verdictSection(e: ScanEvidence): string {
  const ev = e.policy.evaluation;
  const rules = decidingRules(ev.findings);
  const u = ev.unknowns;
  const statusCounts = Object.entries(ev.counts.byStatus)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${esc(k)} ${n}`)
    .join(' · ');
  const table = rules.length
    ? `<table><caption>Rules that decided the verdict</caption><thead><tr><th scope="col">Rule</th><th scope="col">Verdict</th><th scope="col">Findings</th><th scope="col">Because (first)</th></tr></thead><tbody>${rules
        .map((r) => `<tr><td>${code(r.rule)}</td><td><span class="verdict v-${esc(r.verdict)}">${esc(r.verdict)}</span></td><td>${r.findings}</td><td>${esc(r.because ?? '')}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>No rule set a finding to BLOCKED or WARN.</p>';
  const unknowns = u.exceeded
    ? `<p class="warning">The unknowns budget is exceeded: ${u.total} unknowns against a budget of ${esc(u.budget)} — this alone makes the verdict at least WARN or BLOCKED as the pack says.</p>`
    : `<p>Unknowns: ${u.total}${u.budget !== null ? ` (budget ${esc(u.budget)})` : ''}.</p>`;
  return `<section aria-labelledby="h-verdict"><h2 id="h-verdict">Verdict</h2>
<p class="big"><span class="verdict v-${esc(ev.verdict)}" style="background:${esc(VERDICT_COLORS[ev.verdict] ?? '#4b5563')}">${esc(ev.verdict)}</span></p>
${dl([
  ['Policy pack', `${esc(ev.pack.name)}@${esc(ev.pack.version)} ${code(ev.pack.digest)} (${esc(e.policy.pack.source)})`],
  ['Evaluated as of', esc(ev.evaluationDate)],
  ['Findings by status', statusCounts || 'none'],
])}
${table}
${unknowns}</section>`;
}

function chartsSection(e: ScanEvidence): string {
  return `<section aria-labelledby="h-charts"><h2 id="h-charts">Severity and known exploitation</h2><div class="charts">${severityChart(e.scan.findings)}${kevChart(e.scan.findings)}</div></section>`;
}

function vexCell(c: VexConsensus | null): string {
  if (!c || c.status === 'none') return '<span class="muted">none</span>';
  return `${esc(c.status)}${c.justification ? `<br><small>${esc(c.justification)}</small>` : ''}<br><small>${Math.round(c.confidence * 100)}% · ${esc(plural(c.statements.length, 'statement'))}${c.conflicts.length ? ` · ${esc(plural(c.conflicts.length, 'conflict'))}` : ''}</small>`;
}

const SEVERITY_RANK: Record<SeverityLevel, number> = { critical: 0, high: 1, medium: 2, low: 3, none: 4, unknown: 5 };
const VERDICT_RANK: Record<string, number> = { BLOCKED: 0, WARN: 1, PASS: 2 };

function findingsSection(e: ScanEvidence): string {
  const decisions = new Map(e.policy.evaluation.findings.map((d) => [d.findingId, d]));
  const rows = e.scan.findings
    .map((f, i) => ({ f, c: e.vex.byFinding[i] ?? null, d: decisions.get(f.id) }))
    .sort(
      (a, b) =>
        (VERDICT_RANK[a.d?.verdict ?? 'PASS'] ?? 2) - (VERDICT_RANK[b.d?.verdict ?? 'PASS'] ?? 2) ||
        SEVERITY_RANK[a.f.severity.level] - SEVERITY_RANK[b.f.severity.level] ||
        (a.f.vulnerabilityId < b.f.vulnerabilityId ? -1 : a.f.vulnerabilityId > b.f.vulnerabilityId ? 1 : 0) ||
        (a.f.id < b.f.id ? -1 : 1),
    );
  const body = rows
    .map(({ f, c, d }) => {
      const sev = `${esc(f.severity.level)}${f.severity.score !== null ? ` ${f.severity.score.toFixed(1)}` : ''}`;
      const policy = d ? `<span class="verdict v-${esc(d.verdict)}">${esc(d.status)}</span>${d.rule ? `<br><small>${esc(d.rule)}</small>` : ''}` : '';
      return `<tr><td><span class="sev s-${esc(f.severity.level)}">${sev}</span></td><td>${esc(f.vulnerabilityId)}${f.aliases.length ? `<br><small>${esc(f.aliases.join(', '))}</small>` : ''}</td><td>${esc(f.purl ?? f.packageName)}</td><td>${esc(f.installedVersion)}</td><td>${f.fixedVersions.length ? esc(f.fixedVersions.join(', ')) : '<span class="muted">none known</span>'}</td><td>${f.kev ? 'yes' : 'no'}</td><td>${vexCell(c)}</td><td>${policy}</td></tr>`;
    })
    .join('');
  return `<section aria-labelledby="h-findings"><h2 id="h-findings">Findings (${e.scan.findings.length})</h2>
<table class="findings"><caption>Every finding of the scan with its VEX decision and policy status, blocking first</caption><thead><tr><th scope="col">Severity</th><th scope="col">Vulnerability</th><th scope="col">Package</th><th scope="col">Installed</th><th scope="col">Fixed in</th><th scope="col">KEV</th><th scope="col">VEX decision</th><th scope="col">Policy</th></tr></thead><tbody>${body || '<tr><td colspan="8">No findings.</td></tr>'}</tbody></table></section>`;
}

function chainOf(e: ScanEvidence, f: Finding, c: VexConsensus | null, d: FindingDecision, trace: ExplainTrace | undefined): string {
  const component = e.sbom.inventory.components.find((x) => x.ref === f.componentRef);
  const statements = new Map(e.vex.statements.map((s) => [s.id, s]));
  const advisories = f.evidence
    .map(
      (ev) =>
        `<li>${esc(ev.rawDocument.source)} advisory ${code(ev.advisoryId)} — raw document ${code(ev.rawDocument.digest)}<br><small>${esc(ev.rawDocument.uri)}</small><br>matched by ${esc(ev.matchedBy)} on ${esc(ev.ecosystem)}/${esc(ev.packageName)}${
          ev.range ? `; range ${esc(ev.range.type)} ${esc(ev.range.events.map((x) => Object.entries(x).map(([k, v]) => `${k} ${v}`).join(' ')).join(', '))}` : ''
        }${ev.explicitVersion !== undefined ? `; listed version ${esc(ev.explicitVersion)}` : ''}${ev.comparisons.length ? `<br><small>${esc(ev.comparisons.map((x) => `${x.left} ${x.op} ${x.right}: ${x.result}`).join('; '))}</small>` : ''}</li>`,
    )
    .join('');
  const vex =
    c && c.statements.length
      ? `consensus ${esc(c.status)}${c.justification ? ` (${esc(c.justification)})` : ''}, confidence ${Math.round(c.confidence * 100)}%<ul>${c.statements
          .map((s) => {
            const st = statements.get(s.statementId);
            return `<li>${esc(s.issuer)} (${esc(s.issuerClass)}, tier ${s.tier}): ${esc(s.status)}${s.justification ? ` / ${esc(s.justification)}` : ''} — ${esc(s.role)}${st?.impact ? `<br><small>impact: ${esc(st.impact)}</small>` : ''}${st?.action ? `<br><small>action: ${esc(st.action)}</small>` : ''}<br><small>${esc(s.raw.uri)} ${code(s.raw.digest)}</small></li>`;
          })
          .join('')}</ul>`
      : 'no VEX statement applies';
  const fired = trace?.rules.find((r) => r.outcome === 'fired');
  const policy = `rule ${d.rule ? code(d.rule) : '(none matched: the default status)'} → ${esc(d.status)}${d.because ? `: ${esc(d.because)}` : ''}${d.exception ? `<br>exception ${code(d.exception.id)} by ${esc(d.exception.owner)}: ${esc(d.exception.reason)}` : ''}${
    fired?.condition ? `<br><small>condition: ${esc(fired.condition.expr)}</small>` : ''
  }`;
  return `<article class="chain"><h3>${esc(f.vulnerabilityId)} in ${esc(f.purl ?? f.packageName)}</h3><ol>
<li><strong>Component</strong>: ${esc(component?.name ?? f.packageName)} ${esc(component?.version ?? f.installedVersion)}${f.purl ? ` ${code(f.purl)}` : ''} (ref ${code(f.componentRef)})${component?.locations.length ? `<br><small>${esc(component.locations.map((l) => l.path).join(', '))}</small>` : ''}</li>
<li><strong>Raw advisory</strong><ul>${advisories}</ul></li>
<li><strong>VEX statements</strong>: ${vex}</li>
<li><strong>Policy rule</strong>: ${policy}</li>
</ol></article>`;
}

function chainsSection(e: ScanEvidence): string {
  const decisions = new Map(e.policy.evaluation.findings.map((d) => [d.findingId, d]));
  const traces = new Map(e.policy.explain.map((t) => [t.finding.id, t]));
  const blocking = e.scan.findings.flatMap((f, i) => {
    const d = decisions.get(f.id);
    return d && d.verdict === 'BLOCKED' ? [chainOf(e, f, e.vex.byFinding[i] ?? null, d, traces.get(f.id))] : [];
  });
  return `<section aria-labelledby="h-chains"><h2 id="h-chains">Evidence chain of each blocking finding (${blocking.length})</h2>
<p>Component → raw advisory → VEX statements → policy rule. The raw advisory documents are identified by digest; the full explain traces are in ${code(EVIDENCE_PATHS.explain)}.</p>
${blocking.length ? blocking.join('\n') : '<p>No finding blocks.</p>'}</section>`;
}

function verifySection(input: ReportInput): string {
  const e = input.evidence;
  const root = input.bundleRoot;
  const artifact = subjectArtifact(e.scan.subject);
  const attest = artifact ? `stella attest verify --bundle ${root}/${attestationPath('vulns')} --trusted-root ${root}/${EVIDENCE_PATHS.trustedRoot} --key ${root}/${SIGNER_KEY_FILE} sha256:${artifact.sha256}` : null;
  return `<section aria-labelledby="h-verify"><h2 id="h-verify">How to verify this evidence</h2>
<p>This page is part of the evidence bundle ${code(`${root}.tar.gz`)} (written by ${code(`stella export evidence ${e.scan.id} -o ${root}.tar.gz`)}). The bundle's ${code(MANIFEST_FILE)} lists the digest of every file in it and is signed by the key below; ${code(CHECKSUMS_FILE)} repeats the digests for ${code('sha256sum')}.</p>
${
  input.signer
    ? dl([
        ['Signer key id', `${code(input.signer.keyId)}${input.signer.name ? ` (workstation key ${esc(input.signer.name)})` : ''}`],
        ['Algorithm', esc(input.signer.algorithm)],
      ])
    : '<p>The workstation has no signing key yet; the first export creates one, and its key id appears here.</p>'
}
<p>Compare the signer key id with the one its owner published, then, with POSIX ${code('sh')}, ${code('sha256sum')} and OpenSSL ${esc(MIN_OPENSSL)} or later:</p>
<pre>tar -xzf ${esc(root)}.tar.gz
sh ${esc(root)}/${esc(VERIFY_SCRIPT)} ${esc(input.signer?.keyId ?? 'KEY_ID')}</pre>
<p>${code(VERIFY_SCRIPT)} checks the signature in ${code(SIGNATURE_FILE)} over ${code(MANIFEST_FILE)}, that ${code(CHECKSUMS_FILE)} is the file the manifest names, every file's digest, and that no file is missing or added. On a Stella workstation that trusts the signer (${code('stella trust add KEY --purpose attestations')}):</p>
<pre>stella export verify ${esc(root)}.tar.gz          # 0 intact and trusted · 3 damaged · 6 signature or signer not trusted</pre>
${attest ? `<p>The attestations (Sigstore bundles v0.3, logged in the workstation's transparency log with inclusion proofs) verify with Sigstore tooling given ${code(EVIDENCE_PATHS.trustedRoot)}, for example:</p><pre>${esc(attest)}</pre>` : ''}
<p>A workstation holding the same inputs can re-run the scan and compare every output: ${code(`stella replay ${root}/${EVIDENCE_PATHS.replay}`)} (replay manifest ${code(e.replay.digest)}${e.replay.recorded ? ', recorded with the scan' : ', derived from the stored scan at export'}).</p></section>`;
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #d1d5db; padding-bottom: .2rem; margin-top: 2rem; } h3 { font-size: 1.05rem; margin: 1rem 0 .3rem; }
code, pre { font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
pre { background: #f3f4f6; padding: .6rem .8rem; white-space: pre-wrap; }
.facts { display: grid; grid-template-columns: 12rem 1fr; gap: .2rem 1rem; } .facts dt { font-weight: 600; } .facts dd { margin: 0; }
ul.plain { list-style: none; padding: 0; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; } caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #d1d5db; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: break-word; } th { background: #f3f4f6; }
.findings td:nth-child(3) { overflow-wrap: anywhere; } .findings td:nth-child(1), .findings td:nth-child(6), .findings th { white-space: nowrap; } .verdict { white-space: nowrap; }
small, .muted { color: #4b5563; }
.verdict { display: inline-block; padding: .05rem .45rem; border-radius: .25rem; font-weight: 700; color: #111827; border: 1px solid #9ca3af; }
.big .verdict { color: #fff; font-size: 1.6rem; padding: .2rem .9rem; border: 0; }
.v-BLOCKED { border-color: #b91c1c; } .v-WARN { border-color: #b45309; } .v-PASS { border-color: #15803d; }
.sev { font-weight: 600; } .s-critical { color: #7f1d1d; } .s-high { color: #b91c1c; } .s-medium { color: #92400e; } .s-low { color: #1d4ed8; }
.stale, .warning { color: #92400e; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; } .chart { margin: 0; } figcaption { font-size: .9rem; color: #374151; }
svg .axis { font: 12px system-ui, sans-serif; fill: #111827; } svg .value { font: 12px system-ui, sans-serif; fill: #111827; }
.chain { border: 1px solid #d1d5db; padding: .2rem .8rem; margin: .6rem 0; }
footer { margin-top: 2rem; color: #4b5563; font-size: .85rem; }
@media print {
  @page { margin: 14mm; }
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  thead { display: table-header-group; } tr, .chain, figure { break-inside: avoid; }
  h2 { break-after: avoid; } .big .verdict { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  pre { white-space: pre-wrap; }
}`;

/** The page. */
export function renderReportHtml(input: ReportInput): string {
  const e = input.evidence;
  const title = `Evidence report — ${e.scan.subject}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(e.engine.name)} ${esc(e.engine.version)}">
<title>${esc(title)}</title>
<style>${CSS}
</style>
</head>
<body>
<header><h1>Evidence report</h1><p>${code(e.scan.subject)} — verdict <strong>${esc(e.policy.evaluation.verdict)}</strong>, ${esc(plural(e.scan.findings.length, 'finding'))}, scanned ${esc(e.scan.createdAt)}</p></header>
<main>
${subjectSection(e)}
${verdictSection(e)}
${chartsSection(e)}
${findingsSection(e)}
${chainsSection(e)}
${verifySection(input)}
</main>
<footer>Written by ${esc(e.engine.name)} ${esc(e.engine.version)} from scan ${esc(e.scan.id)}; every date on this page comes from the scan record.</footer>
</body>
</html>
`;
}
