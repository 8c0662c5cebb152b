/**
 * Passwords and client secrets are written through the API like any field, but no answer ever holds
 * them or their hashes: not the write's answer, read, vread, search, history (instance, type,
 * system), _include, the native API, nor $sql over the resource tables ($sql cannot read the
 * credential and key tables at all). flint_credential keeps an
 * scrypt hash; a write without the secret keeps it, a write with a new one replaces it (the old one
 * stops working at once), a PATCH adding one hashes it, and a delete removes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readCredential, verifySecret } from '../../src/access/index.js';
import { sql } from '../../src/sql/index.js';
import { startTestFlint, type FhirAnswer, type TestFlint } from '../support/test-server.js';
import { basic, allowEveryone } from './access-helpers.js';

const PASSWORD = 'correct-horse-battery-staple';
const SECRET = 'lab-app-secret-0123456789';

let flint: TestFlint;
let userId: string;
const answers: [string, FhirAnswer][] = [];

before(async () => {
  flint = await startTestFlint();
  await allowEveryone(flint);
});
after(async () => { await flint.stop(); });

async function keep(what: string, answer: Promise<FhirAnswer>): Promise<FhirAnswer> {
  const kept = await answer;
  assert.ok(kept.status < 300, `${what}: ${kept.status} ${kept.text.slice(0, 300)}`);
  answers.push([what, kept]);
  return kept;
}

/** Whether a Basic request with the client's id and this secret is served. */
async function works(clientId: string, secret: string): Promise<boolean> {
  return (await flint.get('/fhir/Patient?_count=1', { headers: { authorization: basic(clientId, secret) } })).status === 200;
}

