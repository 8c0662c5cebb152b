/**
 * The catalogue of the errors validation raises (as opposed to the issues it reports in an
 * OperationOutcome, validation-issues.ts): a definition that does not compile, a malformed
 * x-validate-references header, $load-package without a package.
 */
import { defineErrors, detail } from '../core/index.js';

export const validationErrors = defineErrors('validation', {
  'validation.definition': {
    category: 'unprocessable', summary: 'A StructureDefinition (or one it derives from) does not compile into a validator', message: detail,
  },
  'validation.bad-header': { category: 'invalid', summary: 'x-validate-references is neither true nor false', message: detail },
  'package.no-input': { category: 'invalid', summary: '$load-package was given neither path nor package', message: detail },
});
