/**
 * The request object policies see, for a known request (a snapshot): Aidbox's names, the query and
 * route params merged, headers without credentials, the user, client, roles, jwt claims, scopes,
 * launch context and operation id; and the operation id of each interaction.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { operationId, operationIdOf, requestObject } from '../../src/access/index.js';
import type { Caller } from '../../src/core/index.js';
import { parseRoute, type FhirRequest } from '../../src/engine/index.js';

describe('the request object', () => {
  it('has the documented shape', async () => {
    const token = await new SignJWT({ sub: 'ada', scope: 'patient/Observation.rs' }).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32));
    const request: FhirRequest = {
      method: 'GET', path: 'Observation', query: [['subject', 'Patient/p1'], ['_count', '5'], ['_count', '6']],
      headers: { authorization: `Bearer ${token}`, cookie: 'a=b', accept: 'application/fhir+json' },
      baseUrl: 'https://flint.test/fhir',
    };
    const caller: Caller = {
      kind: 'user', via: 'bearer', clientId: 'app', userId: 'ada', fhirUser: 'Patient/p1', scopes: ['patient/Observation.rs'], admin: false, launch: { patient: 'p1' },
    };
    const object = requestObject(request, parseRoute('GET', 'Observation'), caller, {
      user: { resourceType: 'User', id: 'ada', fhirUser: { reference: 'Patient/p1' } },
      client: { resourceType: 'Client', id: 'app' },
      roles: ['patient'],
    });
    assert.deepEqual(object, {
      'request-method': 'get',
      scheme: 'https',
      uri: '/fhir/Observation',
      'query-string': 'subject=Patient%2Fp1&_count=5&_count=6',
      params: { subject: 'Patient/p1', _count: ['5', '6'], 'resource/type': 'Observation', type: 'Observation' },
      headers: { accept: 'application/fhir+json' },
      operation: { id: 'FhirSearch' },
      roles: ['patient'],
      scopes: ['patient/Observation.rs'],
      context: { patient: 'p1' },
      user: { resourceType: 'User', id: 'ada', fhirUser: { reference: 'Patient/p1' } },
      client: { resourceType: 'Client', id: 'app' },
      jwt: { sub: 'ada', scope: 'patient/Observation.rs' },
      fhirUser: 'Patient/p1',
    });
  });

  it('carries the body as body and resource, and the route id', () => {
    const body = { resourceType: 'Patient', id: 'p1' };
    const object = requestObject({ method: 'PUT', path: 'Patient/p1', query: [], headers: {}, body, baseUrl: 'http://x/fhir' },
      parseRoute('PUT', 'Patient/p1'), { kind: 'client', via: 'basic', clientId: 'app', scopes: [], admin: false }, { roles: [] });
    assert.equal(object.body, body);
    assert.equal(object.resource, body);
    assert.deepEqual(object.params, { 'resource/type': 'Patient', type: 'Patient', 'resource/id': 'p1', id: 'p1' });
    assert.deepEqual(object.operation, { id: 'FhirUpdate' });
    assert.equal(object.jwt, undefined);
  });
});

describe('operation ids', () => {
  const CASES: [method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, id: string][] = [
    ['GET', 'Patient/1', 'FhirRead'], ['GET', 'Patient/1/_history/2', 'FhirVRead'], ['GET', 'Patient', 'FhirSearch'],
    ['GET', 'Patient/1/Observation', 'FhirSearch'], ['POST', 'Patient', 'FhirCreate'], ['PUT', 'Patient/1', 'FhirUpdate'],
    ['PUT', 'Patient', 'FhirUpdate'], ['PATCH', 'Patient/1', 'FhirPatch'], ['DELETE', 'Patient/1', 'FhirDelete'],
    ['GET', 'Patient/1/_history', 'FhirHistory'], ['GET', '_history', 'FhirHistory'], ['GET', 'metadata', 'FhirCapabilities'],
    ['POST', '$sql', 'FhirSql'], ['POST', 'Observation/$create-search-index', 'FhirCreateSearchIndex'], ['GET', 'Patient/1/$everything', 'FhirEverything'],
  ];
  for (const [method, path, id] of CASES) {
    it(`${method} ${path} is ${id}`, () => assert.equal(operationId({ body: undefined }, parseRoute(method, path)), id));
  }
  it('a Bundle is FhirBatch or FhirTransaction by its type', () => {
    assert.equal(operationId({ body: { type: 'batch' } }, parseRoute('POST', '')), 'FhirBatch');
    assert.equal(operationId({ body: { type: 'transaction' } }, parseRoute('POST', '')), 'FhirTransaction');
    assert.equal(operationIdOf('test-policy'), 'FhirTestPolicy');
  });
});
