/**
 * GET /health: the process is up and the database answers (200 pass, 503 fail), as
 * application/health+json.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/index.js';
import { raw } from '../sql/index.js';

export function registerHealthRoute(app: FastifyInstance, db: Database): void {
  app.get('/health', async (_request, reply) => {
    const started = Date.now();
    let database: 'pass' | 'fail' = 'pass';
    let reason: string | undefined;
    try {
      await db.query(raw('SELECT 1'));
    } catch (error) {
      database = 'fail';
      reason = (error as Error).message;
    }
    const status = database === 'pass' ? 'pass' : 'fail';
    reply.code(status === 'pass' ? 200 : 503).header('content-type', 'application/health+json');
    return JSON.stringify({
      status,
      checks: {
        process: { status: 'pass', uptimeSeconds: Math.round(process.uptime()), memoryRss: process.memoryUsage().rss },
        database: { status: database, kind: db.kind, responseTimeMs: Date.now() - started, ...(reason ? { output: reason } : {}) },
      },
    });
  });
}
