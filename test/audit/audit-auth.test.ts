/**
 * The authorization server's events and $sql in the audit log: a failed and a successful sign-in on
 * the sign-in page (User Authentication / Login, outcome 4 and 0, with the browser's address), an
 * access token issued by the client credentials grant (ITI-71), a $sql statement (recorded, base64)
 * and a $sql refused to a client that is not an administrator (outcome 4).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { basic, putClient } from '../access/access-helpers.js';
import { authorizeUrl, Browser, createIdentities } from '../auth/sign-in-helpers.js';
import { queryOf, storedEvents, type AuditEvent } from './audit-support.js';

let flint: TestFlint;
before(async () => {
  flint = await startTestFlint();
  await createIdentities(flint);
});
after(async () => { await flint.stop(); });

async function events(): Promise<AuditEvent[]> {
  await flint.audit?.flush();
  return storedEvents(flint.db);
}

const codeOf = (event: AuditEvent) => event.subtype?.[0]?.code;

describe(`audit of sign-in, tokens and $sql (${usingPostgresNote()})`, () => {
  it('records a failed and a successful sign-in', async () => {
    const browser = new Browser(flint, '10.9.8.7');
    await browser.signIn(await browser.get(authorizeUrl()), 'alice@example.org', 'wrong-password');
    const page = await browser.get(authorizeUrl());
    const answer = await browser.signIn(page, 'alice@example.org', 'alice-password');
    assert.equal(answer.status, 200);
    const signIns = (await events()).filter((event) => codeOf(event) === '110122');
    assert.deepEqual(signIns.map((event) => event.outcome), ['4', '0']);
    assert.equal(signIns[1].agent?.[0]?.who?.display, 'User/alice');
    assert.equal(signIns[0].agent?.[0]?.who?.identifier?.value, 'alice@example.org');
    assert.equal(signIns[1].agent?.[0]?.network?.address, '10.9.8.7');
    assert.equal(signIns[1].agent?.[1]?.who?.display, 'Client/app');
  });

  it('records an access token issued', async () => {
    const response = await flint.app.inject({
      method: 'POST', url: '/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('backend', 'backend-secret') },
      payload: 'grant_type=client_credentials&scope=system%2FPatient.rs',
    });
    assert.equal(response.statusCode, 200, response.body);
    const tokens = (await events()).filter((event) => codeOf(event) === 'ITI-71');
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0].agent?.[0]?.who?.display, 'Client/backend');
    assert.equal(tokens[0].entity?.[0]?.description, 'scope: system/Patient.rs');
  });

  it('records a $sql statement, and a $sql refused', async () => {
    const answer = await flint.post('/$sql', undefined, { raw: 'SELECT 1 AS audited_one', contentType: 'text/plain' });
    assert.equal(answer.status, 200);
    await putClient(flint, 'sql-app', { secret: 'sql-app-secret', scope: ['system/*.rs'] });
    const refused = await flint.post('/$sql', undefined, { raw: 'SELECT 2 AS refused', contentType: 'text/plain', headers: { authorization: basic('sql-app', 'sql-app-secret') } });
    assert.equal(refused.status, 403);
    const sql = (await events()).filter((event) => event.entity?.some((entity) => entity.name === '$sql'));
    assert.deepEqual(sql.map((event) => [queryOf(event), event.outcome]), [['SELECT 1 AS audited_one', '0'], ['SELECT 2 AS refused', '4']]);
  });
});
