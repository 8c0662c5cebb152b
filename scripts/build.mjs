#!/usr/bin/env node
// Compiles src/ to dist/ (tsconfig.build.json) so that `npm start` runs JavaScript instead of
// compiling TypeScript at every start, then prepares the embedded template (src/embedded-template.ts). Runs on `npm install` (prepare) and from scripts/start.mjs
// when a file under src/ is newer than the last build. The tests run the TypeScript directly (tsx)
// and never need it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const entry = join(root, 'dist', 'cli', 'main.js');
const stamp = join(root, 'dist', '.build-stamp');

function newestSource(folder) {
  let newest = 0;
  for (const item of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, item.name);
    newest = Math.max(newest, item.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** dist/ is missing, or older than src/, the build settings or the dependencies. */
export function isStale() {
  if (!existsSync(entry) || !existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => join(root, file)).filter(existsSync);
  return newestSource(join(root, 'src')) > built || inputs.some((file) => statSync(file).mtimeMs > built);
}

// The compiler is TypeScript 7 (installed as @typescript/native); the package named typescript is
// TypeScript 6, whose JavaScript API the lint's parser needs (TypeScript 7 has none yet).
function typescriptCompiler() {
  for (const name of ['@typescript/native', 'typescript']) {
    try {
      const manifest = createRequire(join(root, 'package.json')).resolve(`${name}/package.json`);
      const bin = JSON.parse(readFileSync(manifest, 'utf8')).bin;
      return join(dirname(manifest), typeof bin === 'string' ? bin : bin.tsc);
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}

/** Compiles; returns false (after printing why) when it could not. */
export function build() {
  const tsc = typescriptCompiler();
  if (!tsc) {
    console.error('flint: cannot build dist/: the typescript package is not installed (npm install without --omit=dev)');
    return false;
  }
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('flint: the TypeScript build failed (see above)');
    return false;
  }
  // The embedded template (dist/embedded-template.tgz) makes first starts fast; without it they are slow, not wrong.
  const template = spawnSync(process.execPath, [entry, 'prepare-template'], { cwd: root, stdio: 'inherit', env: { ...process.env, LOG_LEVEL: 'warn' } });
  if (template.status !== 0) console.error('flint: the embedded template was not prepared; first starts will create the database themselves');
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(build() ? 0 : 1);
