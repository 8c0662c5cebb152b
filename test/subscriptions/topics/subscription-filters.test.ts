/**
 * Subscription filters evaluated in memory, table-driven: each parameter type (token, reference,
 * string, uri, date), :not and :missing, OR within a parameter, AND across parameters and filters,
 * and the refusals (a parameter or modifier the topic does not allow, a type not evaluated, a bad value).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FhirError, type Resource } from '../../../src/core/index.js';
import type { FhirModel } from '../../../src/model/index.js';
import { compileTopic, filtersMatch, parseSubscriptionFilters, type CompiledTopic } from '../../../src/subscriptions/topics/index.js';
import { encounter, encounterCompleteTopic, topicModel } from './topic-fixtures.js';

let model: FhirModel;
let encounterTopic: CompiledTopic;
let patientTopic: CompiledTopic;
before(async () => {
  model = await topicModel();
  encounterTopic = compileTopic(encounterCompleteTopic(), model);
  patientTopic = compileTopic({
    resourceType: 'SubscriptionTopic', url: 'http://example.org/topics/directory', status: 'active',
    resourceTrigger: [{ resource: 'Patient' }, { resource: 'ValueSet' }],
    canFilterBy: [
      { resource: 'Patient', filterParameter: 'name', modifier: ['exact', 'contains'] },
      { resource: 'Patient', filterParameter: 'address-city' },
      { resource: 'Patient', filterParameter: 'birthdate' },
      { resource: 'Patient', filterParameter: 'active', modifier: ['missing'] },
      { resource: 'ValueSet', filterParameter: 'url', modifier: ['below'] },
    ],
  }, model);
});

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const visit = encounter({
  type: [{ coding: [{ system: 'http://snomed.info/sct', code: '11429006' }], text: 'Consultation' }],
  identifier: [{ system: 'urn:example:visits', value: 'V-1' }],
  period: { start: '2024-03-01T09:00:00Z', end: '2024-03-01T10:30:00Z' },
  serviceProvider: { reference: 'https://other.example/fhir/Organization/org-1' },
});
const anonymous = encounter({ subject: undefined, status: 'planned' });
const patient: Resource = {
  resourceType: 'Patient', id: 'p1', active: true, birthDate: '1984-06-15',
  name: [{ family: 'Müller', given: ['Zoë'] }], address: [{ city: 'São Paulo' }],
};
const valueSet: Resource = { resourceType: 'ValueSet', id: 'vs', status: 'active', url: 'http://example.org/fhir/ValueSet/colours' };

/** [case, topic, filters, resource, expected] */
const cases: [string, 'encounter' | 'patient', string[], Resource, boolean][] = [
  ['token: code alone', 'encounter', ['Encounter?status=finished'], visit, true],
  ['token: another code', 'encounter', ['Encounter?status=planned'], visit, false],
  ['token: system|code on a Coding', 'encounter', [`Encounter?class=${ACT}|AMB`], visit, true],
  ['token: another system', 'encounter', ['Encounter?class=http://other|AMB'], visit, false],
  ['token: |code needs no system', 'encounter', ['Encounter?class=|AMB'], visit, false],
  ['token: system| is any code of the system', 'encounter', [`Encounter?class=${ACT}|`], visit, true],
  ['token: a CodeableConcept', 'encounter', ['Encounter?type=http://snomed.info/sct|11429006'], visit, true],
  ['token: an Identifier', 'encounter', ['Encounter?identifier=urn:example:visits|V-1'], visit, true],
  ['token: an Identifier of another system', 'encounter', ['Encounter?identifier=urn:example:other|V-1'], visit, false],
  ['token :not: another status', 'encounter', ['Encounter?status:not=planned'], visit, true],
  ['token :not: the status', 'encounter', ['Encounter?status:not=finished'], visit, false],
  ['OR: one of two values', 'encounter', ['Encounter?status=planned,finished'], visit, true],
  ['OR: none of two values', 'encounter', ['Encounter?status=planned,cancelled'], visit, false],
  ['reference: Type/id', 'encounter', ['Encounter?patient=Patient/123'], visit, true],
  ['reference: another id', 'encounter', ['Encounter?patient=Patient/124'], visit, false],
  ['reference: the id alone', 'encounter', ['Encounter?patient=123'], visit, true],
  ['reference: an absolute URL ending in Type/id', 'encounter', ['Encounter?patient=https://flint.example/fhir/Patient/123'], visit, true],
  ['reference: an absolute reference in the resource', 'encounter', ['Encounter?service-provider=Organization/org-1'], visit, true],
  ['reference: an absolute subject passes resolve() is Patient', 'encounter', ['Encounter?patient=Patient/123'], encounter({ subject: { reference: 'https://other.example/fhir/Patient/123' } }), true],
  ['reference: a Group subject is not a patient (resolve() is Patient)', 'encounter', ['Encounter?patient=123'], encounter({ subject: { reference: 'Group/123' } }), false],
  ['reference: the resource has none', 'encounter', ['Encounter?patient=Patient/123'], anonymous, false],
  ['reference :missing=true', 'encounter', ['Encounter?patient:missing=true'], anonymous, true],
  ['reference :missing=false', 'encounter', ['Encounter?patient:missing=false'], anonymous, false],
  ['reference :not on a resource without one', 'encounter', ['Encounter?patient:not=Patient/123'], anonymous, true],
  ['AND: two parameters, both met', 'encounter', ['Encounter?patient=Patient/123&status=finished'], visit, true],
  ['AND: two parameters, one not met', 'encounter', ['Encounter?patient=Patient/123&status=planned'], visit, false],
  ['AND: two filters, one not met', 'encounter', ['Encounter?patient=Patient/123', 'Encounter?class=EMER'], visit, false],
  ['AND: the same parameter twice', 'encounter', ['Encounter?status=finished&status=planned'], visit, false],
  ['without Type?: the topic types allowing the parameter', 'encounter', ['patient=Patient/123'], visit, true],
  ['date: the day of the period', 'encounter', ['Encounter?date=2024-03-01'], visit, true],
  ['date: eq prefix, the month', 'encounter', ['Encounter?date=eq2024-03'], visit, true],
  ['date: a day given with its offset', 'encounter', ['Encounter?date=2024-03-01T10:00:00+01:00'], encounter({ period: { start: '2024-03-01T09:00:00Z', end: '2024-03-01T09:00:00Z' } }), true],
  ['date: another day', 'encounter', ['Encounter?date=2024-03-02'], visit, false],
  ['date: an instant inside the period is not eq', 'encounter', ['Encounter?date=2024-03-01T09:00:00Z'], visit, false],
  ['date: a date', 'patient', ['Patient?birthdate=1984-06-15'], patient, true],
  ['date: another date', 'patient', ['Patient?birthdate=1984-06-16'], patient, false],
  ['string: starts with, ignoring case and accents', 'patient', ['Patient?name=muller'], patient, true],
  ['string: a given name', 'patient', ['Patient?name=ZOE'], patient, true],
  ['string: not a prefix', 'patient', ['Patient?name=ller'], patient, false],
  ['string :contains', 'patient', ['Patient?name:contains=ller'], patient, true],
  ['string :exact', 'patient', ['Patient?name:exact=Müller'], patient, true],
  ['string :exact is case-sensitive', 'patient', ['Patient?name:exact=müller'], patient, false],
  ['string: an Address part', 'patient', ['Patient?address-city=sao'], patient, true],
  ['string: percent-encoded', 'patient', ['Patient?address-city=S%C3%A3o%20Paulo'], patient, true],
  ['token: a boolean', 'patient', ['Patient?active=true'], patient, true],
  ['token :missing=true on a resource that has it', 'patient', ['Patient?active:missing=true'], patient, false],
  ['uri: exact', 'patient', ['ValueSet?url=http://example.org/fhir/ValueSet/colours'], valueSet, true],
  ['uri: a prefix is not exact', 'patient', ['ValueSet?url=http://example.org/fhir'], valueSet, false],
  ['uri :below', 'patient', ['ValueSet?url:below=http://example.org/fhir'], valueSet, true],
  ['filters of another type do not narrow', 'patient', ['ValueSet?url=http://other'], patient, true],
];

