/**
 * What an active topic costs the writes of the subscriptions benchmark: creates/s of Encounters with
 * no target selecting them, with one webhook TopicDestination selecting each of them (delivered
 * meanwhile one event a notification, or up to 100 a notification), and raw PostgreSQL inserting
 * the same JSON at the same concurrency, the ways taking turns in slices; each way's median rate and
 * the server process's CPU time per create (steadier than the rate on a shared machine).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { median, slice, type Way } from '../support/slices.js';
import { encounter, type FhirClient } from './delivery-phase.js';

const PATIENT = 'Patient/bench-outbox';

export interface OutboxWay extends Way {
  before?: () => Promise<void>;
  /** Server CPU seconds and creates of the measured slices. */
  cpu: number;
  creates: number;
}

export interface OutboxSettings {
  databaseUrl: string;
  topic: string;
  rounds: number;
  seconds: number;
  connections: number;
  cpuSeconds: () => number;
}

interface Destinations {
  /** Makes the destination of that batch size active and the others off; none: all off. */
  activate(batch: number | undefined): Promise<void>;
  received(): number;
  stop(): Promise<void>;
}

/** Webhook destinations selecting the outbox creates, one per batch size, to a receiver answering 200; off at first. */
async function destinations(client: FhirClient, topic: string, batches: number[]): Promise<Destinations> {
  let received = 0;
  const server = createServer((request, response) => {
    request.on('data', () => undefined);
    request.on('end', () => {
      received++;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  const body = (batch: number, status: string) => ({
    resourceType: 'TopicDestination', status, kind: 'webhook-at-least-once', topic, content: 'full-resource', filter: [`Encounter?patient=${PATIENT}`],
    parameter: [{ name: 'endpoint', valueString: endpoint }, { name: 'maxMessagesInBatch', valueUnsignedInt: batch }],
  });
  const ids = new Map<number, string>();
  for (const batch of batches) ids.set(batch, (await client.call('POST', 'TopicDestination', body(batch, 'off'), 201)).id);
  return {
    async activate(active) {
      for (const [batch, id] of ids) await client.call('PUT', `TopicDestination/${id}`, { ...body(batch, batch === active ? 'active' : 'off'), id }, 200);
      // The registry reads the change when the feed brings it.
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    received: () => received,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function measured(way: OutboxWay, settings: OutboxSettings): Promise<void> {
  await way.before?.();
  const cpu = settings.cpuSeconds();
  const before = way.rates.length;
  await slice(way, settings.seconds, settings.connections);
  way.cpu += settings.cpuSeconds() - cpu;
  way.creates += way.rates[before] * settings.seconds;
}

export async function outbox(client: FhirClient, settings: OutboxSettings): Promise<{ ways: OutboxWay[]; notifications: number }> {
  const targets = await destinations(client, settings.topic, [1, 100]);
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.connections });
  await pool.query('CREATE TABLE bench_raw_encounter (id text PRIMARY KEY, resource jsonb NOT NULL)');
  const create = async (i: number) => void await client.call('POST', 'Encounter', encounter(PATIENT, i), 201);
  let raw = 0;
  const way = (name: string, run: (i: number) => Promise<void>, before?: () => Promise<void>): OutboxWay => ({ name, run, before, rates: [], cpu: 0, creates: 0 });
  const ways = [
    way('no active topic', create, () => targets.activate(undefined)),
    way('one active topic (webhook destination, 1 event a notification)', create, () => targets.activate(1)),
    way('one active topic (webhook destination, up to 100 events a notification)', create, () => targets.activate(100)),
    way('raw PostgreSQL INSERT', (i) => pool.query('INSERT INTO bench_raw_encounter (id, resource) VALUES ($1, $2)', [`r-${raw++}`, JSON.stringify(encounter(PATIENT, i))]).then(() => undefined)),
  ];
  try {
    for (const each of ways) {
      await each.before?.();
      await slice(each, 0.5, settings.connections);
      each.rates = [];
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (const each of ways) await measured(each, settings);
    }
    await targets.activate(undefined);
    return { ways, notifications: targets.received() };
  } finally {
    await pool.end();
    await targets.stop();
  }
}

const fixed = (value: number, digits = 0): string => (Number.isNaN(value) ? '–' : value.toFixed(digits));

export function outboxTable(ways: OutboxWay[]): string {
  const none = median(ways[0].rates);
  const raw = ways[ways.length - 1];
  const rows = ['| creates with | median /s | best /s | server CPU ms per create | vs no active topic | vs raw PostgreSQL |', '|---|---|---|---|---|---|'];
  for (const way of ways) {
    const rate = median(way.rates);
    const cpu = way === raw ? '' : fixed((way.cpu / way.creates) * 1000, 2);
    const ratios = way === raw ? '| |' : `| ${fixed((rate / none) * 100)}% | ${fixed((rate / median(raw.rates)) * 100)}% |`;
    rows.push(`| ${way.name} | ${fixed(rate)} | ${fixed(Math.max(...way.rates))} | ${cpu} ${ratios}`);
  }
  return rows.join('\n');
}
