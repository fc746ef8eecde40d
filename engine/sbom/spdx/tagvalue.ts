/**
 * SPDX 2.x tag-value → the SPDX JSON shape (same field names as the JSON serialization), so one
 * validator and one normalizer serve every SPDX 2 encoding. Tags we do not know are kept on the element
 * they appear in as `tagValue:<Tag>` so nothing is lost.
 */
import { SbomError } from '../errors';

type Obj = Record<string, unknown>;

const DOC: Record<string, string> = {
  SPDXVersion: 'spdxVersion', DataLicense: 'dataLicense', DocumentName: 'name', DocumentNamespace: 'documentNamespace', DocumentComment: 'comment',
};
const CREATION: Record<string, string> = { Created: 'created', CreatorComment: 'comment', LicenseListVersion: 'licenseListVersion' };
const PACKAGE: Record<string, string> = {
  PackageVersion: 'versionInfo', PackageFileName: 'packageFileName', PackageSupplier: 'supplier', PackageOriginator: 'originator',
  PackageDownloadLocation: 'downloadLocation', PackageHomePage: 'homepage', PackageSourceInfo: 'sourceInfo', PackageLicenseConcluded: 'licenseConcluded',
  PackageLicenseDeclared: 'licenseDeclared', PackageLicenseComments: 'licenseComments', PackageCopyrightText: 'copyrightText', PackageSummary: 'summary',
  PackageDescription: 'description', PackageComment: 'comment', PrimaryPackagePurpose: 'primaryPackagePurpose', ReleaseDate: 'releaseDate',
  BuiltDate: 'builtDate', ValidUntilDate: 'validUntilDate',
};
const PACKAGE_LISTS: Record<string, string> = { PackageLicenseInfoFromFiles: 'licenseInfoFromFiles', PackageAttributionText: 'attributionTexts' };
const FILE: Record<string, string> = { LicenseConcluded: 'licenseConcluded', LicenseComments: 'licenseComments', FileCopyrightText: 'copyrightText', FileComment: 'comment', FileNotice: 'noticeText' };
const FILE_LISTS: Record<string, string> = { FileType: 'fileTypes', LicenseInfoInFile: 'licenseInfoInFiles', FileContributor: 'fileContributors', FileAttributionText: 'attributionTexts', FileDependency: 'fileDependencies' };
const SNIPPET: Record<string, string> = {
  SnippetFromFileSPDXID: 'snippetFromFile', SnippetLicenseConcluded: 'licenseConcluded', SnippetLicenseComments: 'licenseComments',
  SnippetCopyrightText: 'copyrightText', SnippetComment: 'comment', SnippetName: 'name',
};
const SNIPPET_LISTS: Record<string, string> = { LicenseInfoInSnippet: 'licenseInfoInSnippets', SnippetAttributionText: 'attributionTexts' };
const LICENSE: Record<string, string> = { ExtractedText: 'extractedText', LicenseName: 'name', LicenseComment: 'comment' };

function push(o: Obj, key: string, v: unknown): void {
  ((o[key] ??= []) as unknown[]).push(v);
}

function checksum(v: string): Obj {
  const m = /^([A-Za-z0-9-]+):\s*(\S+)$/.exec(v.trim());
  return m ? { algorithm: m[1], checksumValue: m[2] } : { algorithm: '', checksumValue: v.trim() };
}

function range(v: string, kind: 'byte' | 'line', from: string): Obj {
  const [a, b] = v.split(':').map((x) => Number(x.trim()));
  const key = kind === 'byte' ? 'offset' : 'lineNumber';
  return { startPointer: { reference: from, [key]: a }, endPointer: { reference: from, [key]: b } };
}

