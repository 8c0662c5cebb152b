/**
 * packages: FHIR packages (Implementation Guides, https://confluence.hl7.org/display/FHIR/NPM+Package+Specification).
 * Owns reading a package (.tgz or folder), finding its dependencies in the package folders or a
 * registry and ordering them, the versions (their order, what a wanted version accepts, several
 * versions side by side), and installing a package's resources into the server: checked as one
 * set, put in the model, written in one transaction, taken back out of the model if the write
 * fails. It sits below the model (the model is built from the core package): what installing needs
 * from the model and the validator is declared in package-target.ts and handed in.
 */
export { readFhirPackage, type FhirPackage, type PackageManifest } from './package-reader.js';
export { compareVersions, versionMatches } from './package-versions.js';
export { locatePackage, type PackageSources } from './package-locator.js';
export { planPackages, readPackageFile, type InstalledVersions } from './package-plan.js';
export { PACKAGE_TAG_SYSTEM, storedId, type InstalledPackage, type PackageInstall } from './package-installer.js';
export { installedVersions } from './installed-packages.js';
export { loadPackage, loadPackageBytes, type PackageServiceDeps } from './package-service.js';
export { packageErrors } from './package-errors.js';
export type { PackageCanonical, PackageChecker, PackageModel } from './package-target.js';
