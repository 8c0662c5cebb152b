/**
 * Realistic searches over three Synthea patients (test/fixtures/synthea), loaded as transactions
 * whose urn:uuid references the server resolves. Every expected answer is computed here from the
 * fixture JSON, then translated to the ids the server assigned.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { includedIds, LOINC, matchIds, searchBundle, SNOMED } from './search-cases.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'synthea');
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const SMART_TAG = 'https://smarthealthit.org/tags|synthea-5-2019';
const MRN_SYSTEM = 'http://hospital.smarthealthit.org';
const CVX = 'http://hl7.org/fhir/sid/cvx';

interface Entry { fullUrl: string; resource: any }
const bundles: { file: string; body: any; entries: Entry[] }[] = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json')).sort()
  .map((file) => {
    const body = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
    return { file, body, entries: body.entry as Entry[] };
  });
const everything: Entry[] = bundles.flatMap((bundle) => bundle.entries);

let flint: TestFlint;
/** urn:uuid:... -> Type/id on the server. */
const assigned = new Map<string, string>();

function serverRef(urn: string): string {
  const ref = assigned.get(urn);
  assert.ok(ref, `${urn} was not created`);
  return ref;
}
const serverId = (urn: string): string => serverRef(urn).split('/')[1];

before(async () => {
  flint = await startTestFlint();
  for (const bundle of bundles) {
    const answer = await flint.post('/fhir', bundle.body);
    assert.equal(answer.status, 200, `${bundle.file}: ${answer.text.slice(0, 600)}`);
    answer.body.entry.forEach((entry: any, index: number) => {
      const location = new URL(entry.response.location, 'http://flint.test/fhir/').pathname.split('/');
      const at = location.indexOf('_history');
      assigned.set(bundle.entries[index].fullUrl, `${location[at - 2]}/${location[at - 1]}`);
    });
  }
});
after(async () => { await flint.stop(); });

const ofType = (entries: Entry[], type: string) => entries.filter((entry) => entry.resource.resourceType === type);
const about = (entries: Entry[], type: string, patientUrn: string, element = 'subject') =>
  ofType(entries, type).filter((entry) => entry.resource[element]?.reference === patientUrn);
const codes = (concept: any): string[] => (concept?.coding ?? []).map((coding: any) => `${coding.system}|${coding.code}`);
const urns = (entries: Entry[]) => entries.map((entry) => entry.fullUrl);

interface FixtureCase {
  title: string;
  /** The query, once the server's ids are known. */
  query: () => string;
  matches: string[];
  /** urn:uuid of the resources that must be included (search.mode include). */
  includes?: string[];
}

function fixtureCases(type: string, cases: FixtureCase[]): void {
  for (const { title, query, matches, includes } of cases) {
    it(`${type}: ${title} (${matches.length} matches)`, async () => {
      const bundle = await searchBundle(flint, `/fhir/${type}`, query());
      assert.deepEqual(matchIds(bundle), matches.map(serverId).sort());
      if (includes) assert.deepEqual(includedIds(bundle), [...new Set(includes.map(serverRef))].sort());
    });
  }
}

