/**
 * No token, secret or password in any log line, at the most verbose levels: requests with HTTP
 * Basic and bearer credentials (good and bad), a Client created with a secret and a User with a
 * password, a failing request, all with the log at trace and at debug, captured whole.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { ROOT_CLIENT_ID } from '../../src/access/index.js';
import { ROOT_BASIC, startTestFlint, TEST_ROOT_SECRET } from '../support/test-server.js';
import { accessToken, basic, bearer, allowEveryone } from './access-helpers.js';

const CLIENT_SECRET = 'logged-client-secret-4711';
const PASSWORD = 'logged-user-password-0815';
const WRONG_SECRET = 'wrong-secret-never-logged';

for (const logLevel of ['trace', 'debug']) {
  describe(`the log at ${logLevel}`, () => {
    it('holds no secret, password or token, in clear or base64', async () => {
      const stream = new PassThrough();
      let log = '';
      stream.on('data', (chunk) => { log += String(chunk); });
      const flint = await startTestFlint({ logLevel }, stream);
      await allowEveryone(flint);
      const token = await accessToken(flint, { clientId: ROOT_CLIENT_ID, scopes: ['system/*.cruds'], admin: true });
      try {
        assert.equal((await flint.put('/fhir/Client/logged', { resourceType: 'Client', id: 'logged', secret: CLIENT_SECRET, grant_types: ['basic'] })).status, 201);
        assert.equal((await flint.post('/fhir/User', { resourceType: 'User', email: 'logged@example.org', password: PASSWORD })).status, 201);
        assert.equal((await flint.get('/fhir/Patient', { headers: { authorization: basic('logged', CLIENT_SECRET) } })).status, 200);
        assert.equal((await flint.get('/fhir/Patient', { headers: { authorization: bearer(token) } })).status, 200);
        assert.equal((await flint.get('/fhir/Patient', { headers: { authorization: basic('logged', WRONG_SECRET) } })).status, 401);
        assert.equal((await flint.get('/fhir/Patient', { headers: { authorization: bearer(`${token}x`) } })).status, 401);
        assert.equal((await flint.post('/fhir/Client', { resourceType: 'Client', secret: CLIENT_SECRET, grant_types: 'not-a-list' })).status >= 400, true);
        assert.equal((await flint.get('/fhir/Patient?x=1', { headers: { authorization: ROOT_BASIC } })).status, 200);
      } finally {
        await flint.stop();
      }
      const lines = log.split('\n').filter(Boolean);
      assert.ok(lines.length >= 8, `the log has the requests (${lines.length} lines)`);
      assert.ok(lines.some((line) => line.includes('"status":401')), 'the refused requests are logged');
      const secrets = [CLIENT_SECRET, PASSWORD, WRONG_SECRET, TEST_ROOT_SECRET, token, token.split('.')[2]];
      const encoded = [basic('logged', CLIENT_SECRET), basic('logged', WRONG_SECRET), ROOT_BASIC].map((header) => header.slice('Basic '.length));
      for (const secret of [...secrets, ...encoded]) {
        const found = lines.find((line) => line.includes(secret));
        assert.equal(found, undefined, `a log line holds a secret: ${found?.slice(0, 300)}`);
      }
      assert.doesNotMatch(log, /"authorization"\s*:/i, 'no Authorization header is logged');
    });
  });
}
