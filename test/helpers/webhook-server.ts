import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server does with one request. */
export type Behaviour =
  | { status: number; body?: string; headers?: Record<string, string> }
  | 'hang' // never answers (the client's timeout fires)
  | 'reset'; // destroys the connection

/** One request the server took. */
export interface Taken {
  /** Epoch ms of arrival (body fully read). */
  at: number;
  body: unknown;
  headers: IncomingHttpHeaders;
}

/** The token in every test webhook URL; tests assert it never appears in logs or errors. */
export const TEST_TOKEN = 'tOkEn-SeCrEt_1234567890';

/**
 * A real HTTP server on 127.0.0.1 (random port) that answers the n-th request (1-based) as `behave(n)` says,
 * with a Dooray-shaped URL `http://127.0.0.1:<port>/services/<id>/<id>/<TEST_TOKEN>`.
 */
export async function startWebhookServer(behave: (n: number) => Behaviour = () => ({ status: 200 })) {
  const requests: Taken[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      requests.push({ at: Date.now(), body, headers: req.headers });
      const b = behave(requests.length);
      if (b === 'hang') return;
      if (b === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(b.status, b.headers ?? {}).end(b.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/1000000000000000001/2000000000000000002/${TEST_TOKEN}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Gaps in ms between consecutive request arrivals. */
export const gaps = (taken: readonly Taken[]): number[] =>
  taken.slice(1).map((t, i) => t.at - (taken[i]?.at ?? t.at));
