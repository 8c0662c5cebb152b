/**
 * The size limits of writes (FLINT_MAX_ARRAY_LENGTH, FLINT_BUNDLE_MAX_ENTRIES): an array longer
 * than the limit anywhere in a resource, and a Bundle with more entries than the limit, are
 * refused with 413 and a stable code before anything is written; input at the limit is accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

const MAX_ARRAY = 10;
const MAX_ENTRIES = 5;
let flint: TestFlint;
before(async () => { flint = await startTestFlint({ maxArrayLength: MAX_ARRAY, bundleMaxEntries: MAX_ENTRIES }); });
after(async () => { await flint.stop(); });

const identifiers = (count: number, value: string) => Array.from({ length: count }, (_, i) => ({ system: 'urn:size', value: `${value}-${i}` }));
const patient = (count: number, value: string) => ({ resourceType: 'Patient', identifier: identifiers(count, value) });
const postEntry = (resource: unknown) => ({ request: { method: 'POST', url: 'Patient' }, resource });

async function countOf(value: string): Promise<number> {
  return (await flint.get(`/fhir/Patient?identifier=urn:size|${value}-0&_summary=count`)).body.total;
}

describe('size limits of writes', () => {
  it('accepts an array at the limit and refuses a longer one, also nested, with 413', async () => {
    assert.equal((await flint.post('/fhir/Patient', patient(MAX_ARRAY, 'at'))).status, 201);
    const long = await flint.post('/fhir/Patient', patient(MAX_ARRAY + 1, 'over'));
    assert.equal(long.status, 413, long.text);
    assert.deepEqual(issueCodes(long.body), ['resource.array-too-long']);
    assert.equal(await countOf('over'), 0);
    const given = Array.from({ length: MAX_ARRAY + 1 }, (_, i) => `G${i}`);
    const nested = await flint.put('/fhir/Patient/nested', { resourceType: 'Patient', id: 'nested', name: [{ family: 'F', given }] });
    assert.equal(nested.status, 413, nested.text);
    assert.deepEqual(issueCodes(nested.body), ['resource.array-too-long']);
  });

  it('refuses a patch whose result has a longer array', async () => {
    const created = (await flint.post('/fhir/Patient', patient(MAX_ARRAY, 'patch'))).body;
    const answer = await flint.patch(`/fhir/Patient/${created.id}`, [{ op: 'add', path: '/identifier/-', value: { value: 'one more' } }],
      { contentType: 'application/json-patch+json' });
    assert.equal(answer.status, 413, answer.text);
    assert.deepEqual(issueCodes(answer.body), ['resource.array-too-long']);
  });

  it('refuses a transaction with a long array in any entry before writing any of them', async () => {
    const answer = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction',
      entry: [postEntry(patient(1, 'tx-first')), postEntry(patient(MAX_ARRAY + 1, 'tx-long'))] });
    assert.equal(answer.status, 413, answer.text);
    assert.deepEqual(issueCodes(answer.body), ['resource.array-too-long']);
    assert.equal(await countOf('tx-first'), 0);
  });

  for (const type of ['transaction', 'batch']) {
    it(`accepts a ${type} Bundle at the entry limit and refuses a larger one with 413`, async () => {
      const entries = (value: string, count: number) => Array.from({ length: count }, (_, i) => postEntry(patient(1, `${value}${i}`)));
      const atLimit = await flint.post('/fhir', { resourceType: 'Bundle', type, entry: entries(`${type}-at`, MAX_ENTRIES) });
      assert.equal(atLimit.status, 200, atLimit.text);
      const over = await flint.post('/fhir', { resourceType: 'Bundle', type, entry: entries(`${type}-over`, MAX_ENTRIES + 1) });
      assert.equal(over.status, 413, over.text);
      assert.deepEqual(issueCodes(over.body), ['bundle.too-many-entries']);
      assert.equal(await countOf(`${type}-over0`), 0);
    });
  }
});
