/**
 * Number and quantity search (http://hl7.org/fhir/R4/search.html#number and #quantity). Without a
 * prefix (and with eq, ne, ap) the search value stands for the range its precision implies:
 * 50 is [49.5, 50.5), 50.0 is [49.95, 50.05), 5e1 is [45, 55). gt, lt, ge, le, sa and eb compare
 * with the exact value. A quantity is number|system|code; number||code matches the code or the
 * unit; a number alone matches any unit.
 */
import { after, before, describe } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { fuzzyCases, putAll, searchCases, UCUM, type TestResource } from './search-cases.js';

let flint: TestFlint;
const server = () => flint;

const risk = (id: string, probabilities: number[]): TestResource => ({
  resourceType: 'RiskAssessment', id, status: 'final', subject: { reference: 'Patient/p' },
  prediction: probabilities.length === 0
    ? [{ outcome: { text: 'no figure given' } }]
    : probabilities.map((probabilityDecimal) => ({ outcome: { text: 'event' }, probabilityDecimal })),
});
const risks = [
  risk('r50', [50]),
  risk('r496', [49.6]),
  risk('r504', [50.4]),
  risk('r494', [49.4]),
  risk('r46', [46]),
  risk('r54', [54]),
  risk('r56', [56]),
  risk('r02', [0.2]),
  risk('rmulti', [10, 90]),
  risk('rnone', []),
];

const quantity = (id: string, value: object): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { text: 'dose' }, ...value,
});
const quantities = [
  quantity('q1', { valueQuantity: { value: 5.4, unit: 'mg', system: UCUM, code: 'mg' } }),
  quantity('q2', { valueQuantity: { value: 5.44, unit: 'mg', system: UCUM, code: 'mg' } }),
  quantity('q3', { valueQuantity: { value: 5.46, unit: 'mg', system: UCUM, code: 'mg' } }),
  quantity('q4', { valueQuantity: { value: 5.4, unit: 'g', system: UCUM, code: 'g' } }),
  quantity('q5', { valueQuantity: { value: 5.4, unit: 'milligram', system: 'http://acme.org/units', code: 'mg' } }),
  quantity('q6', { valueQuantity: { value: 5.4, unit: 'mg' } }),
  // A choice type: the same figure as a string is no quantity.
  quantity('q7', { valueString: '5.4 mg' }),
  quantity('q8', { valueQuantity: { value: 100, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } }),
  quantity('q9', { dataAbsentReason: { text: 'not measured' } }),
  // value-quantity is Observation.value only, not a component's value.
  quantity('q10', { component: [{ code: { text: 'part' }, valueQuantity: { value: 5.4, unit: 'mg', system: UCUM, code: 'mg' } }] }),
];

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [{ resourceType: 'Patient', id: 'p' }, ...risks, ...quantities]);
});
after(async () => { await flint.stop(); });

describe('number (RiskAssessment.prediction.probability): implicit precision', () => {
  searchCases(server, 'RiskAssessment', [
    ['probability=50', ['r50', 'r496', 'r504']],
    ['probability=eq50', ['r50', 'r496', 'r504']],
    ['probability=50.0', ['r50']],
    ['probability=50.00', ['r50']],
    ['probability=5e1', ['r46', 'r494', 'r496', 'r50', 'r504', 'r54']],
    ['probability=5.0e1', ['r50', 'r496', 'r504']],
    ['probability=49.6', ['r496']],
    ['probability=0.2', ['r02']],
    ['probability=0.20', ['r02']],
    ['probability=2e-1', ['r02']],
    ['probability=10', ['rmulti']],
    ['probability=51', []],
    ['probability=50,0.2', ['r02', 'r50', 'r496', 'r504']],
  ]);
});

