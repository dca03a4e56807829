// Validates a CycloneDX 1.6 JSON document with the CycloneDX library's own strict validator
// (its optional dependencies ajv, ajv-formats and ajv-formats-draft2019 are development
// dependencies here).
import * as CDX from '@cyclonedx/cyclonedx-library';

/** null when valid, else the schema errors. */
export async function validateCycloneDx(json: string): Promise<unknown> {
  return new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(json);
}
