/**
 * A real HTTP receiver for subscription tests: records every POST (its headers and parsed body),
 * answers with the status the test sets (200 by default), and can be stopped and started again on
 * the same port to play a receiver that is down for a while. A receiver with a delay records each
 * POST as it arrives and answers it only after the delay (a slow receiver, with notifications in
 * flight when its sender dies). A held receiver records each event notification and answers none
until released (all at once, or one by one in the order the test chooses); it answers handshakes
and heartbeats as usual.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  text: string;
  body: any;
}

export class Receiver {
  readonly received: Received[] = [];
  status = 200;
  /** How long each answer waits after the POST was recorded. */
  delayMs = 0;
  private server?: Server;
  private held?: { received: Received; answer: () => void }[];
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const received = { headers: request.headers, text, body: JSON.parse(text) };
        if (this.status >= 200 && this.status < 300) this.received.push(received);
        response.statusCode = this.status;
        if (this.held && notificationType(received.body) === 'event-notification') this.held.push({ received, answer: () => response.end() });
        else if (this.delayMs > 0) setTimeout(() => response.end(), this.delayMs);
        else response.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Answers no event notification from now on until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** Answers the POSTs held, and the next ones as they come. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const { answer } of held) answer();
  }

  /** The POSTs held now, oldest first. */
  waiting(): Received[] {
    return (this.held ?? []).map((entry) => entry.received);
  }

  /** Answers one held POST (and keeps holding the others and the next ones). */
  answer(received: Received): void {
    const index = (this.held ?? []).findIndex((entry) => entry.received === received);
    if (index < 0) throw new Error('that POST is not held');
    const [entry] = (this.held ?? []).splice(index, 1);
    entry.answer();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/notify`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** The notifications of a type (handshake, heartbeat, event-notification). */
  ofType(type: string): Received[] {
    return this.received.filter((received) => notificationType(received.body) === type);
  }
}

export function notificationType(bundle: any): string | undefined {
  return bundle?.entry?.[0]?.resource?.parameter?.find((parameter: any) => parameter.name === 'type')?.valueCode;
}

/** The eventNumbers a notification carries. */
export function eventNumbers(bundle: any): number[] {
  return (bundle?.entry?.[0]?.resource?.parameter ?? [])
    .filter((parameter: any) => parameter.name === 'notification-event')
    .map((parameter: any) => Number(parameter.part.find((part: any) => part.name === 'event-number').valueString));
}
