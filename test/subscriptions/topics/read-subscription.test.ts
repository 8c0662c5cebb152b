/**
 * readSubscription: the backport IG's admission Subscription read into its plan, and each refusal
 * with its code and the expression of the element at fault.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FhirError, type Resource } from '../../../src/core/index.js';
import type { FhirModel } from '../../../src/model/index.js';
import { BACKPORT, compileTopic, filtersMatch, planMatches, readSubscription, type CompiledTopic } from '../../../src/subscriptions/topics/index.js';
import { encounter, ENCOUNTER_COMPLETE, encounterCompleteTopic, topicModel } from './topic-fixtures.js';

let model: FhirModel;
let topic: CompiledTopic;
before(async () => {
  model = await topicModel();
  topic = compileTopic(encounterCompleteTopic(), model);
});

const topics = (url: string) => (url === ENCOUNTER_COMPLETE ? topic : undefined);

/** Like the IG's subscription-admission example, on the encounter-complete topic. */
function admission(change: (subscription: Record<string, any>) => void = () => {}): Resource {
  const subscription: Record<string, any> = {
    resourceType: 'Subscription', id: 'admission', status: 'requested', end: '2030-12-31T12:00:00Z',
    reason: 'Encounters of patient 123', criteria: ENCOUNTER_COMPLETE,
    _criteria: { extension: [{ url: BACKPORT.filterCriteria, valueString: 'Encounter?patient=Patient/123' }] },
    channel: {
      type: 'rest-hook', endpoint: 'https://example.org/Endpoints/d7dcc004', header: ['Authorization: Bearer secret-token-abc-123'],
      extension: [
        { url: BACKPORT.heartbeatPeriod, valueUnsignedInt: 86400 },
        { url: BACKPORT.timeout, valueUnsignedInt: 60 },
        { url: BACKPORT.maxCount, valuePositiveInt: 20 },
      ],
      payload: 'application/fhir+json',
      _payload: { extension: [{ url: BACKPORT.payloadContent, valueCode: 'id-only' }] },
    },
  };
  change(subscription);
  return subscription as Resource;
}

describe('readSubscription', () => {
  it('reads the topic, filters, channel, end and status', () => {
    const plan = readSubscription(admission(), topics);
    assert.equal(plan.topic, topic);
    assert.deepEqual({ ...plan, topic: undefined, filters: plan.filters.map((f) => [f.resourceType, f.parameter, f.values]) }, {
      id: 'admission', topicUrl: ENCOUNTER_COMPLETE, topic: undefined, filters: [['Encounter', 'patient', ['Patient/123']]],
      channel: {
        type: 'rest-hook', endpoint: 'https://example.org/Endpoints/d7dcc004', headers: ['Authorization: Bearer secret-token-abc-123'],
        payload: 'application/fhir+json', content: 'id-only', heartbeatPeriodSeconds: 86400, timeoutSeconds: 60, maxCount: 20,
      },
      end: '2030-12-31T12:00:00Z', status: 'requested',
    });
    assert.deepEqual([encounter(), encounter({ subject: { reference: 'Patient/9' } })].map((e) => filtersMatch(plan.filters, e)), [true, false]);
  });

  it('a websocket channel needs no endpoint; the topic may be named with its version', () => {
    const plan = readSubscription(admission((s) => {
      s.criteria = `${ENCOUNTER_COMPLETE}|1.0.0`;
      delete s._criteria;
      s.channel = { type: 'websocket', payload: 'application/fhir+json', _payload: { extension: [{ url: BACKPORT.payloadContent, valueCode: 'full-resource' }] } };
    }), topics);
    assert.deepEqual([plan.channel, plan.filters], [{ type: 'websocket', headers: [], payload: 'application/fhir+json', content: 'full-resource' }, []]);
  });

  it('planMatches: the topic matches the change and the filters pass (on the previous version for a delete)', () => {
    const plan = readSubscription(admission(), topics);
    const other = encounter({ subject: { reference: 'Patient/9' } });
    const planned = encounter({ status: 'planned' });
    assert.deepEqual([
      planMatches(plan, { resourceType: 'Encounter', event: 'updated', current: encounter(), previous: planned }),
      planMatches(plan, { resourceType: 'Encounter', event: 'updated', current: other, previous: { ...other, status: 'planned' } }),
      planMatches(plan, { resourceType: 'Encounter', event: 'updated', current: encounter(), previous: encounter() }),
    ], [true, false, false]);
    const deletes = readSubscription(admission(), () => compileTopic(encounterCompleteTopic({ resourceTrigger: [{ resource: 'Encounter', supportedInteraction: ['delete'] }] }), model));
    assert.deepEqual([encounter(), other].map((previous) => planMatches(deletes, { resourceType: 'Encounter', event: 'deleted', previous })), [true, false]);
  });

  it('other extensions of criteria are not filters', () => {
    const plan = readSubscription(admission((s) => { s._criteria.extension.unshift({ url: 'http://example.org/note', valueString: 'x' }); }), topics);
    assert.deepEqual(plan.filters.map((f) => f.parameter), ['patient']);
  });
});

