/**
 * The fault test: Flint on a private PostgreSQL cluster (private-cluster.ts) under a load of
 * concurrent reads, creates and searches while the cluster restarts (pg_ctl restart -m fast), then
 * stops, stays down and starts again, then freezes (SIGSTOP). The process stays up; requests during
 * an outage answer 503 with Retry-After and an OperationOutcome, never 500; the log has one line
 * when an outage starts and one when it ends, not one per request; the server serves again after;
 * a frozen database makes /health answer unhealthy within its timeout and requests answer 503
 * instead of hanging. Runs with the PostgreSQL suite (DATABASE_URL set), on its own cluster.
 * FLINT_FAULT_FIGURES=1 prints the counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import pg from 'pg';
import { createFlint, type Flint } from '../../src/server.js';
import { sql } from '../../src/sql/index.js';
import { issueCodes, ROOT_BASIC, testConfig } from '../support/test-server.js';
import { PrivateCluster, unavailableReason } from './private-cluster.js';

const skip = !process.env.DATABASE_URL ? 'runs with the PostgreSQL suite (DATABASE_URL set); it starts a private cluster of its own'
  : unavailableReason();
let cluster: PrivateCluster;
let flint: Flint;
const logLines: { msg?: string; level?: number; err?: { message?: string } }[] = [];

before(async () => {
  if (skip) return;
  cluster = await PrivateCluster.create();
  const log = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });
  flint = await createFlint(testConfig({
    databaseUrl: cluster.url, logLevel: 'info', searchIndexes: 'none', poolSize: 6, healthTimeoutMs: 500, searchTimeoutMs: 1500,
    dbTimeouts: { connectMs: 1000, statementMs: 1500, idleInTransactionMs: 10_000, keepAliveMs: 10_000 },
  }), { logStream: log });
});
after(async () => {
  if (skip) return;
  await flint?.close();
  await cluster?.remove();
});

interface Outcome { status: number; retryAfter?: string; codes: string[]; at: number }

const outcomes: Outcome[] = [];
const created: string[] = [];

async function send(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Outcome> {
  const response = await flint.app.inject({
    method, url, headers: { authorization: ROOT_BASIC, ...(body ? { 'content-type': 'application/fhir+json' } : {}) }, payload: body ? JSON.stringify(body) : undefined,
  });
  const parsed = response.body ? JSON.parse(response.body) : undefined;
  const outcome = { status: response.statusCode, retryAfter: response.headers['retry-after'] as string | undefined, codes: issueCodes(parsed), at: Date.now() };
  if (response.statusCode === 201) created.push(parsed.id);
  outcomes.push(outcome);
  return outcome;
}

/** One client: creates, reads and searches in turn until stopped. */
async function client(index: number, running: () => boolean): Promise<void> {
  for (let step = 0; running(); step++) {
    const kind = (step + index) % 3;
    if (kind === 0) await send('POST', '/fhir/Patient', { resourceType: 'Patient', name: [{ family: `Load${index}` }] });
    else if (kind === 1 && created.length > 0) await send('GET', `/fhir/Patient/${created[step % created.length]}`);
    else await send('GET', `/fhir/Patient?family=Load${index}&_count=5`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function underLoad(clients: number, work: () => Promise<void>): Promise<void> {
  let running = true;
  const load = Array.from({ length: clients }, (_, index) => client(index, () => running));
  try {
    await work();
  } finally {
    running = false;
    await Promise.all(load);
  }
}

/** Waits until a request succeeds again; returns the milliseconds from `since`. */
async function recovery(since: number): Promise<number> {
  for (;;) {
    const answer = await send('GET', '/fhir/Patient?_count=1');
    if (answer.status === 200) return Date.now() - since;
    await sleep(20);
  }
}

/** Waits (under the running load) until `count` outages were logged as over, at most 10 s. */
async function outageLoggedOver(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (logLines.filter((line) => line.msg === 'database available again').length < count && Date.now() < deadline) await sleep(50);
}

/**
 * A statement of Flint's own pools that is running when the restart comes: on a loaded machine the
 * whole restart can pass between two requests of the load, and a restart nothing met is no outage.
 * Resolves once PostgreSQL shows it running; `ended` settles with its failure.
 */
async function statementInFlight(): Promise<{ ended: Promise<unknown> }> {
  const ended = flint.db.query(sql`SELECT pg_sleep(30) AS held_over_restart`, { timeoutMs: 60_000 }).then(() => undefined, (error: unknown) => error);
  const observer = new pg.Client({ connectionString: cluster.url });
  await observer.connect();
  try {
    for (;;) {
      const { rows } = await observer.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%held_over_restart%' AND pid <> pg_backend_pid()");
      if (rows[0].n > 0) return { ended };
      await sleep(20);
    }
  } finally {
    await observer.end();
  }
}

/** The outage lines of the log so far, with their times, for an assertion's message. */
function outageLines(): string {
  return logLines.filter((line) => /^database (unavailable|available again)$/.test(line.msg ?? '')).map((line) => `${(line as { time?: number }).time} ${line.msg}`).join('; ');
}

const figures: Record<string, number> = {};

describe('a database outage under load', { skip }, () => {
  it('answers 503 with Retry-After meanwhile, never 500, logs once per outage, and serves again after', { timeout: 60_000 }, async () => {
    await underLoad(4, async () => {
      await sleep(300);
      const held = await statementInFlight();
      await cluster.restart();
      assert.ok(await held.ended, 'the statement running over the restart failed');
      figures.restartRecoveryMs = await recovery(Date.now());
      // The first outage ends (is logged as over) before the second begins: a success on a
      // connection older than the outage counts only once failures have settled (SETTLE_MS).
      await outageLoggedOver(1);
      assert.equal(logLines.filter((line) => line.msg === 'database available again').length, 1, `the restart logged as one outage, over: ${outageLines()}`);
      await sleep(200);
      await cluster.stop();
      await sleep(1000);
      const started = Date.now();
      await cluster.start();
      figures.startRecoveryMs = await recovery(started);
      await sleep(200);
    });
    const failed = outcomes.filter((outcome) => outcome.status >= 500);
    const unavailable = outcomes.filter((outcome) => outcome.status === 503);
    const unexpected = logLines.filter((line) => line.msg === 'unexpected error').map((line) => line.err?.message);
    assert.deepEqual(failed.filter((outcome) => outcome.status !== 503), [], `no answer but 503 among the failures: ${unexpected.join('; ')}`);
    assert.ok(unavailable.length > 0, 'some requests met the outage');
    for (const outcome of unavailable) {
      assert.equal(outcome.retryAfter, '5');
      assert.ok(['db.unavailable', 'db.connection-lost', 'db.unresponsive'].includes(outcome.codes[0]), outcome.codes.join());
    }
    assert.ok(outcomes.filter((outcome) => outcome.status === 200 || outcome.status === 201).length > 0);
    const starts = logLines.filter((line) => line.msg === 'database unavailable').length;
    const ends = logLines.filter((line) => line.msg === 'database available again').length;
    assert.deepEqual(unexpected, [], 'no request logged as an unexpected error');
    assert.ok(starts >= 2 && starts <= 4, `two outages logged as such (${starts} starts), not one line per failed request (${unavailable.length}): ${outageLines()}`);
    assert.equal(ends, starts, outageLines());
    Object.assign(figures, { requests: outcomes.length, answered503: unavailable.length, outageLogLines: starts });
  });

  it('when frozen: /health answers unhealthy within its timeout, requests answer 503 instead of hanging; it recovers', { timeout: 30_000 }, async () => {
    cluster.freeze();
    try {
      const health = await flint.app.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 503);
      const body = JSON.parse(health.body);
      assert.equal(body.status, 'fail');
      assert.match(body.checks.database.output, /timed out|timeout/);
      const started = Date.now();
      const answers = await Promise.all([send('GET', '/fhir/Patient?_count=1'), send('GET', `/fhir/Patient/${created[0]}`)]);
      figures.frozenAnswerMs = Date.now() - started;
      for (const answer of answers) {
        assert.equal(answer.status, 503);
        assert.equal(answer.retryAfter, '5');
      }
    } finally {
      cluster.thaw();
    }
    figures.thawRecoveryMs = await recovery(Date.now());
    assert.equal((await flint.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    if (process.env.FLINT_FAULT_FIGURES === '1') console.log(JSON.stringify(figures));
  });
});
