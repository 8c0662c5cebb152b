/** The packages catalogue, and the errors of reading and planning packages as a client gets them. */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listErrorCodes } from '../../src/core/index.js';
import { planPackages } from '../../src/packages/index.js';

test('every package code is declared with its category', () => {
  const declared = listErrorCodes().filter((entry) => entry.module === 'packages').map((entry) => [entry.code, entry.category]);
  assert.deepEqual(declared, [
    ['package.dependency-cycle', 'invalid'],
    ['package.invalid', 'unprocessable'],
    ['package.missing-dependency', 'invalid'],
    ['package.not-a-package', 'invalid'],
  ]);
});

async function packageFolder(root: string, name: string, version: string, dependencies: Record<string, string>): Promise<string> {
  const folder = join(root, `${name}#${version}`);
  await mkdir(join(folder, 'package'), { recursive: true });
  await writeFile(join(folder, 'package', 'package.json'), JSON.stringify({ name, version, dependencies }));
  return folder;
}

test('planning reports a path that is no package, a missing dependency and a cycle', async () => {
  const root = await mkdtemp(join(tmpdir(), 'flint-packages-'));
  try {
    const sources = { folders: [root] };
    await assert.rejects(planPackages(join(root, 'nothing.tgz'), sources),
      { code: 'package.not-a-package', message: `${join(root, 'nothing.tgz')} is not a FHIR package this server can read` });
    const lonely = await packageFolder(root, 'example.lonely', '1.0.0', { 'example.absent': '2.0.0' });
    await assert.rejects(planPackages(lonely, sources), {
      code: 'package.missing-dependency',
      message: 'example.lonely#1.0.0 depends on example.absent#2.0.0, which is not installed (no registry is configured)',
    });
    const first = await packageFolder(root, 'example.a', '1.0.0', { 'example.b': '1.0.0' });
    await packageFolder(root, 'example.b', '1.0.0', { 'example.a': '1.0.0' });
    await assert.rejects(planPackages(first, sources),
      { code: 'package.dependency-cycle', message: 'example.a -> example.b -> example.a is a cycle of dependencies' });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
