/**
 * The discovery documents (RFC 8414, OpenID Connect Discovery, SMART App Launch 2.x
 * smart-configuration), the JWKS, and the CapabilityStatement's rest.security with SMART's
 * oauth-uris extension: public, and naming the same endpoints.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { basic, postForm, putClient } from './oauth-support.js';

const ORIGIN = 'http://flint.test';

describe('discovery documents', () => {
  let flint: TestFlint;
  before(async () => {
    flint = await startTestFlint();
  });
  after(() => flint.stop());

  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/auth/.well-known/openid-configuration',
    '/.well-known/oauth-authorization-server/auth']) {
    it(`serves the authorization server metadata at ${path}, without credentials`, async () => {
      const answer = await flint.get(path, { anonymous: true });
      assert.equal(answer.status, 200);
      const { body } = answer;
      assert.equal(body.issuer, `${ORIGIN}/auth`);
      assert.equal(body.authorization_endpoint, `${ORIGIN}/auth/authorize`);
      assert.equal(body.token_endpoint, `${ORIGIN}/auth/token`);
      assert.equal(body.introspection_endpoint, `${ORIGIN}/auth/introspect`);
      assert.equal(body.revocation_endpoint, `${ORIGIN}/auth/revoke`);
      assert.equal(body.jwks_uri, `${ORIGIN}/auth/jwks`);
      assert.equal(body.userinfo_endpoint, `${ORIGIN}/auth/userinfo`);
      assert.deepEqual(body.response_types_supported, ['code']);
      assert.deepEqual(body.grant_types_supported, ['client_credentials', 'authorization_code', 'refresh_token']);
      assert.deepEqual(body.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
      assert.deepEqual(body.token_endpoint_auth_signing_alg_values_supported, ['RS384', 'ES384']);
      assert.deepEqual(body.code_challenge_methods_supported, ['S256']);
      assert.deepEqual(body.id_token_signing_alg_values_supported, ['RS256']);
      assert.deepEqual(body.subject_types_supported, ['public']);
      assert.ok(body.scopes_supported.includes('openid'));
      assert.ok(body.scopes_supported.includes('system/*.rs'));
    });
  }

  it('serves the SMART configuration with its capabilities', async () => {
    const answer = await flint.get('/fhir/.well-known/smart-configuration', { anonymous: true });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token_endpoint, `${ORIGIN}/auth/token`);
    assert.equal(answer.body.authorization_endpoint, `${ORIGIN}/auth/authorize`);
    for (const capability of ['launch-ehr', 'launch-standalone', 'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric',
      'sso-openid-connect', 'context-passthrough-banner', 'context-ehr-patient', 'context-ehr-encounter', 'context-standalone-patient',
      'permission-offline', 'permission-patient', 'permission-user', 'permission-v1', 'permission-v2']) {
      assert.ok(answer.body.capabilities.includes(capability), capability);
    }
    assert.deepEqual(answer.body.code_challenge_methods_supported, ['S256']);
  });

  it('serves the JWKS, public keys only, that verify issued tokens', async () => {
    const answer = await flint.get('/auth/jwks', { anonymous: true });
    assert.equal(answer.status, 200);
    assert.ok(answer.body.keys.length >= 1);
    for (const key of answer.body.keys) {
      assert.equal(key.kty, 'RSA');
      assert.equal(key.d, undefined);
      assert.equal(key.p, undefined);
    }
    await putClient(flint, { id: 'svc', secret: 'svc-secret', grant_types: ['client_credentials'], scope: ['system/*.rs'] });
    const token = await postForm(flint, '/auth/token', { grant_type: 'client_credentials' }, basic('svc', 'svc-secret'));
    const { payload } = await jwtVerify(token.body.access_token, createLocalJWKSet(answer.body));
    assert.equal(payload.client_id, 'svc');
  });

  it("puts SMART's oauth-uris into the CapabilityStatement's rest.security", async () => {
    const answer = await flint.get('/fhir/metadata', { anonymous: true });
    assert.equal(answer.status, 200);
    const security = answer.body.rest[0].security;
    assert.equal(security.service[0].coding[0].system, 'http://terminology.hl7.org/CodeSystem/restful-security-service');
    assert.equal(security.service[0].coding[0].code, 'SMART-on-FHIR');
    const uris = security.extension.find((extension: any) => extension.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    const uri = (name: string) => uris.extension.find((extension: any) => extension.url === name)?.valueUri;
    assert.equal(uri('token'), `${ORIGIN}/auth/token`);
    assert.equal(uri('authorize'), `${ORIGIN}/auth/authorize`);
    assert.equal(uri('introspect'), `${ORIGIN}/auth/introspect`);
    assert.equal(uri('revoke'), `${ORIGIN}/auth/revoke`);
  });
});

describe('the CapabilityStatement with authentication off', () => {
  it('has no rest.security: nothing is required of a client', async () => {
    const flint = await startTestFlint({ auth: 'off', host: '127.0.0.1' });
    try {
      const answer = await flint.get('/fhir/metadata', { anonymous: true });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.rest[0].security, undefined);
    } finally {
      await flint.stop();
    }
  });
});
