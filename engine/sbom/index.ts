/**
 * engine/sbom — detect, parse, validate and normalize CycloneDX (1.0–1.7 XML, 1.2–1.7 JSON), SPDX 2.2/2.3
 * (JSON, YAML, XML, tag-value), SPDX 3.0.1 JSON-LD, Syft JSON and Trivy JSON; import into the store.
 */
export { SbomError, type SbomErrorCode, type SbomProblem } from './errors';
export { detectSbomFormat, type DetectedFormat } from './detect';
export { parseSbom, validateSbom, type ParseOptions, type ParseResult, type ValidationResult } from './parse';
export {
  importSbom,
  listSboms,
  getSbom,
  findComponentsByPurl,
  readSbomFile,
  sbomIdFor,
  type SbomRecord,
  type ImportSource,
  type ImportOptions,
  type ImportPhase,
} from './store';
export { warmUpCycloneDxValidators, validateCycloneDxJson, CYCLONEDX_JSON_VERSIONS } from './cyclonedx/validate';
/** The purl type (`npm`, `deb`, `pypi` …), lower-cased: what components are grouped and filtered by. */
export { purlEcosystem as purlType } from './_internal/purl';
