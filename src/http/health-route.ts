/**
 * GET /health: the process is up and the database answers (200 pass, 503 fail), as
 * application/health+json. The answer comes within the health timeout either way: a database that
 * does not answer SELECT 1 in time is a failure ("timed out"). On PostgreSQL the check has a
 * connection of its own, so a pool taken by slow requests does not hold it up.
 */
import type { FastifyInstance } from 'fastify';
import { OUTAGE_RETRY_AFTER_SECONDS, type Database } from '../db/index.js';

/** Resolves with the database's failure, or undefined when it answered within timeoutMs. */
async function checkDatabase(db: Database, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the database did not answer within ${timeoutMs} ms (timed out)`), timeoutMs);
  });
  const answered = db.ping(timeoutMs).then(() => undefined, (error: unknown) => (error as Error).message || String(error));
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoute(app: FastifyInstance, db: Database, timeoutMs: number): void {
  app.get('/health', async (_request, reply) => {
    const started = Date.now();
    const reason = await checkDatabase(db, timeoutMs);
    const status = reason === undefined ? 'pass' : 'fail';
    reply.code(status === 'pass' ? 200 : 503).header('content-type', 'application/health+json');
    if (status === 'fail') reply.header('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
    return JSON.stringify({
      status,
      checks: {
        process: { status: 'pass', uptimeSeconds: Math.round(process.uptime()), memoryRss: process.memoryUsage().rss },
        database: { status, kind: db.kind, responseTimeMs: Date.now() - started, ...(reason ? { output: reason } : {}) },
      },
    });
  });
}
