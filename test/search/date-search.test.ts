/**
 * Date search (http://hl7.org/fhir/R4/search.html#date and #prefix): every prefix against date
 * (Patient.birthDate, with partial dates), dateTime with time zones (Observation.effective),
 * instant (DiagnosticReport.issued), Period open at either end (Observation.effectivePeriod,
 * Encounter.period), Timing (only its outer limits count) and choice types (Condition.onset).
 *
 * Both the search value and the target are ranges: 2024 is the whole year, 2024-03-05 the whole
 * day. eq: the search range contains the target; gt/lt: the target has some time after/before the
 * search range; ge/le: gt/lt or eq; sa/eb: the whole target after/before the search range; ne: not eq.
 * A value without a time zone is read in UTC (the server's zone). A resource without a value
 * never matches a prefix (as HAPI does).
 */
import { after, before, describe } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { allBut, fuzzyCases, putAll, searchCases, type TestResource } from './search-cases.js';

let flint: TestFlint;
const server = () => flint;

const patient = (id: string, birthDate?: string): TestResource => ({
  resourceType: 'Patient', id, ...(birthDate ? { birthDate } : {}),
});
const patients = [
  patient('d1', '2024-03-05'),
  patient('d2', '2024-03'),
  patient('d3', '2024'),
  patient('d4', '2023-12-31'),
  patient('d5', '2024-03-06'),
  patient('d6'),
  patient('d7', '1950-01-01'),
];
const patientIds = patients.map((resource) => resource.id);

const observation = (id: string, effective: object): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { text: 'timed' }, ...effective,
});
const observations = [
  // 2024-03-06T04:30:00Z in UTC.
  observation('ot1', { effectiveDateTime: '2024-03-05T23:30:00-05:00' }),
  observation('ot2', { effectiveDateTime: '2024-03-05T10:00:00Z' }),
  observation('ot3', { effectiveDateTime: '2024-03-05' }),
  observation('ot4', { effectivePeriod: { start: '2024-03-01T00:00:00Z', end: '2024-03-10T00:00:00Z' } }),
  observation('ot5', { effectivePeriod: { start: '2024-03-04T06:00:00Z' } }),
  observation('ot6', { effectivePeriod: { end: '2024-03-05T12:00:00Z' } }),
  observation('ot7', { effectiveInstant: '2024-03-07T08:00:00.000Z' }),
  observation('ot8', {}),
  // 2024-03-05T10:00:00Z in UTC, although its local date is the 6th.
  observation('ot9', { effectiveDateTime: '2024-03-06T00:00:00+14:00' }),
  // A Timing counts from its first to its last event.
  observation('ot10', { effectiveTiming: { event: ['2024-03-02T09:00:00Z', '2024-03-08T09:00:00Z'] } }),
];
const observationIds = observations.map((resource) => resource.id);

const report = (id: string, issued?: string): TestResource => ({
  resourceType: 'DiagnosticReport', id, status: 'final', code: { text: 'panel' }, ...(issued ? { issued } : {}),
});
const reports = [
  report('dr1', '2024-03-05T10:00:00.123Z'),
  // 2024-03-06T03:00:00Z in UTC.
  report('dr2', '2024-03-05T22:00:00-05:00'),
  report('dr3', '2024-03-07T00:00:00Z'),
  report('dr4'),
];

const encounter = (id: string, period?: object): TestResource => ({
  resourceType: 'Encounter', id, status: 'finished', class: { code: 'AMB' }, ...(period ? { period } : {}),
});
const encounters = [
  encounter('en1', { start: '2024-01-10T08:00:00Z', end: '2024-01-12T17:00:00Z' }),
  encounter('en2', { start: '2024-01-15T08:00:00Z' }),
  encounter('en3', { end: '2024-01-05T00:00:00Z' }),
  encounter('en4'),
];

const condition = (id: string, onset: object): TestResource => ({
  resourceType: 'Condition', id, subject: { reference: 'Patient/d1' }, code: { text: 'problem' }, ...onset,
});
const conditions = [
  condition('c1', { onsetDateTime: '2020-06-15' }),
  condition('c2', { onsetPeriod: { start: '2020-06-01', end: '2020-06-30' } }),
  condition('c3', { onsetString: 'childhood' }),
  condition('c4', { onsetAge: { value: 40, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' } }),
];

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [...patients, ...observations, ...reports, ...encounters, ...conditions]);
});
after(async () => { await flint.stop(); });

