/**
 * The resources and cases of compiled-sql.test.ts: per parameter type (and per type's meaning of
 * _filter's operators), a query, the SQL condition it compiles to (text with $n placeholders, and
 * the bound values) and the ids it finds; and per sortable type a _sort key's SQL and order.
 */
import type { TestResource } from '../search-cases.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

export const resources: TestResource[] = [
  {
    resourceType: 'Patient', id: 'p1', active: true, gender: 'female', birthDate: '1970-05-01',
    name: [{ family: 'Smith', given: ['Anna'] }], identifier: [{ system: 'urn:mrn', value: '1001' }],
  },
  {
    resourceType: 'Patient', id: 'p2', active: false, gender: 'male', birthDate: '1985',
    name: [{ family: 'Smithers', given: ['Ben'] }], identifier: [{ system: 'urn:mrn', value: '1002' }],
  },
  { resourceType: 'Patient', id: 'p3', gender: 'female', birthDate: '2001-03-04', name: [{ family: 'Jones' }] },
  {
    resourceType: 'Observation', id: 'o1', status: 'final', subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: LOINC, code: '8867-4' }] }, effectiveDateTime: '2024-01-10T08:00:00Z',
    valueQuantity: { value: 72, unit: 'beats/minute', system: UCUM, code: '/min' },
  },
  {
    resourceType: 'Observation', id: 'o2', status: 'final', subject: { reference: 'Patient/p2' },
    code: { coding: [{ system: LOINC, code: '8310-5' }] }, effectiveDateTime: '2024-02-10',
    valueQuantity: { value: 37.5, unit: 'C', system: UCUM, code: 'Cel' },
  },
  {
    resourceType: 'Observation', id: 'o3', status: 'final', subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: LOINC, code: '8867-4' }] }, effectiveDateTime: '2024-03-01T10:00:00Z',
    valueQuantity: { value: 95, unit: 'beats/minute', system: UCUM, code: '/min' },
  },
  { resourceType: 'RiskAssessment', id: 'ra1', status: 'final', subject: { reference: 'Patient/p1' }, prediction: [{ probabilityDecimal: 0.3 }] },
  { resourceType: 'RiskAssessment', id: 'ra2', status: 'final', subject: { reference: 'Patient/p2' }, prediction: [{ probabilityDecimal: 0.8 }] },
  { resourceType: 'ValueSet', id: 'vs1', status: 'active', url: 'http://example.org/vs/a' },
  { resourceType: 'ValueSet', id: 'vs2', status: 'active', url: 'http://example.org/vs/b' },
  { resourceType: 'ValueSet', id: 'vs3', status: 'active', url: 'http://other.org/vs' },
];

export interface CompiledCase {
  /** The parameter type the case is about. */
  type: string;
  resourceType: string;
  /** One parameter as written: name=value (the value is taken as it is, not percent-decoded). */
  query: string;
  sql: string;
  params: unknown[];
  ids: string[];
}

