/**
 * `npm run bench -- subscriptions [--events 400] [--connections 8] [--paced-events 150] [--pace 25]
 * [--rounds 3] [--seconds 2] [--interval 100] [--port 18700] [--only delivery|outbox] [--profile <folder>]`: the server as its own process on the real PostgreSQL
 * (BENCH_DATABASE_URL, else DATABASE_URL, else the local server), driven over 127.0.0.1.
 *
 * - Delivery: for a rest-hook Subscription and each broker's at-least-once TopicDestination in turn
 *   (a broker whose port does not answer is skipped), Encounters its filter selects are created:
 *   --paced-events by one client at --pace a second, each event timed from the client's 201 to its
 *   arrival at a receiver in this process (the same clock), then --events by --connections clients
 *   as fast as they go, events/s from the first 201 to the last arrival.
 * - Outbox: creates/s with one active topic (a webhook TopicDestination selecting the created
 *   Encounters, delivered meanwhile one event a notification, or up to 100) against none (the
 *   destinations off), and raw PostgreSQL inserting the same JSON into a table of its own at the
 *   same concurrency; the ways take turns in slices of --seconds, --rounds times, and each reports
 *   its median and the server process's CPU time per create.
 * --interval is FLINT_CHANGES_INTERVAL_MS, how often the change feed moves (the server's default, 100);
 * --only runs one part; --profile runs the server under node --cpu-prof, its profile written to the
 * folder when it stops (bench/support/profile-summary.ts summarises it).
 */
import { createBenchDatabase } from '../support/bench-database.js';
import { option, textOption } from '../support/cli-options.js';
import { probePort } from '../../test/subscriptions/channels/broker-probe.js';
import { startBenchServer } from '../support/server-process.js';
import { deliveryPhase, encounter, type DeliveryFigures, type FhirClient, type PhaseSettings } from './delivery-phase.js';
import { outbox, outboxTable } from './outbox-phase.js';
import { benchReceivers } from './receivers.js';

const TOPIC = 'http://flint.bench/topics/encounter';

function fhirClient(baseUrl: string): FhirClient {
  return {
    async call(method, path, body, expected) {
      const response = await fetch(`${baseUrl}/fhir/${path}`, {
        method, headers: body === undefined ? {} : { 'content-type': 'application/fhir+json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status !== expected) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : undefined;
    },
  };
}

const topic = {
  resourceType: 'SubscriptionTopic', url: TOPIC, status: 'active', title: 'Encounters',
  resourceTrigger: [{ resource: 'Encounter', supportedInteraction: ['create', 'update'] }],
  canFilterBy: [{ resource: 'Encounter', filterParameter: 'patient' }],
};

async function deliveries(client: FhirClient, settings: PhaseSettings): Promise<DeliveryFigures[]> {
  const figures: DeliveryFigures[] = [];
  for (const receiver of benchReceivers()) {
    if (receiver.brokerPort !== undefined && !(await probePort(receiver.brokerPort))) {
      figures.push({
        name: receiver.name, events: 0, pacedEvents: 0, pace: 0, createsPerSecond: NaN, eventsPerSecond: NaN, p50: NaN, p99: NaN, duplicates: 0,
        skipped: `nothing answers on 127.0.0.1:${receiver.brokerPort}`,
      });
      continue;
    }
    figures.push(await deliveryPhase(client, receiver, TOPIC, settings));
  }
  return figures;
}

/** Creates that no target selects, so the first way does not pay for the server's first requests. */
async function warmUp(client: FhirClient, connections: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < 300) await client.call('POST', 'Encounter', encounter('Patient/bench-warm-up', next++), 201);
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

const fixed = (value: number, digits = 0): string => (Number.isNaN(value) ? '–' : value.toFixed(digits));

function deliveryTable(figures: DeliveryFigures[]): string {
  const rows = ['| way | creates/s (burst) | events/s, commit to receipt (burst) | p50 delay ms (paced) | p99 delay ms (paced) | duplicates |', '|---|---|---|---|---|---|'];
  for (const f of figures) {
    if (f.skipped) rows.push(`| ${f.name} | skipped: ${f.skipped} | | | | |`);
    else rows.push(`| ${f.name} | ${fixed(f.createsPerSecond)} | ${fixed(f.eventsPerSecond)} | ${fixed(f.p50, 1)} | ${fixed(f.p99, 1)} | ${f.duplicates} |`);
  }
  return rows.join('\n');
}

export async function run(args: string[]): Promise<void> {
  const events = option(args, '--events', 400);
  const pacedEvents = option(args, '--paced-events', 150);
  const pace = option(args, '--pace', 25);
  const connections = option(args, '--connections', 8);
  const rounds = option(args, '--rounds', 3);
  const seconds = option(args, '--seconds', 2);
  const interval = option(args, '--interval', 100);
  const only = textOption(args, '--only');
  const profile = textOption(args, '--profile');
  const database = await createBenchDatabase('subscriptions');
  const server = await startBenchServer({
    DATABASE_URL: database.url, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', FLINT_DB_POOL_SIZE: String(connections + 4),
    FLINT_CHANGES_INTERVAL_MS: String(interval),
  }, option(args, '--port', 18700), profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []);
  try {
    const client = fhirClient(server.baseUrl);
    await client.call('POST', 'SubscriptionTopic', topic, 201);
    await warmUp(client, connections);
    console.log(`subscriptions: server in its own process over 127.0.0.1, ${connections} concurrent clients, change feed every ${interval} ms\n`);
    if (only !== 'outbox') {
      const figures = await deliveries(client, { events, connections, pacedEvents, pace });
      console.log(`delivery: per way, ${pacedEvents} creates at ${pace}/s by one client (the delay, from the client's 201 to the arrival),`);
      console.log(`then ${events} creates by ${connections} clients as fast as they go (events/s from the first 201 to the last arrival)\n`);
      console.log(`${deliveryTable(figures)}\n`);
    }
    if (only !== 'delivery') {
      const { ways, notifications } = await outbox(client, { databaseUrl: database.url, topic: TOPIC, rounds, seconds, connections, cpuSeconds: () => server.cpuSeconds() });
      console.log(`outbox: ${rounds} rounds of ${seconds}s per way (${notifications} notifications delivered during the active slices)\n`);
      console.log(outboxTable(ways));
    }
  } finally {
    await server.stop();
    await database.drop();
  }
}
