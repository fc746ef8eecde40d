// The BSI CSAF validator library ships JavaScript with JSDoc only; these are the parts engine/vex uses.
declare module '@secvisogram/csaf-validator-lib/validate.js' {
  export interface CsafTestResult {
    name: string;
    isValid: boolean;
    errors: { instancePath: string; message: string }[];
    warnings: { instancePath: string; message: string }[];
    infos: { instancePath: string; message: string }[];
  }
  export type CsafDocumentTest = ((doc: unknown) => unknown) & { name: string };
  export default function validate(tests: readonly CsafDocumentTest[], doc: unknown): Promise<{ tests: CsafTestResult[]; isValid: boolean }>;
}
// Test modules: namespaces of test functions (checked to be functions where they are used).
declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js';
declare module '@secvisogram/csaf-validator-lib/schemaTests.js';
declare module '@secvisogram/csaf-validator-lib/csaf_2_1/mandatoryTests.js';
declare module '@secvisogram/csaf-validator-lib/csaf_2_1/schemaTests.js';
