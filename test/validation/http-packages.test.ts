/**
 * FHIR packages through the server (both databases): $load-package from a folder and from a
 * base64 .tgz, dependencies from the package folders, two versions side by side, the package's
 * profiles enforced and its search parameter searchable at once; a file that is not a package,
 * a missing dependency and a definition that does not compile answer an OperationOutcome and
 * change nothing; a dependency comes from a configured registry; packages named in the settings
 * load at start.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import tar from 'tar-stream';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

const PACKAGES = join(import.meta.dirname, '..', 'fixtures', 'packages');
const BASE = 'http://example.org/fhir/clinic';
const PATIENT = `${BASE}/StructureDefinition/clinic-patient`;
const COUNTRIES = 'http://example.org/fhir/terminology/CodeSystem/countries';

let flint: TestFlint;
let scratch: string;
before(async () => {
  flint = await startTestFlint({ packageFolders: [PACKAGES] });
  scratch = await mkdtemp(join(tmpdir(), 'flint-packages-test-'));
});
after(async () => {
  await flint.stop();
  await rm(scratch, { recursive: true, force: true });
});

const loadPath = (path: string) => flint.post('/fhir/$load-package', { resourceType: 'Parameters', parameter: [{ name: 'path', valueString: path }] });
const errorCodes = (body: any): string[] => (body?.issue ?? []).filter((issue: any) => issue.severity === 'error').map((issue: any) => issue.details?.coding?.[0]?.code);

function clinicPatient(changes: object = {}) {
  return {
    resourceType: 'Patient', meta: { profile: [PATIENT] }, identifier: [{ system: `${BASE}/mrn`, value: '42' }], name: [{ family: 'Doe', given: ['Jo'] }],
    gender: 'female', birthDate: '1990-05-01',
    extension: [{ url: `${BASE}/StructureDefinition/birth-country`, valueCodeableConcept: { coding: [{ system: COUNTRIES, code: 'JP' }] } }],
    ...changes,
  };
}

/** The versions of a canonical resource stored on the server. */
async function storedVersions(url: string, type = 'StructureDefinition'): Promise<string[]> {
  const all = await flint.get(`/fhir/${type}?_count=1000`);
  return (all.body.entry ?? []).map((entry: any) => entry.resource).filter((resource: any) => resource.url === url).map((resource: any) => resource.version).sort();
}

