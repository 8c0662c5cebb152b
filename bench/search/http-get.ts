/**
 * GET over one kept-alive connection (node:http, no client-side pooling or parsing on the timed
 * path), so a measured latency is the server's answer and the network stack, not the client.
 */
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

export class HttpGetter {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly target: URL;

  constructor(baseUrl: string) {
    this.target = new URL(baseUrl);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: this.target.hostname, port: this.target.port, path, agent: this.agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