describe('date (Patient.birthDate): eq and no prefix, with partial dates on both sides', () => {
  searchCases(server, 'Patient', [
    ['birthdate=2024-03-05', ['d1']],
    ['birthdate=eq2024-03-05', ['d1']],
    ['birthdate=2024-03', ['d1', 'd2', 'd5']],
    ['birthdate=2024', ['d1', 'd2', 'd3', 'd5']],
    ['birthdate=eq2024', ['d1', 'd2', 'd3', 'd5']],
    ['birthdate=2023', ['d4']],
    ['birthdate=2024-03-05T12:00:00Z', []],
    ['birthdate=2024-02', []],
    ['birthdate=2023,2024-03-06', ['d4', 'd5']],
  ]);
});

describe('date (Patient.birthDate): ne', () => {
  searchCases(server, 'Patient', [
    ['birthdate=ne2024-03-05', ['d2', 'd3', 'd4', 'd5', 'd7']],
    ['birthdate=ne2024-03', ['d3', 'd4', 'd7']],
    ['birthdate=ne2024', ['d4', 'd7']],
  ]);
});

describe('date (Patient.birthDate): gt and ge', () => {
  searchCases(server, 'Patient', [
    // Born on the 5th is not after the 5th; the month and the year reach past it.
    ['birthdate=gt2024-03-05', ['d2', 'd3', 'd5']],
    ['birthdate=gt2024', []],
    ['birthdate=gt2023-12-31', ['d1', 'd2', 'd3', 'd5']],
    ['birthdate=gt1900', allBut(patientIds, 'd6')],
    ['birthdate=ge2024-03-05', ['d1', 'd2', 'd3', 'd5']],
    ['birthdate=ge2024-03-06', ['d2', 'd3', 'd5']],
    ['birthdate=ge2024-04', ['d3']],
  ]);
});

describe('date (Patient.birthDate): lt and le', () => {
  searchCases(server, 'Patient', [
    ['birthdate=lt2024-03-05', ['d2', 'd3', 'd4', 'd7']],
    ['birthdate=lt2024', ['d4', 'd7']],
    ['birthdate=lt1950-01-01', []],
    ['birthdate=le2024-03-05', ['d1', 'd2', 'd3', 'd4', 'd7']],
    ['birthdate=le2023-12-31', ['d4', 'd7']],
    ['birthdate=le2024-02', ['d3', 'd4', 'd7']],
  ]);
});

describe('date (Patient.birthDate): sa and eb need the whole target after or before', () => {
  searchCases(server, 'Patient', [
    ['birthdate=sa2024-03-05', ['d5']],
    ['birthdate=sa2024-03', []],
    ['birthdate=sa2023', ['d1', 'd2', 'd3', 'd5']],
    ['birthdate=eb2024-03-05', ['d4', 'd7']],
    ['birthdate=eb2024-03-06', ['d1', 'd4', 'd7']],
    ['birthdate=eb2024-04', ['d1', 'd2', 'd4', 'd5', 'd7']],
  ]);
});