/** A .tgz of a package folder (package/ and its files). */
async function packTarball(folder: string): Promise<Buffer> {
  const pack = tar.pack();
  for (const name of await readdir(join(folder, 'package'))) {
    pack.entry({ name: `package/${name}` }, await readFile(join(folder, 'package', name)));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  const gzip = pack.pipe(createGzip());
  for await (const chunk of gzip) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('$load-package', () => {
  it('loads a package folder with its dependency, and its profiles take effect at once', async () => {
    const answer = await loadPath(join(PACKAGES, 'example.fhir.clinic#1.0.0'));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.parameter.map((p: any) => p.part.map((part: any) => part.valueString ?? part.valueInteger)),
      [['example.fhir.terminology', '1.0.0', 4], ['example.fhir.clinic', '1.0.0', 5]]);
    assert.deepEqual(await storedVersions(PATIENT), ['1.0.0']);
    const bad = await flint.post('/fhir/Patient', clinicPatient({ identifier: [{ system: 'http://other', value: '1' }] }));
    assert.equal(bad.status, 422);
    assert.deepEqual(errorCodes(bad.body), ['validation.slice-cardinality-min']);
    assert.equal((await flint.post('/fhir/Patient', clinicPatient())).status, 201);
  });

  it('makes the package search parameters searchable', async () => {
    const found = await flint.get(`/fhir/Patient?clinic-identifier=${encodeURIComponent(`${BASE}/mrn|42`)}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.entry.length, 1);
    assert.equal(flint.ctx.model.searchParameters.get('Patient', 'birth-country')?.type, 'token');
  });

  it('loads a second version from a base64 .tgz; bare canonicals resolve to the newest, url|version to the pinned one', async () => {
    const bytes = await packTarball(join(PACKAGES, 'example.fhir.clinic#2.0.0'));
    const answer = await flint.post('/fhir/$load-package', { resourceType: 'Parameters', parameter: [{ name: 'package', valueBase64Binary: bytes.toString('base64') }] });
    assert.equal(answer.status, 200);
    assert.deepEqual(await storedVersions(PATIENT), ['1.0.0', '2.0.0']);
    const withoutBirthDate = clinicPatient({ birthDate: undefined });
    assert.deepEqual(errorCodes((await flint.post('/fhir/Patient', withoutBirthDate)).body), ['validation.cardinality-min']);
    assert.equal((await flint.post('/fhir/Patient', { ...withoutBirthDate, meta: { profile: [`${PATIENT}|1.0.0`] } })).status, 201);
  });

  it('answers an OperationOutcome for a file that is not a package, and changes nothing', async () => {
    const file = join(scratch, 'not-a-package.tgz');
    await writeFile(file, 'plain text');
    const answer = await loadPath(file);
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['package.not-a-package']);
  });

  it('answers an OperationOutcome for a missing dependency', async () => {
    const folder = join(scratch, 'needs-more');
    await mkdir(join(folder, 'package'), { recursive: true });
    await writeFile(join(folder, 'package', 'package.json'), JSON.stringify({ name: 'example.needs', version: '1.0.0', dependencies: { 'example.absent': '1.0.0' } }));
    const answer = await loadPath(folder);
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['package.missing-dependency']);
  });

  it('rejects a package whose definition does not compile, leaving the model unchanged', async () => {
    const folder = join(scratch, 'broken');
    await mkdir(join(folder, 'package'), { recursive: true });
    await writeFile(join(folder, 'package', 'package.json'), JSON.stringify({ name: 'example.broken', version: '1.0.0' }));
    const url = 'http://example.org/fhir/broken/StructureDefinition/broken-patient';
    await writeFile(join(folder, 'package', 'StructureDefinition-broken.json'), JSON.stringify({
      resourceType: 'StructureDefinition', id: 'broken-patient', url, name: 'BrokenPatient', status: 'active', kind: 'resource', abstract: false,
      type: 'Patient', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient', derivation: 'constraint',
      differential: { element: [{ id: 'Patient.colour', path: 'Patient.colour', min: 1 }] },
    }));
    await writeFile(join(folder, 'package', 'ValueSet-fine.json'), JSON.stringify({ resourceType: 'ValueSet', id: 'fine', url: 'http://example.org/fhir/broken/ValueSet/fine', status: 'active' }));
    const answer = await loadPath(folder);
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['validation.definition']);
    assert.equal(flint.ctx.model.canonical.resolve('StructureDefinition', url), undefined);
    assert.equal(flint.ctx.model.canonical.resolve('ValueSet', 'http://example.org/fhir/broken/ValueSet/fine'), undefined);
    assert.deepEqual(await storedVersions('http://example.org/fhir/broken/ValueSet/fine', 'ValueSet'), []);
  });

  it('needs a path or a package', async () => {
    const answer = await flint.post('/fhir/$load-package', { resourceType: 'Parameters', parameter: [] });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['package.no-input']);
  });
});

describe('a package registry', () => {
  it('is asked for a dependency that is not installed, when one is configured', async () => {
    const tarball = await packTarball(join(PACKAGES, 'example.fhir.terminology#1.0.0'));
    const requests: string[] = [];
    const registry = createServer((request, response) => {
      requests.push(request.url ?? '');
      if (request.url === '/example.fhir.terminology/1.0.0') response.end(tarball);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const cache = await mkdtemp(join(scratch, 'cache-'));
    const started = await startTestFlint({ packageFolders: [cache], packageRegistry: `http://127.0.0.1:${(registry.address() as AddressInfo).port}` });
    try {
      const answer = await started.post('/fhir/$load-package', { resourceType: 'Parameters', parameter: [{ name: 'path', valueString: join(PACKAGES, 'example.fhir.clinic#1.0.0') }] });
      assert.equal(answer.status, 200);
      assert.deepEqual(requests, ['/example.fhir.terminology/1.0.0']);
      assert.deepEqual(await readdir(cache), ['example.fhir.terminology-1.0.0.tgz']);
    } finally {
      await started.stop();
      await new Promise((resolve) => registry.close(resolve));
    }
  });
});

describe('dependencies installed a moment earlier', () => {
  const dependsOnTerminology = { name: 'example.needs.terminology', version: '1.0.0', dependencies: { 'example.fhir.terminology': '1.0.x' } };

  async function packageFolder(name: string, manifest: object): Promise<string> {
    const folder = join(scratch, name);
    await mkdir(join(folder, 'package'), { recursive: true });
    await writeFile(join(folder, 'package', 'package.json'), JSON.stringify(manifest));
    return folder;
  }

  it('are found in the server: a package loaded by $load-package satisfies the next one that depends on it', async () => {
    const started = await startTestFlint({ packageFolders: [await mkdtemp(join(scratch, 'empty-'))] });
    try {
      const load = (parameter: object) => started.post('/fhir/$load-package', { resourceType: 'Parameters', parameter: [parameter] });
      const folder = await packageFolder('needs-terminology', dependsOnTerminology);
      assert.deepEqual(issueCodes((await load({ name: 'path', valueString: folder })).body), ['package.missing-dependency']);
      const bytes = await packTarball(join(PACKAGES, 'example.fhir.terminology#1.0.0'));
      assert.equal((await load({ name: 'package', valueBase64Binary: bytes.toString('base64') })).status, 200);
      const answer = await load({ name: 'path', valueString: folder });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body.parameter.map((p: any) => p.part[0].valueString), ['example.needs.terminology']);
    } finally {
      await started.stop();
    }
  });

  it('are found in a package folder they were copied to after the start', async () => {
    const cache = await mkdtemp(join(scratch, 'late-cache-'));
    const started = await startTestFlint({ packageFolders: [cache] });
    try {
      const folder = await packageFolder('needs-terminology-late', { ...dependsOnTerminology, name: 'example.needs.late' });
      const load = () => started.post('/fhir/$load-package', { resourceType: 'Parameters', parameter: [{ name: 'path', valueString: folder }] });
      assert.deepEqual(issueCodes((await load()).body), ['package.missing-dependency']);
      await writeFile(join(cache, 'example.fhir.terminology-1.0.0.tgz'), await packTarball(join(PACKAGES, 'example.fhir.terminology#1.0.0')));
      const answer = await load();
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body.parameter.map((p: any) => p.part[0].valueString), ['example.fhir.terminology', 'example.needs.late']);
    } finally {
      await started.stop();
    }
  });
});

describe('packages named in the settings', () => {
  it('load at start', async () => {
    const started = await startTestFlint({ packageFolders: [PACKAGES], packages: [join(PACKAGES, 'example.fhir.clinic#2.0.0')] });
    try {
      assert.equal(started.ctx.model.canonical.resolve('StructureDefinition', PATIENT)?.version, '2.0.0');
      const answer = await started.post('/fhir/Patient', clinicPatient({ gender: undefined }));
      assert.equal(answer.status, 422);
    } finally {
      await started.stop();
    }
  });
});
