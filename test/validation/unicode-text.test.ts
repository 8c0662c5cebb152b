/**
 * Text in any script, with any Unicode space, is valid FHIR (both databases): the string, code and
 * uri patterns are XML Schema regular expressions, where only space, tab, newline and carriage
 * return are white space. Names in several scripts and the R4 example
 * DiagnosticReport-gingival-mass (a no-break space in a display) are stored and read back as sent.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const EXAMPLES = join(import.meta.dirname, '..', 'fixtures', 'fhir-r4-examples', 'examples.ndjson.gz');

/** [family, given, text] in several scripts, with ideographic, no-break, narrow no-break and thin spaces. */
const NAMES: [string, string, string][] = [
  ['山田', '太郎', '山田\u3000太郎'],
  ['王', '小明', '王\u3000小明'],
  ['김', '민준', '김 민준'],
  ['عبد الله', 'محمد', 'محمد\u00a0عبد الله'],
  ['כהן', 'דוד', 'דוד כהן'],
  ['Петров', 'Иван', 'Иван\u202fПетров'],
  ['Παπαδόπουλος', 'Γιώργος', 'Γιώργος\u2009Παπαδόπουλος'],
  ['शर्मा', 'अनिल', 'अनिल शर्मा'],
  ['Dupont', 'Jean-Luc', 'Jean-Luc\u00a0Dupont'],
];

describe('text in any script', () => {
  for (const [family, given, text] of NAMES) {
    it(`is accepted and read back: ${text}`, async () => {
      const created = await flint.post('/fhir/Patient', {
        resourceType: 'Patient', name: [{ text, family, given: [given] }], address: [{ city: `${given}\u3000市` }],
        identifier: [{ system: 'http://example.org/ids', value: `${family}\u00a0${given}` }],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const read = await flint.get(`/fhir/Patient/${created.body.id}`);
      assert.deepEqual(read.body.name, [{ text, family, given: [given] }]);
    });
  }

  it('is accepted in codes and uris where XML Schema counts the space as text', async () => {
    const answer = await flint.post('/fhir/Basic', {
      resourceType: 'Basic', code: { coding: [{ system: 'http://example.org/codes\u00a0local', code: '山田\u3000太郎' }] },
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
  });

  it('with white space where a code may have none is still refused', async () => {
    const answer = await flint.post('/fhir/Basic', { resourceType: 'Basic', code: { coding: [{ code: ' leading' }] } });
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['structure.invalid-primitive']);
  });

  it('includes the R4 example DiagnosticReport-gingival-mass, with its no-break space', async () => {
    const lines = gunzipSync(readFileSync(EXAMPLES)).toString('utf8').split('\n');
    const example = JSON.parse(lines.find((line) => line.includes('"id":"gingival-mass"')) as string).resource;
    assert.ok(JSON.stringify(example).includes('\u00a0'));
    const stored = await flint.put(`/fhir/DiagnosticReport/${example.id}`, example);
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    const read = await flint.get(`/fhir/DiagnosticReport/${example.id}`);
    assert.equal(read.body.resultsInterpreter[0].display, example.resultsInterpreter[0].display);
  });
});
