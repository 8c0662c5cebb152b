/**
 * Leak check: the JS heap (after a full garbage collection) after a warm-up load, after a second
 * equal load, and after a moment of idle. A server that keeps something per request (a cache without
 * bound, listeners, timers, compiled queries) grows with each load; Flint's heap must stay within a
 * generous bound. No time is measured. FLINT_LEAK_REPORT=1 prints the figures.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, it } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { HostileRequests } from './hostile-request-generator.js';

const ROUNDS = 30;
/** Heap growth allowed from the end of the warm-up to the end of the second load (and after idle). */
const MAX_GROWTH_MB = 12;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

/** One round: a create, a read, an update, a search, a small transaction, a history and two hostile requests. */
async function round(index: number, hostile: HostileRequests): Promise<void> {
  const created = await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: `Leak${index}`, given: ['A'] }], birthDate: '1980-01-01' });
  assert.equal(created.status, 201);
  const id = created.body.id as string;
  assert.equal((await flint.get(`/fhir/Patient/${id}`)).status, 200);
  assert.equal((await flint.put(`/fhir/Patient/${id}`, { resourceType: 'Patient', id, active: index % 2 === 0, name: [{ family: `Leak${index}` }] })).status, 200);
  assert.equal((await flint.get(`/fhir/Patient?family=Leak${index}&_count=5`)).status, 200);
  const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [
    { fullUrl: 'urn:uuid:0b3c6a55-0d7e-4d1b-9d39-5d0e6f0a1c01', resource: { resourceType: 'Patient', active: true }, request: { method: 'POST', url: 'Patient' } },
    { resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:0b3c6a55-0d7e-4d1b-9d39-5d0e6f0a1c01' } }, request: { method: 'POST', url: 'Observation' } },
  ] };
  assert.equal((await flint.post('/fhir', bundle)).status, 200);
  assert.equal((await flint.get(`/fhir/Patient/${id}/_history`)).status, 200);
  for (let i = 0; i < 2; i++) {
    const request = hostile.next();
    const response = await flint.app.inject({ method: request.method as never, url: request.url, headers: request.headers, payload: request.payload });
    assert.ok(response.statusCode < 500);
  }
}

async function load(from: number, hostile: HostileRequests): Promise<void> {
  for (let index = from; index < from + ROUNDS; index++) await round(index, hostile);
}

function heapMb(): { heap: number; rss: number } {
  for (let i = 0; i < 3; i++) collectGarbage();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed / 2 ** 20, rss: usage.rss / 2 ** 20 };
}

it('keeps the heap within a bound over a second equal load and after idle', async (t) => {
  const hostile = new HostileRequests(99, []);
  const start = heapMb();
  await load(0, hostile);
  const warm = heapMb();
  await load(ROUNDS, hostile);
  const second = heapMb();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const idle = heapMb();
  const figures = `heap MB: start ${start.heap.toFixed(1)}, after warm-up ${warm.heap.toFixed(1)}, after second load ${second.heap.toFixed(1)}, after idle ${idle.heap.toFixed(1)}; `
    + `rss MB: ${start.rss.toFixed(0)}, ${warm.rss.toFixed(0)}, ${second.rss.toFixed(0)}, ${idle.rss.toFixed(0)} (${ROUNDS} rounds of 9 requests per load)`;
  if (process.env.FLINT_LEAK_REPORT === '1') t.diagnostic(figures);
  assert.ok(second.heap - warm.heap < MAX_GROWTH_MB, figures);
  assert.ok(idle.heap - warm.heap < MAX_GROWTH_MB, figures);
});
