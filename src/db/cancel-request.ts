/**
 * PostgreSQL's cancel request: a new connection to the server that names a backend (its process id
 * and secret key, from the connection's start) and asks it to stop the statement it runs, as psql's
 * Ctrl-C does. It needs no free connection of a pool and no authentication. Best effort: a failure
 * to reach the server is ignored (the statement then ends at its timeout).
 */
import { connect, type Socket } from 'node:net';

const CANCEL_REQUEST_CODE = 80877102;

export interface CancelTarget {
  host: string;
  port: number;
}

export function sendCancelRequest(target: CancelTarget, processId: number, secretKey: number): void {
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  message.writeInt32BE(processId, 8);
  message.writeInt32BE(secretKey, 12);
  const socket: Socket = target.host.startsWith('/')
    ? connect(`${target.host}/.s.PGSQL.${target.port}`)
    : connect(target.port, target.host);
  socket.on('error', () => socket.destroy());
  socket.setTimeout(5000, () => socket.destroy());
  socket.on('connect', () => socket.end(message));
}

/** A pg client's connection as its cancel request needs it (set once the connection started). */
type CancellableClient = { host?: string; port?: number; processID?: number | null; secretKey?: number | null };

/** Sends the cancel request for the statement a connected pg client runs now; nothing when it is not connected. */
export function cancelStatementOf(client: CancellableClient): void {
  const { host, port, processID, secretKey } = client;
  if (typeof host !== 'string' || typeof port !== 'number' || typeof processID !== 'number' || typeof secretKey !== 'number') return;
  sendCancelRequest({ host, port }, processID, secretKey);
}
