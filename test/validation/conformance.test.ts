/**
 * The R4 cases of the HL7 validator test suite: each file is validated and its error count is
 * compared with the reference validator's. A case either agrees on the count or is listed in
 * known-differences.json with the count Flint finds and the reason; the test fails when an
 * unlisted case disagrees and when a listed case agrees (the list must be kept honest). The
 * agreement figures are printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadCoreModel } from '../../src/model/index.js';
import { FhirValidator } from '../../src/validation/index.js';
import type { FhirModel } from '../../src/model/index.js';
import { caseErrors, caseOptions, knownDifferences, suiteCases, type CaseOptions } from './conformance-run.js';

const cases = suiteCases();
const known = knownDifferences();
let model: FhirModel;
const validators = new Map<string, FhirValidator>();
let validityAgreements = 0;
let countAgreements = 0;

before(async () => {
  model = await loadCoreModel();
});

/** One validator per combination of settings the cases ask for. */
function validatorFor(options: CaseOptions): FhirValidator {
  const key = JSON.stringify(options.settings);
  let validator = validators.get(key);
  if (!validator) validators.set(key, (validator = new FhirValidator(model, { unknownExtension: 'error', ...options.settings })));
  return validator;
}

after(() => {
  console.log(`validator test suite: ${validityAgreements}/${cases.length} agree on valid/invalid, ${countAgreements}/${cases.length} on the error count`);
});

describe('R4 validator test suite', () => {
  it('lists no case that is not in the suite', () => {
    const names = new Set(cases.map((suiteCase) => suiteCase.name));
    assert.deepEqual(Object.keys(known).filter((name) => !names.has(name)), []);
  });

  for (const suiteCase of cases) {
    it(suiteCase.name, async () => {
      const options = caseOptions(suiteCase);
      const errors = await caseErrors(validatorFor(options), suiteCase, options);
      if ((errors.length === 0) === (suiteCase.expectedErrorCount === 0)) validityAgreements++;
      if (errors.length === suiteCase.expectedErrorCount) countAgreements++;
      const difference = known[suiteCase.name];
      const found = errors.map((issue) => `${issue.code} ${issue.expression?.[0] ?? ''}`);
      if (difference) {
        assert.notEqual(errors.length, suiteCase.expectedErrorCount, 'listed as a known difference, but now agrees: remove it from the list');
        assert.equal(errors.length, difference.ours, `known difference with another count than listed: ${found.join('; ')}`);
      } else {
        assert.equal(errors.length, suiteCase.expectedErrorCount, `errors found: ${found.join('; ')}`);
      }
    });
  }
});
