/**
 * The operation reader (src/operation/parameters-reader.ts): parameters from the query string and
 * from a Parameters body, checked against the operation's definition: cardinality (min, max),
 * value types, unknown and unnamed parameters, a resource body for the one resource parameter, and
 * the codes of a module that has its own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FhirError, type QueryParams } from '../../src/core/index.js';
import { oneCodeForAll, operationErrors, readOperationInput, type InputDefinition } from '../../src/operation/index.js';

const definition: InputDefinition = {
  parameters: [
    { name: 'code', min: 1, max: 1, type: 'code', alsoAccepts: ['string'] },
    { name: 'count', min: 0, max: 1, type: 'positiveInt' },
    { name: 'flag', min: 0, max: 1, type: 'boolean' },
    { name: 'subject', min: 0, max: '*', type: 'Reference' },
    { name: 'pair', min: 0, max: 2, type: 'string' },
    { name: 'resource', min: 0, max: 1, type: 'Resource' },
  ],
};

function parameters(...parameter: object[]) {
  return { resourceType: 'Parameters', parameter };
}

function read(body: unknown, query: QueryParams = [], def: InputDefinition = definition) {
  return readOperationInput(def, { query, body });
}

/** The code and expression of the error the reader throws. */
function failure(run: () => unknown): { code: string; expression?: string[]; status: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof FhirError, String(error));
    return { code: error.code, expression: error.issues[0].expression, status: error.category };
  }
  assert.fail('the reader accepted the input');
}

describe('the operation reader: body', () => {
  it('reads typed values of a Parameters body', () => {
    const input = read(parameters(
      { name: 'code', valueCode: 'status' }, { name: 'count', valuePositiveInt: 3 }, { name: 'flag', valueBoolean: false },
      { name: 'subject', valueReference: { reference: 'Patient/1' } }, { name: 'subject', valueReference: { reference: 'Patient/2' } },
    ));
    assert.equal(input.string('code'), 'status');
    assert.equal(input.number('count'), 3);
    assert.equal(input.boolean('flag'), false);
    assert.deepEqual(input.all('subject'), [{ reference: 'Patient/1' }, { reference: 'Patient/2' }]);
    assert.equal(input.has('pair'), false);
  });

  it('accepts the further types a parameter allows, and no others', () => {
    assert.equal(read(parameters({ name: 'code', valueString: 'status' })).string('code'), 'status');
    const wrong = failure(() => read(parameters({ name: 'code', valueUri: 'status' })));
    assert.deepEqual(wrong, { code: 'operation.invalid-parameter', expression: ['code'], status: 'invalid' });
  });

  it('refuses a value of the wrong JSON type, an empty string, a number out of range, two values in one entry', () => {
    for (const entry of [
      { name: 'code', valueCode: '' },
      { name: 'code', valueCode: 7 },
      { name: 'flag', valueBoolean: 'true' },
      { name: 'count', valuePositiveInt: 0 },
      { name: 'count', valuePositiveInt: 1.5 },
      { name: 'code', valueCode: 'a', valueString: 'b' },
    ]) {
      const others = entry.name === 'code' ? [] : [{ name: 'code', valueCode: 'x' }];
      const problem = failure(() => read(parameters(...others, entry)));
      assert.equal(problem.code, 'operation.invalid-parameter', JSON.stringify(entry));
      assert.deepEqual(problem.expression, [entry.name]);
    }
  });

  it('refuses an unknown parameter and an unnamed one', () => {
    assert.deepEqual(failure(() => read(parameters({ name: 'code', valueCode: 'x' }, { name: 'colour', valueString: 'red' }))),
      { code: 'operation.unknown-parameter', expression: ['colour'], status: 'invalid' });
    assert.deepEqual(failure(() => read(parameters({ valueString: 'red' }))),
      { code: 'operation.invalid-parameter', expression: ['Parameters.parameter'], status: 'invalid' });
  });

  it('keeps to max: once for max 1, up to the count for a number, any number for *', () => {
    assert.deepEqual(failure(() => read(parameters({ name: 'code', valueCode: 'a' }, { name: 'code', valueCode: 'b' }))),
      { code: 'operation.repeated-parameter', expression: ['code'], status: 'invalid' });
    const two = read(parameters({ name: 'code', valueCode: 'a' }, { name: 'pair', valueString: '1' }, { name: 'pair', valueString: '2' }));
    assert.deepEqual(two.strings('pair'), ['1', '2']);
    assert.equal(failure(() => read(parameters({ name: 'code', valueCode: 'a' },
      { name: 'pair', valueString: '1' }, { name: 'pair', valueString: '2' }, { name: 'pair', valueString: '3' }))).code, 'operation.repeated-parameter');
  });

  it('keeps to min: a required parameter missing from body and query', () => {
    assert.deepEqual(failure(() => read(parameters({ name: 'flag', valueBoolean: true }))),
      { code: 'operation.missing-parameter', expression: ['code'], status: 'invalid' });
    assert.equal(failure(() => read(undefined)).code, 'operation.missing-parameter');
  });

  it('takes a resource in resource, or as the whole body for the one resource parameter', () => {
    const patient = { resourceType: 'Patient', id: 'p' };
    assert.deepEqual(read(parameters({ name: 'code', valueCode: 'x' }, { name: 'resource', resource: patient })).resource('resource'), patient);
    assert.deepEqual(read(patient, [['code', 'x']]).resource('resource'), patient);
    assert.equal(failure(() => read(parameters({ name: 'code', valueCode: 'x' }, { name: 'resource', valueString: 'Patient/p' }))).code, 'operation.invalid-parameter');
  });

  it('refuses a body that is not Parameters when no single resource parameter takes it', () => {
    const noResource: InputDefinition = { parameters: [{ name: 'code', min: 0, max: 1, type: 'code' }] };
    assert.deepEqual(failure(() => read({ resourceType: 'Patient' }, [], noResource)),
      { code: 'operation.not-parameters', expression: ['Parameters'], status: 'invalid' });
    assert.equal(failure(() => read([1, 2], [], noResource)).code, 'operation.not-parameters');
    assert.deepEqual(failure(() => read({ resourceType: 'Parameters', parameter: {} }, [], noResource)).expression, ['Parameters.parameter']);
  });
});

