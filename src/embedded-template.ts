/**
 * The embedded template: a new embedded data folder starts as a copy of a database prepared when
 * Flint is built (`npm install` / `npm run build`), holding what every first start would otherwise
 * create (PostgreSQL's initdb, the system schema, the tables of every served type with their search
 * indexes, the SQL functions) instead of creating it, which takes most of a first start. The copy
 * is used only when it was made by the installed PGlite for the settings it was made with (auto-mount
 * on, default search indexes); otherwise the start creates everything itself, as before. The start
 * still runs its idempotent set-up over the copy, so a template a little behind the code is
 * completed, never trusted blindly.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlintConfig } from './config.js';
import { isNewDataFolder, PgliteDatabase, pgliteVersion } from './db/index.js';
import { projectRoot } from './model/index.js';
import { provisionDatabase } from './server.js';
import { openSqlSandbox } from './sql-api/index.js';

type TemplateSettings = Pick<FlintConfig, 'enableApiAutoMount' | 'searchIndexes'>;

interface TemplateManifest extends TemplateSettings {
  pglite: string;
}

const TEMPLATE_SETTINGS: TemplateSettings = { enableApiAutoMount: true, searchIndexes: 'default' };

function templateFiles(): { dump: string; manifest: string } {
  const folder = join(projectRoot(), 'dist');
  return { dump: join(folder, 'embedded-template.tgz'), manifest: join(folder, 'embedded-template.json') };
}

/** Prepares the template in dist/ (the build calls this through `flint prepare-template`). */
export async function writeEmbeddedTemplate(): Promise<string> {
  const files = templateFiles();
  await rm(files.manifest, { force: true });
  const db = await PgliteDatabase.open();
  try {
    await provisionDatabase(db, TEMPLATE_SETTINGS);
    // $sql's role and function too (a start then only checks its grants).
    await (await openSqlSandbox(db, { readOnly: true })).close();
    const dump = Buffer.from(await (await db.dump()).arrayBuffer());
    await writeFile(`${files.dump}.tmp`, dump);
    await rename(`${files.dump}.tmp`, files.dump);
  } finally {
    await db.close();
  }
  const manifest: TemplateManifest = { pglite: pgliteVersion(), ...TEMPLATE_SETTINGS };
  await writeFile(files.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return files.dump;
}

async function readManifest(file: string): Promise<TemplateManifest | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as TemplateManifest;
  } catch {
    return undefined;
  }
}

/**
 * The template to start a new embedded data folder from, when there is a fitting one: the folder
 * holds no database, the settings are the template's, and the installed PGlite made it.
 */
export async function embeddedTemplateFor(config: FlintConfig): Promise<string | undefined> {
  if (config.databaseUrl || config.dataDir.includes('://') || !isNewDataFolder(config.dataDir)) return undefined;
  const files = templateFiles();
  const manifest = await readManifest(files.manifest);
  if (!manifest || !existsSync(files.dump) || manifest.pglite !== pgliteVersion()) return undefined;
  if (manifest.enableApiAutoMount !== config.enableApiAutoMount || manifest.searchIndexes !== config.searchIndexes) return undefined;
  return files.dump;
}
