/**
 * Decimals keep the text they were written with through every path (FHIR R4 datatypes.html#decimal:
 * "0.010 is regarded as different to 0.01"): create, read, update, JSON Patch, FHIRPath Patch,
 * transaction, the native API, search and _pretty, and in the stored jsonb itself. meta.lastUpdated
 * has milliseconds everywhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function observation(value: string, id?: string): string {
  const idMember = id ? `"id":"${id}",` : '';
  return `{"resourceType":"Observation",${idMember}"status":"final","code":{"text":"weight"},`
    + `"valueQuantity":{"value":${value},"unit":"kg"},"component":[{"code":{"text":"c"},"valueQuantity":{"value":${value}}}]}`;
}

const post = (url: string, text: string, contentType?: string) => flint.request('POST', url, undefined, { raw: text, contentType });
const put = (url: string, text: string) => flint.request('PUT', url, undefined, { raw: text });

async function storedValue(id: string): Promise<string> {
  const { rows } = await flint.testDb.db.query<{ value: string }>(sql`
    SELECT (resource -> 'valueQuantity' -> 'value')::text AS value FROM observation WHERE id = ${id}`);
  return rows[0].value;
}

/** Both values (Observation.valueQuantity and component[0].valueQuantity) are written as `value`. */
function assertKeeps(text: string, value: string): void {
  assert.equal(valueCount(text, value), 2, text);
}

/** How often `"value": <text>` occurs (reads come in the database's JSON style, with a space after the colon). */
function valueCount(text: string, value: string): number {
  return text.split(/"value": ?/).slice(1).filter((rest) => rest.startsWith(value) && !/^[\d.eE+-]/.test(rest.slice(value.length))).length;
}

