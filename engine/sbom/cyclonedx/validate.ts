/**
 * Schema validation against the official CycloneDX schemas bundled in @cyclonedx/cyclonedx-library.
 * XML: the library's XmlValidator (XSD via libxmljs2, XXE-safe options). JSON: the library's bundled JSON
 * schemas compiled with ajv using the library's own ajv options, with one change: ajv checks
 * `uniqueItems` by comparing every pair of items (O(n²): 77 s for 10,000 components), so each
 * `uniqueItems` is swapped for an equivalent keyword that compares canonical JSON forms in O(n).
 * Validators are compiled once per version and cached (compiling the 1.6/1.7 schema costs ~0.3 s).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type addFormats from 'ajv-formats';
import type { Spec } from '@cyclonedx/cyclonedx-library';
import type { XmlValidator } from '@cyclonedx/cyclonedx-library/Validation';
import { canonicalJson } from '../../core';
import type { SbomProblem } from '../errors';

type Validator = { validate(data: string): Promise<unknown> };

// The validator libraries are required when a document of their kind is first validated, not when
// this module loads: ajv is only needed for JSON, the library's XmlValidator (libxmljs2) only for XML,
// and a process that only reads stored SBOMs needs neither.
const require = createRequire(import.meta.url);

const jsonValidators = new Map<string, ValidateFunction>();
const xmlValidators = new Map<string, Validator>();

export const CYCLONEDX_JSON_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;
export const CYCLONEDX_XML_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;

const UNIQUE = 'x-stella-uniqueItems';

/** Deep copy of a schema with every `uniqueItems: true` replaced by the linear-time keyword. */
function linearUnique(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(linearUnique);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'uniqueItems' && x === true) out[UNIQUE] = true;
    else out[k] = linearUnique(x);
  }
  return out;
}

function readSchema(path: string): unknown {
  return linearUnique(JSON.parse(readFileSync(path, 'utf8')));
}

function uniqueItemsValidator() {
  const validate = (_schema: boolean, data: unknown): boolean => {
    if (!Array.isArray(data)) return true;
    const seen = new Map<string, number>();
    for (let i = 0; i < data.length; i++) {
      const key = typeof data[i] === 'string' ? `s:${data[i] as string}` : canonicalJson(data[i]);
      const j = seen.get(key);
      if (j !== undefined) {
        (validate as unknown as { errors: unknown[] }).errors = [
          { keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, params: { i, j } },
        ];
        return false;
      }
      seen.set(key, i);
    }
    return true;
  };
  return validate;
}

function jsonValidator(version: string): ValidateFunction {
  let v = jsonValidators.get(version);
  if (v) return v;
  const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
  const addFormatsPlugin = (require('ajv-formats') as { default: typeof addFormats }).default;
  // The official schemas the library bundles (res/schema), the same files its own JsonValidator reads.
  const res = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  const schemaPath = join(res, `bom-${version}.SNAPSHOT.schema.json`);
  // Same options as the library's own ajv validator (no defaults, no remote schemas, non-strict).
  const ajv = new AjvClass({
    useDefaults: false,
    // ajv's code-optimization passes cost ~250 ms per schema at start-up (the SPDX license enum is
    // large) and buy nothing measurable when validating; every CLI process compiles once.
    code: { optimize: false },
    strict: false,
    strictSchema: false,
    addUsedSchema: false,
    loadSchema: (uri: string) => {
      throw new Error(`Remote schemas are disabled: ${uri}`);
    },
    schemas: {
      'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': readSchema(join(res, 'spdx.SNAPSHOT.schema.json')) as object,
      'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': readSchema(join(res, 'cryptography-defs.SNAPSHOT.schema.json')) as object,
      'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': readSchema(join(res, 'jsf-0.82.SNAPSHOT.schema.json')) as object,
    },
  });
  addFormatsPlugin(ajv);
  // ajv-formats-draft2019 ships no types; the library adds it for `idn-email` the same way.
  const addFormats2019 = require('ajv-formats-draft2019') as (a: Ajv, o: { formats: string[] }) => Ajv;
  addFormats2019(ajv, { formats: ['idn-email'] });
  ajv.addFormat('iri-reference', true);
  ajv.addKeyword({ keyword: UNIQUE, type: 'array', schemaType: 'boolean', errors: true, validate: uniqueItemsValidator() });
  v = ajv.compile(readSchema(schemaPath) as object);
  jsonValidators.set(version, v);
  return v;
}

function xmlValidator(version: string): Validator {
  let v = xmlValidators.get(version);
  if (!v) {
    const { XmlValidator: XmlValidatorClass } = require('@cyclonedx/cyclonedx-library/Validation') as { XmlValidator: typeof XmlValidator };
    v = new XmlValidatorClass(version as Spec.Version);
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

/** Validate an already parsed CycloneDX JSON document (parsing twice would double the cost). */
export function validateCycloneDxJson(doc: unknown, version: string): SbomProblem[] {
  const v = jsonValidator(version);
  return v(doc) ? [] : ajvErrorsToProblems(v.errors);
}

export async function validateCycloneDxXmlText(text: string, version: string): Promise<SbomProblem[]> {
  const r = await xmlValidator(version).validate(text);
  return r === null ? [] : libxmlErrorsToProblems(r);
}

/** Compile the validators ahead of time (app start-up, benchmarks). */
export async function warmUpCycloneDxValidators(versions: readonly string[] = ['1.6']): Promise<void> {
  for (const v of versions) {
    jsonValidator(v);
    await xmlValidator(v).validate(`<bom xmlns="http://cyclonedx.org/schema/bom/${v}"/>`);
  }
}
