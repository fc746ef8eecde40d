/**
 * SARIF 2.1.0 rendering of a scan: one rule per vulnerability, one result per finding located at the
 * component's purl (an artifact URI) plus a logical location naming the package.
 */
import { stellaVersion, type Finding, type SeverityLevel } from '../core';
import type { ScanResult } from './scan';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function sarifLevel(l: SeverityLevel): 'error' | 'warning' | 'note' {
  return l === 'critical' || l === 'high' ? 'error' : l === 'medium' ? 'warning' : 'note';
}

function describe(f: Finding): string {
  const fix = f.fixedVersions.length ? `; fixed in ${f.fixedVersions.join(', ')}` : '; no fixed version known';
  return `${f.vulnerabilityId} in ${f.packageName} ${f.installedVersion}${fix}`;
}

/** `toolVersion` defaults to this workstation's version (package.json), what SARIF consumers show as the tool's. */
export function toSarif(scan: ScanResult, toolVersion = stellaVersion()): Record<string, unknown> {
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  for (const f of [...scan.findings].sort((a, b) => (a.vulnerabilityId < b.vulnerabilityId ? -1 : a.vulnerabilityId > b.vulnerabilityId ? 1 : 0))) {
    if (ruleIndex.has(f.vulnerabilityId)) continue;
    ruleIndex.set(f.vulnerabilityId, rules.length);
    rules.push({
      id: f.vulnerabilityId,
      name: f.vulnerabilityId.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: `${f.vulnerabilityId}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}` },
      help: { text: `Advisories: ${[...new Set(f.evidence.map((e) => `${e.advisoryId} [${e.rawDocument.source}]`))].join(', ')}` },
      defaultConfiguration: { level: sarifLevel(f.severity.level) },
      properties: {
        tags: ['security', 'vulnerability'],
        ...(f.severity.score !== null ? { 'security-severity': f.severity.score.toFixed(1) } : {}),
        severity: f.severity.level,
      },
    });
  }
  const results = scan.findings.map((f) => ({
    ruleId: f.vulnerabilityId,
    ruleIndex: ruleIndex.get(f.vulnerabilityId) ?? 0,
    level: sarifLevel(f.severity.level),
    message: { text: describe(f) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: f.purl ?? f.componentRef } },
        logicalLocations: [{ name: f.packageName, fullyQualifiedName: f.purl ?? f.componentRef, kind: 'package' }],
      },
    ],
    partialFingerprints: { stellaFindingId: f.id },
    properties: {
      installedVersion: f.installedVersion,
      fixedVersions: f.fixedVersions,
      kev: f.kev,
      ...(f.epss ? { epss: f.epss.score } : {}),
      rawDocuments: [...new Set(f.evidence.map((e) => e.rawDocument.digest))].sort(),
    },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'stella', fullName: 'Stella Evidence Workstation', version: toolVersion, rules } },
        automationDetails: { id: `stella/scan/${scan.id}` },
        properties: { subject: scan.subject, snapshot: scan.snapshot },
        results,
      },
    ],
  };
}
