/**
 * Whether a broker listens on a port of 127.0.0.1, so a broker's tests can skip with a reason
 * instead of failing where the broker is not running; and a port nothing listens on.
 */
import { createServer, Socket, type AddressInfo } from 'node:net';

export function probePort(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** A port of 127.0.0.1 that was free a moment ago (a connection to it is refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The skip option of a broker's tests: false when it is up, else the reason. */
export async function skipUnless(name: string, port: number): Promise<false | string> {
  return (await probePort(port)) ? false : `${name} is not reachable on 127.0.0.1:${port}`;
}

/** A short random suffix for queue, stream and topic names. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
