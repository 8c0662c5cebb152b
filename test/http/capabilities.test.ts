/**
 * GET /fhir/metadata: a CapabilityStatement generated from what is mounted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

describe('metadata', () => {
  it('lists every mounted type with its interactions and search parameters', async () => {
    const answer = await flint.get('/fhir/metadata');
    assert.equal(answer.status, 200);
    const statement = answer.body;
    assert.equal(statement.resourceType, 'CapabilityStatement');
    assert.equal(statement.fhirVersion, '4.0.1');
    assert.equal(statement.kind, 'instance');
    const resources = statement.rest[0].resource;
    // the 146 R4 types, FlintStorage, FlintApi, ViewDefinition (SQL on FHIR), User, Client, Session, Role, AccessPolicy, Operation,
    // SubscriptionTopic and TopicDestination
    assert.equal(resources.length, 157);
    assert.ok(resources.some((resource: any) => resource.type === 'ViewDefinition'));
    assert.ok(resources.some((resource: any) => resource.type === 'FlintStorage'));
    assert.ok(resources.some((resource: any) => resource.type === 'FlintApi'));
    for (const type of ['User', 'Client', 'Session', 'Role', 'AccessPolicy', 'Operation']) assert.ok(resources.some((resource: any) => resource.type === type), type);
    const patient = resources.find((resource: any) => resource.type === 'Patient');
    assert.deepEqual(patient.interaction.map((i: any) => i.code).sort(),
      ['create', 'delete', 'history-instance', 'history-type', 'patch', 'read', 'search-type', 'update', 'vread']);
    assert.ok(patient.searchParam.some((param: any) => param.name === 'family' && param.type === 'string'));
    assert.deepEqual(statement.rest[0].interaction.map((i: any) => i.code).sort(), ['batch', 'history-system', 'search-system', 'transaction']);
  });
});
