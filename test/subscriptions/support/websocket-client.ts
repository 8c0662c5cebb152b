/**
 * A websocket client for the websocket channel tests: connects with the `ws` package, keeps every
 * message it gets (parsed JSON), and waits for messages or for the close.
 */
import { WebSocket } from 'ws';
import { within } from '../../support/eventually.js';
import { notificationType } from './receiver.js';

export class WsClient {
  readonly messages: any[] = [];
  closed?: { code: number; reason: string };
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data))));
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
    });
  }

  static async connect(url: string): Promise<WsClient> {
    const socket = new WebSocket(url);
    const client = new WsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(text: string): void {
    this.socket.send(text);
  }

  /** The notification Bundles of a type (handshake, heartbeat, event-notification), in arrival order. */
  ofType(type: string): any[] {
    return this.messages.filter((message) => message.resourceType === 'Bundle' && notificationType(message) === type);
  }

  outcomes(): any[] {
    return this.messages.filter((message) => message.resourceType === 'OperationOutcome');
  }

  async waitFor(probe: () => boolean, ms = 5000): Promise<void> {
    await within(ms, async () => probe());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const done = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close();
    await done;
  }
}