describe('filtersMatch', () => {
  for (const [name, which, filters, resource, expected] of cases) {
    it(name, () => {
      const topic = which === 'encounter' ? encounterTopic : patientTopic;
      assert.equal(filtersMatch(parseSubscriptionFilters(filters, topic), resource), expected);
    });
  }

  it('no filters: everything matches', () => assert.equal(filtersMatch([], visit), true));

  it('the clauses say what they test', () => {
    const [clause] = parseSubscriptionFilters(['Encounter?status:not=planned,cancelled'], encounterTopic);
    assert.deepEqual([clause.resourceType, clause.parameter, clause.modifier, clause.values], ['Encounter', 'status', 'not', ['planned', 'cancelled']]);
  });
});

function refusal(filters: string[], topic: () => CompiledTopic): [string, string | undefined] {
  try {
    parseSubscriptionFilters(filters, topic(), filters.map((_, i) => `Subscription.criteria.extension[${i}]`));
  } catch (error) {
    assert.ok(error instanceof FhirError, String(error));
    return [error.code, error.issues[0]?.expression?.[0]];
  }
  assert.fail('expected a FhirError');
}

describe('parseSubscriptionFilters refuses', () => {
  const bad = 'subscription.bad-filter';
  const cases: [string, string[], string][] = [
    ['a parameter the topic does not list', ['Encounter?status=finished', 'Encounter?reason-code=x'], bad],
    ['a resource type the topic has no filter on', ['Patient?name=x'], bad],
    ['a modifier the topic does not allow', ['Encounter?class:not=AMB'], bad],
    ['a modifier the parameter type does not take', ['Encounter?status:above=x'], bad],
    ['a parameter type not evaluated in memory (quantity)', ['Encounter?length=5'], 'subscription.unsupported-filter-type'],
    ['a date that is no date', ['Encounter?date=yesterday'], bad],
    ['a date prefix other than eq', ['Encounter?date=gt2024-01-01'], bad],
    [':missing with a value other than true or false', ['Encounter?patient:missing=maybe'], bad],
    ['text that is not name=value', ['Encounter?status'], bad],
    ['an empty query', ['Encounter?'], bad],
    ['a broken percent-encoding', ['Encounter?status=%E0%A4%A'], bad],
  ];
  for (const [name, filters, code] of cases) {
    it(name, () => assert.deepEqual(refusal(filters, () => encounterTopic), [code, `Subscription.criteria.extension[${filters.length - 1}]`]));
  }
});
