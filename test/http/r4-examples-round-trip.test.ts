/**
 * Every example of the FHIR R4 specification (761 resources, test/fixtures/fhir-r4-examples) is
 * PUT and read back, and what comes back is what was sent, decimals to the digit
 * (http://hl7.org/fhir/R4/datatypes.html#decimal), apart from meta.versionId and meta.lastUpdated
 * and member order (jsonb orders keys). Examples the server rejects are listed with their errors in
 * known-rejections.json; PostgreSQL's numeric writes a number with an exponent (1E-22) without one
 * (0.0000000000000000000001, the same value and the same digits after the point), and the numbers
 * that changed notation so are listed in notation-changes.json. The test fails when either list
 * stops matching what happens, in either direction.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { numberTextAt, parseFhirJson, type Resource } from '../../src/core/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

interface Example {
  file: string;
  type: string;
  id: string;
  /** The resource's JSON text as the specification has it (whitespace removed). */
  text: string;
}

const fixtures = new URL('../fixtures/fhir-r4-examples/', import.meta.url);
const MEMBER = ',"resource":';

/** Each line is {"file":...,"resource":<the resource text>}: the resource text is sliced out as it is. */
function readExamples(): Example[] {
  const lines = gunzipSync(readFileSync(new URL('examples.ndjson.gz', fixtures))).toString('utf8').trim().split('\n');
  return lines.map((line) => {
    const file = (JSON.parse(line) as { file: string }).file;
    let text = line.slice(line.indexOf(MEMBER) + MEMBER.length, -1);
    const resource = JSON.parse(text) as Resource;
    // The one example without an id (Parameters) gets one, so that it can be PUT.
    if (resource.id === undefined) text = text.replace(/^\{/, `{"id":"${file.replace(/^.*\/|\.json$/g, '').toLowerCase()}",`);
    const { resourceType, id } = JSON.parse(text) as Resource;
    return { file, type: resourceType, id: id!, text };
  });
}

/** A number's text as PostgreSQL's numeric writes it: positional, with the scale the text implies. */
export function positionalDecimal(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = '', exponentText] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  let written: string;
  if (point <= 0) written = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) written = digits + '0'.repeat(point - digits.length);
  else written = `${digits.slice(0, point)}.${digits.slice(point)}`;
  written = written.replace(/^0+(?=\d)/, '');
  return /[1-9]/.test(written) ? sign + written : written;
}

interface Compared {
  /** Numbers whose text came back in positional notation: "file path: sent -> stored". */
  notation: string[];
}

/** The value with every number replaced by {number: its text}, so deep equality compares texts. */
function withTexts(value: unknown, path: string, compared: Compared | undefined, file: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  const copy: Record<string | number, unknown> = Array.isArray(value) ? [] as unknown as Record<number, unknown> : {};
  for (const [key, item] of entries) {
    const at = `${path}.${key}`;
    if (typeof item !== 'number') copy[key] = withTexts(item, at, compared, file);
    else {
      const text = numberTextAt(value, key, item) ?? String(item);
      const stored = compared ? positionalDecimal(text) : text;
      if (compared && stored !== text) compared.notation.push(`${file} ${at}: ${text} -> ${stored}`);
      copy[key] = { number: stored };
    }
  }
  return copy;
}

function withoutServerMeta(resource: Record<string, unknown>): Record<string, unknown> {
  const meta = { ...(resource.meta as Record<string, unknown> | undefined) };
  delete meta.versionId;
  delete meta.lastUpdated;
  const { meta: _meta, ...rest } = resource;
  return Object.keys(meta).length > 0 ? { ...rest, meta } : rest;
}

/** Number tokens outside strings, sorted: an account of the texts independent of the parser. */
function numberTokens(text: string): string[] {
  return [...text.matchAll(/"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g)].flatMap((m) => (m[1] ? [m[1]] : [])).sort();
}

function batch(examples: Example[]): string {
  const entries = examples.map((example) => `{"resource":${example.text},"request":{"method":"PUT","url":"${example.type}/${example.id}"}}`);
  return `{"resourceType":"Bundle","type":"batch","entry":[${entries.join(',')}]}`;
}

/** Batches of about 2 MB (the largest example, ImplementationGuide-fhir, is 2.8 MB on its own). */
function batches(examples: Example[]): Example[][] {
  const result: Example[][] = [[]];
  let size = 0;
  for (const example of examples) {
    if (size > 2_000_000) {
      result.push([]);
      size = 0;
    }
    result[result.length - 1].push(example);
    size += example.text.length;
  }
  return result;
}

type Rejections = Record<string, { status: string; errors: string[] }>;

interface Issue {
  severity?: string;
  code?: string;
  details?: { coding?: { code?: string }[] };
  expression?: string[];
}

/** The errors of an OperationOutcome as "code at expression", sorted and without repeats. */
function errorsOf(outcome: Resource | undefined): string[] {
  const issues = ((outcome?.issue ?? []) as Issue[]).filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  const errors = issues.map((issue) => `${issue.details?.coding?.[0]?.code ?? issue.code} at ${issue.expression?.join(', ') ?? '-'}`);
  return [...new Set(errors)].sort();
}

const examples = readExamples();
const knownRejections = JSON.parse(readFileSync(new URL('known-rejections.json', fixtures), 'utf8')) as Rejections;
const knownNotation = JSON.parse(readFileSync(new URL('notation-changes.json', fixtures), 'utf8')) as string[];

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

describe('the FHIR R4 examples round-trip through PUT and read', () => {
  const rejected: Rejections = {};
  const accepted: Example[] = [];

  it('PUTs every example (in batches); the rejected ones are the known ones, with the same errors', async () => {
    for (const part of batches(examples)) {
      const answer = await flint.request('POST', '/fhir', undefined, { raw: batch(part) });
      assert.equal(answer.status, 200, answer.text.slice(0, 2000));
      (answer.body.entry as { response: { status: string; outcome?: Resource } }[]).forEach((entry, index) => {
        const example = part[index];
        if (/^20[01]/.test(entry.response.status)) accepted.push(example);
        else {
          rejected[example.file] = { status: entry.response.status, errors: errorsOf(entry.response.outcome) };
        }
      });
    }
    assert.equal(accepted.length + Object.keys(rejected).length, examples.length);
    assert.deepEqual(rejected, knownRejections);
  });

  it('reads every accepted example back exactly, number texts included', async () => {
    const compared: Compared = { notation: [] };
    const differs: string[] = [];
    for (const example of accepted) {
      const read = await flint.get(`/fhir/${example.type}/${example.id}`);
      assert.equal(read.status, 200, `${example.file}: ${read.text.slice(0, 500)}`);
      const back = withTexts(withoutServerMeta(parseFhirJson(read.text) as Record<string, unknown>), '', undefined, example.file);
      const sent = withTexts(withoutServerMeta(parseFhirJson(example.text) as Record<string, unknown>), '', compared, example.file);
      try {
        assert.deepStrictEqual(back, sent);
        assert.deepEqual(numberTokens(read.text), numberTokens(example.text).map(positionalDecimal).sort());
      } catch (error) {
        differs.push(`${example.file}: ${(error as Error).message.slice(0, 600)}`);
      }
    }
    assert.deepEqual(differs, []);
    assert.deepEqual(compared.notation, knownNotation);
  });
});
