import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface ReceivedWebhook {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
}

/** A stand-in for our webhook route: records every delivery and answers `status`. */
export async function startReceiver(status = 200): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://receiver.local'),
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
      });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/webhook/test/EMP_0123456789`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * The time bounds of both gateway client tests, chosen together: a healthy
 * call gets `CLIENT_TIMEOUT_MS`, long enough on a busy machine running test
 * files in parallel and well under the sandbox's slow answer
 * (`SANDBOX_SLOW_MS`). A call the client gave up on is told apart by what it
 * got (unknown, not the slow answer's paid), never by how long it took.
 */
export const CLIENT_TIMEOUT_MS = 2000;
export const SANDBOX_SLOW_MS = 4000;
/**
 * The bound of a client (`hurried` in the tests) used only for a call that is
 * meant to get no answer in time (the sandbox's slow answer, a hang, an
 * injected delay): its outcome (unknown, unavailable) is the same on any
 * machine however long the bound, so it need not wait CLIENT_TIMEOUT_MS.
 * Every call that should be answered keeps CLIENT_TIMEOUT_MS.
 */
export const NO_ANSWER_TIMEOUT_MS = 500;

export function trxId(): string {
  return `TRX_${randomBytes(6).toString('hex').toUpperCase()}`;
}

export function idemKey(): string {
  return `idem-${randomBytes(8).toString('hex')}`;
}

export async function elapsed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - start };
}
