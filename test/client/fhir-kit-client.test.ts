/**
 * A third-party FHIR client (fhir-kit-client) against a real listening server: create, read,
 * update, history, delete and a transaction over a socket, with a bearer token of the root client
 * (the client sends it as Authorization: Bearer).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from 'fhir-kit-client';
import { issueAccessToken, ROOT_CLIENT_ID, tokenSettings } from '../../src/access/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
let client: Client;

before(async () => {
  flint = await startTestFlint({ baseUrl: undefined });
  await flint.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = flint.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/fhir`;
  const grant = { clientId: ROOT_CLIENT_ID, scopes: ['system/*.cruds'], admin: true };
  client = new Client({ baseUrl, bearerToken: await issueAccessToken(flint.signingKeys, tokenSettings(baseUrl), grant, 300) });
});
after(async () => { await flint.stop(); });

describe('fhir-kit-client', () => {
  it('creates, reads, updates, lists history and deletes', async () => {
    const created: any = await client.create({ resourceType: 'Patient', body: { resourceType: 'Patient', name: [{ family: 'Kit' }] } });
    assert.ok(created.id);
    const read: any = await client.read({ resourceType: 'Patient', id: created.id });
    assert.equal(read.name[0].family, 'Kit');
    const updated: any = await client.update({ resourceType: 'Patient', id: created.id, body: { ...read, active: true } });
    assert.equal(updated.active, true);
    const history: any = await client.history({ resourceType: 'Patient', id: created.id });
    assert.equal(history.total, 2);
    await client.delete({ resourceType: 'Patient', id: created.id });
    await assert.rejects(client.read({ resourceType: 'Patient', id: created.id }), (error: any) => error.response?.status === 410);
  });

  it('posts a transaction', async () => {
    const response: any = await client.transaction({
      body: {
        resourceType: 'Bundle', type: 'transaction', entry: [
          { fullUrl: 'urn:uuid:k1', request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient' } },
          { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'k' }, subject: { reference: 'urn:uuid:k1' } } },
        ],
      },
    });
    assert.equal(response.type, 'transaction-response');
    assert.equal(response.entry.length, 2);
    const observation: any = await client.read({ resourceType: 'Observation', id: response.entry[1].resource.id });
    assert.equal(observation.subject.reference, `Patient/${response.entry[0].resource.id}`);
  });

  it('reads the CapabilityStatement', async () => {
    const capabilities: any = await client.capabilityStatement();
    assert.equal(capabilities.fhirVersion, '4.0.1');
  });
});