describe('a User with a password and a Client with a secret', () => {
  it('are stored with the secret hashed in flint_credential (scrypt), never in the resource', async () => {
    const user = await keep('create User', flint.post('/fhir/User', { resourceType: 'User', email: 'ada@example.org', password: PASSWORD }));
    userId = user.body.id;
    await keep('create Client', flint.put('/fhir/Client/lab-app', { resourceType: 'Client', id: 'lab-app', secret: SECRET, grant_types: ['basic'] }));
    await keep('create Role', flint.post('/fhir/Role', { resourceType: 'Role', name: 'clerk', user: { reference: `User/${userId}` } }));
    const userHash = await readCredential(flint.db, 'User', userId);
    const clientHash = await readCredential(flint.db, 'Client', 'lab-app');
    assert.match(userHash ?? '', /^scrypt\$/);
    assert.match(clientHash ?? '', /^scrypt\$/);
    assert.equal(await verifySecret(PASSWORD, userHash!), true);
    assert.equal(await verifySecret(SECRET, clientHash!), true);
    assert.equal(await works('lab-app', SECRET), true);
  });

  it('are answered without the secret or its hash by every read path', async () => {
    const versionOf = async (path: string) => (await flint.get(path)).body.meta.versionId as string;
    await keep('read User', flint.get(`/fhir/User/${userId}`));
    await keep('vread User', flint.get(`/fhir/User/${userId}/_history/${await versionOf(`/fhir/User/${userId}`)}`));
    await keep('read Client', flint.get('/fhir/Client/lab-app'));
    await keep('vread Client', flint.get(`/fhir/Client/lab-app/_history/${await versionOf('/fhir/Client/lab-app')}`));
    await keep('search User', flint.get('/fhir/User?email=ada@example.org'));
    await keep('search Client', flint.get('/fhir/Client?_id=lab-app'));
    await keep('instance history', flint.get('/fhir/Client/lab-app/_history'));
    await keep('type history', flint.get('/fhir/User/_history'));
    await keep('system history', flint.get('/fhir/_history'));
    await keep('_include', flint.get('/fhir/Role?_include=Role:user'));
    await keep('_revinclude', flint.get(`/fhir/User?_id=${userId}&_revinclude=Role:user`));
    await keep('native read', flint.get('/Client/lab-app'));
    await keep('native search', flint.get('/User'));
    await keep('$sql over client', flint.post('/$sql', undefined, { raw: 'SELECT * FROM client', contentType: 'text/plain' }));
    await keep('$sql over user', flint.post('/$sql', undefined, { raw: 'SELECT * FROM "user"', contentType: 'text/plain' }));
    for (const table of ['flint_credential', 'flint_signing_key']) {
      const refused = await flint.post('/$sql', undefined, { raw: `SELECT * FROM ${table}`, contentType: 'text/plain' });
      assert.ok(refused.status >= 400, `$sql read ${table}: ${refused.text.slice(0, 200)}`);
      answers.push([`$sql over ${table}`, refused]);
    }
    const included = answers.find(([what]) => what === '_include')![1];
    assert.ok(included.body.entry.some((entry: any) => entry.resource.resourceType === 'User'), 'the _include did include the User');
    assert.ok(answers.find(([what]) => what === '$sql over client')![1].text.includes('lab-app'), '$sql saw the client');
    await assertNoSecrets();
  });

  it('keep the secret when written without it, and replace it when written with a new one', async () => {
    const before = await readCredential(flint.db, 'Client', 'lab-app');
    await keep('update without secret', flint.put('/fhir/Client/lab-app', { resourceType: 'Client', id: 'lab-app', grant_types: ['basic'], description: 'lab' }));
    assert.equal(await readCredential(flint.db, 'Client', 'lab-app'), before);
    assert.equal(await works('lab-app', SECRET), true);
    await keep('update with a new secret', flint.put('/fhir/Client/lab-app', { resourceType: 'Client', id: 'lab-app', grant_types: ['basic'], secret: 'rotated-secret-9876' }));
    assert.notEqual(await readCredential(flint.db, 'Client', 'lab-app'), before);
    assert.equal(await works('lab-app', SECRET), false);
    assert.equal(await works('lab-app', 'rotated-secret-9876'), true);
    await assertNoSecrets(['rotated-secret-9876']);
  });

  it('hash a secret that a PATCH adds', async () => {
    await keep('create a Client without secret', flint.put('/fhir/Client/patched', { resourceType: 'Client', id: 'patched', grant_types: ['basic'] }));
    assert.equal(await readCredential(flint.db, 'Client', 'patched'), undefined);
    assert.equal(await works('patched', 'patched-secret-555'), false);
    await keep('PATCH adding a secret', flint.patch('/fhir/Client/patched', [{ op: 'add', path: '/secret', value: 'patched-secret-555' }], { contentType: 'application/json-patch+json' }));
    assert.match(await readCredential(flint.db, 'Client', 'patched') ?? '', /^scrypt\$/);
    assert.equal(await works('patched', 'patched-secret-555'), true);
    await keep('read the patched Client', flint.get('/fhir/Client/patched'));
    await assertNoSecrets(['patched-secret-555']);
  });

  it('lose the secret with the resource', async () => {
    await keep('delete Client', flint.delete('/fhir/Client/lab-app'));
    await keep('delete User', flint.delete(`/fhir/User/${userId}`));
    assert.equal(await readCredential(flint.db, 'Client', 'lab-app'), undefined);
    assert.equal(await readCredential(flint.db, 'User', userId), undefined);
    assert.equal(await works('lab-app', 'rotated-secret-9876'), false);
  });
});

/** No answer so far holds a secret, a hash, or a field named after them. */
async function assertNoSecrets(more: string[] = []): Promise<void> {
  const { rows } = await flint.db.query<{ secret_hash: string }>(sql`SELECT secret_hash FROM flint_credential`);
  const hashes = rows.flatMap((row) => [row.secret_hash, row.secret_hash.split('$').at(-1)!]);
  assert.ok(hashes.length >= 2);
  for (const [what, answer] of answers) {
    for (const secret of [PASSWORD, SECRET, ...more, ...hashes]) assert.equal(answer.text.includes(secret), false, `${what} holds a secret or a hash`);
    assert.doesNotMatch(answer.text, /"(password|secret|secret_hash)"\s*:/, `${what} has a secret field`);
    assert.doesNotMatch(answer.text, /scrypt\$/, `${what} holds a hash`);
  }
}
