/**
 * resolve() in invariants looks in the scope of the validation running it: the scope travels with
 * each evaluation, so validations interleaved with one another each resolve in their own.
 * ctm-1: a member on behalf of an organization must resolve to a Practitioner (or to nothing).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { JsonObject, Resource } from '../../src/core/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { FhirValidator } from '../../src/validation/index.js';
import { compileConstraint, type CompiledConstraint } from '../../src/validation/schema/compile-constraint.js';
import type { ResolutionScope } from '../../src/validation/schema/validation-functions.js';

const CTM_1 = {
  key: 'ctm-1',
  severity: 'error',
  expression: 'onBehalfOf.exists() implies (member.resolve().iif(empty(), true, ofType(Practitioner).exists()))',
};
const participant = { member: { reference: 'Organization/x' }, onBehalfOf: { reference: 'Organization/o' } };
const organization: JsonObject = { resourceType: 'Organization', id: 'x', name: 'Clinic X' };
const variables = { resource: {}, rootResource: {} };

let validator: FhirValidator;
let ctm1: CompiledConstraint;
before(async () => {
  validator = new FhirValidator(await loadCoreModel());
  ctm1 = compileConstraint(CTM_1, 'CareTeam.participant', {}) as CompiledConstraint;
});

test('an invariant resolves in the scope it is checked with, also while another check runs inside it', () => {
  const inner: string[] = [];
  const finding: ResolutionScope = {
    resolve: (reference) => {
      // Another check, with its own empty scope, runs while this one is resolving.
      inner.push(ctm1.check(participant, variables, { resolve: () => undefined }).outcome);
      return (reference as { reference?: string }).reference === 'Organization/x' ? organization : undefined;
    },
  };
  assert.equal(ctm1.check(participant, variables, finding).outcome, 'fail');
  assert.deepEqual(inner, ['pass']);
  assert.equal(ctm1.check(participant, variables).outcome, 'pass');
});

function careTeamBundle(withOrganization: boolean): Resource {
  const careTeam = { fullUrl: 'http://example.org/fhir/CareTeam/t', resource: { resourceType: 'CareTeam', id: 't', participant: [participant] } };
  const entries = withOrganization ? [{ fullUrl: 'http://example.org/fhir/Organization/x', resource: organization }, careTeam] : [careTeam];
  return { resourceType: 'Bundle', type: 'collection', entry: entries } as Resource;
}

test('validations running at the same time each resolve in their own Bundle', async () => {
  const bundles = [true, false, true, false, false, true].map(careTeamBundle);
  const results = await Promise.all(bundles.map((bundle) => validator.validate(bundle)));
  const invariantErrors = results.map((issues) => issues.filter((issue) => issue.severity === 'error' && issue.code === 'validation.invariant')
    .map((issue) => issue.expression?.[0]));
  const broken = ['Bundle.entry[1].resource.participant[0]'];
  assert.deepEqual(invariantErrors, [broken, [], broken, [], [], broken]);
});
