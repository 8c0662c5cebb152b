/**
 * What installing a package needs from the server, declared here so that packages sits below the
 * model: the model the definitions go into (FhirModel fits it) and the checks they must pass first
 * (FhirValidator fits them). The composition root hands the real ones in.
 */
import type { Issue, Resource } from '../core/index.js';

/** A canonical resource as the model indexes it. */
export interface PackageCanonical extends Resource {
  url: string;
  version?: string;
}

/** The model that installed definitions take effect in. */
export interface PackageModel {
  isResourceType(name: string): boolean;
  addDefinition(resource: Resource): void;
  removeDefinition(resource: Resource): void;
  readonly canonical: {
    /** "url" or "url|version" among resources of one type. */
    resolve(resourceType: string, canonical: string): PackageCanonical | undefined;
    /** Every resource of every type, every version. */
    everything(): Iterable<Resource>;
  };
}

/** The checks a package's resources must pass before anything is installed. */
export interface PackageChecker {
  readonly model: PackageModel;
  /** Why a StructureDefinition does not compile, read together with the others of its package. */
  checkDefinition(definition: Resource, others?: readonly Resource[]): Issue[];
  /** The structural issues of a resource. */
  walk(resource: unknown, options: { structureOnly: true }): { issues: Issue[] };
}
