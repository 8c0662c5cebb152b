/**
 * Loading a FHIR package into the server, from a path (a .tgz file or a folder) or from the bytes
 * of a .tgz: read it and its dependencies, check, install. Used by the $load-package operation
 * and at start for the packages the settings name.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '../core/index.js';
import type { PackageChecker } from './package-target.js';
import { installedVersions } from './installed-packages.js';
import { installResources, packageResources, type PackageInstall } from './package-installer.js';
import type { PackageSources } from './package-locator.js';
import { planPackages } from './package-plan.js';

export interface PackageServiceDeps {
  /** The validator of the server (its model, definition and structure checks). */
  validator: PackageChecker;
  sources: PackageSources;
  /** Stores the resources (in one transaction). */
  write(resources: Resource[]): Promise<void>;
  /** The stored resource of the same type and id, if any (unchanged resources are not written again). */
  stored?(resource: Resource): Promise<Resource | undefined>;
}

/** JSON with sorted keys (stored JSON may come back with its keys in another order). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function withoutVersionMeta(resource: Resource): string {
  const meta = { ...(resource.meta ?? {}) };
  delete meta.versionId;
  delete meta.lastUpdated;
  return canonicalJson({ ...resource, meta });
}

/** The resources that are not stored yet, or stored with other content. */
async function changedResources(resources: Resource[], stored: (resource: Resource) => Promise<Resource | undefined>): Promise<Resource[]> {
  const changed: Resource[] = [];
  for (const resource of resources) {
    const current = await stored(resource);
    if (!current || withoutVersionMeta(current) !== withoutVersionMeta(resource)) changed.push(resource);
  }
  return changed;
}

export async function loadPackage(deps: PackageServiceDeps, path: string): Promise<PackageInstall> {
  const packages = await planPackages(path, deps.sources, (name) => installedVersions(deps.validator.model, name));
  const install = packageResources(deps.validator.model, packages);
  const changed = deps.stored ? await changedResources(install.resources, deps.stored) : install.resources;
  await installResources(deps.validator, { ...install, resources: changed }, deps.write);
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