/** The most frequent code of a set of Observations. */
function commonestCode(observations: Entry[]): string {
  const counts = new Map<string, number>();
  for (const code of observations.flatMap((entry) => codes(entry.resource.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}

/** A value strictly between the two middle values, so no stored value sits on the boundary. */
function middleThreshold(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return ((sorted[half - 1] + sorted[half]) / 2).toFixed(6);
}

for (const bundle of bundles) {
  const patientEntry = ofType(bundle.entries, 'Patient')[0];
  const patient = patientEntry.resource;
  const urn = patientEntry.fullUrl;
  const id = () => serverId(urn);
  const family: string = patient.name[0].family;
  const observations = about(bundle.entries, 'Observation', urn);
  const topCode = commonestCode(observations);
  const heights = observations.filter((entry) => codes(entry.resource.code).includes(`${LOINC}|8302-2`));
  const heightThreshold = middleThreshold(heights.map((entry) => entry.resource.valueQuantity.value));
  const encounters = about(bundle.entries, 'Encounter', urn);
  const starts = encounters.map((entry) => entry.resource.period.start).sort();
  const cut = `${starts[Math.floor(starts.length / 2)].slice(0, 10)}T00:00:00Z`;
  const conditions = about(bundle.entries, 'Condition', urn);
  const withStatus = (status: string) => conditions.filter((entry) => codes(entry.resource.clinicalStatus).includes(`${CLINICAL}|${status}`));
  const requests = about(bundle.entries, 'MedicationRequest', urn);
  const reports = about(bundle.entries, 'DiagnosticReport', urn);
  const mrn = patient.identifier.find((identifier: any) => identifier.system === MRN_SYSTEM).value;

  describe(`Synthea patient ${patient.name[0].given[0]} ${family}`, () => {
    fixtureCases('Observation', [
      { title: 'all of the patient', query: () => `patient=${id()}&_count=1000`, matches: urns(observations) },
      {
        title: `the patient's ${topCode}`, query: () => `patient=${id()}&code=${topCode}&_count=1000`,
        matches: urns(observations.filter((entry) => codes(entry.resource.code).includes(topCode))),
      },
      {
        title: 'vital signs', query: () => `patient=${id()}&category=vital-signs&_count=1000`,
        matches: urns(observations.filter((entry) => (entry.resource.category ?? []).some((category: any) => codes(category).some((code) => code.endsWith('|vital-signs'))))),
      },
      { title: 'by the family name of the subject', query: () => `subject:Patient.family=${family}&_count=1000`, matches: urns(observations) },
      {
        title: `body heights over ${heightThreshold} cm`,
        query: () => `patient=${id()}&code=${LOINC}|8302-2&value-quantity=gt${heightThreshold}|http://unitsofmeasure.org|cm`,
        matches: urns(heights.filter((entry) => entry.resource.valueQuantity.value > Number(heightThreshold))),
      },
    ]);
    fixtureCases('Encounter', [
      { title: 'all of the patient', query: () => `patient=${id()}&_count=1000`, matches: urns(encounters) },
      {
        title: `ending at or after ${cut}`, query: () => `patient=${id()}&date=ge${cut}`,
        matches: urns(encounters.filter((entry) => Date.parse(entry.resource.period.end) >= Date.parse(cut))),
      },
      {
        title: `starting before ${cut}`, query: () => `patient=${id()}&date=lt${cut}`,
        matches: urns(encounters.filter((entry) => Date.parse(entry.resource.period.start) < Date.parse(cut))),
      },
      {
        title: 'ambulatory', query: () => `patient=${id()}&class=AMB`,
        matches: urns(encounters.filter((entry) => entry.resource.class.code === 'AMB')),
      },
    ]);
    fixtureCases('Condition', [
      { title: 'active', query: () => `patient=${id()}&clinical-status=active`, matches: urns(withStatus('active')) },
      { title: 'resolved', query: () => `patient=${id()}&clinical-status=${CLINICAL}|resolved`, matches: urns(withStatus('resolved')) },
    ]);
    fixtureCases('MedicationRequest', [
      {
        title: 'with their requesters', query: () => `patient=${id()}&_include=MedicationRequest:requester`,
        matches: urns(requests), includes: requests.map((entry) => entry.resource.requester.reference),
      },
    ]);
    fixtureCases('DiagnosticReport', [
      {
        title: 'with their results', query: () => `patient=${id()}&_include=DiagnosticReport:result&_count=1000`,
        matches: urns(reports), includes: reports.flatMap((entry) => (entry.resource.result ?? []).map((result: any) => result.reference)),
      },
    ]);
    fixtureCases('Immunization', [
      {
        title: 'CVX 140', query: () => `patient=${id()}&vaccine-code=${CVX}|140`,
        matches: urns(about(bundle.entries, 'Immunization', urn, 'patient').filter((entry) => codes(entry.resource.vaccineCode).includes(`${CVX}|140`))),
      },
    ]);
    fixtureCases('Patient', [
      { title: 'by medical record number', query: () => `identifier=${MRN_SYSTEM}|${mrn}`, matches: [urn] },
      {
        title: 'with its conditions', query: () => `_id=${id()}&_revinclude=Condition:patient`,
        matches: [urn], includes: urns(conditions),
      },
    ]);
  });
}

describe('Synthea: searches across the three patients', () => {
  const patients = ofType(everything, 'Patient');
  const snomedCode = `${SNOMED}|444814009`;
  fixtureCases('Patient', [
    { title: 'by the SMART tag', query: () => `_tag=${SMART_TAG}`, matches: urns(patients) },
    {
      title: 'born on or before 1980-01-01', query: () => 'birthdate=le1980-01-01',
      matches: urns(patients.filter((entry) => entry.resource.birthDate <= '1980-01-01')),
    },
    {
      title: 'deceased', query: () => 'deceased=true',
      matches: urns(patients.filter((entry) => entry.resource.deceasedDateTime !== undefined || entry.resource.deceasedBoolean === true)),
    },
    {
      title: `with a condition ${snomedCode}`, query: () => `_has:Condition:patient:code=${snomedCode}`,
      matches: [...new Set(ofType(everything, 'Condition')
        .filter((entry) => codes(entry.resource.code).includes(snomedCode)).map((entry) => entry.resource.subject.reference))],
    },
  ]);
  fixtureCases('Observation', [
    {
      title: 'every body height', query: () => `code=${LOINC}|8302-2&_count=1000`,
      matches: urns(ofType(everything, 'Observation').filter((entry) => codes(entry.resource.code).includes(`${LOINC}|8302-2`))),
    },
  ]);
  fixtureCases('Encounter', [
    { title: 'every encounter', query: () => '_count=1000', matches: urns(ofType(everything, 'Encounter')) },
  ]);
});
