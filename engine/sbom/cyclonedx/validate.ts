/**
 * Schema validation with @cyclonedx/cyclonedx-library's validators (bundled official JSON schemas via
 * ajv; XSDs via libxmljs2). Validators are created once per version and cached: compiling the 1.6/1.7
 * JSON schema costs ~0.3 s, which must not be paid per document.
 */
import { type Spec, Validation } from '@cyclonedx/cyclonedx-library';
import type { SbomProblem } from '../errors';

type Validator = { validate(data: string): Promise<unknown> };

const jsonValidators = new Map<string, Validator>();
const xmlValidators = new Map<string, Validator>();

export const CYCLONEDX_JSON_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;
export const CYCLONEDX_XML_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;

function specVersion(v: string): Spec.Version {
  return v as Spec.Version;
}

function jsonValidator(version: string): Validator {
  let v = jsonValidators.get(version);
  if (!v) {
    v = new Validation.JsonValidator(specVersion(version));
    jsonValidators.set(version, v);
  }
  return v;
}

function xmlValidator(version: string): Validator {
  let v = xmlValidators.get(version);
  if (!v) {
    v = new Validation.XmlValidator(specVersion(version));
    xmlValidators.set(version, v);
  }
  return v;
}

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function expectedOf(e: AjvError): string | undefined {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'enum':
      return `one of ${(p.allowedValues as unknown[] | undefined)?.map((x) => JSON.stringify(x)).join(', ')}`;
    case 'const':
      return JSON.stringify(p.allowedValue);
    case 'required':
      return `property "${String(p.missingProperty)}"`;
    case 'type':
      return `a value of type ${String(p.type)}`;
    case 'pattern':
      return `a string matching ${String(p.pattern)}`;
    case 'format':
      return `a valid ${String(p.format)}`;
    case 'additionalProperties':
      return `no property "${String(p.additionalProperty)}"`;
    case 'minItems':
      return `at least ${String(p.limit)} item(s)`;
    case 'maxItems':
      return `at most ${String(p.limit)} item(s)`;
    case 'minLength':
      return `at least ${String(p.limit)} character(s)`;
    case 'maxLength':
      return `at most ${String(p.limit)} character(s)`;
    case 'uniqueItems':
      return `unique items (items ${String(p.j)} and ${String(p.i)} are equal)`;
    case 'oneOf':
      return 'exactly one of the allowed alternatives';
    case 'anyOf':
      return 'one of the allowed alternatives';
    default:
      return e.message;
  }
}

export function ajvErrorsToProblems(errors: unknown): SbomProblem[] {
  if (!Array.isArray(errors)) return [{ path: '/', message: String(errors) }];
  return (errors as AjvError[]).map((e) => {
    let path = e.instancePath || '/';
    if (e.keyword === 'required' && e.params?.missingProperty !== undefined) path = `${e.instancePath ?? ''}/${String(e.params.missingProperty)}`;
    const expected = expectedOf(e);
    const p: SbomProblem = { path, message: e.message ?? 'does not match the schema' };
    if (expected) p.expected = expected;
    return p;
  });
}

interface LibXmlError {
  message?: string;
  line?: number;
  column?: number;
  str1?: string;
  str2?: string;
}

export function libxmlErrorsToProblems(errors: unknown): SbomProblem[] {
  if (!Array.isArray(errors)) return [{ path: '/bom', message: String(errors) }];
  return (errors as LibXmlError[]).map((e) => {
    const msg = (e.message ?? 'does not match the schema').trim();
    const el = /Element '(?:\{[^}]*\})?([^']+)'/.exec(msg)?.[1];
    const attr = /attribute '([^']+)'/.exec(msg)?.[1];
    const path = `${el ? `//${el}` : '/bom'}${attr ? `/@${attr}` : ''}${e.line ? ` (line ${e.line})` : ''}`;
    const expectedMatch = /Expected is (?:one of )?\(? ?([^)]*?)\s?\)?\.$/.exec(msg)?.[1];
    const p: SbomProblem = { path, message: msg.replace(/\{http:\/\/cyclonedx\.org\/schema\/bom\/[0-9.]+\}/g, '') };
    if (expectedMatch) p.expected = expectedMatch.replace(/\{http:\/\/cyclonedx\.org\/schema\/bom\/[0-9.]+\}/g, '');
    else if (e.str2 && /enumeration/.test(msg)) p.expected = `one of ${e.str2}`;
    else if (/Duplicate key-sequence/.test(msg)) p.expected = 'unique values (bom-refs must be unique within the BOM)';
    else p.expected = 'content allowed by the CycloneDX XML schema at this place';
    return p;
  });
}

export async function validateCycloneDxJsonText(text: string, version: string): Promise<SbomProblem[]> {
  const r = await jsonValidator(version).validate(text);
  return r === null ? [] : ajvErrorsToProblems(r);
}

export async function validateCycloneDxXmlText(text: string, version: string): Promise<SbomProblem[]> {
  const r = await xmlValidator(version).validate(text);
  return r === null ? [] : libxmlErrorsToProblems(r);
}

/** Compile the validators ahead of time (app start-up, benchmarks). */
export async function warmUpCycloneDxValidators(versions: readonly string[] = ['1.6']): Promise<void> {
  for (const v of versions) {
    await jsonValidator(v).validate('{}');
    await xmlValidator(v).validate(`<bom xmlns="http://cyclonedx.org/schema/bom/${v}"/>`);
  }
}
