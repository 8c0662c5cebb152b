/**
 * compileTopic: the refusals (each with its code and the expression of the element at fault) and
 * CompiledTopic.matches on changes, table-driven: interactions, %previous/%current criteria, query
 * criteria with resultForCreate/resultForDelete/requireBoth, resource mismatch.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FhirError, type Resource } from '../../../src/core/index.js';
import type { FhirModel } from '../../../src/model/index.js';
import { compileTopic, type TopicChange, type TopicResourceTrigger } from '../../../src/subscriptions/topics/index.js';
import { encounter, encounterCompleteTopic, topicModel } from './topic-fixtures.js';

let model: FhirModel;
before(async () => { model = await topicModel(); });

function refusal(run: () => unknown): [string, string | undefined] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof FhirError, String(error));
    return [error.code, error.issues[0]?.expression?.[0]];
  }
  assert.fail('expected a FhirError');
}

const trigger = (fields: TopicResourceTrigger) => encounterCompleteTopic({ resourceTrigger: [{ resource: 'Encounter', ...fields }], canFilterBy: [] });

describe('compileTopic refuses', () => {
  const cases: [string, () => object, string, string][] = [
    ['a topic without url', () => encounterCompleteTopic({ url: undefined }), 'subscription.bad-topic', 'SubscriptionTopic.url'],
    ['a status out of its list', () => encounterCompleteTopic({ status: 'live' }), 'subscription.bad-topic', 'SubscriptionTopic.status'],
    ['a topic without resource trigger', () => encounterCompleteTopic({ resourceTrigger: [] }), 'subscription.bad-topic', 'SubscriptionTopic.resourceTrigger'],
    ['an unknown resource type', () => trigger({ resource: 'Unicorn' }), 'subscription.topic-unknown-resource', 'SubscriptionTopic.resourceTrigger[0].resource'],
    ['an unknown canonical', () => trigger({ resource: 'http://example.org/StructureDefinition/Unicorn' }), 'subscription.topic-unknown-resource', 'SubscriptionTopic.resourceTrigger[0].resource'],
    ['an interaction that is not create, update or delete', () => trigger({ supportedInteraction: ['create', 'read'] }), 'subscription.topic-bad-interaction', 'SubscriptionTopic.resourceTrigger[0].supportedInteraction[1]'],
    ['interactions that are not a list', () => trigger({ supportedInteraction: 'create' as never }), 'subscription.bad-topic', 'SubscriptionTopic.resourceTrigger[0].supportedInteraction'],
    ['invalid FHIRPath', () => trigger({ fhirPathCriteria: "%current.status = 'finished' and" }), 'subscription.topic-bad-criteria', 'SubscriptionTopic.resourceTrigger[0].fhirPathCriteria'],
    ['an unknown FHIRPath function', () => trigger({ fhirPathCriteria: '%current.status.frobnicate()' }), 'subscription.topic-bad-criteria', 'SubscriptionTopic.resourceTrigger[0].fhirPathCriteria'],
    ['a filterParameter that is not a search parameter', () => encounterCompleteTopic({ canFilterBy: [{ resource: 'Encounter', filterParameter: 'colour' }] }), 'subscription.topic-unknown-filter', 'SubscriptionTopic.canFilterBy[0].filterParameter'],
    ['a filterParameter of another type', () => encounterCompleteTopic({ canFilterBy: [{ resource: 'Encounter', filterParameter: 'birthdate' }] }), 'subscription.topic-unknown-filter', 'SubscriptionTopic.canFilterBy[0].filterParameter'],
    ['a canFilterBy on an unknown type', () => encounterCompleteTopic({ canFilterBy: [{ resource: 'Unicorn', filterParameter: 'status' }] }), 'subscription.topic-unknown-resource', 'SubscriptionTopic.canFilterBy[0].resource'],
    ['a canFilterBy without filterParameter', () => encounterCompleteTopic({ canFilterBy: [{ resource: 'Encounter' }] }), 'subscription.bad-topic', 'SubscriptionTopic.canFilterBy[0].filterParameter'],
    ['query criteria that are no query', () => trigger({ queryCriteria: { current: 'status' } }), 'subscription.topic-bad-query-criteria', 'SubscriptionTopic.resourceTrigger[0].queryCriteria.current'],
    ['query criteria on another type', () => trigger({ queryCriteria: { previous: 'Patient?active=true' } }), 'subscription.topic-bad-query-criteria', 'SubscriptionTopic.resourceTrigger[0].queryCriteria.previous'],
    ['query criteria with an unknown parameter', () => trigger({ queryCriteria: { current: 'colour=red' } }), 'subscription.topic-bad-query-criteria', 'SubscriptionTopic.resourceTrigger[0].queryCriteria.current'],
    ['query criteria of a type not evaluated in memory', () => trigger({ queryCriteria: { current: 'length=5' } }), 'subscription.topic-bad-query-criteria', 'SubscriptionTopic.resourceTrigger[0].queryCriteria.current'],
    ['a notificationShape on an unknown type', () => encounterCompleteTopic({ notificationShape: [{ resource: 'Unicorn' }] }), 'subscription.topic-unknown-resource', 'SubscriptionTopic.notificationShape[0].resource'],
    ['a resultForCreate out of its list', () => trigger({ queryCriteria: { previous: 'status=planned', resultForCreate: 'maybe' } }), 'subscription.bad-topic', 'SubscriptionTopic.resourceTrigger[0].queryCriteria.resultForCreate'],
  ];
  for (const [name, topic, code, expression] of cases) {
    it(name, () => assert.deepEqual(refusal(() => compileTopic(topic() as never, model)), [code, expression]));
  }
});

describe('a compiled topic', () => {
  it('knows its url, status, trigger types and filters', () => {
    const topic = compileTopic(encounterCompleteTopic(), model);
    assert.equal(topic.url, 'http://example.org/fhir/SubscriptionTopic/encounter-complete');
    assert.equal(topic.status, 'active');
    assert.deepEqual(topic.resourceTypes, ['Encounter']);
    assert.deepEqual([...topic.filterParameters.get('Encounter')?.keys() ?? []].slice(0, 3), ['patient', 'status', 'class']);
    assert.deepEqual(topic.filterParameters.get('Encounter')?.get('patient')?.modifiers, ['not', 'missing']);
    assert.deepEqual(topic.notificationShapes, [{ resourceType: 'Encounter', include: ['Encounter:patient'], revInclude: [] }]);
  });

  it('applies a canFilterBy without resource to every trigger type', () => {
    const topic = compileTopic(encounterCompleteTopic({
      resourceTrigger: [{ resource: 'Encounter' }, { resource: 'Observation' }],
      canFilterBy: [{ filterParameter: 'patient' }],
    }), model);
    assert.deepEqual([...topic.filterParameters.keys()], ['Encounter', 'Observation']);
  });
});

const planned = encounter({ status: 'planned' });
const finished = encounter({ status: 'finished' });
const change = (event: TopicChange['event'], current?: Resource, previous?: Resource, resourceType = 'Encounter'): TopicChange =>
  ({ resourceType, event, ...(current ? { current } : {}), ...(previous ? { previous } : {}) });

const COMPLETE = "%previous.status != 'finished' and %current.status = 'finished'";

/** [case, trigger, change, expected] */
const matchCases: [string, TopicResourceTrigger, TopicChange, boolean][] = [
  ['create, supported', { supportedInteraction: ['create'] }, change('created', finished), true],
  ['update, only create supported', { supportedInteraction: ['create'] }, change('updated', finished, planned), false],
  ['delete, supported', { supportedInteraction: ['delete'] }, change('deleted', undefined, finished), true],
  ['delete, not supported', { supportedInteraction: ['create', 'update'] }, change('deleted', undefined, finished), false],
  ['no interactions listed: all three', {}, change('deleted', undefined, finished), true],
  ['another resource type', {}, change('created', { resourceType: 'Patient', id: 'p' }, undefined, 'Patient'), false],
  ['%previous/%current: planned -> finished', { fhirPathCriteria: COMPLETE }, change('updated', finished, planned), true],
  ['%previous/%current: finished -> finished', { fhirPathCriteria: COMPLETE }, change('updated', finished, finished), false],
  ['%previous/%current: finished -> planned', { fhirPathCriteria: COMPLETE }, change('updated', planned, finished), false],
  ['%previous/%current on a create: %previous is empty, the criteria are not true', { fhirPathCriteria: COMPLETE }, change('created', finished), false],
  ['criteria on the resource itself (the context is %current)', { fhirPathCriteria: "status = 'finished'" }, change('created', finished), true],
  ['criteria on a delete: the context is %previous', { fhirPathCriteria: "status = 'finished' and %current.exists().not()" }, change('deleted', undefined, finished), true],
  ['criteria not met', { fhirPathCriteria: "%current.class.code = 'IMP'" }, change('created', finished), false],
  ['criteria giving a non-boolean do not pass', { fhirPathCriteria: '%current.status' }, change('created', finished), false],
  ['resolve() sees the reference type', { fhirPathCriteria: '%current.subject.resolve() is Patient' }, change('created', finished), true],
  ['query: current met', { queryCriteria: { current: 'status=finished' } }, change('updated', finished, planned), true],
  ['query: current not met', { queryCriteria: { current: 'status=finished' } }, change('updated', planned, finished), false],
  ['query: both required, both met', { queryCriteria: { previous: 'status:not=finished', current: 'status=finished', requireBoth: true } }, change('updated', finished, planned), true],
  ['query: both required, previous not met', { queryCriteria: { previous: 'status:not=finished', current: 'status=finished', requireBoth: true } }, change('updated', finished, finished), false],
  ['query: either, previous met only', { queryCriteria: { previous: 'status:not=finished', current: 'status=finished' } }, change('updated', planned, planned), true],
  ['query: either, none met', { queryCriteria: { previous: 'status=finished', current: 'status=finished' } }, change('updated', planned, planned), false],
  ['query: create with resultForCreate test-passes', { queryCriteria: { previous: 'status:not=finished', resultForCreate: 'test-passes', current: 'status=finished', requireBoth: true } }, change('created', finished), true],
  ['query: create with resultForCreate test-fails', { queryCriteria: { previous: 'status:not=finished', resultForCreate: 'test-fails', current: 'status=finished', requireBoth: true } }, change('created', finished), false],
  ['query: delete with resultForDelete test-passes', { queryCriteria: { previous: 'status=finished', current: 'status=cancelled', resultForDelete: 'test-passes', requireBoth: true } }, change('deleted', undefined, finished), true],
  ['query: delete, resultForDelete not given (fails)', { queryCriteria: { previous: 'status=finished', current: 'status=cancelled', requireBoth: true } }, change('deleted', undefined, finished), false],
  ['query with the Type? prefix and a reference', { queryCriteria: { current: 'Encounter?patient=Patient/123&status=finished' } }, change('created', finished), true],
  ['query and FHIRPath both needed: FHIRPath fails', { queryCriteria: { current: 'status=finished' }, fhirPathCriteria: "%current.class.code = 'IMP'" }, change('created', finished), false],
];

describe('CompiledTopic.matches', () => {
  for (const [name, fields, given, expected] of matchCases) {
    it(name, () => {
      const topic = compileTopic(trigger({ resource: 'Encounter', ...fields }), model);
      assert.equal(topic.matches(given), expected);
    });
  }

  it('matches when any of several triggers does', () => {
    const topic = compileTopic(encounterCompleteTopic({
      resourceTrigger: [{ resource: 'Patient', supportedInteraction: ['create'] }, { resource: 'Encounter', fhirPathCriteria: COMPLETE }],
      canFilterBy: [],
    }), model);
    assert.deepEqual(
      [change('created', { resourceType: 'Patient', id: 'p' }, undefined, 'Patient'), change('updated', finished, planned), change('updated', planned, planned)].map((c) => topic.matches(c)),
      [true, true, false],
    );
  });

  it('the encounter-complete topic of the fixtures: created finished, and updated to finished', () => {
    const topic = compileTopic(encounterCompleteTopic(), model);
    assert.deepEqual([change('created', finished), change('updated', finished, planned), change('updated', finished, finished), change('created', planned)].map((c) => topic.matches(c)), [true, true, false, false]);
  });
});