export const cases: CompiledCase[] = [
  {
    type: 'string', resourceType: 'Patient', query: 'name=smi',
    sql: `flint_string_text(r0.resource, ARRAY['$."name"']::text[]) LIKE flint_norm($1)`,
    params: ['%\u001fsmi%'],
    ids: ['p1', 'p2'],
  },
  {
    type: 'string', resourceType: 'Patient', query: 'name:contains=mith',
    sql: `flint_string_text(r0.resource, ARRAY['$."name"']::text[]) LIKE flint_norm($1)`,
    params: ['%mith%'],
    ids: ['p1', 'p2'],
  },
  {
    type: 'string', resourceType: 'Patient', query: 'name:exact=Smith',
    sql: `flint_string_exact(r0.resource, ARRAY['$."name"']::text[]) && $1::text[]`,
    params: [['Smith']],
    ids: ['p1'],
  },
  {
    type: 'token', resourceType: 'Patient', query: 'gender=female',
    sql: `flint_token_keys(r0.resource, ARRAY['$."gender"']::text[]) && $1::text[]`,
    params: [['female']],
    ids: ['p1', 'p3'],
  },
  {
    type: 'token', resourceType: 'Patient', query: 'identifier=urn:mrn|1001',
    sql: `flint_token_keys(r0.resource, ARRAY['$."identifier"']::text[]) && $1::text[]`,
    params: [['urn:mrn|1001']],
    ids: ['p1'],
  },
  {
    type: 'token', resourceType: 'Patient', query: 'gender:not=female',
    sql: `NOT flint_token_keys(r0.resource, ARRAY['$."gender"']::text[]) && $1::text[]`,
    params: [['female']],
    ids: ['p2'],
  },
  {
    type: 'reference', resourceType: 'Observation', query: 'subject=Patient/p1',
    sql: `flint_reference_keys(r0.resource, ARRAY['$."subject"']::text[]) && $1::text[]`,
    params: [['Patient/p1', 'http://flint.test/fhir/Patient/p1']],
    ids: ['o1', 'o3'],
  },
  {
    type: 'reference', resourceType: 'Observation', query: 'subject=p2',
    sql: `flint_reference_keys(r0.resource, ARRAY['$."subject"']::text[]) && $1::text[]`,
    params: [['Group/p2', 'http://flint.test/fhir/Group/p2', 'Device/p2', 'http://flint.test/fhir/Device/p2', 'Patient/p2', 'http://flint.test/fhir/Patient/p2', 'Location/p2', 'http://flint.test/fhir/Location/p2']],
    ids: ['o2'],
  },
  {
    type: 'date', resourceType: 'Patient', query: 'birthdate=1970',
    sql: `(flint_date_envelope(r0.resource, ARRAY['$."birthDate"']::text[]) && tstzrange($1::timestamptz, $2::timestamptz) AND EXISTS (SELECT 1 FROM unnest(flint_date_ranges(r0.resource, ARRAY['$."birthDate"']::text[])) AS r WHERE r <@ tstzrange($3::timestamptz, $4::timestamptz)))`,
    params: ['1970-01-01T00:00:00.000Z', '1971-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '1971-01-01T00:00:00.000Z'],
    ids: ['p1'],
  },
  {
    type: 'date', resourceType: 'Patient', query: 'birthdate=ge1980&birthdate=lt2000',
    sql: `flint_date_envelope(r0.resource, ARRAY['$."birthDate"']::text[]) && tstzrange($1::timestamptz, $2::timestamptz)`,
    params: ['1980-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z'],
    ids: ['p2'],
  },
  {
    type: 'date', resourceType: 'Patient', query: 'birthdate=sa1985',
    sql: `(flint_date_envelope(r0.resource, ARRAY['$."birthDate"']::text[]) && tstzrange($1::timestamptz, NULL) AND EXISTS (SELECT 1 FROM unnest(flint_date_ranges(r0.resource, ARRAY['$."birthDate"']::text[])) AS r WHERE lower(r) >= $2::timestamptz))`,
    params: ['1986-01-01T00:00:00.000Z', '1986-01-01T00:00:00.000Z'],
    ids: ['p3'],
  },
  {
    type: 'number', resourceType: 'RiskAssessment', query: 'probability=gt0.5',
    sql: `EXISTS (SELECT 1 FROM unnest(flint_numbers(r0.resource, ARRAY['$."prediction"."probabilityDecimal"']::text[])) AS n WHERE n > $1::numeric)`,
    params: ['0.5'],
    ids: ['ra2'],
  },
  {
    type: 'quantity', resourceType: 'Observation', query: 'value-quantity=lt80|http://unitsofmeasure.org|/min',
    sql: `EXISTS (SELECT 1 FROM jsonb_array_elements(flint_quantities(r0.resource, ARRAY['$."valueQuantity"']::text[])) AS q WHERE ((q->>'value')::numeric < $1::numeric AND q->>'system' = $2 AND q->>'code' = $3))`,
    params: ['80', 'http://unitsofmeasure.org', '/min'],
    ids: ['o1'],
  },
  {
    type: 'uri', resourceType: 'ValueSet', query: 'url=http://example.org/vs/a',
    sql: `flint_string_exact(r0.resource, ARRAY['$."url"']::text[]) && $1::text[]`,
    params: [['http://example.org/vs/a']],
    ids: ['vs1'],
  },
  {
    type: 'uri', resourceType: 'ValueSet', query: 'url:below=http://example.org/vs',
    sql: `EXISTS (SELECT 1 FROM unnest(flint_string_exact(r0.resource, ARRAY['$."url"']::text[])) AS u WHERE starts_with(u, $1))`,
    params: ['http://example.org/vs'],
    ids: ['vs1', 'vs2'],
  },
  {
    type: 'composite', resourceType: 'Observation', query: 'code-value-quantity=http://loinc.org|8867-4$gt80',
    sql: `EXISTS (SELECT 1 FROM jsonb_path_query(r0.resource, $1::jsonpath) AS r1(doc) WHERE (flint_token_keys(r1.doc, ARRAY['$."code"']::text[]) && $2::text[] AND EXISTS (SELECT 1 FROM jsonb_array_elements(flint_quantities(r1.doc, ARRAY['$."valueQuantity"']::text[])) AS q WHERE (q->>'value')::numeric > $3::numeric)))`,
    params: ['$[*]', ['http://loinc.org|8867-4'], '80'],
    ids: ['o3'],
  },
  {
    type: 'any (:missing)', resourceType: 'Patient', query: 'identifier:missing=true',
    sql: `NOT r0.resource @? '$."identifier"'::jsonpath`,
    params: [],
    ids: ['p3'],
  },
  {
    type: 'number', resourceType: 'RiskAssessment', query: 'probability=0.3',
    sql: `EXISTS (SELECT 1 FROM unnest(flint_numbers(r0.resource, ARRAY['$."prediction"."probabilityDecimal"']::text[])) AS n WHERE (n >= $1::numeric - $2::numeric AND n < $3::numeric + $4::numeric))`,
    params: ['0.3', '5e-2', '0.3', '5e-2'],
    ids: ['ra1'],
  },
  {
    type: 'quantity', resourceType: 'Observation', query: 'value-quantity=gt90||/min',
    sql: `EXISTS (SELECT 1 FROM jsonb_array_elements(flint_quantities(r0.resource, ARRAY['$."valueQuantity"']::text[])) AS q WHERE ((q->>'value')::numeric > $1::numeric AND (q->>'code' = $2 OR q->>'unit' = $3)))`,
    params: ['90', '/min', '/min'],
    ids: ['o3'],
  },
  {
    type: 'uri', resourceType: 'ValueSet', query: 'url:above=http://example.org/vs/a/b',
    sql: `EXISTS (SELECT 1 FROM unnest(flint_string_exact(r0.resource, ARRAY['$."url"']::text[])) AS u WHERE starts_with($1, u))`,
    params: ['http://example.org/vs/a/b'],
    ids: ['vs1'],
  },
  {
    type: '_filter on string', resourceType: 'Patient', query: '_filter=family eq "smith"',
    sql: `EXISTS (SELECT 1 FROM unnest(flint_string_exact(r0.resource, ARRAY['$."name"."family"']::text[])) AS v WHERE flint_norm(v) = flint_norm($1))`,
    params: ['smith'],
    ids: ['p1'],
  },
  {
    type: '_filter on string', resourceType: 'Patient', query: '_filter=name co "mith"',
    sql: `flint_string_text(r0.resource, ARRAY['$."name"']::text[]) LIKE flint_norm($1)`,
    params: ['%mith%'],
    ids: ['p1', 'p2'],
  },
  {
    type: '_filter on token', resourceType: 'Patient', query: '_filter=gender ne male',
    sql: `(r0.resource @? '$."gender"'::jsonpath AND NOT flint_token_keys(r0.resource, ARRAY['$."gender"']::text[]) && $1::text[])`,
    params: [['male']],
    ids: ['p1', 'p3'],
  },
  {
    type: '_filter on date', resourceType: 'Patient', query: '_filter=birthdate lt 1980-01-01',
    sql: `flint_date_envelope(r0.resource, ARRAY['$."birthDate"']::text[]) && tstzrange(NULL, $1::timestamptz)`,
    params: ['1980-01-01T00:00:00.000Z'],
    ids: ['p1'],
  },
  {
    type: '_filter on uri', resourceType: 'ValueSet', query: '_filter=url sw http://example.org',
    sql: `EXISTS (SELECT 1 FROM unnest(flint_string_exact(r0.resource, ARRAY['$."url"']::text[])) AS u WHERE starts_with(u, $1))`,
    params: ['http://example.org'],
    ids: ['vs1', 'vs2'],
  },
  {
    type: '_filter on quantity', resourceType: 'Observation', query: '_filter=value-quantity gt 90',
    sql: `EXISTS (SELECT 1 FROM jsonb_array_elements(flint_quantities(r0.resource, ARRAY['$."valueQuantity"']::text[])) AS q WHERE (q->>'value')::numeric > $1::numeric)`,
    params: ['90'],
    ids: ['o3'],
  },
];

export interface SortCase {
  type: string;
  resourceType: string;
  /** One _sort key: code or -code. */
  sort: string;
  sql: string;
  /** Every resource of the type in the key's order (then id). */
  ids: string[];
}

export const sortCases: SortCase[] = [
  {
    type: 'string', resourceType: 'Patient', sort: 'family',
    sql: `flint_string_text(r0.resource, ARRAY['$."name"."family"']::text[])`,
    ids: ['p3', 'p1', 'p2'],
  },
  {
    type: 'token', resourceType: 'Patient', sort: '-gender',
    sql: `(SELECT max(k) FROM unnest(flint_token_keys(r0.resource, ARRAY['$."gender"']::text[])) AS k WHERE strpos(k, '|') = 0)`,
    ids: ['p2', 'p1', 'p3'],
  },
  {
    type: 'reference', resourceType: 'Observation', sort: 'subject',
    sql: `(SELECT min(k) FROM unnest(flint_reference_keys(r0.resource, ARRAY['$."subject"']::text[])) AS k)`,
    ids: ['o1', 'o3', 'o2'],
  },
  {
    type: 'date', resourceType: 'Patient', sort: '-birthdate',
    sql: `upper(flint_date_envelope(r0.resource, ARRAY['$."birthDate"']::text[]))`,
    ids: ['p3', 'p2', 'p1'],
  },
  {
    type: 'date', resourceType: 'Observation', sort: 'date',
    sql: `lower(flint_date_envelope(r0.resource, ARRAY['$."effectiveDateTime"', '$."effectivePeriod"', '$."effectiveTiming"', '$."effectiveInstant"']::text[]))`,
    ids: ['o1', 'o2', 'o3'],
  },
  {
    type: 'number', resourceType: 'RiskAssessment', sort: '-probability',
    sql: `(SELECT max(n) FROM unnest(flint_numbers(r0.resource, ARRAY['$."prediction"."probabilityDecimal"']::text[])) AS n)`,
    ids: ['ra2', 'ra1'],
  },
  {
    type: 'quantity', resourceType: 'Observation', sort: 'value-quantity',
    sql: `(SELECT min((q->>'value')::numeric) FROM jsonb_array_elements(flint_quantities(r0.resource, ARRAY['$."valueQuantity"']::text[])) AS q)`,
    ids: ['o2', 'o1', 'o3'],
  },
  {
    type: 'uri', resourceType: 'ValueSet', sort: '-url',
    sql: `(SELECT max(u) FROM unnest(flint_string_exact(r0.resource, ARRAY['$."url"']::text[])) AS u)`,
    ids: ['vs3', 'vs2', 'vs1'],
  },
];
