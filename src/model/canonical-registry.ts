/**
 * Canonical resources (StructureDefinition, SearchParameter, ValueSet, CodeSystem, ...) by url and
 * version. A canonical "url|version" resolves to that version; a bare url to the newest one.
 */
import type { Resource } from '../core/index.js';
import { compareVersions } from '../packages/index.js';

export interface CanonicalResource extends Resource {
  url: string;
  version?: string;
  name?: string;
}

export function isCanonicalResource(resource: Resource): resource is CanonicalResource {
  return typeof resource.url === 'string';
}

export function splitCanonical(canonical: string): { url: string; version?: string } {
  const bar = canonical.indexOf('|');
  return bar < 0 ? { url: canonical } : { url: canonical.slice(0, bar), version: canonical.slice(bar + 1) || undefined };
}

export class CanonicalRegistry {
  /** resourceType -> url -> versions, newest first. */
  private readonly byType = new Map<string, Map<string, CanonicalResource[]>>();

  add(resource: CanonicalResource): void {
    let urls = this.byType.get(resource.resourceType);
    if (!urls) this.byType.set(resource.resourceType, (urls = new Map()));
    const versions = (urls.get(resource.url) ?? []).filter((existing) => existing.version !== resource.version);
    versions.push(resource);
    versions.sort((a, b) => compareVersions(b.version, a.version));
    urls.set(resource.url, versions);
  }

  remove(resourceType: string, url: string, version?: string): void {
    const urls = this.byType.get(resourceType);
    const versions = urls?.get(url);
    if (!urls || !versions) return;
    const kept = versions.filter((existing) => existing.version !== version);
    if (kept.length === 0) urls.delete(url);
    else urls.set(url, kept);
  }

  /** Resolves "url" or "url|version" among resources of one type. */
  resolve<T extends CanonicalResource = CanonicalResource>(resourceType: string, canonical: string): T | undefined {
    const { url, version } = splitCanonical(canonical);
    const versions = this.byType.get(resourceType)?.get(url);
    if (!versions) return undefined;
    if (version === undefined) return versions[0] as T;
    return (versions.find((existing) => existing.version === version)
      ?? versions.find((existing) => existing.version?.startsWith(`${version}.`))) as T | undefined;
  }

  /** Every resource of every type, every version. */
  *everything(): IterableIterator<CanonicalResource> {
    for (const urls of this.byType.values()) for (const versions of urls.values()) yield* versions;
  }

  /** Every resource of a type (each url's newest version unless allVersions). */
  all<T extends CanonicalResource = CanonicalResource>(resourceType: string, allVersions = false): T[] {
    const urls = this.byType.get(resourceType);
    if (!urls) return [];
    const result: T[] = [];
    for (const versions of urls.values()) {
      if (allVersions) result.push(...(versions as T[]));
      else result.push(versions[0] as T);
    }
    return result;
  }
}
