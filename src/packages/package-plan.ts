/**
 * A package and everything it depends on, read and ordered dependencies first. The core package
 * (hl7.fhir.r4.core) is built into the server and never read again, nor is a dependency already
 * installed in the server (asked at every load, so one loaded a moment earlier counts); a
 * dependency that cannot be found is an error naming it. A package that cannot be read answers the
 * same outcome whatever the reason (missing, a folder, unreadable, not a package), so that a path
 * given by a client tells nothing about which files the server has.
 */
import { readFhirPackage, type FhirPackage } from './package-reader.js';
import { locatePackage, type PackageSources } from './package-locator.js';
import { versionMatches } from './package-versions.js';
import { packageErrors } from './package-errors.js';

/** Packages the server has built in. */
const BUILT_IN = new Set(['hl7.fhir.r4.core']);

export function packageKey(fhirPackage: FhirPackage): string {
  return `${fhirPackage.manifest.name}#${fhirPackage.manifest.version}`;
}

export async function readPackageFile(path: string): Promise<FhirPackage> {
  try {
    return await readFhirPackage(path);
  } catch (error) {
    throw packageErrors['package.not-a-package']({ path }, { cause: error });
  }
}

/** The versions of a package installed in the server. */
export type InstalledVersions = (name: string) => string[];

/**
 * The package at `path` and the dependencies it needs read, dependencies first (each name#version
 * once); those built in or installed in the server (a matching version) are not read.
 */
export async function planPackages(path: string, sources: PackageSources, installed: InstalledVersions = () => []): Promise<FhirPackage[]> {
  const ordered: FhirPackage[] = [];
  const seen = new Set<string>();
  const visit = async (fhirPackage: FhirPackage, chain: string[]): Promise<void> => {
    const key = packageKey(fhirPackage);
    if (seen.has(key)) return;
    seen.add(key);
    for (const [name, version] of Object.entries(fhirPackage.manifest.dependencies ?? {})) {
      if (BUILT_IN.has(name) || installed(name).some((found) => versionMatches(found, version))) continue;
      if (chain.includes(name)) throw packageErrors['package.dependency-cycle']({ chain: [...chain, name] });
      const located = await locatePackage(sources, name, version);
      if (!located) {
        throw packageErrors['package.missing-dependency']({ dependent: key, dependency: `${name}#${version}`, registry: Boolean(sources.registry) });
      }
      await visit(await readPackageFile(located), [...chain, name]);
    }
    ordered.push(fhirPackage);
  };
  const root = await readPackageFile(path);
  await visit(root, [root.manifest.name]);
  return ordered;
}
