/**
 * Write plans as data (src/engine/write-plan): a request and the same request as a transaction
 * entry plan the same write, with the same match rule and queue keys; planning reads the request
 * and changes nothing in it. No database: the storages are a stub.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineContext, FhirRequest } from '../../src/engine/index.js';
import { parseBundleEntries } from '../../src/engine/bundle/bundle-entries.js';
import { entryQueueKeys } from '../../src/engine/bundle/entry-queue.js';
import { planStep } from '../../src/engine/bundle/transaction-step.js';
import { parseRoute } from '../../src/engine/route.js';
import { matchRule, planQueueKeys, planWrite, targetedId } from '../../src/engine/write-plan/index.js';

const ctx = {
  storages: { storageFor: (type: string) => (type === 'Patient' ? { resourceType: 'Patient' } : undefined) },
} as unknown as EngineContext;

function request(method: FhirRequest['method'], url: string, body?: unknown, headers: Record<string, string> = {}): FhirRequest {
  const [path, search = ''] = url.split('?');
  const query = [...new URLSearchParams(search)] as [string, string][];
  return { method, path, query, headers, body, baseUrl: 'http://flint.test/fhir', contentType: 'application/fhir+json' };
}

const plan = (req: FhirRequest) => planWrite(ctx, req, parseRoute(req.method, req.path));
const patient = { resourceType: 'Patient', identifier: [{ system: 'urn:x', value: '1' }] };

function entryPlan(entry: object) {
  const [parsed] = parseBundleEntries({ resourceType: 'Bundle', type: 'transaction', entry: [entry] } as never, { baseUrl: 'http://flint.test/fhir', headers: {} });
  return planStep(ctx, parsed);
}

describe('write plans', () => {
  it('plan a conditional create alike from If-None-Exist alone and from a transaction entry', async () => {
    const alone = plan(request('POST', 'Patient', patient, { 'if-none-exist': 'Patient?identifier=urn:x|1' }));
    const step = await entryPlan({ request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:x|1' }, resource: patient });
    assert.equal(alone?.kind, 'create');
    assert.deepEqual(matchRule(step.plan!), matchRule(alone!));
    assert.deepEqual(planQueueKeys(step.plan!), planQueueKeys(alone!));
    assert.equal(planQueueKeys(alone!).length, 1);
    assert.deepEqual(entryQueueKeys([step]), planQueueKeys(alone!));
  });

  it('queue a conditional update, patch and delete of the same criteria on the same key, _multiple aside', () => {
    const update = plan(request('PUT', 'Patient?identifier=urn:x|1', patient))!;
    const patch = plan(request('PATCH', 'Patient?identifier=urn:x|1', []))!;
    const remove = plan(request('DELETE', 'Patient?identifier=urn:x|1&_multiple=true'))!;
    assert.deepEqual(planQueueKeys(patch), planQueueKeys(update));
    assert.deepEqual(planQueueKeys(remove), planQueueKeys(update));
    assert.ok(remove.kind === 'delete' && remove.multiple);
    assert.deepEqual(matchRule(remove), [['identifier', 'urn:x|1']]);
  });

  it('write by id without criteria: no conditional queue, the id as the target', async () => {
    const update = plan(request('PUT', 'Patient/p1', { ...patient, id: 'p1' }))!;
    assert.deepEqual(planQueueKeys(update), []);
    assert.equal(targetedId(update), 'p1');
    assert.equal(entryQueueKeys([await entryPlan({ request: { method: 'DELETE', url: 'Patient/p1' } })])[0], 'resource:Patient/p1');
  });

  it('leave reads and operations unplanned, and the request unchanged', () => {
    assert.equal(plan(request('GET', 'Patient/p1')), undefined);
    assert.equal(plan(request('POST', 'Patient/$validate', patient)), undefined);
    const req = request('PUT', 'Patient?identifier=urn:x|1', patient);
    const before = structuredClone(req);
    plan(req);
    assert.deepEqual(req, before);
  });

  it('refuse what needs no database alike: a missing body, an unknown type, missing criteria', async () => {
    assert.throws(() => plan(request('POST', 'Patient')), { code: 'rest.missing-body' });
    assert.throws(() => plan(request('POST', 'Gizmo', { resourceType: 'Gizmo' })), { code: 'rest.unknown-type' });
    assert.throws(() => plan(request('PUT', 'Patient', patient)), { code: 'rest.missing-criteria' });
    await assert.rejects(entryPlan({ request: { method: 'PATCH', url: 'Patient' } }), { code: 'rest.missing-criteria' });
  });
});