function refusal(subscription: Resource): [string, string | undefined] {
  try {
    readSubscription(subscription, topics);
  } catch (error) {
    assert.ok(error instanceof FhirError, String(error));
    return [error.code, error.issues[0]?.expression?.[0]];
  }
  assert.fail('expected a FhirError');
}

describe('readSubscription refuses', () => {
  const cases: [string, (s: Record<string, any>) => void, string, string][] = [
    ['no criteria', (s) => { delete s.criteria; }, 'subscription.bad-subscription', 'Subscription.criteria'],
    ['an unknown topic', (s) => { s.criteria = 'http://example.org/topics/nothing'; }, 'subscription.unknown-topic', 'Subscription.criteria'],
    ['a filter the topic does not allow', (s) => { s._criteria.extension[0].valueString = 'Encounter?reason-code=x'; }, 'subscription.bad-filter', 'Subscription.criteria.extension[0]'],
    ['a filter extension without valueString', (s) => { s._criteria.extension[0] = { url: BACKPORT.filterCriteria, valueCode: 'x' }; }, 'subscription.bad-filter', 'Subscription.criteria.extension[0]'],
    ['no channel', (s) => { delete s.channel; }, 'subscription.bad-subscription', 'Subscription.channel'],
    ['an email channel', (s) => { s.channel.type = 'email'; }, 'subscription.unsupported-channel', 'Subscription.channel.type'],
    ['a custom channel type', (s) => { s.channel._type = { extension: [{ url: BACKPORT.channelType, valueCoding: { system: 'http://example.org', code: 'zulip' } }] }; }, 'subscription.unsupported-channel', 'Subscription.channel.type'],
    ['rest-hook without endpoint', (s) => { delete s.channel.endpoint; }, 'subscription.missing-endpoint', 'Subscription.channel.endpoint'],
    ['rest-hook to a non-http endpoint', (s) => { s.channel.endpoint = 'mailto:someone@example.org'; }, 'subscription.missing-endpoint', 'Subscription.channel.endpoint'],
    ['no payload mime type', (s) => { delete s.channel.payload; }, 'subscription.bad-payload', 'Subscription.channel.payload'],
    ['an XML payload', (s) => { s.channel.payload = 'application/fhir+xml'; }, 'subscription.bad-payload', 'Subscription.channel.payload'],
    ['no payload content', (s) => { delete s.channel._payload; }, 'subscription.bad-payload', 'Subscription.channel.payload'],
    ['a payload content out of its list', (s) => { s.channel._payload.extension[0].valueCode = 'everything'; }, 'subscription.bad-payload', 'Subscription.channel.payload.extension[0]'],
    ['maxCount 0', (s) => { s.channel.extension[2].valuePositiveInt = 0; }, 'subscription.bad-channel-value', 'Subscription.channel.extension[2]'],
    ['a negative heartbeat period', (s) => { s.channel.extension[0].valueUnsignedInt = -5; }, 'subscription.bad-channel-value', 'Subscription.channel.extension[0]'],
    ['a header that is not Name: value', (s) => { s.channel.header.push('no colon here'); }, 'subscription.bad-channel-value', 'Subscription.channel.header[1]'],
    ['a status out of its list', (s) => { s.status = 'paused'; }, 'subscription.bad-subscription', 'Subscription.status'],
  ];
  for (const [name, change, code, expression] of cases) {
    it(name, () => assert.deepEqual(refusal(admission(change)), [code, expression]));
  }
});
