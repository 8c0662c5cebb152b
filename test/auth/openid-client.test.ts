/**
 * End to end with a third-party OAuth client, panva's openid-client v6, against a server listening
 * on a real socket: discovery from the issuer, client_credentials with client_secret_basic and with
 * private_key_jwt (an RS384 key made here, its public part registered on the Client), introspection,
 * revocation, and a FHIR read with the token.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import * as client from 'openid-client';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { putClient, putResource } from './oauth-support.js';
import { allowEveryone } from '../access/access-helpers.js';

describe('openid-client against a listening server', () => {
  let flint: TestFlint;
  let origin: string;

  before(async () => {
    flint = await startTestFlint({ baseUrl: undefined });
    await allowEveryone(flint);
    await flint.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(flint.app.server.address() as AddressInfo).port}`;
    await putResource(flint, { resourceType: 'Patient', id: 'e2e', name: [{ family: 'Socket' }] });
    await putClient(flint, { id: 'basic-backend', secret: 'basic-backend-secret', grant_types: ['client_credentials'], scope: ['system/Patient.rs'] });
  });
  after(() => flint.stop());

  async function readPatient(config: client.Configuration, accessToken: string): Promise<number> {
    const response = await client.fetchProtectedResource(config, accessToken, new URL(`${origin}/fhir/Patient/e2e`), 'GET');
    return response.status;
  }

  it('discovers the server and runs client_credentials with client_secret_basic, introspection and revocation', async () => {
    const config = await client.discovery(new URL(`${origin}/auth`), 'basic-backend', undefined,
      client.ClientSecretBasic('basic-backend-secret'), { execute: [client.allowInsecureRequests] });
    assert.equal(config.serverMetadata().token_endpoint, `${origin}/auth/token`);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'system/Patient.rs' });
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.scope, 'system/Patient.rs');
    assert.equal(await readPatient(config, tokens.access_token), 200);
    const introspection = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(introspection.active, true);
    assert.equal(introspection.client_id, 'basic-backend');
    await client.tokenRevocation(config, tokens.access_token);
    const garbage = await client.tokenIntrospection(config, 'not-a-token');
    assert.equal(garbage.active, false);
  });

  it('runs client_credentials with private_key_jwt (RS384) and refuses a wrong secret', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS384');
    const kid = 'e2e-key';
    await putClient(flint, {
      id: 'jwt-backend', grant_types: ['client_credentials'], scope: ['system/*.rs'],
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS384', use: 'sig' }] },
    });
    const tokenUrl = `${origin}/auth/token`;
    // SMART Backend Services: the assertion's aud is the token endpoint's URL (openid-client's default is the issuer).
    const auth = client.PrivateKeyJwt({ key: privateKey, kid }, {
      [client.modifyAssertion]: (_header: unknown, payload: Record<string, unknown>) => {
        payload.aud = tokenUrl;
      },
    });
    const config = await client.discovery(new URL(`${origin}/auth`), 'jwt-backend', undefined, auth, { execute: [client.allowInsecureRequests] });
    const tokens = await client.clientCredentialsGrant(config, { scope: 'system/Patient.rs' });
    assert.equal(tokens.scope, 'system/Patient.rs');
    assert.equal(await readPatient(config, tokens.access_token), 200);
    const introspection = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(introspection.client_id, 'jwt-backend');

    const wrong = await client.discovery(new URL(`${origin}/auth`), 'basic-backend', undefined,
      client.ClientSecretBasic('wrong-secret'), { execute: [client.allowInsecureRequests] });
    await assert.rejects(client.clientCredentialsGrant(wrong), (error: any) => error.status === 401 && error.cause?.[0]?.scheme === 'basic');
  });
});
