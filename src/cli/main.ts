/**
 * The command line: `serve` (the default) starts the server with the settings from the environment,
 * printing what it prepares and, once it listens, where it answers.
 */
import { performance } from 'node:perf_hooks';
import { readConfig } from '../config.js';
import { describeDatabase } from '../db/index.js';
import { startFlint } from '../server.js';
import { readyLines, startPrinter } from './start-messages.js';

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command !== 'serve') {
    console.error(`unknown command ${command}; usage: flint serve`);
    process.exit(2);
  }
  const config = readConfig();
  const print = startPrinter(config);
  print('flint: starting');
  const flint = await startFlint(config, { progress: (message) => print(`flint: ${message}`) });
  const database = describeDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  flint.app.log.info({ port: config.port, database: flint.db.kind, dataDir: flint.db.kind === 'pglite' ? config.dataDir : undefined },
    'flint is listening');
  for (const line of readyLines(config, database, performance.now() / 1000)) print(line);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`flint failed to start: ${error.message}`);
  process.exit(1);
});
