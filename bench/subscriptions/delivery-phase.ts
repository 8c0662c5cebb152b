/**
 * One delivery measurement of the subscriptions benchmark: a receiver's target is created, then
 * Encounters its filter selects are created twice over: at a steady pace below what delivery can
 * take (the delay: each event timed from the client's 201, the commit, to its arrival at the
 * receiver; same machine, same clock), and by several clients as fast as they can (the throughput:
 * events per second from the first 201 to the last arrival).
 */
import { percentile } from '../support/latency.js';
import type { BenchReceiver } from './receivers.js';

export interface FhirClient {
  /** Sends a FHIR request; throws unless the answer has the expected status; answers the parsed body. */
  call(method: string, path: string, body: unknown, expected: number): Promise<any>;
}

export interface DeliveryFigures {
  name: string;
  events: number;
  /** The events of the paced run, and its pace (creates per second). */
  pacedEvents: number;
  pace: number;
  createsPerSecond: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  duplicates: number;
  /** Why the receiver did not run (its broker is down). */
  skipped?: string;
}

export function encounter(patient: string, n: number): Record<string, unknown> {
  return { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: patient }, identifier: [{ value: `bench-${n}` }] };
}

async function waitFor(probe: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Writes `count` Encounters of the patient with `connections` clients, at most `pace` a second; answers each id's commit time. */
async function writeAll(client: FhirClient, patient: string, count: number, connections: number, pace = Infinity): Promise<Map<string, number>> {
  const commits = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const due = started + (n / pace) * 1000;
      if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      const created = await client.call('POST', 'Encounter', encounter(patient, n), 201);
      commits.set(created.id, performance.now());
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return commits;
}

interface Run {
  commits: Map<string, number>;
  receipts: Map<string, number>;
}

async function arrived(run: Run, name: string): Promise<void> {
  await waitFor(() => [...run.commits.keys()].every((id) => run.receipts.has(id)), 120_000, `${name}: every event`);
}

function delays(run: Run): number[] {
  return [...run.commits].map(([id, commit]) => (run.receipts.get(id) as number) - commit).sort((a, b) => a - b);
}

function eventsPerSecond(run: Run): number {
  const firstCommit = Math.min(...run.commits.values());
  const lastReceipt = Math.max(...[...run.commits.keys()].map((id) => run.receipts.get(id) as number));
  return run.commits.size / ((lastReceipt - firstCommit) / 1000);
}

export interface PhaseSettings {
  events: number;
  connections: number;
  pacedEvents: number;
  pace: number;
}

export async function deliveryPhase(client: FhirClient, receiver: BenchReceiver, topic: string, settings: PhaseSettings): Promise<DeliveryFigures> {
  const patient = `Patient/bench-${receiver.name.replace(/[^a-z]/gi, '')}`;
  const receipts = new Map<string, number>();
  let duplicates = 0;
  const target = await receiver.start(topic, patient, (id) => {
    if (receipts.has(id)) duplicates++;
    else receipts.set(id, performance.now());
  });
  const type = String(target.resourceType);
  const created = await client.call('POST', type, target, 201);
  try {
    if (type === 'Subscription') {
      await waitFor(async () => (await client.call('GET', `Subscription/${created.id}`, undefined, 200)).status === 'active', 30_000, 'the handshake');
    }
    const paced: Run = { commits: await writeAll(client, patient, settings.pacedEvents, 1, settings.pace), receipts };
    await arrived(paced, receiver.name);
    const started = performance.now();
    const burst: Run = { commits: await writeAll(client, patient, settings.events, settings.connections), receipts };
    const written = performance.now();
    await arrived(burst, receiver.name);
    const sorted = delays(paced);
    return {
      name: receiver.name, events: settings.events, pacedEvents: settings.pacedEvents, pace: settings.pace,
      createsPerSecond: settings.events / ((written - started) / 1000), eventsPerSecond: eventsPerSecond(burst),
      p50: percentile(sorted, 50), p99: percentile(sorted, 99), duplicates,
    };
  } finally {
    await client.call('DELETE', `${type}/${created.id}`, undefined, 204).catch(() => undefined);
    await receiver.stop();
  }
}
