/**
 * Installing FHIR packages (an Implementation Guide and its dependencies) into the server: every
 * resource of each package's package/ folder becomes a resource of the server, with an id unique
 * to its package version (several versions live side by side) and a tag naming the package.
 * Nothing is changed unless every StructureDefinition compiles (as one set, so profiles may build
 * on each other) and every resource is structurally valid. The definitions take effect in the
 * model before the resources are written (so the writes validate against them) and are taken
 * back if the write fails.
 */
import { createHash } from 'node:crypto';
import type { Issue, Resource } from '../core/index.js';
import { packageErrors } from './package-errors.js';
import type { FhirPackage } from './package-reader.js';
import type { PackageCanonical, PackageChecker, PackageModel } from './package-target.js';
import { packageKey } from './package-plan.js';

export const PACKAGE_TAG_SYSTEM = 'urn:flint:package';

export interface InstalledPackage {
  name: string;
  version: string;
  resources: number;
}

export interface PackageInstall {
  packages: InstalledPackage[];
  resources: Resource[];
}

/** An id for a package's resource: its own id (shortened) and a hash of package version and resource. */
export function storedId(key: string, resource: Resource): string {
  const own = (resource.id ?? String(resource.url ?? 'resource').split('/').pop() ?? 'resource').replace(/[^A-Za-z0-9\-.]/g, '-');
  const hash = createHash('sha256').update(`${key}|${resource.resourceType}/${resource.id ?? resource.url}`).digest('hex').slice(0, 12);
  return `${own.slice(0, 45)}-${hash}`;
}

function isCanonical(resource: Resource): resource is PackageCanonical {
  return typeof resource.url === 'string';
}

function tagged(key: string, resource: Resource): Resource {
  const meta = resource.meta ?? {};
  const tags = (meta.tag ?? []).filter((tag) => tag.system !== PACKAGE_TAG_SYSTEM);
  return { ...resource, id: storedId(key, resource), meta: { ...meta, tag: [...tags, { system: PACKAGE_TAG_SYSTEM, code: key }] } };
}

/** The resources the packages bring, ready to store (resource types the server does not serve are left out). */
export function packageResources(model: PackageModel, packages: FhirPackage[]): PackageInstall {
  const resources: Resource[] = [];
  const installed: InstalledPackage[] = [];
  for (const fhirPackage of packages) {
    const key = packageKey(fhirPackage);
    const own = fhirPackage.resources.filter((resource) => model.isResourceType(resource.resourceType)).map((resource) => tagged(key, resource));
    resources.push(...own);
    installed.push({ name: fhirPackage.manifest.name, version: fhirPackage.manifest.version, resources: own.length });
  }
  return { packages: installed, resources };
}

/** Every reason the resources cannot be installed: definitions that do not compile, structural errors. */
export function checkPackageResources(validator: PackageChecker, resources: Resource[]): Issue[] {
  const definitions = resources.filter((resource) => resource.resourceType === 'StructureDefinition');
  const issues: Issue[] = [];
  for (const definition of definitions) issues.push(...validator.checkDefinition(definition, definitions));
  for (const resource of resources) {
    const errors = validator.walk(resource, { structureOnly: true }).issues.filter((issue) => issue.severity === 'error');
    issues.push(...errors.map((issue) => ({ ...issue, diagnostics: `${resource.resourceType}/${resource.id}: ${issue.diagnostics}` })));
  }
  return issues;
}

/**
 * Installs the prepared resources: checks them, puts them in the model, writes them with `write`
 * (a transaction), and takes them out of the model again if the write fails.
 */
export async function installResources(
  validator: PackageChecker, install: PackageInstall, write: (resources: Resource[]) => Promise<void>,
): Promise<void> {
  const issues = checkPackageResources(validator, install.resources);
  if (issues.length > 0) {
    throw packageErrors['package.invalid']({ reason: issues[0].diagnostics }, { issues });
  }
  const model = validator.model;
  const replaced: Resource[] = [];
  const added: Resource[] = [];
  for (const resource of install.resources) {
    if (isCanonical(resource)) {
      const previous = model.canonical.resolve(resource.resourceType, resource.version ? `${resource.url}|${resource.version}` : resource.url);
      if (previous && previous.version === resource.version) replaced.push(previous);
    }
    model.addDefinition(resource);
    added.push(resource);
  }
  try {
    await write(install.resources);
  } catch (error) {
    for (const resource of added.reverse()) model.removeDefinition(resource);
    for (const resource of replaced) model.addDefinition(resource);
    throw error;
  }
}
