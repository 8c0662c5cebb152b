/**
 * Finding the packages a package depends on: in the configured folders (the FHIR package cache
 * layout name#version/, or name-version.tgz files), or, only when a registry URL is configured,
 * from that registry (GET {registry}/{name}/{version} answers the .tgz, as FHIR package
 * registries do). Versions match exactly, by wildcard (1.0.x) or as "latest"/"current" (the
 * newest one installed).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareVersions, versionMatches } from './package-versions.js';

export interface PackageSources {
  /** Folders holding installed packages. */
  folders: string[];
  /** A package registry to download missing packages from (no network when absent). */
  registry?: string;
}

interface Installed {
  name: string;
  version: string;
  path: string;
}

const TARBALL = /^(.+)-(\d[^/]*)\.tgz$/;

async function installed(folder: string): Promise<Installed[]> {
  if (!existsSync(folder)) return [];
  const found: Installed[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.includes('#')) {
      const [name, version] = entry.name.split('#', 2);
      found.push({ name, version, path: join(folder, entry.name) });
    } else if (entry.isFile()) {
      const match = TARBALL.exec(entry.name);
      if (match) found.push({ name: match[1], version: match[2], path: join(folder, entry.name) });
    }
  }
  return found;
}

async function download(sources: PackageSources, name: string, version: string): Promise<string | undefined> {
  if (!sources.registry || /[x*]/.test(version) || version === 'latest' || version === 'current') return undefined;
  const url = `${sources.registry.replace(/\/+$/, '')}/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;
  const response = await fetch(url);
  if (!response.ok) return undefined;
  const folder = sources.folders[0];
  if (!folder) return undefined;
  await mkdir(folder, { recursive: true });
  const file = join(folder, `${name}-${version}.tgz`);
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** The path of an installed package matching name and version, downloading it when a registry is configured. */
export async function locatePackage(sources: PackageSources, name: string, version: string): Promise<string | undefined> {
  const candidates: Installed[] = [];
  for (const folder of sources.folders) candidates.push(...(await installed(folder)).filter((item) => item.name === name && versionMatches(item.version, version)));
  candidates.sort((a, b) => compareVersions(b.version, a.version));
  return candidates[0]?.path ?? download(sources, name, version);
}
