/**
 * Cross-checks search against FHIRPath: about fifty FHIR R4 spec examples are stored, then for every
 * token, string and reference SearchParameter of their types (from the core package), each value the
 * parameter's FHIRPath expression yields for an example is searched for, and the search must find
 * every example that yields that value (exactly those for system|code tokens and references, whose
 * matching leaves no room for interpretation). A difference means the search extracts values
 * differently from the parameter's definition. Searches use strict handling, so a parameter the
 * server ignores fails instead of matching everything.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { evaluateFhirPathTyped } from '../../src/fhirpath/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { matchIds } from './search-cases.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fhir-r4-examples', 'examples.ndjson.gz');
/** How many examples of each type are stored (the first ones in file order). */
const PICK: Record<string, number> = { Patient: 12, Observation: 15, Encounter: 8, Condition: 8, Practitioner: 5, Organization: 5 };
/** Parameters whose matching the spec leaves to the server. */
const SKIPPED = new Set(['phonetic', 'deceased', '_text', '_content', '_filter', '_query']);
/** At most this many distinct values are searched per parameter. */
const VALUES_PER_PARAMETER = 12;
const STRICT = { headers: { prefer: 'handling=strict' } };

const examples: any[] = gunzipSync(readFileSync(EXAMPLES)).toString('utf8').trim().split('\n')
  .map((line) => JSON.parse(line).resource);
const picked = Object.entries(PICK).flatMap(([type, count]) => examples.filter((resource) => resource.resourceType === type).slice(0, count));

/** resolve() is not available over plain JSON: a reference's type is read from its text instead. */
function withoutResolve(expression: string): string {
  return expression.replace(/\.where\(resolve\(\) is (\w+)\)/g, ".where(reference.startsWith('$1/'))");
}

function hasReservedCharacter(value: string): boolean {
  return /[|$\\]/.test(value);
}
const escapeCommas = (value: string) => value.replace(/,/g, '\\,');

function tokenValues(value: any, type: string): string[] {
  const coding = (item: any, code: string | undefined): string[] => {
    if (typeof code !== 'string' || hasReservedCharacter(code)) return [];
    return item.system && !hasReservedCharacter(item.system) ? [code, `${item.system}|${code}`] : [code];
  };
  switch (type) {
    case 'FHIR.Coding': return coding(value, value.code);
    case 'FHIR.CodeableConcept': return (value.coding ?? []).flatMap((item: any) => coding(item, item.code));
    case 'FHIR.Identifier': return coding(value, value.value);
    case 'FHIR.ContactPoint': return typeof value.value === 'string' && !hasReservedCharacter(value.value) ? [value.value] : [];
    case 'FHIR.boolean': case 'System.Boolean': return [String(value)];
    case 'FHIR.code': case 'FHIR.string': case 'FHIR.uri': case 'FHIR.id': case 'System.String':
      return typeof value === 'string' && !hasReservedCharacter(value) ? [value] : [];
    default: return [];
  }
}

function stringValues(value: any, type: string): string[] {
  let text: unknown;
  if (type === 'FHIR.HumanName') text = value.family ?? value.given?.[0] ?? value.text;
  else if (type === 'FHIR.Address') text = value.city ?? value.line?.[0] ?? value.text;
  else if (type === 'FHIR.string' || type === 'FHIR.markdown' || type === 'System.String') text = value;
  return typeof text === 'string' && text.trim() !== '' && !hasReservedCharacter(text) ? [text] : [];
}

function referenceValues(value: any, type: string): string[] {
  const text = type === 'FHIR.Reference' ? value.reference : type === 'FHIR.canonical' || type === 'FHIR.uri' ? value : undefined;
  if (typeof text !== 'string' || text.startsWith('#') || text.startsWith('urn:') || text.includes('/_history/')) return [];
  return hasReservedCharacter(text) ? [] : [text];
}

const EXTRACT: Record<string, (value: any, type: string) => string[]> = {
  token: tokenValues, string: stringValues, reference: referenceValues,
};

interface ParameterPlan {
  type: string;
  code: string;
  /** Reference parameters match exactly the holders of a value. */
  exact: boolean;
  /** Search value -> ids of the examples whose expression yields it. */
  holders: Map<string, Set<string>>;
}

async function planChecks(): Promise<ParameterPlan[]> {
  const model = await loadCoreModel();
  const plans: ParameterPlan[] = [];
  for (const type of Object.keys(PICK)) {
    for (const [code, parameter] of model.searchParameters.forType(type)) {
      const extract = EXTRACT[parameter.type];
      if (!extract || !parameter.expression || SKIPPED.has(code)) continue;
      const holders = new Map<string, Set<string>>();
      try {
        for (const resource of picked.filter((example) => example.resourceType === type)) {
          for (const { value, type: valueType } of evaluateFhirPathTyped(resource, withoutResolve(parameter.expression))) {
            for (const searchValue of extract(value, valueType)) {
              if (!holders.has(searchValue) && holders.size >= VALUES_PER_PARAMETER) continue;
              holders.set(searchValue, (holders.get(searchValue) ?? new Set()).add(resource.id));
            }
          }
        }
      } catch {
        continue; // An expression the engine cannot evaluate on these examples is not checked.
      }
      if (holders.size > 0) plans.push({ type, code, exact: parameter.type === 'reference', holders });
    }
  }
  return plans;
}

const plans = await planChecks();
let flint: TestFlint;
const rejected = new Set<string>();

before(async () => {
  flint = await startTestFlint();
  for (const resource of picked) {
    const answer = await flint.put(`/fhir/${resource.resourceType}/${resource.id}`, resource);
    if (answer.status !== 200 && answer.status !== 201) rejected.add(`${resource.resourceType}/${resource.id}`);
  }
});
after(async () => { await flint.stop(); });

describe('search finds what the parameter expressions yield for the spec examples', () => {
  it('stores (nearly) all the picked examples and has parameters to check', () => {
    assert.ok(picked.length >= 50, `${picked.length} examples picked`);
    assert.ok(rejected.size <= 3, `rejected: ${[...rejected].join(', ')}`);
    assert.ok(plans.length >= 60, `${plans.length} parameters to check`);
  });

  for (const { type, code, exact, holders } of plans) {
    it(`${type}?${code}=<each value> (${holders.size} values)`, async () => {
      const misses: string[] = [];
      for (const [value, ids] of holders) {
        const expected = [...ids].filter((id) => !rejected.has(`${type}/${id}`)).sort();
        if (expected.length === 0) continue;
        const url = `/fhir/${type}?${code}=${encodeURIComponent(escapeCommas(value))}&_count=1000`;
        const answer = await flint.get(url, STRICT);
        if (answer.status !== 200) {
          misses.push(`${code}=${value} answered ${answer.status}`);
          continue;
        }
        const found = matchIds(answer.body);
        const missing = expected.filter((id) => !found.includes(id));
        if (missing.length > 0) misses.push(`${code}=${value} misses ${missing.join(', ')}`);
        const extra = found.filter((id) => !expected.includes(id));
        if ((exact || value.includes('|')) && extra.length > 0) misses.push(`${code}=${value} also finds ${extra.join(', ')}`);
      }
      assert.deepEqual(misses, []);
    });
  }
});