export function parseSpdxTagValue(text: string, file: string): Obj {
  const doc: Obj = { creationInfo: { creators: [] } };
  const creation = doc.creationInfo as Obj;
  let current: Obj = doc;
  let kind: 'doc' | 'package' | 'file' | 'snippet' | 'license' = 'doc';
  let lastPackage: Obj | undefined;
  let lastExternalRef: Obj | undefined;
  let lastRelationship: Obj | undefined;
  let annotation: Obj | undefined;
  const elementsById = new Map<string, Obj>();
  const pendingAnnotations: { id: string; a: Obj }[] = [];

  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z][A-Za-z0-9]*):\s?(.*)$/.exec(line);
    if (!m) {
      throw new SbomError('malformed', `${file}: line ${i + 1}: expected "Tag: value", got ${JSON.stringify(line.slice(0, 80))}`, {
        details: { file, line: i + 1, column: 1, expected: 'a "Tag: value" line' },
      });
    }
    const tag = m[1] as string;
    let value = m[2] as string;
    if (value.trimStart().startsWith('<text>')) {
      const startLine = i + 1;
      value = value.trimStart().slice(6);
      while (!value.includes('</text>')) {
        i++;
        if (i >= lines.length) {
          throw new SbomError('malformed', `${file}: line ${startLine}: <text> of tag ${tag} is never closed (truncated document?); expected </text>`, {
            details: { file, line: startLine, column: 1, expected: '</text>' },
          });
        }
        value += `\n${lines[i] as string}`;
      }
      value = value.slice(0, value.indexOf('</text>'));
    } else value = value.trim();

    switch (tag) {
      case 'PackageName':
        current = { name: value };
        kind = 'package';
        push(doc, 'packages', current);
        lastPackage = current;
        continue;
      case 'FileName':
        current = { fileName: value };
        kind = 'file';
        push(doc, 'files', current);
        continue;
      case 'SnippetSPDXID':
        current = { SPDXID: value };
        kind = 'snippet';
        push(doc, 'snippets', current);
        elementsById.set(value, current);
        continue;
      case 'LicenseID':
        current = { licenseId: value };
        kind = 'license';
        push(doc, 'hasExtractedLicensingInfos', current);
        continue;
      case 'SPDXID':
        current.SPDXID = value;
        elementsById.set(value, current);
        if (kind === 'file' && lastPackage) push(lastPackage, 'hasFiles', value);
        continue;
      case 'Relationship': {
        const r = /^(\S+)\s+(\S+)\s+(\S+)$/.exec(value);
        lastRelationship = r ? { spdxElementId: r[1], relationshipType: r[2], relatedSpdxElement: r[3] } : { spdxElementId: value, relationshipType: '', relatedSpdxElement: '' };
        push(doc, 'relationships', lastRelationship);
        continue;
      }
      case 'RelationshipComment':
        if (lastRelationship) lastRelationship.comment = value;
        continue;
      case 'Annotator':
        annotation = { annotator: value };
        continue;
      case 'AnnotationDate':
      case 'AnnotationType':
      case 'AnnotationComment':
      case 'SPDXREF': {
        annotation ??= {};
        if (tag === 'SPDXREF') pendingAnnotations.push({ id: value, a: annotation });
        else annotation[tag === 'AnnotationDate' ? 'annotationDate' : tag === 'AnnotationType' ? 'annotationType' : 'comment'] = value;
        continue;
      }
      case 'Creator':
        push(creation, 'creators', value);
        continue;
      case 'ExternalDocumentRef': {
        const r = /^(\S+)\s+(\S+)\s+([A-Za-z0-9-]+):\s*(\S+)$/.exec(value);
        push(doc, 'externalDocumentRefs', r ? { externalDocumentId: r[1], spdxDocument: r[2], checksum: { algorithm: r[3], checksumValue: r[4] } } : { externalDocumentId: value });
        continue;
      }
      default:
        break;
    }
    if (kind === 'doc') {
      if (DOC[tag]) doc[DOC[tag] as string] = value;
      else if (CREATION[tag]) creation[CREATION[tag] as string] = value;
      else doc[`tagValue:${tag}`] = value;
      continue;
    }
    if (kind === 'package') {
      if (PACKAGE[tag]) current[PACKAGE[tag] as string] = value;
      else if (PACKAGE_LISTS[tag]) push(current, PACKAGE_LISTS[tag] as string, value);
      else if (tag === 'FilesAnalyzed') current.filesAnalyzed = value.toLowerCase() === 'true';
      else if (tag === 'PackageChecksum') push(current, 'checksums', checksum(value));
      else if (tag === 'PackageVerificationCode') {
        const r = /^(\S+)(?:\s*\(excludes:\s*(.*)\))?$/.exec(value);
        current.packageVerificationCode = r?.[2] ? { packageVerificationCodeValue: r[1], packageVerificationCodeExcludedFiles: [r[2].trim()] } : { packageVerificationCodeValue: r?.[1] ?? value };
      } else if (tag === 'ExternalRef') {
        const r = /^(\S+)\s+(\S+)\s+(.+)$/.exec(value);
        lastExternalRef = r ? { referenceCategory: r[1], referenceType: r[2], referenceLocator: (r[3] as string).trim() } : { referenceCategory: '', referenceType: '', referenceLocator: value };
        push(current, 'externalRefs', lastExternalRef);
      } else if (tag === 'ExternalRefComment') {
        if (lastExternalRef) lastExternalRef.comment = value;
      } else current[`tagValue:${tag}`] = value;
      continue;
    }
    if (kind === 'file') {
      if (FILE[tag]) current[FILE[tag] as string] = value;
      else if (FILE_LISTS[tag]) push(current, FILE_LISTS[tag] as string, value);
      else if (tag === 'FileChecksum') push(current, 'checksums', checksum(value));
      else current[`tagValue:${tag}`] = value;
      continue;
    }
    if (kind === 'snippet') {
      if (SNIPPET[tag]) current[SNIPPET[tag] as string] = value;
      else if (SNIPPET_LISTS[tag]) push(current, SNIPPET_LISTS[tag] as string, value);
      else if (tag === 'SnippetByteRange' || tag === 'SnippetLineRange') push(current, 'ranges', range(value, tag === 'SnippetByteRange' ? 'byte' : 'line', String(current.snippetFromFile ?? '')));
      else current[`tagValue:${tag}`] = value;
      continue;
    }
    if (LICENSE[tag]) current[LICENSE[tag] as string] = value;
    else if (tag === 'LicenseCrossReference') push(current, 'seeAlsos', value);
    else current[`tagValue:${tag}`] = value;
  }
  for (const { id, a } of pendingAnnotations) {
    const target = id === doc.SPDXID ? doc : elementsById.get(id);
    push(target ?? doc, 'annotations', target ? a : { ...a, spdxElementId: id });
  }
  return doc;
}
