/**
 * The engine's registry as the host of operation contracts: a registered operation's handler gets
 * its input read and checked against its parameters (with the operation's own codes when it has
 * them), and input its definition does not allow never reaches the handler.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FhirError } from '../../src/core/index.js';
import { OperationRegistry, type FhirRequest, type OperationCall } from '../../src/engine/index.js';
import { oneCodeForAll, type OperationHost, type OperationInput } from '../../src/operation/index.js';

function call(query: [string, string][], body?: unknown): OperationCall {
  const request: FhirRequest = { method: 'POST', path: '$echo', query, headers: {}, body, baseUrl: 'http://test/fhir' };
  return { ctx: {} as OperationCall['ctx'], request, route: { interaction: 'operation', operation: 'echo' } };
}

describe('OperationRegistry as host of operation contracts', () => {
  const seen: OperationInput[] = [];
  const registry = new OperationRegistry();
  const host: OperationHost = registry;
  host.register({
    name: 'echo', levels: ['system'], affectsState: true,
    parameters: [{ name: 'word', min: 1, max: 1, type: 'string' }],
    handler: async (_call, input) => {
      seen.push(input);
      return { status: 200, headers: {}, body: { resourceType: 'Parameters', parameter: [{ name: 'word', valueString: input.string('word') }] } };
    },
  });

  it('hands the handler the checked input, from the body or the query', async () => {
    const answer = await registry.find({ interaction: 'operation', operation: 'echo' }, 'POST')
      .handler(call([], { resourceType: 'Parameters', parameter: [{ name: 'word', valueString: 'hello' }] }));
    assert.deepEqual(answer.body?.parameter, [{ name: 'word', valueString: 'hello' }]);
    await registry.find({ interaction: 'operation', operation: 'echo' }, 'POST').handler(call([['word', 'again']]));
    assert.equal(seen.at(-1)?.string('word'), 'again');
  });

  it('refuses input the definition does not allow before the handler runs', async () => {
    const before = seen.length;
    const operation = registry.find({ interaction: 'operation', operation: 'echo' }, 'POST');
    await assert.rejects(operation.handler(call([])), (error: FhirError) => error.code === 'operation.missing-parameter');
    await assert.rejects(operation.handler(call([['word', 'a'], ['colour', 'red']])), (error: FhirError) => error.code === 'operation.unknown-parameter');
    assert.equal(seen.length, before);
  });

  it('uses the codes the operation names', async () => {
    const own = new OperationRegistry();
    const raiser = (args: { detail: string }, options?: object) => new FhirError('unprocessable', 'own.bad-input', args.detail, options);
    own.register({ name: 'echo', levels: ['system'], affectsState: true, parameterErrors: oneCodeForAll(raiser), handler: async () => ({ status: 200, headers: {} }) });
    await assert.rejects(own.find({ interaction: 'operation', operation: 'echo' }, 'POST').handler(call([['word', 'a']])),
      (error: FhirError) => error.code === 'own.bad-input' && error.category === 'unprocessable');
  });
});
