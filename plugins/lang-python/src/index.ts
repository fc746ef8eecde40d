/**
 * lang/python — installed Python distributions from core metadata: `*.dist-info/METADATA` (wheels,
 * PEP 376), `*.egg-info/PKG-INFO` and `EGG-INFO/PKG-INFO` (setuptools), and `*.egg-info` single files.
 *
 * The metadata is an e-mail header block (RFC 822); only the headers matter. The package keeps the
 * `Name:` as written; the purl uses the PEP 503 normalized name (`pkg:pypi/charset-normalizer@3.0.1`).
 */
import { defineAnalyzer, eachFile, emptyResult, normalizePythonName, parseControl, type AnalyzerResult } from '../../sdk';

export function parseCoreMetadata(text: string, path: string, result: AnalyzerResult): void {
  const { paragraphs } = parseControl(text, { headersOnly: true });
  const head = paragraphs[0];
  const name = head?.get('Name');
  const version = head?.get('Version');
  if (!head || !name || !version) {
    const missing = [!name && 'Name', !version && 'Version'].filter(Boolean).join(' and ');
    result.issues.push({
      path,
      line: head?.line ?? 1,
      severity: 'error',
      message: `not Python core metadata: no ${missing} header (expected "Metadata-Version", "Name" and "Version" headers)`,
    });
    return;
  }
  const licenseExpression = head.get('License-Expression');
  const license = head.get('License');
  const licenses = licenseExpression ? [licenseExpression] : license && license !== 'UNKNOWN' && !license.includes('\n') ? [license] : [];
  const properties: Record<string, string> = {};
  const mv = head.get('Metadata-Version');
  if (mv) properties.metadataVersion = mv;
  const author = head.get('Author') ?? head.get('Author-email');
  if (author) properties.author = author;
  result.packages.push({
    id: `${normalizePythonName(name)}@${version}@${path}`,
    name,
    version,
    purl: { type: 'pypi', name: normalizePythonName(name), version },
    locations: [path],
    licenses,
    properties,
  });
}

export default defineAnalyzer({
  name: 'lang/python',
  version: 1,
  async analyze(files) {
    const result = emptyResult();
    await eachFile(files, result, async (f) => {
      parseCoreMetadata(await f.readText(), f.path, result);
    });
    return result;
  },
});
