/**
 * A seeded generator of hostile HTTP requests for the fuzz test: odd methods, paths, ids, query
 * strings (unknown parameters, modifiers, prefixes, too many values), headers and bodies (malformed,
 * deep or wide JSON, wrong types, huge numbers, NUL characters and surrogates, names of
 * Object.prototype members, odd Bundles and patches). The same seed always gives the same requests.
 */

export interface HostileRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** mulberry32: a small, fast, seeded pseudo-random generator (numbers in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROTO = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf', '__defineGetter__'];
const TYPES = ['Patient', 'Observation', 'Bundle', 'Parameters', 'Encounter', 'Foo', 'patient', 'OperationOutcome', ...PROTO];
const IDS = ['x', 'example', '%00', 'a%00b', '%', '%E0%A4%A', '..', '.', 'a'.repeat(65), '99999999999999999999', '%F0%9F%98%80', '%ED%A0%80', '_history', '$validate', '*', '-', 'a b', ...PROTO];
const OPERATIONS = ['validate', 'load-package', 'explain', 'drop-search-index', 'run', 'sql', 'meta', 'everything', 'expand', ...PROTO];
const PARAMS = [
  'name', 'family', 'given', 'birthdate', 'gender', 'identifier', '_id', '_lastUpdated', 'general-practitioner', 'subject', 'code',
  'value-quantity', 'date', '_has:Observation:patient:code', '_filter', '_sort', '_count', '_include', '_revinclude', '_elements',
  '_summary', '_total', '_format', '_pretty', '_type', '_since', '_at', '_cursor', '_text', '_content', '_list', '_query', 'general-practitioner.name',
  'subject:Patient.name', '_profile', '_tag', '_security', '_source', 'telecom', 'address', ...PROTO,
];
const MODIFIERS = ['', ':exact', ':contains', ':missing', ':not', ':text', ':above', ':below', ':in', ':not-in', ':of-type', ':identifier', ':Patient', ':iterate', ':__proto__', ':constructor', ':'];
const VALUES = [
  'x', '', 'a%00b', 'eq2020', 'gt', 'ap1e400', '1e400', '-1', '0', '99999999999999999999', 'NaN', 'a,b,c', '\\,', '|', 'http://x|y', '|y', 'x|',
  '%', '%ZZ', '%ED%A0%80', 'family eq x or given eq y', '(((', 'not (name eq b)', 'name eq "x', 'lt2020-13-45', 'ge2020-01-01T25:00:00Z',
  'sa1.5e3', '5.4|http://unitsofmeasure.org|mg', 'Patient:general-practitioner', '*', 'Patient:*', 'true', 'count', 'accurate',
  'name,-birthdate', '-_lastUpdated', 'json', 'application/xml', 'id,name,__proto__', 'http://example.org/fhir/Patient/x', 'Patient/x/_history/1', ...PROTO,
];
const CONTENT_TYPES = ['application/fhir+json', 'application/json', 'application/json-patch+json', 'application/x-www-form-urlencoded',
  'text/plain', 'application/xml', 'application/fhir+json; charset=latin1', 'multipart/form-data; boundary=x', 'application/__proto__'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export class HostileRequests {
  private readonly random: () => number;

  /** `ids` are ids that exist (so that some requests reach real resources). */
  constructor(seed: number, private readonly ids: string[]) {
    this.random = seededRandom(seed);
  }

  private int(below: number): number {
    return Math.floor(this.random() * below);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private id(): string {
    return this.chance(0.6) && this.ids.length > 0 ? this.pick(this.ids) : this.pick(IDS);
  }

  private path(): string {
    const type = this.chance(0.75) ? this.pick(['Patient', 'Observation']) : this.pick(TYPES);
    const shapes = [
      () => '', () => type, () => `${type}/${this.id()}`, () => `${type}/${this.id()}/_history`,
      () => `${type}/${this.id()}/_history/${this.pick(['1', '2', '0', '-1', '99999999999999999999', 'x', '1.5', '%00'])}`,
      () => `${type}/_search`, () => `${type}/_history`, () => `${type}/$${this.pick(OPERATIONS)}`, () => `$${this.pick(OPERATIONS)}`,
      () => `${type}/${this.id()}/$${this.pick(OPERATIONS)}`, () => `Patient/${this.id()}/${this.pick(['Observation', '*', 'Foo', ...PROTO])}`,
      () => '_history', () => 'metadata', () => `${type}/${this.id()}/${this.id()}/${this.id()}`, () => `${type}//${this.id()}`,
    ];
    return this.pick(shapes)();
  }

  private value(): string {
    if (this.chance(0.02)) return Array.from({ length: 200 + this.int(800) }, (_, i) => `v${i}`).join(',');
    if (this.chance(0.02)) return 'x'.repeat(1 + this.int(20_000));
    if (this.chance(0.02)) return encodeURIComponent(Array.from({ length: 50 + this.int(700) }, (_, i) => `family eq v${i}`).join(this.pick([' or ', ' and '])));
    const value = this.pick(VALUES);
    return /%|\s|"|\(|\||:|,|\\/.test(value) && !value.startsWith('%') ? encodeURIComponent(value) : value;
  }

  private query(): string {
    const count = this.chance(0.3) ? 0 : 1 + this.int(4);
    const pairs: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${this.pick(PARAMS)}${this.pick(MODIFIERS)}`;
      pairs.push(this.chance(0.05) ? name : `${name}=${this.value()}`);
    }
    if (this.chance(0.05)) pairs.push('&&=&%=%&a=%ZZ');
    return pairs.length > 0 ? `?${pairs.join('&')}` : '';
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    const choices: [string, () => string][] = [
      ['accept', () => this.pick(['application/fhir+json', 'application/xml', '*/*;q=0', 'application/json;q=abc', 'text/html', `application/${this.pick(PROTO)}`])],
      ['prefer', () => this.pick(['return=minimal', 'return=representation', 'return=OperationOutcome', 'handling=strict', 'handling=lenient', 'respond-async', `return=${this.pick(PROTO)}`])],
      ['if-match', () => this.pick(['W/"1"', 'W/"99999999999999999999"', '"x"', '*', 'W/""', 'W/"%00"'])],
      ['if-none-match', () => this.pick(['W/"1"', '*', 'W/"abc"', ''])],
      ['if-none-exist', () => this.pick(['identifier=a|b', '_id=x', 'name=%00', '', '__proto__=1', 'family=%'])],
      ['if-modified-since', () => this.pick(['Mon, 01 Jan 2024 00:00:00 GMT', 'yesterday', '0', '99999999999999'])],
      ['x-max-isolation-level', () => this.pick(['read-committed', 'repeatable-read', 'serializable', 'none', ...PROTO])],
      ['x-validate-references', () => this.pick(['true', 'false', 'maybe'])],
      ['accept-encoding', () => this.pick(['gzip', 'br', 'deflate', 'identity;q=0', 'x'])],
      [this.pick(PROTO).toLowerCase(), () => 'x'],
    ];
    for (const [name, value] of choices) if (this.chance(0.12)) headers[name] = value();
    return headers;
  }

  private resource(): Record<string, unknown> {
    const type = this.pick(['Patient', 'Patient', 'Patient', 'Observation', 'Bundle', 'Parameters', ...PROTO, '']);
    const resource: Record<string, unknown> = { resourceType: type };
    if (type === 'Patient' && this.chance(0.5)) resource.name = [{ family: 'Fuzz', given: ['A'] }];
    if (type === 'Observation' && this.chance(0.5)) Object.assign(resource, { status: 'final', code: { text: 'x' } });
    const fields: [string, () => unknown][] = [
      ['id', () => this.pick([this.id(), 5, null, ['x'], 'a\u0000b'])],
      ['active', () => this.pick([true, 'true', 1, null, {}])],
      ['name', () => this.pick([[{ family: 'x' }], 'x', [null], [{ family: 1 }], [{ given: ['a', 1] }], [{ [this.pick(PROTO)]: 'x' }]])],
      ['birthDate', () => this.pick(['2020-01-01', '2020-13-45', 20200101, '', '0000-00-00'])],
      ['meta', () => this.pick([{ versionId: [] }, { profile: ['x'] }, { lastUpdated: 'x' }, null, { tag: [{ code: 1 }] }])],
      ['valueQuantity', () => ({ value: this.pick([1e308, -0, 12345678901234567890, 1.0000000000000002, 'NaN']), unit: 'mg' })],
      ['extension', () => this.pick([[{ url: 'http://e.org/x', valueString: 'x' }], [{}], 'x', [{ url: 1 }]])],
      ['contained', () => [this.resource()]],
      [this.pick(PROTO), () => this.pick(['x', {}, [], null])],
    ];
    for (const [name, value] of fields) if (this.chance(0.15)) resource[name] = value();
    return resource;
  }

  private bundle(): Record<string, unknown> {
    const entries = Array.from({ length: this.int(5) }, () => this.pick<() => unknown>([
      () => ({ resource: this.resource(), request: { method: this.pick(METHODS), url: `${this.path()}${this.query()}` } }),
      () => ({ request: { method: 'GET', url: this.pick(['Patient/%', 'Patient?name=%', '%00', '', 'http://other.org/Patient/1', 'urn:uuid:x']) } }),
      () => ({ fullUrl: 'urn:uuid:1', resource: { resourceType: 'Patient', link: [{ other: { reference: 'urn:uuid:1' }, type: 'refer' }] }, request: { method: 'POST', url: 'Patient' } }),
      () => this.pick([null, 'x', 1, {}, { request: null }, { request: { method: 'hasOwnProperty', url: 'Patient' } }]),
    ])());
    return { resourceType: 'Bundle', type: this.pick(['transaction', 'batch', 'collection', 'searchset', 'constructor', 1]), entry: entries };
  }

  private patch(): unknown {
    if (this.chance(0.5)) {
      return Array.from({ length: 1 + this.int(3) }, () => ({
        op: this.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', '_get', ...PROTO]),
        path: this.pick(['/active', '/name/0', '/name/-', '/__proto__/x', '/constructor/prototype/x', '/name/1e20', '/name/99999999999', '', '/', 'x', '/a~2b']),
        ...(this.chance(0.5) ? { from: this.pick(['/name/0', '/__proto__', '/missing', '']) } : {}),
        ...(this.chance(0.7) ? { value: this.pick([true, 'x', null, { family: 'y' }, [1], 1e400]) } : {}),
      }));
    }
    const part = () => ({ name: this.pick(['type', 'path', 'name', 'value', 'index', 'source', 'destination', ...PROTO]), ...this.pick([
      { valueCode: this.pick(['add', 'insert', 'delete', 'replace', 'move', ...PROTO]) }, { valueString: this.pick(['Patient', 'Patient.name', 'Patient.name[0]', '(', ...PROTO]) },
      { valueInteger: this.pick([0, -1, 99999999999]) }, { valueBoolean: true }, { part: [] }]) });
    return { resourceType: 'Parameters', parameter: [{ name: 'operation', part: Array.from({ length: 1 + this.int(5) }, part) }] };
  }

  private json(): string {
    const shapes: (() => string)[] = [
      () => JSON.stringify(this.resource()), () => JSON.stringify(this.resource()), () => JSON.stringify(this.bundle()), () => JSON.stringify(this.patch()),
      () => this.pick(['{', '[', 'null', '1', '"x"', '{"resourceType":', 'true', '', ' ', '{"a":1}{', '\u0000', '{"resourceType":"Patient",}']),
      () => `{"resourceType":"Patient","extension":${'['.repeat(this.pick([50, 99, 101, 5_000]))}${']'.repeat(0)}`,
      () => { const depth = this.pick([50, 101, 3_000]); return `{"resourceType":"Patient","extension":${'['.repeat(depth)}${']'.repeat(depth)}}`; },
      () => JSON.stringify({ resourceType: 'Patient', name: Array.from({ length: 1 + this.int(1_000) }, (_, i) => ({ family: `f${i}` })) }),
      () => `{"resourceType":"Patient","name":[{"family":"${this.pick(['\\u0000', '\\ud800', '\\udfff\\ud800', '\\ud83d\\ude00', '\\\\u0000'])}"}]}`,
      () => `{"resourceType":"Patient","multipleBirthInteger":${this.pick(['1e400', '-1e400', '123456789012345678901234567890', '-0', '0.1e-400', '1.0'])}}`,
      () => JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: this.pick(['path', 'package', 'resource', 'code', ...PROTO]), valueString: this.pick(['/etc/passwd', '/nonexistent', '/', '.', ...PROTO]) }] }),
    ];
    return this.pick(shapes)();
  }

  /** A write that is nearly valid, so that odd values reach validation and storage. */
  private write(): HostileRequest {
    const resource: Record<string, unknown> = { ...this.resource(), resourceType: 'Patient' };
    const id = this.pick(this.ids.length > 0 ? this.ids : ['x']);
    const [method, url] = this.chance(0.6) ? ['POST', '/fhir/Patient'] : ['PUT', `/fhir/Patient/${id}`];
    if (method === 'PUT') resource.id = id;
    return { method, url, headers: { ...this.headers(), 'content-type': 'application/fhir+json' }, payload: JSON.stringify(resource) };
  }

  next(): HostileRequest {
    if (this.chance(0.15)) return this.write();
    const method = this.pick(METHODS);
    const url = `${this.chance(0.05) ? this.pick(['/', '/fhir/', '/fhir//', '/$to-format/fhir/', '/$sql/', '/Patient/']) : '/fhir/'}${this.path()}${this.query()}`;
    const headers = this.headers();
    const withBody = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && this.chance(0.85);
    if (!withBody) return { method, url, headers };
    headers['content-type'] = this.chance(0.8) ? this.pick(CONTENT_TYPES.slice(0, 3)) : this.pick(CONTENT_TYPES);
    return { method, url: url.includes('$sql') ? url.replace('$sql', '$sql-nothing') : url, headers, payload: this.json() };
  }
}
