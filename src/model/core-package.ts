/**
 * Loading the FHIR R4 core definitions from the official hl7.fhir.r4.core package committed in
 * vendor/. Read once per process; never from the network.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FhirModel } from './fhir-model.js';
import { readFhirPackage, type FhirPackage } from '../packages/index.js';

const CORE_PACKAGE_FILE = 'hl7.fhir.r4.core-4.0.1.tgz';

/** The folder holding Flint's package.json, found from this module's location (src or dist). */
export function projectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('cannot find the Flint project folder');
    folder = parent;
  }
  return folder;
}

export function corePackagePath(): string {
  return join(projectRoot(), 'vendor', CORE_PACKAGE_FILE);
}

let corePackage: Promise<FhirPackage> | undefined;

/** The core package, read once per process. */
export function readCorePackage(): Promise<FhirPackage> {
  corePackage ??= readFhirPackage(corePackagePath());
  return corePackage;
}

/** A new model holding every core definition. */
export async function loadCoreModel(): Promise<FhirModel> {
  const { resources } = await readCorePackage();
  const model = new FhirModel();
  for (const resource of resources) model.addDefinition(resource);
  return model;
}