describe('the operation reader: query string', () => {
  it('reads query values as their types, before the body values', () => {
    const input = read(parameters({ name: 'subject', valueReference: { reference: 'Patient/2' } }),
      [['code', 'status'], ['count', '2'], ['flag', 'true'], ['subject', 'Patient/1']]);
    assert.equal(input.string('code'), 'status');
    assert.equal(input.number('count'), 2);
    assert.equal(input.boolean('flag'), true);
    assert.deepEqual(input.all('subject'), [{ reference: 'Patient/1' }, { reference: 'Patient/2' }]);
  });

  it('refuses query text that is not of the type, and a resource in the URL', () => {
    for (const [name, text] of [['flag', 'yes'], ['count', '0'], ['count', 'two'], ['code', ''], ['resource', 'Patient/1']]) {
      const query: QueryParams = name === 'code' ? [[name, text]] : [['code', 'x'], [name, text]];
      const problem = failure(() => read(undefined, query));
      assert.equal(problem.code, 'operation.invalid-parameter', `${name}=${text}`);
      assert.deepEqual(problem.expression, [name]);
    }
  });

  it('counts a parameter given in the query and in the body together', () => {
    assert.equal(failure(() => read(parameters({ name: 'code', valueCode: 'b' }), [['code', 'a']])).code, 'operation.repeated-parameter');
  });

  it('refuses an unknown query parameter, but not the general ones (_format, _pretty...)', () => {
    assert.equal(failure(() => read(undefined, [['code', 'x'], ['colour', 'red']])).code, 'operation.unknown-parameter');
    assert.equal(read(undefined, [['code', 'x'], ['_pretty', 'true'], ['_format', 'json']]).string('code'), 'x');
  });

  it('leaves other query parameters to an operation with an open query (the search of $explain)', () => {
    const open: InputDefinition = { parameters: [{ name: 'analyze', min: 0, max: 1, type: 'boolean' }], openQuery: true };
    assert.equal(read(undefined, [['code', '8867-4'], ['analyze', 'true']], open).boolean('analyze'), true);
  });
});

describe('the operation reader: codes of a module', () => {
  it('raises the codes the operation gives, with the same wording', () => {
    const raiser = operationErrors['operation.invalid-parameter'];
    const own = { ...definition, parameterErrors: oneCodeForAll((args, options) => new FhirError('unprocessable', 'own.bad-input', raiser(args).message, options)) };
    for (const body of [parameters(), parameters({ name: 'colour', valueString: 'red' }), { resourceType: 'Patient', id: 'p', extra: [] }]) {
      const problem = failure(() => read(body, [], { ...own, parameters: own.parameters?.filter((p) => p.name !== 'resource') }));
      assert.equal(problem.code, 'own.bad-input');
      assert.equal(problem.status, 'unprocessable');
    }
  });
});
