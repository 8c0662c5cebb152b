/**
 * The SubscriptionTopic type in the model: a topic validates like any resource of the server, its
 * required elements, code list and element types are checked, and its search parameters are there.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FhirModel } from '../../../src/model/index.js';
import { addSubscriptionTopicType, SUBSCRIPTION_TOPIC, SUBSCRIPTION_TOPIC_TYPES, SUBSCRIPTION_TOPIC_URL } from '../../../src/subscriptions/topics/index.js';
import { FhirValidator } from '../../../src/validation/index.js';
import { encounterCompleteTopic, topicModel } from './topic-fixtures.js';

let model: FhirModel;
let validator: FhirValidator;
before(async () => {
  model = await topicModel();
  validator = new FhirValidator(model);
});

async function errors(resource: object): Promise<[string, string | undefined, string][]> {
  const issues = await validator.validate(resource as never);
  return issues.filter((issue) => issue.severity === 'error').map((issue) => [issue.code, issue.expression?.[0], issue.diagnostics]);
}

describe('the SubscriptionTopic type', () => {
  it('is a resource type of the model, defined once', () => {
    assert.equal(model.isResourceType(SUBSCRIPTION_TOPIC), true);
    assert.equal(model.getType(SUBSCRIPTION_TOPIC)?.url, SUBSCRIPTION_TOPIC_URL);
    addSubscriptionTopicType(model);
    assert.deepEqual(SUBSCRIPTION_TOPIC_TYPES, ['SubscriptionTopic']);
  });

  it('a topic with triggers, filters and a notification shape validates', async () => {
    const topic = encounterCompleteTopic({
      identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1caa02ba-051b-4602-8856-65921748ae76' }],
      version: '1.0.0', date: '2024-01-01', description: 'Encounters that are **finished**',
      resourceTrigger: [{
        resource: 'Encounter', supportedInteraction: ['create', 'update'],
        queryCriteria: { previous: 'status:not=finished', resultForCreate: 'test-passes', current: 'status=finished', resultForDelete: 'test-fails', requireBoth: true },
        fhirPathCriteria: "%current.status = 'finished'",
      }],
    });
    assert.deepEqual(await errors(topic), []);
  });

  const MIN = 'validation.cardinality-min';
  const T = 'SubscriptionTopic';
  /** Each case: the resource, then the code, the expression and a word the diagnostics name. */
  const invalid: [string, object, [string, string, string]][] = [
    ['no url', { resourceType: T, status: 'active' }, [MIN, T, 'url']],
    ['no status', { resourceType: T, url: 'http://x' }, [MIN, T, 'status']],
    ['a status out of publication-status', { resourceType: T, url: 'http://x', status: 'live' }, ['validation.binding-required', `${T}.status`, 'live']],
    ['a trigger without resource', { resourceType: T, url: 'http://x', status: 'active', resourceTrigger: [{ supportedInteraction: ['create'] }] }, [MIN, `${T}.resourceTrigger[0]`, 'resource']],
    ['requireBoth as a string', { resourceType: T, url: 'http://x', status: 'active', resourceTrigger: [{ resource: 'Encounter', queryCriteria: { requireBoth: 'yes' } }] }, ['structure.invalid-primitive', `${T}.resourceTrigger[0].queryCriteria.requireBoth`, '']],
    ['an element the type does not have (eventTrigger)', { resourceType: T, url: 'http://x', status: 'active', eventTrigger: [{ resource: 'Encounter' }] }, ['structure.unknown-element', `${T}.eventTrigger`, '']],
    ['a canFilterBy without filterParameter', { resourceType: T, url: 'http://x', status: 'active', canFilterBy: [{ resource: 'Encounter' }] }, [MIN, `${T}.canFilterBy[0]`, 'filterParameter']],
  ];
  for (const [name, resource, [code, expression, word]] of invalid) {
    it(`refuses ${name}`, async () => {
      const found = await errors(resource);
      assert.ok(found.some(([c, e, text]) => e === expression && c === code && text.includes(word)), JSON.stringify(found));
    });
  }

  it('has the search parameters url, status, title, version and resource', () => {
    const found = ['url', 'status', 'title', 'version', 'resource'].map((code) => {
      const parameter = model.searchParameters.get(SUBSCRIPTION_TOPIC, code);
      return [code, parameter?.type, parameter?.expression];
    });
    assert.deepEqual(found, [
      ['url', 'uri', 'SubscriptionTopic.url'],
      ['status', 'token', 'SubscriptionTopic.status'],
      ['title', 'string', 'SubscriptionTopic.title'],
      ['version', 'token', 'SubscriptionTopic.version'],
      ['resource', 'uri', 'SubscriptionTopic.resourceTrigger.resource'],
    ]);
  });
});