describe('number: prefixes (gt, lt, ge, le, sa, eb compare with the exact value)', () => {
  searchCases(server, 'RiskAssessment', [
    ['probability=gt50', ['r504', 'r54', 'r56', 'rmulti']],
    ['probability=ge50', ['r50', 'r504', 'r54', 'r56', 'rmulti']],
    ['probability=lt50', ['r496', 'r494', 'r46', 'r02', 'rmulti']],
    ['probability=le50', ['r50', 'r496', 'r494', 'r46', 'r02', 'rmulti']],
    ['probability=gt49.5', ['r496', 'r50', 'r504', 'r54', 'r56', 'rmulti']],
    ['probability=lt0.2', []],
    ['probability=le0.2', ['r02']],
    ['probability=gt0.5', ['r50', 'r496', 'r504', 'r494', 'r46', 'r54', 'r56', 'rmulti']],
    ['probability=gt8e1', ['rmulti']],
    ['probability=gt90', []],
    ['probability=ne50', ['r494', 'r46', 'r54', 'r56', 'r02', 'rmulti']],
    ['probability=ne50.0', ['r496', 'r504', 'r494', 'r46', 'r54', 'r56', 'r02', 'rmulti']],
    ['probability=sa50', ['r504', 'r54', 'r56', 'rmulti']],
    ['probability=eb50', ['r496', 'r494', 'r46', 'r02', 'rmulti']],
    // Each parameter may be met by a different prediction of the same resource.
    ['probability=gt40&probability=lt50', ['r496', 'r494', 'r46', 'rmulti']],
    ['probability=gt40&probability=lt50&probability=gt20', ['r496', 'r494', 'r46', 'rmulti']],
    ['probability:missing=true', ['rnone']],
  ]);
  fuzzyCases(server, 'RiskAssessment', [
    { query: 'probability=ap50', includes: ['r50', 'r496', 'r504', 'r494'], excludes: ['r02', 'rmulti', 'rnone'] },
  ]);
});

describe('quantity (Observation.value as Quantity): number|system|code, ||code, number alone', () => {
  searchCases(server, 'Observation', [
    [`value-quantity=5.4|${UCUM}|mg`, ['q1', 'q2']],
    [`value-quantity=5.40|${UCUM}|mg`, ['q1']],
    [`value-quantity=540e-2|${UCUM}|mg`, ['q1']],
    [`value-quantity=5.4|${UCUM}|g`, ['q4']],
    ['value-quantity=5.4|http://acme.org/units|mg', ['q5']],
    ['value-quantity=5.4||mg', ['q1', 'q2', 'q5', 'q6']],
    ['value-quantity=5.4||milligram', ['q5']],
    ['value-quantity=5.4', ['q1', 'q2', 'q4', 'q5', 'q6']],
    ['value-quantity=5.5', ['q3']],
    [`value-quantity=100|${UCUM}|mm[Hg]`, ['q8']],
    [`value-quantity=5.4|${UCUM}|mg,100|${UCUM}|mm[Hg]`, ['q1', 'q2', 'q8']],
    ['value-quantity:missing=true', ['q7', 'q9', 'q10']],
    ['value-string=5.4', ['q7']],
    ['component-value-quantity=5.4', ['q10']],
  ]);
});

describe('quantity: prefixes', () => {
  searchCases(server, 'Observation', [
    [`value-quantity=gt5.4|${UCUM}|mg`, ['q2', 'q3']],
    [`value-quantity=ge5.4|${UCUM}|mg`, ['q1', 'q2', 'q3']],
    [`value-quantity=lt5.45|${UCUM}|mg`, ['q1', 'q2']],
    [`value-quantity=le5.44|${UCUM}|mg`, ['q1', 'q2']],
    [`value-quantity=lt5.4|${UCUM}|mg`, []],
    [`value-quantity=ne5.4|${UCUM}|mg`, ['q3']],
    [`value-quantity=sa5.4|${UCUM}|mg`, ['q2', 'q3']],
    [`value-quantity=eb5.45|${UCUM}|mg`, ['q1', 'q2']],
    [`value-quantity=gt99|${UCUM}|mm[Hg]`, ['q8']],
    [`value-quantity=gt99|${UCUM}|mg`, []],
    ['value-quantity=gt5', ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q8']],
    ['value-quantity=lt5.41||mg', ['q1', 'q5', 'q6']],
    [`value-quantity=gt5.4|${UCUM}|mg&value-quantity=lt5.45|${UCUM}|mg`, ['q2']],
  ]);
  fuzzyCases(server, 'Observation', [
    { query: `value-quantity=ap5.4|${UCUM}|mg`, includes: ['q1', 'q2', 'q3'], excludes: ['q4', 'q7', 'q8', 'q10'] },
  ]);
});
