/**
 * The command line: `serve` (the default) starts the server with the settings from the environment.
 */
import { readConfig } from '../config.js';
import { startFlint } from '../server.js';

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command !== 'serve') {
    console.error(`unknown command ${command}; usage: flint serve`);
    process.exit(2);
  }
  const config = readConfig();
  const flint = await startFlint(config);
  flint.app.log.info({ port: config.port, database: flint.db.kind, dataDir: flint.db.kind === 'pglite' ? config.dataDir : undefined },
    'flint is listening');
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`flint failed to start: ${error.message}`);
  process.exit(1);
});
