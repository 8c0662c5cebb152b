/**
 * The packages installed in the server: the name#version tags (urn:flint:package) of the
 * definitions in the model. The model follows the database on every process, so a package loaded
 * a moment earlier, here or by another server process, is seen at once.
 */
import type { PackageModel } from './package-target.js';
import { PACKAGE_TAG_SYSTEM } from './package-installer.js';

/** The versions of a package whose definitions are in the model. */
export function installedVersions(model: PackageModel, name: string): string[] {
  const versions = new Set<string>();
  for (const resource of model.canonical.everything()) {
    for (const tag of resource.meta?.tag ?? []) {
      if (tag.system !== PACKAGE_TAG_SYSTEM || typeof tag.code !== 'string') continue;
      const [tagName, version] = tag.code.split('#', 2);
      if (tagName === name && version) versions.add(version);
    }
  }
  return [...versions];
}
