/**
 * Job: report.html of a stored scan on its own (`stella report SCAN_ID --format html -o FILE`, the app's
 * `report.html` channel) — the same page the evidence bundle carries, for the same scan, pack and signer.
 * Writing it to a file is audited (`export.report`) before the file appears at its path.
 */
import { basename } from 'node:path';
import { sha256Digest } from '../core';
import type { Store } from '../store';
import { appendAudit } from '../audit';
import { bundleRootName, renderReportHtml } from '../export';
import type { JobContext } from './context';
import { evidenceSignerOf } from './evidence';
import { gatherScanEvidence, type EvidenceOptions } from './_internal/scan-evidence';
import { writeOutputAtomic } from './_internal/output-file';

export type ReportFormat = 'html';

export interface ReportJobInput extends EvidenceOptions {
  format: ReportFormat;
  /** Write the page here; without it the page is only returned. */
  output?: string;
  /** The key the bundle would be signed with (named in "how to verify"); default the workstation's. */
  key?: string;
}

export interface ReportJobResult {
  scanId: string;
  format: ReportFormat;
  html: string;
  digest: string;
  output?: string;
  verdict: string;
}

export async function reportJob(store: Store, input: ReportJobInput, ctx: JobContext): Promise<ReportJobResult> {
  const evidence = await gatherScanEvidence(store, input, ctx);
  const html = renderReportHtml({ evidence, signer: evidenceSignerOf(store, input.key), bundleRoot: bundleRootName(evidence.scan.id) });
  const bytes = Buffer.from(html, 'utf8');
  const digest = sha256Digest(bytes);
  if (input.output !== undefined) {
    const output = input.output;
    writeOutputAtomic(output, bytes, () => {
      appendAudit(store, { kind: 'export.report', subject: evidence.scan.subject, details: { scanId: evidence.scan.id, format: input.format, output: basename(output), digest } }, ctx);
    });
  }
  return { scanId: evidence.scan.id, format: input.format, html, digest, ...(input.output !== undefined ? { output: input.output } : {}), verdict: evidence.policy.evaluation.verdict };
}
