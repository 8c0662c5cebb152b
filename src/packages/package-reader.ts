/**
 * Reads an npm-style FHIR package (https://confluence.hl7.org/display/FHIR/NPM+Package+Specification)
 * from a .tgz file or an unpacked folder: its package.json manifest and every JSON resource in
 * package/ (examples and other sub-folders are skipped).
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { rejectDeepJson, type Resource } from '../core/index.js';

export interface PackageManifest {
  name: string;
  version: string;
  type?: string;
  dependencies?: Record<string, string>;
  canonical?: string;
  fhirVersions?: string[];
  [key: string]: unknown;
}

export interface FhirPackage {
  manifest: PackageManifest;
  resources: Resource[];
}

/** A file directly inside package/ (not package/example/ and the like). */
function isPackageFile(path: string): boolean {
  const normalized = path.replace(/^\.\//, '');
  return /^package\/[^/]+$/.test(normalized);
}

async function readTarball(file: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      if (header.type === 'file' && isPackageFile(header.name)) {
        files.set(header.name.replace(/^\.\//, ''), Buffer.concat(chunks));
      }
      next();
    });
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    const source = createReadStream(file);
    const gunzip = createGunzip();
    source.on('error', reject);
    gunzip.on('error', reject);
    source.pipe(gunzip).pipe(extract);
  });
  return files;
}

async function readFolder(folder: string): Promise<Map<string, Buffer>> {
  const base = (await stat(join(folder, 'package')).catch(() => undefined))?.isDirectory() ? join(folder, 'package') : folder;
  const files = new Map<string, Buffer>();
  for (const name of await readdir(base)) {
    if (name.endsWith('.json')) files.set(`package/${name}`, await readFile(join(base, name)));
  }
  return files;
}

/** A package file's JSON; nested deeper than core's MAX_JSON_DEPTH is refused like malformed JSON. */
function parseJson(path: string, content: Buffer): unknown {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    rejectDeepJson(value);
    return value;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads a package; throws an Error naming the problem when the input is not a FHIR package. */
export async function readFhirPackage(path: string): Promise<FhirPackage> {
  const info = await stat(path);
  if (!info.isDirectory() && !info.isFile()) throw new Error(`${path} is neither a file nor a folder`);
  const isFolder = info.isDirectory();
  const files = isFolder ? await readFolder(path) : await readTarball(path);
  const manifestFile = files.get('package/package.json');
  if (!manifestFile) throw new Error(`${path} is not a FHIR package: it has no package/package.json`);
  const manifest = parseJson('package/package.json', manifestFile) as PackageManifest;
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new Error(`${path} is not a FHIR package: package.json has no name and version`);
  }
  const resources: Resource[] = [];
  for (const [name, content] of files) {
    if (!name.endsWith('.json') || name.endsWith('/package.json') || name.endsWith('/.index.json')) continue;
    const value = parseJson(name, content) as Resource;
    if (value && typeof value.resourceType === 'string') resources.push(value);
  }
  return { manifest, resources };
}
