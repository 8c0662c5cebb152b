/**
 * How the doc test reads examples (no server): curl command lines to requests, HTTP listings with
 * their status lines, SQL blocks to $sql statements, TypeScript blocks to checked programs, markers,
 * and <id>-style placeholders.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { blockRequests, curlRequests, httpRequests, sqlRequests } from './example-requests.js';
import { markdownBlocks } from './markdown-blocks.js';
import { captureValues, substitute } from './placeholders.js';
import { runTypeScriptBlock, typeScriptProgram } from './typescript-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('curl commands', () => {
  it('reads -X, -H, -d, quotes, escapes, continuations and comments', () => {
    const [create, read, search] = curlRequests([
      `curl -s -X PUT localhost:8080/fhir/Patient/p1 -H 'content-type: application/fhir+json' \\`,
      `  -H 'if-match: W/"3"' -d '{"resourceType":"Patient","id":"p1"}'   # update`,
      'curl -s localhost:8080/fhir/Observation/\\$explain?code=8867-4',
      `curl "http://localhost:8080/fhir/Patient?name=a b" -d "x=\\"y\\""`,
    ].join('\n'), 10);
    assert.deepEqual(create, {
      line: 10, method: 'PUT', url: '/fhir/Patient/p1', body: '{"resourceType":"Patient","id":"p1"}',
      headers: { 'content-type': 'application/fhir+json', 'if-match': 'W/"3"' },
    });
    assert.deepEqual([read.line, read.method, read.url], [12, 'GET', '/fhir/Observation/$explain?code=8867-4']);
    assert.deepEqual([search.method, search.url, search.body], ['POST', '/fhir/Patient?name=a b', 'x="y"']);
  });

  it('sends -u user:password as HTTP Basic, with $VARIABLES expanded as a shell would (not in single quotes)', () => {
    const variables = { ROOT_SECRET: 's3cret' };
    const [plain, braced, quoted] = curlRequests([
      'curl -u root:$ROOT_SECRET localhost:8080/fhir/Patient',
      'curl --user "root:${ROOT_SECRET}" localhost:8080/fhir/Patient',
      `curl -u root:s3cret -X POST localhost:8080/\\$sql -d '$ROOT_SECRET'`,
    ].join('\n'), 1, variables);
    const basic = `Basic ${Buffer.from('root:s3cret').toString('base64')}`;
    assert.deepEqual([plain.headers.authorization, braced.headers.authorization, quoted.headers.authorization], [basic, basic, basic]);
    assert.deepEqual([quoted.url, quoted.body], ['/$sql', '$ROOT_SECRET']);
    assert.throws(() => curlRequests('curl -u root:$OTHER localhost:8080/fhir', 1, variables), /\$OTHER is not set/);
    assert.throws(() => curlRequests('curl -u root localhost:8080/fhir', 1), /user:password/);
  });

  it('refuses other commands and unknown options, so that a block is run or marked', () => {
    assert.throws(() => curlRequests('npm start', 1), /not a curl call/);
    assert.throws(() => curlRequests('curl --unix-socket /x localhost:8080/fhir', 1), /not understood/);
    assert.throws(() => curlRequests('curl https://fhir.example.org/fhir/metadata', 1), /not on localhost/);
  });
});

describe('HTTP listings', () => {
  it('reads requests, headers, bodies and the status the listing shows, and skips the answer listing', () => {
    const requests = httpRequests([
      'POST /fhir/Patient', 'Content-Type: application/json', '', '{ "resourceType": "Patient" }', '',
      '201 Location: /fhir/Patient/1', '{"resourceType": "Patient", "id": "1"}', '',
      'GET /fhir/Patient/1', 'PATCH /Patient/1', '[{"op": "remove", "path": "/active"}]', '', '422',
    ].join('\n'), 5);
    assert.deepEqual(requests.map((r) => [r.line, r.method, r.url, r.status, r.headers['content-type'], r.body]), [
      [5, 'POST', '/fhir/Patient', 201, 'application/json', '{ "resourceType": "Patient" }'],
      [13, 'GET', '/fhir/Patient/1', undefined, undefined, undefined],
      [14, 'PATCH', '/Patient/1', 422, 'application/json', '[{"op": "remove", "path": "/active"}]'],
    ]);
    assert.throws(() => httpRequests('a sentence first\nGET /fhir', 1), /expected a request line/);
  });
});

describe('SQL blocks', () => {
  it('sends each statement to $sql without its comments', () => {
    const statements = sqlRequests('-- two\nSELECT 1\nFROM patient;\n\n-- more\nSELECT 2', 3);
    assert.deepEqual(statements.map((s) => [s.line, s.url, s.body]), [[4, '/$sql', 'SELECT 1\nFROM patient'], [8, '/$sql', 'SELECT 2']]);
  });
});

describe('blocks and markers', () => {
  it('finds fenced blocks with their language and marker, and refuses unmarked blocks that cannot run', () => {
    const blocks = markdownBlocks('x.md', [
      'text', '<!-- no-run: an output listing -->', '```json', '{}', '```', '<!-- request: POST /fhir -->', '```json',
      '{"resourceType": "Bundle"}', '```', '  ```', '  indented', '  ```', '```ts', 'x()', '```',
    ].join('\n'));
    assert.deepEqual(blocks.map((b) => [b.line, b.language, b.marker?.kind, b.text]), [
      [3, 'json', 'no-run', '{}'], [7, 'json', 'request', '{"resourceType": "Bundle"}'], [10, '', undefined, 'indented'], [13, 'ts', undefined, 'x()'],
    ]);
    assert.deepEqual(blockRequests(blocks[1]).map((r) => [r.method, r.url, r.headers['content-type']]), [['POST', '/fhir', 'application/fhir+json']]);
    assert.throws(() => blockRequests(blocks[3]), /mark it/);
  });
});

describe('placeholders', () => {
  it('captures what the server chose, not what the request gave, and substitutes it later', () => {
    const values = new Map<string, string>();
    const sent = { line: 1, method: 'POST', url: '/fhir/$create-storage', headers: {}, body: '{"storageId": "mine"}' };
    captureValues(values, sent, { resourceType: 'Parameters', parameter: [
      { name: 'storageId', valueString: 'mine' }, { name: 'apiId', valueString: 'a-1' }, { name: 'history', valueBoolean: false }, { name: 'status', valueCode: 'done' }] });
    captureValues(values, { ...sent, url: '/fhir/Patient', body: '{}' }, { resourceType: 'Patient', id: 'p-9', meta: { versionId: '4' } });
    assert.deepEqual(Object.fromEntries(values), { apiId: 'a-1', status: 'done', id: 'p-9', versionId: '4' });
    const request = substitute({ line: 2, method: 'GET', url: '/fhir/Patient/<id>', headers: { 'if-match': 'W/"<versionId>"' }, body: '<apiId> <div>' }, values, 'x.md:2');
    assert.deepEqual([request.url, request.headers['if-match'], request.body], ['/fhir/Patient/p-9', 'W/"4"', 'a-1 <div>']);
    assert.throws(() => substitute({ ...request, url: '/fhir/Patient/<storageId>' }, values, 'x.md:3'), /no earlier answer of the page gives <storageId>/);
  });
});

describe('TypeScript blocks', () => {
  const block = [
    "import { evaluateFhirPath } from '../fhirpath/index.js';",
    "const patient = { resourceType: 'Patient', active: true };",
    "evaluateFhirPath(patient, 'active');   // [true]",
    "evaluateFhirPath(patient, 'active.not()');",
    '// [false]',
  ].join('\n');

  it('points module imports at src and turns commented results into checks', () => {
    const program = typeScriptProgram(block, root);
    assert.ok(program.includes(`from 'file://${root}src/fhirpath/index.ts'`));
    assert.ok(program.includes("__assert.deepEqual(evaluateFhirPath(patient, 'active'), [true], \"line 3\");"));
    assert.ok(program.includes("__assert.deepEqual(evaluateFhirPath(patient, 'active.not()'), [false], \"line 4\");"));
  });

  it('runs the block, and fails when a documented result is wrong', async () => {
    await runTypeScriptBlock(block, root);
    await assert.rejects(runTypeScriptBlock(block.replace('[true]', '[false]'), root), /line 3/);
  });
});