describe('decimals keep their text', () => {
  // -0.0 is left out: PostgreSQL's numeric has no negative zero and stores 0.0.
  for (const value of ['105.00', '1.0', '0.010', '12345678901234567890.123', '66.899999999999991', '-12.50']) {
    it(`${value}: create, read, the stored jsonb, vread and search`, async () => {
      const created = await post('/fhir/Observation', observation(value));
      assert.equal(created.status, 201, created.text);
      assertKeeps(created.text, value);
      const { id, meta } = created.body;
      assert.equal(await storedValue(id), value);
      assertKeeps((await flint.get(`/fhir/Observation/${id}`)).text, value);
      assertKeeps((await flint.get(`/fhir/Observation/${id}/_history/${meta.versionId}`)).text, value);
      const found = await flint.get(`/fhir/Observation?_id=${id}`);
      assert.equal(found.body.total, 1);
      assertKeeps(found.text, value);
    });
  }

  it('update and _pretty', async () => {
    const updated = await put('/fhir/Observation/dec-update', observation('2.50', 'dec-update'));
    assert.equal(updated.status, 201, updated.text);
    const again = await put('/fhir/Observation/dec-update', observation('7.000', 'dec-update'));
    assert.equal(again.status, 200, again.text);
    assertKeeps(again.text, '7.000');
    const pretty = await flint.get('/fhir/Observation/dec-update?_pretty=true');
    assert.equal(pretty.text.split('"value": 7.000').length - 1, 2, pretty.text);
    assert.ok(pretty.text.includes('\n  "status": "final"'), pretty.text);
    assert.equal(await storedValue('dec-update'), '7.000');
  });

  it('search by value finds it and answers the text', async () => {
    await put('/fhir/Observation/dec-search', observation('105.00', 'dec-search'));
    const found = await flint.get('/fhir/Observation?value-quantity=105&_id=dec-search');
    assert.equal(found.body.total, 1);
    assertKeeps(found.text, '105.00');
  });

  it('JSON Patch: replaced and added values keep their text, untouched ones stay', async () => {
    await put('/fhir/Observation/dec-json-patch', observation('1.0', 'dec-json-patch'));
    const patch = '[{"op":"replace","path":"/valueQuantity/value","value":3.10},'
      + '{"op":"add","path":"/referenceRange","value":[{"low":{"value":0.50},"high":{"value":9.90}}]}]';
    const patched = await flint.request('PATCH', '/fhir/Observation/dec-json-patch', undefined, { raw: patch, contentType: 'application/json-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    const read = (await flint.get('/fhir/Observation/dec-json-patch')).text;
    assert.equal(valueCount(read, '3.10'), 1, read);
    assert.equal(valueCount(read, '1.0'), 1, read);
    assert.equal(valueCount(read, '0.50') + valueCount(read, '9.90'), 2, read);
  });

  it('FHIRPath Patch: a decimal value keeps its text', async () => {
    await put('/fhir/Observation/dec-fhirpath-patch', observation('1.0', 'dec-fhirpath-patch'));
    const parameters = '{"resourceType":"Parameters","parameter":[{"name":"operation","part":['
      + '{"name":"type","valueCode":"replace"},{"name":"path","valueString":"Observation.valueQuantity.value"},'
      + '{"name":"value","valueDecimal":0.010}]}]}';
    const patched = await flint.request('PATCH', '/fhir/Observation/dec-fhirpath-patch', undefined, { raw: parameters });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(await storedValue('dec-fhirpath-patch'), '0.010');
  });

  it('transaction: entries keep their text through urn:uuid rewriting, lastUpdated has milliseconds', async () => {
    const bundle = '{"resourceType":"Bundle","type":"transaction","entry":['
      + '{"fullUrl":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a","resource":{"resourceType":"Patient","active":true},'
      + '"request":{"method":"POST","url":"Patient"}},'
      + `{"resource":${observation('105.00').replace('"status"', '"subject":{"reference":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a"},"status"')},`
      + '"request":{"method":"POST","url":"Observation"}}]}';
    const answer = await post('/fhir', bundle);
    assert.equal(answer.status, 200, answer.text);
    const entry = answer.body.entry[1];
    assert.match(entry.response.lastModified, INSTANT);
    const id = /Observation\/([^/]+)/.exec(entry.response.location)![1];
    const read = await flint.get(`/fhir/Observation/${id}`);
    assertKeeps(read.text, '105.00');
    assert.equal(read.body.meta.lastUpdated, entry.response.lastModified);
    assert.equal(await storedValue(id), '105.00');
  });

  it('the native API (Aidbox format) keeps the text both ways', async () => {
    const aidbox = '{"resourceType":"Observation","id":"dec-native","status":"final","code":{"text":"w"},'
      + '"value":{"Quantity":{"value":105.00,"unit":"kg"}}}';
    const created = await flint.request('PUT', '/Observation/dec-native', undefined, { raw: aidbox, contentType: 'application/json' });
    assert.ok(created.status === 201 || created.status === 200, created.text);
    assert.equal(valueCount(created.text, '105.00'), 1, created.text);
    assert.equal(await storedValue('dec-native'), '105.00');
    const native = await flint.get('/Observation/dec-native');
    assert.ok(native.text.includes('"Quantity":{'), native.text);
    assert.equal(valueCount(native.text, '105.00'), 1, native.text);
    const fhir = await flint.get('/fhir/Observation/dec-native');
    assert.ok(/"valueQuantity": ?\{/.test(fhir.text), fhir.text);
    assert.equal(valueCount(fhir.text, '105.00'), 1, fhir.text);
  });

  it('malformed JSON is still 400 http.malformed-json', async () => {
    const answer = await post('/fhir/Observation', '{"resourceType":"Observation","valueQuantity":{"value":1.0,}}');
    assert.equal(answer.status, 400);
    assert.equal(answer.body.issue[0].details.coding[0].code, 'http.malformed-json');
  });
});

describe('meta.lastUpdated', () => {
  it('has milliseconds in create, read, history and search answers', async () => {
    const created = await put('/fhir/Observation/dec-instant', observation('1', 'dec-instant'));
    assert.match(created.body.meta.lastUpdated, INSTANT);
    const read = await flint.get('/fhir/Observation/dec-instant');
    assert.equal(read.body.meta.lastUpdated, created.body.meta.lastUpdated);
    const history = await flint.get('/fhir/Observation/dec-instant/_history');
    assert.equal(history.body.entry[0].resource.meta.lastUpdated, created.body.meta.lastUpdated);
    const found = await flint.get('/fhir/Observation?_id=dec-instant');
    assert.equal(found.body.entry[0].resource.meta.lastUpdated, created.body.meta.lastUpdated);
  });
});
