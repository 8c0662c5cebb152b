/**
 * `npm run bench -- <name> [options]`: runs bench/<name>/run.ts. Each benchmark prints its figures
 * and the ratio against raw PostgreSQL doing the same work; results go to docs/performance.md.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(folder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'run.ts')))
  .map((entry) => entry.name)
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(2);
}
const benchmark = (await import(join(folder, name, 'run.ts'))) as { run(args: string[]): Promise<void> };
await benchmark.run(args);
