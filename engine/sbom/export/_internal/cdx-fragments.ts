/**
 * Checks whether a single CycloneDX field value is valid in a target spec version, against the official
 * JSON schemas the CycloneDX library ships in its package (`res/schema/`). Used to decide whether a
 * `cyclonedx:<field>` extra from the source document can go back into its native place: a field is
 * re-inserted only when the target schema accepts it, otherwise it travels as a `stella:extra:*`
 * property, so an export never becomes invalid because of a value carried over from an older version.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isIriReference } from './common';

const require = createRequire(import.meta.url);
// ajv-formats-draft2019 ships no type declarations; its export is `(ajv, opts) => ajv`.
const addFormats2019 = require('ajv-formats-draft2019') as (ajv: Ajv, opts?: { formats?: string[] }) => Ajv;
/** The schema folder of the installed library (its package.json is a public export). */
const SCHEMA_ROOT = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');

const SCHEMA_BASE = 'http://cyclonedx.org/schema/';
const SUB_SCHEMAS = ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json', 'cryptography-defs.SNAPSHOT.schema.json'];

const ajvs = new Map<string, Ajv>();
const validators = new Map<string, ValidateFunction>();

function ajvFor(version: string): Ajv {
  const have = ajvs.get(version);
  if (have) return have;
  const ajv = new Ajv({ strict: false, useDefaults: false, validateFormats: true });
  addFormats(ajv);
  addFormats2019(ajv, { formats: ['idn-email', 'idn-hostname', 'iri', 'duration'] });
  ajv.addFormat('iri-reference', isIriReference);
  // The bundled schemas refer to each other by their SNAPSHOT file names.
  for (const f of SUB_SCHEMAS) {
    const s = JSON.parse(readFileSync(join(SCHEMA_ROOT, f), 'utf8')) as Record<string, unknown>;
    ajv.addSchema({ ...s, $id: `${SCHEMA_BASE}${f}` });
  }
  const bom = JSON.parse(readFileSync(join(SCHEMA_ROOT, `bom-${version}.SNAPSHOT.schema.json`), 'utf8')) as Record<string, unknown>;
  ajv.addSchema({ ...bom, $id: `${SCHEMA_BASE}bom-${version}.schema.json` });
  ajvs.set(version, ajv);
  return ajv;
}

function validator(version: string, pointer: string): ValidateFunction {
  const key = `${version}${pointer}`;
  const have = validators.get(key);
  if (have) return have;
  const v = ajvFor(version).compile({ $ref: `${SCHEMA_BASE}bom-${version}.schema.json${pointer}` });
  validators.set(key, v);
  return v;
}

/** Is `{type, name, [field]: value}` a valid component in this spec version? */
export function isValidComponentField(version: string, field: string, value: unknown): boolean {
  return validator(version, '#/definitions/component')({ type: 'library', name: 'x', [field]: value });
}

/** Is `{[field]: value}` valid metadata in this spec version? */
export function isValidMetadataField(version: string, field: string, value: unknown): boolean {
  return validator(version, '#/definitions/metadata')({ [field]: value });
}

/** Is a minimal BOM with `[field]: value` at top level valid in this spec version? */
export function isValidBomField(version: string, field: string, value: unknown): boolean {
  return validator(version, '')({ bomFormat: 'CycloneDX', specVersion: version, [field]: value });
}