describe('date (Patient.birthDate): ap matches equal values and never far ones', () => {
  fuzzyCases(server, 'Patient', [
    { query: 'birthdate=ap2024-03-05', includes: ['d1'], excludes: ['d6', 'd7'] },
    { query: 'birthdate=ap1950-01-01', includes: ['d7'], excludes: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'] },
  ]);
});

describe('date (Patient.birthDate): :missing, AND ranges', () => {
  searchCases(server, 'Patient', [
    ['birthdate:missing=true', ['d6']],
    ['birthdate:missing=false', allBut(patientIds, 'd6')],
    // The year 2024 overlaps both halves of the range, so it matches both conditions.
    ['birthdate=ge2024-03-01&birthdate=le2024-03-31', ['d1', 'd2', 'd3', 'd5']],
    ['birthdate=sa2024-02-29&birthdate=eb2024-04-01', ['d1', 'd2', 'd5']],
    ['birthdate=ge2024-03-06&birthdate=lt2024-03-06', ['d2', 'd3']],
  ]);
});

describe('dateTime with time zones, Period open at either end, instant and Timing (Observation.effective)', () => {
  searchCases(server, 'Observation', [
    ['date=2024-03-06', ['ot1']],
    ['date=2024-03-05', ['ot2', 'ot3', 'ot9']],
    ['date=2024-03', ['ot1', 'ot2', 'ot3', 'ot4', 'ot7', 'ot9', 'ot10']],
    ['date=2024-03-05T23:30:00-05:00', ['ot1']],
    ['date=2024-03-06T04:30:00Z', ['ot1']],
    ['date=2024-03-06T00:00:00+14:00', ['ot2', 'ot9']],
    ['date=ne2024-03-05', ['ot1', 'ot4', 'ot5', 'ot6', 'ot7', 'ot10']],
    ['date=ge2024-03-06T00:00:00Z', ['ot1', 'ot4', 'ot5', 'ot7', 'ot10']],
    ['date=lt2024-03-06T00:00:00Z', ['ot2', 'ot3', 'ot4', 'ot5', 'ot6', 'ot9', 'ot10']],
    // ot1 is 04:30 UTC: after 04:00 UTC, before 05:00 UTC.
    ['date=lt2024-03-06T04:00:00Z', ['ot2', 'ot3', 'ot4', 'ot5', 'ot6', 'ot9', 'ot10']],
    ['date=lt2024-03-06T05:00:00Z', ['ot1', 'ot2', 'ot3', 'ot4', 'ot5', 'ot6', 'ot9', 'ot10']],
    ['date=gt2024-03-05T23:00:00-05:00', ['ot1', 'ot4', 'ot5', 'ot7', 'ot10']],
    ['date=gt2024-03-06T05:00:00Z', ['ot4', 'ot5', 'ot7', 'ot10']],
    // Only the Period without an end reaches the future, only the one without a start the past.
    ['date=gt2025', ['ot5']],
    ['date=ge2030-01-01', ['ot5']],
    ['date=lt2000', ['ot6']],
    ['date=le1999-12-31', ['ot6']],
    ['date=ge2024-03-08T12:00:00Z', ['ot4', 'ot5']],
    ['date=le2024-03-01T12:00:00Z', ['ot4', 'ot6']],
    // The Timing starts at its first event.
    ['date=lt2024-03-02T08:00:00Z', ['ot4', 'ot6']],
    ['date=sa2024-03-03', ['ot1', 'ot2', 'ot3', 'ot5', 'ot7', 'ot9']],
    ['date=eb2024-03-06', ['ot2', 'ot3', 'ot6', 'ot9']],
    ['date=sa2024-03-08T12:00:00Z', []],
    ['date=eb2024-03-01', []],
    ['date:missing=true', ['ot8']],
    ['date:missing=false', allBut(observationIds, 'ot8')],
  ]);
});

describe('instant (DiagnosticReport.issued)', () => {
  searchCases(server, 'DiagnosticReport', [
    ['issued=2024-03-05', ['dr1']],
    ['issued=2024-03-06', ['dr2']],
    ['issued=2024-03', ['dr1', 'dr2', 'dr3']],
    ['issued=gt2024-03-05T09:00:00Z', ['dr1', 'dr2', 'dr3']],
    ['issued=gt2024-03-05T11:00:00Z', ['dr2', 'dr3']],
    ['issued=lt2024-03-06T02:00:00Z', ['dr1']],
    ['issued=lt2024-03-05T22:30:00-05:00', ['dr1', 'dr2']],
    ['issued=ge2024-03-07', ['dr3']],
    ['issued=le2024-03-06', ['dr1', 'dr2']],
    ['issued=sa2024-03-05', ['dr2', 'dr3']],
    ['issued=eb2024-03-06', ['dr1']],
    ['issued=ne2024-03-06', ['dr1', 'dr3']],
    ['issued:missing=true', ['dr4']],
  ]);
});

describe('Period (Encounter.period), with open ends', () => {
  searchCases(server, 'Encounter', [
    // A stay of three days is not within one of its days.
    ['date=2024-01-11', []],
    ['date=2024-01', ['en1']],
    ['date=2024', ['en1']],
    ['date=ge2024-01-11', ['en1', 'en2']],
    ['date=le2024-01-11', ['en1', 'en3']],
    ['date=gt2030', ['en2']],
    ['date=lt1990', ['en3']],
    ['date=sa2024-01-13', ['en2']],
    ['date=eb2024-01-13', ['en1', 'en3']],
    ['date=ne2024-01', ['en2', 'en3']],
    ['date:missing=true', ['en4']],
  ]);
});

describe('choice types: Condition.onset as dateTime and as Period', () => {
  searchCases(server, 'Condition', [
    ['onset-date=2020-06', ['c1', 'c2']],
    ['onset-date=2020-06-15', ['c1']],
    ['onset-date=ge2020-06-20', ['c2']],
    ['onset-date=lt2020-06-10', ['c2']],
    ['onset-date=2020', ['c1', 'c2']],
    ['onset-date:missing=true', ['c3', 'c4']],
  ]);
});
