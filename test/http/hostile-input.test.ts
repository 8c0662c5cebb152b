/**
 * Bad input answers 400/404/422 with an OperationOutcome, never 500: NUL characters and unpaired
 * surrogates, JSON nested too deep, searches with too many terms, version ids beyond bigint, a
 * repeated _format, hostile JSON Patch and FHIRPath Patch operations, malformed %-escapes in Bundle
 * entries, names of Object.prototype members wherever a request names something, and $load-package
 * paths that must not tell which server files exist.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, type FhirAnswer, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
let patientId: string;
before(async () => {
  flint = await startTestFlint({ searchMaxTerms: 100 });
  patientId = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true, name: [{ family: 'Hostile' }] })).body.id;
});
after(async () => { await flint.stop(); });

function codeOf(answer: FhirAnswer): string | undefined {
  return answer.body?.issue?.[0]?.details?.coding?.[0]?.code;
}

function assertRefused(answer: FhirAnswer, status: number, code: string): void {
  assert.equal(answer.body?.resourceType, 'OperationOutcome', answer.text.slice(0, 300));
  assert.deepEqual([answer.status, codeOf(answer)], [status, code], answer.text.slice(0, 300));
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const deepExtension = (depth: number): string => `{"url":"http://e.org/x","extension":[${depth > 1 ? deepExtension(depth - 1) : '{"url":"http://e.org/y","valueString":"z"}'}]}`;
const patchHeaders = { contentType: 'application/json-patch+json' };

async function currentPatient(): Promise<unknown> {
  return (await flint.get(`/fhir/Patient/${patientId}`)).body;
}

describe('NUL characters and unpaired surrogates', () => {
  it('refuses a NUL in a search value, a parameter name and an id (400 request.nul-character)', async () => {
    assertRefused(await flint.get('/fhir/Patient?family=a%00b'), 400, 'request.nul-character');
    assertRefused(await flint.get('/fhir/Patient?fam%00ily=a'), 400, 'request.nul-character');
    assertRefused(await flint.get('/fhir/Patient/%00'), 400, 'request.nul-character');
    assertRefused(await flint.delete('/fhir/Patient/a%00b'), 400, 'request.nul-character');
    assertRefused(await flint.post('/fhir/Patient/_search', undefined, { raw: 'family=a%00b', contentType: 'application/x-www-form-urlencoded' }), 400, 'request.nul-character');
  });

  it('refuses \\u0000 and a lone surrogate in a JSON string or member name (400)', async () => {
    assertRefused(await flint.post('/fhir/Patient', undefined, { raw: '{"resourceType":"Patient","name":[{"family":"a\\u0000b"}]}' }), 400, 'request.nul-character');
    assertRefused(await flint.post('/fhir/Patient', undefined, { raw: '{"resourceType":"Patient","name":[{"family":"a\\ud800b"}]}' }), 400, 'request.lone-surrogate');
    assertRefused(await flint.post('/fhir/Patient', undefined, { raw: '{"resourceType":"Patient","x\\udfff":1}' }), 400, 'request.lone-surrogate');
    assertRefused(await flint.put(`/fhir/Patient/${patientId}`, undefined, { raw: `{"resourceType":"Patient","id":"${patientId}","gender":"\\u0000"}` }), 400, 'request.nul-character');
  });

  it('keeps a surrogate pair, written raw or escaped', async () => {
    const created = await flint.post('/fhir/Patient', undefined, { raw: '{"resourceType":"Patient","name":[{"family":"\\ud83d\\ude00 😀"}]}' });
    assert.equal(created.status, 201);
    assert.equal(created.body.name[0].family, '😀 😀');
  });
});

describe('JSON nested too deep', () => {
  it('refuses 10,000 levels in a create, $validate, a transaction and a JSON Patch value (400 json.too-deep)', async () => {
    assertRefused(await flint.post('/fhir/Patient', undefined, { raw: `{"resourceType":"Patient","extension":[${deepExtension(10_000)}]}` }), 400, 'json.too-deep');
    assertRefused(await flint.post('/fhir/Patient/$validate', undefined, { raw: `{"resourceType":"Patient","extension":${nested(10_000)}}` }), 400, 'json.too-deep');
    const entry = `{"resource":{"resourceType":"Patient","extension":[${deepExtension(5_000)}]},"request":{"method":"POST","url":"Patient"}}`;
    assertRefused(await flint.post('/fhir', undefined, { raw: `{"resourceType":"Bundle","type":"transaction","entry":[${entry}]}` }), 400, 'json.too-deep');
    assertRefused(await flint.patch(`/fhir/Patient/${patientId}`, undefined, { ...patchHeaders, raw: `[{"op":"add","path":"/extension","value":${nested(10_000)}}]` }), 400, 'json.too-deep');
    assertRefused(await flint.post('/fhir/$sql', undefined, { raw: `["select $1::jsonb", ${nested(10_000)}]`, contentType: 'application/json' }), 400, 'json.too-deep');
  });

  it('accepts nesting far deeper than real resources (30 levels of extensions)', async () => {
    const created = await flint.post('/fhir/Patient', undefined, { raw: `{"resourceType":"Patient","extension":[${deepExtension(30)}]}` });
    assert.equal(created.status, 201, created.text.slice(0, 300));
  });
});

describe('searches with too many terms', () => {
  const ors = (count: number) => Array.from({ length: count }, (_, i) => `family eq x${i}`).join(' or ');

  it('refuses a _filter of 5,000 ORed tests and name:contains with 5,000 values early (400 too-costly)', async () => {
    const filter = await flint.get(`/fhir/Patient?_filter=${encodeURIComponent(ors(5_000))}`);
    assertRefused(filter, 400, 'search.too-many-terms');
    assert.equal(filter.body.issue[0].code, 'too-costly');
    const values = Array.from({ length: 5_000 }, (_, i) => `x${i}`).join(',');
    assertRefused(await flint.get(`/fhir/Patient?name:contains=${values}`), 400, 'search.too-many-terms');
    assertRefused(await flint.post('/fhir/Patient/_search', undefined, { raw: `_id=${values}`, contentType: 'application/x-www-form-urlencoded' }), 400, 'search.too-many-terms');
  });

  it('counts terms across parameters and still runs a search at the limit', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `x${i}`).join(',');
    assertRefused(await flint.get(`/fhir/Patient?name=${fifty}&family=${fifty},y`), 400, 'search.too-many-terms');
    const atLimit = await flint.get(`/fhir/Patient?_filter=${encodeURIComponent(`${ors(99)} or family eq Hostile`)}`);
    assert.equal(atLimit.status, 200, atLimit.text.slice(0, 300));
    assert.deepEqual(atLimit.body.entry.map((entry: { resource: { id: string } }) => entry.resource.id), [patientId]);
  });
});

describe('deep FHIRPath and long chains', () => {
  it('refuses FHIRPath expressions nested hundreds deep (422 fhirpath.too-deep) in a FHIRPath Patch and a ViewDefinition', async () => {
    const operation = (path: string) => ({ resourceType: 'Parameters', parameter: [{ name: 'operation', part: [
      { name: 'type', valueCode: 'replace' }, { name: 'path', valueString: path }, { name: 'value', valueBoolean: false }] }] });
    assertRefused(await flint.patch(`/fhir/Patient/${patientId}`, operation(`Patient${'.active.not()'.repeat(400)}`)), 422, 'fhirpath.too-deep');
    assertRefused(await flint.patch(`/fhir/Patient/${patientId}`, operation(`Patient.active${' or true'.repeat(400)}`)), 422, 'fhirpath.too-deep');
    const view = { resourceType: 'ViewDefinition', status: 'active', resource: 'Patient', select: [{ column: [{ name: 'x', path: `id${'.not()'.repeat(400)}` }] }] };
    const run = await flint.post('/fhir/ViewDefinition/$run', { resourceType: 'Parameters', parameter: [{ name: 'viewResource', resource: view }] });
    assert.ok(run.status >= 400 && run.status < 500, run.text.slice(0, 300));
    assert.match(run.text, /more than 300 levels/);
  });

  it('refuses chains and nested _has of more than ten links, and thousands of _include or _sort keys (400 too-costly)', async () => {
    assertRefused(await flint.get(`/fhir/Patient?general-practitioner${'.general-practitioner'.repeat(2_000)}=x`), 400, 'search.chain-too-long');
    assertRefused(await flint.get(`/fhir/Patient?${'_has:Patient:link:'.repeat(2_000)}name=x`), 400, 'search.chain-too-long');
    assertRefused(await flint.get(`/fhir/Patient?_sort=${Array.from({ length: 5_000 }, () => 'name').join(',')}`), 400, 'search.too-many-terms');
    assertRefused(await flint.get(`/fhir/Patient?${Array.from({ length: 3_000 }, () => '_include=Patient:link').join('&')}`), 400, 'search.too-many-terms');
  });
});

describe('versions, _format and Bundle entries', () => {
  it('answers 404 for a version beyond bigint', async () => {
    assertRefused(await flint.get(`/fhir/Patient/${patientId}/_history/99999999999999999999`), 404, 'rest.version-not-found');
    assertRefused(await flint.get(`/fhir/Patient/${patientId}/_history/9223372036854775808`), 404, 'rest.version-not-found');
  });

  it('answers 400 for _format or _pretty given twice', async () => {
    assertRefused(await flint.get(`/fhir/Patient/${patientId}?_format=json&_format=xml`), 400, 'http.repeated-parameter');
    assertRefused(await flint.get('/fhir/Patient?_format=json&_format=json'), 400, 'http.repeated-parameter');
    assertRefused(await flint.get('/fhir/metadata?_pretty=true&_pretty=false'), 400, 'http.repeated-parameter');
  });

  it('fails a transaction entry with a malformed %-escape (400, naming the entry) and only that entry of a batch', async () => {
    const entries = [
      { resource: { resourceType: 'Patient', active: false }, request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'GET', url: 'Patient/%' } },
    ];
    const transaction = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: entries });
    assertRefused(transaction, 400, 'request.bad-escape');
    assert.match(transaction.text, /entry|Bundle\.entry\[1\]/);
    const batch = await flint.post('/fhir', { resourceType: 'Bundle', type: 'batch', entry: entries });
    assert.equal(batch.status, 200);
    assert.deepEqual(batch.body.entry.map((entry: { response: { status: string } }) => entry.response.status.slice(0, 3)), ['201', '400']);
    assert.equal(batch.body.entry[1].response.outcome.issue[0].details.coding[0].code, 'request.bad-escape');
  });

  it('answers 400 for a malformed %-escape in the URL path', async () => {
    assertRefused(await flint.get('/fhir/Patient/%E0%A4%A'), 400, 'request.bad-escape');
  });
});

describe('JSON Patch and FHIRPath Patch', () => {
  const jsonPatch = (operations: unknown[]) => flint.patch(`/fhir/Patient/${patientId}`, operations, patchHeaders);

  it('refuses pointers through prototype names, ops named after Object.prototype members and huge indexes (422), and changes nothing', async () => {
    const before = await currentPatient();
    assertRefused(await jsonPatch([{ op: 'add', path: '/__proto__/polluted', value: true }]), 422, 'patch.invalid-path');
    assertRefused(await jsonPatch([{ op: 'add', path: '/constructor/prototype/polluted', value: true }]), 422, 'patch.invalid-path');
    assertRefused(await jsonPatch([{ op: 'copy', from: '/name/0', path: '/name/0/prototype' }]), 422, 'patch.invalid-path');
    assertRefused(await jsonPatch([{ op: 'hasOwnProperty', path: '/active', value: false }]), 422, 'patch.invalid-op');
    assertRefused(await jsonPatch([{ op: 'toString', path: '/active' }]), 422, 'patch.invalid-op');
    assertRefused(await jsonPatch([{ op: 'move', from: '/name/0', path: '/name/100000000000000000000' }]), 422, 'patch.index-out-of-bounds');
    assertRefused(await jsonPatch([{ op: 'copy', from: '/name/0', path: '/name/1e20' }]), 422, 'patch.invalid-array-index');
    assertRefused(await jsonPatch([{ op: 'replace', path: '/active', value: false }, { op: 'add', path: '/__proto__/x', value: 1 }]), 422, 'patch.invalid-path');
    assert.deepEqual(await currentPatient(), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses FHIRPath Patch types named after Object.prototype members (422)', async () => {
    const before = await currentPatient();
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const parameters = { resourceType: 'Parameters', parameter: [{ name: 'operation', part: [{ name: 'type', valueCode: type }, { name: 'path', valueString: 'Patient' }] }] };
      assertRefused(await flint.patch(`/fhir/Patient/${patientId}`, parameters), 422, 'patch.invalid-type');
    }
    assert.deepEqual(await currentPatient(), before);
  });
});

describe('names of Object.prototype members', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];

  it('never answers 5xx, nor treats them as known names', async () => {
    for (const name of NAMES) {
      const requests: [string, string, unknown?, Record<string, string>?][] = [
        ['GET', `/fhir/${name}`], ['GET', `/fhir/${name}/1`], ['POST', `/fhir/${name}`, { resourceType: name }],
        ['POST', '/fhir/Patient', { resourceType: name }], ['GET', `/fhir/Patient/$${name}`], ['POST', `/fhir/$${name}`, {}],
        ['GET', `/fhir/Patient?${name}=1`], ['GET', `/fhir/Patient?name:${name}=1`], ['GET', `/fhir/Patient?_elements=${name}`],
        ['GET', `/fhir/Patient?_sort=${name}`], ['GET', `/fhir/Patient?_include=Patient:${name}`], ['GET', `/fhir/Patient?_include=${name}:x`],
        ['GET', `/fhir/Patient?_revinclude=${name}:x`], ['GET', `/fhir/Patient?general-practitioner:${name}.name=x`],
        ['GET', `/fhir/Patient?_has:${name}:patient:code=x`], ['GET', `/fhir/Patient?_summary=${name}`], ['GET', `/fhir/Patient?_total=${name}`],
        ['GET', `/fhir/Patient?_filter=${name} eq x`], ['GET', `/fhir/Patient?_type=${name}`], ['GET', `/fhir?_type=${name}`],
        ['GET', `/fhir/Patient/${patientId}?_format=${name}`], ['GET', `/fhir/Patient/${patientId}`, undefined, { accept: `application/${name}` }],
        ['GET', '/fhir/Patient', undefined, { prefer: `return=${name}, handling=${name}` }], ['GET', '/fhir/Patient', undefined, { [name.toLowerCase()]: 'x' }],
        ['POST', '/fhir/Patient', { resourceType: 'Patient', [name]: 'x' }], ['POST', '/fhir/Patient', { resourceType: 'Patient', name: [{ [name]: 'x' }] }],
        ['POST', '/fhir/Patient/$validate', { resourceType: 'Patient', meta: { [name]: 1 } }],
        ['POST', '/fhir', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: name, url: 'Patient' } }, { request: { method: 'GET', url: `${name}/1` } }] }],
      ];
      for (const [method, url, body, headers] of requests) {
        const answer = await flint.request(method, url, body, headers ? { headers } : {});
        assert.ok(answer.status < 500, `${method} ${url} ${JSON.stringify(body ?? headers ?? '')}: ${answer.status} ${answer.text.slice(0, 300)}`);
        if (answer.status >= 400) assert.equal(answer.body?.resourceType, 'OperationOutcome', `${method} ${url}`);
      }
      assertRefused(await flint.get(`/fhir/Patient/${patientId}?_format=${name}`), 406, 'http.unsupported-format');
      assertRefused(await flint.post('/fhir/Patient', { resourceType: 'Patient', [name]: 'x' }), 400, 'structure.unknown-element');
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('$load-package paths', () => {
  let scratch: string;
  before(async () => { scratch = await mkdtemp(join(tmpdir(), 'flint-hostile-')); });
  after(async () => { await rm(scratch, { recursive: true, force: true }); });

  const loadPath = (path: string) => flint.post('/fhir/$load-package', { resourceType: 'Parameters', parameter: [{ name: 'path', valueString: path }] });

  it('answers one outcome for a missing file, a folder, a non-package file and a FIFO', async () => {
    await mkdir(join(scratch, 'folder'));
    await writeFile(join(scratch, 'file.txt'), 'not a package');
    execFileSync('mkfifo', [join(scratch, 'fifo')]);
    const answers = await Promise.all(['missing.tgz', 'folder', 'file.txt', 'fifo'].map((name) => loadPath(join(scratch, name))));
    const outcomes = answers.map((answer, index) => ({
      status: answer.status, code: codeOf(answer),
      diagnostics: answer.body.issue[0].diagnostics.replace(join(scratch, ['missing.tgz', 'folder', 'file.txt', 'fifo'][index]), '<path>'),
    }));
    assert.deepEqual(outcomes[0], { status: 400, code: 'package.not-a-package', diagnostics: outcomes[0].diagnostics });
    for (const outcome of outcomes) assert.deepEqual(outcome, outcomes[0]);
  });
});
