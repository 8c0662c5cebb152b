/**
 * Loading a FHIR package into the server, from a path (a .tgz file or a folder) or from the bytes
 * of a .tgz: read it and its dependencies, check, install. Used by the $load-package operation
 * and at start for the packages the settings name.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '../../core/index.js';
import type { FhirValidator } from '../fhir-validator.js';
import { installResources, packageResources, type PackageInstall } from './package-installer.js';
import type { PackageSources } from './package-locator.js';
import { planPackages } from './package-plan.js';

export interface PackageServiceDeps {
  validator: FhirValidator;
  sources: PackageSources;
  /** Stores the resources (in one transaction). */
  write(resources: Resource[]): Promise<void>;
}

export async function loadPackage(deps: PackageServiceDeps, path: string): Promise<PackageInstall> {
  const packages = await planPackages(path, deps.sources);
  const install = packageResources(deps.validator.model, packages);
  await installResources(deps.validator, install, deps.write);
  return install;
}

export async function loadPackageBytes(deps: PackageServiceDeps, bytes: Buffer): Promise<PackageInstall> {
  const folder = await mkdtemp(join(tmpdir(), 'flint-package-'));
  try {
    const file = join(folder, 'package.tgz');
    await writeFile(file, bytes);
    return await loadPackage(deps, file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
