/**
 * The command line: `serve` (the default) starts the server with the settings from the environment,
 * printing what it prepares and, once it listens, where it answers. `prepare-template` makes the
 * embedded template in dist/ (the build runs it).
 */
import { performance } from 'node:perf_hooks';
import { readConfig } from '../config.js';
import { describeDatabase } from '../db/index.js';
import { embeddedTemplateFor, writeEmbeddedTemplate } from '../embedded-template.js';
import { startFlint } from '../server.js';
import { readyLines, startPrinter } from './start-messages.js';

async function serve(): Promise<void> {
  const config = readConfig();
  const print = startPrinter(config);
  print('flint: starting');
  const embeddedTemplate = await embeddedTemplateFor(config);
  if (embeddedTemplate) print('flint: new data folder: it starts as a copy of the database prepared when Flint was built');
  // The generated root secret is shown once, so it is printed even when the start is quiet.
  const flint = await startFlint(config, {
    progress: (message) => print(`flint: ${message}`), announce: (message) => console.error(`flint: ${message}`), embeddedTemplate,
  });
  const database = describeDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  flint.app.log.info({ port: config.port, database: flint.db.kind, dataDir: flint.db.kind === 'pglite' ? config.dataDir : undefined },
    'flint is listening');
  for (const line of readyLines(config, database, performance.now() / 1000)) print(line);
  collectStartGarbage();
}

/**
 * The start leaves about a hundred megabytes of garbage (the core package's archive and file
 * buffers, the embedded template's) that an idle server would keep resident until its first busy
 * moment; `npm start` runs node with --expose-gc so that it is collected once, now.
 */
function collectStartGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command === 'serve') return serve();
  if (command === 'prepare-template') {
    console.error(`flint: prepared the embedded template ${await writeEmbeddedTemplate()}`);
    return;
  }
  console.error(`unknown command ${command}; usage: flint serve | flint prepare-template`);
  process.exit(2);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`flint failed to start: ${error.message}`);
  process.exit(1);
});
