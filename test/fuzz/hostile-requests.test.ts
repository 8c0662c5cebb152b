/**
 * Fuzz test: thousands of generated hostile requests (seeded, hostile-request-generator.ts) sent to
 * one server through inject. No request may answer 5xx, every error answers an OperationOutcome, and
 * the server still reads a resource afterwards. A failure prints the seed and the request, so that
 * FLINT_FUZZ_SEED=<seed> replays it. A larger run: FLINT_FUZZ_REQUESTS=50000 FLINT_FUZZ_SEED=7.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { HostileRequests, type HostileRequest } from './hostile-request-generator.js';

const REQUESTS = Number(process.env.FLINT_FUZZ_REQUESTS ?? 3_000);
const SEED = Number(process.env.FLINT_FUZZ_SEED ?? 20261207);

let flint: TestFlint;
const ids: string[] = [];
/** A resource the requests never name, read at the end. */
let sentinel: string;
before(async () => {
  flint = await startTestFlint({ searchTimeoutMs: 5_000 });
  sentinel = (await flint.post('/fhir/Encounter', { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' } })).body.id;
  for (const body of [{ resourceType: 'Patient', name: [{ family: 'Fuzz' }] }, { resourceType: 'Patient', active: true }]) {
    ids.push((await flint.post('/fhir/Patient', body)).body.id);
  }
  ids.push((await flint.post('/fhir/Observation', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${ids[0]}` } })).body.id);
});
after(async () => { await flint.stop(); });

function decodedBody(payload: Buffer, encoding: unknown): string {
  const decoded = encoding === 'gzip' ? gunzipSync(payload) : encoding === 'br' ? brotliDecompressSync(payload) : encoding === 'deflate' ? inflateSync(payload) : payload;
  return decoded.toString('utf8');
}

function describeRequest(index: number, request: HostileRequest): string {
  const payload = request.payload === undefined ? '' : ` body ${request.payload.length > 400 ? `${request.payload.slice(0, 400)}... (${request.payload.length} chars)` : request.payload}`;
  return `seed ${SEED}, request ${index}: ${request.method} ${request.url.slice(0, 400)} headers ${JSON.stringify(request.headers)}${payload}`;
}

it(`answers ${REQUESTS} hostile requests (seed ${SEED}) without a 5xx, and still serves reads`, async () => {
  const generator = new HostileRequests(SEED, ids);
  const statuses = new Map<number, number>();
  for (let index = 0; index < REQUESTS; index++) {
    const request = generator.next();
    let status: number;
    let body = '';
    try {
      const response = await flint.app.inject({ method: request.method as never, url: request.url, headers: request.headers, payload: request.payload });
      status = response.statusCode;
      body = decodedBody(response.rawPayload, response.headers['content-encoding']);
    } catch (error) {
      assert.fail(`${describeRequest(index, request)} threw ${(error as Error).stack}`);
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    assert.ok(status < 500, `${describeRequest(index, request)} answered ${status}: ${body.slice(0, 500)}`);
    if (status >= 400 && request.method !== 'HEAD') {
      assert.equal(JSON.parse(body).resourceType, 'OperationOutcome', `${describeRequest(index, request)} answered ${status} without an OperationOutcome: ${body.slice(0, 300)}`);
    }
  }
  const read = await flint.get(`/fhir/Encounter/${sentinel}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.id, sentinel);
  if (process.env.FLINT_FUZZ_REPORT === '1') console.log(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
});
