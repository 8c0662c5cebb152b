/**
 * Logs: one JSON line per request with request id, method, path, status and duration; an
 * unexpected error answers 500 with an OperationOutcome whose id is also in the log.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
const lines: any[] = [];
before(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk) => String(chunk).split('\n').filter(Boolean).forEach((line) => lines.push(JSON.parse(line))));
  flint = await startTestFlint({ logLevel: 'info' }, stream);
  flint.ctx.operations.register({
    name: 'explode', levels: ['system'], affectsState: false,
    handler: async () => { throw new Error('boom'); },
  });
});
after(async () => { await flint.stop(); });

describe('request logs', () => {
  it('write one line per request with id, method, path, status and duration', async () => {
    const answer = await flint.get('/fhir/Patient/nobody?_pretty=true');
    const line = lines.find((entry) => entry.reqId === answer.headers['x-request-id'] && entry.msg === 'request');
    assert.ok(line);
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/fhir/Patient/nobody');
    assert.equal(line.status, 404);
    assert.equal(typeof line.durationMs, 'number');
  });

  it('answer unexpected errors with 500 and an id that is in the log', async () => {
    const answer = await flint.get('/fhir/$explode');
    assert.equal(answer.status, 500);
    assert.deepEqual(issueCodes(answer.body), ['http.internal-error']);
    const errorId = answer.body.id;
    assert.ok(answer.body.issue[0].diagnostics.includes(errorId));
    const logged = lines.find((entry) => entry.errorId === errorId);
    assert.ok(logged);
    assert.equal(logged.err.message, 'boom');
  });
});
