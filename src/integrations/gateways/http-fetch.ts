/**
 * The little of `fetch` a gateway client uses (method, headers, a string body,
 * an abort signal; status and text of the answer), over node:http / node:https
 * with keep-alive agents shared by the process. Global fetch (undici) costs
 * about a millisecond of CPU more per call on this path (bench/RESULTS.md,
 * recommendation 5; issue 26): a card purchase makes one gateway call.
 */
import http from 'node:http';
import https from 'node:https';

export interface SmallResponse {
  status: number;
  text(): Promise<string>;
}

export type SmallFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<SmallResponse>;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
};

const abortError = () => Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });

export const httpFetch: SmallFetch = (url, init) => new Promise<SmallResponse>((resolve, reject) => {
  const target = new URL(url);
  const protocol = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : null;
  if (!protocol) {
    reject(new TypeError(`unsupported protocol ${target.protocol}`));
    return;
  }
  const { signal } = init;
  if (signal?.aborted) {
    reject(abortError());
    return;
  }
  const headers: Record<string, string | number> = { ...init.headers };
  if (init.body !== undefined) headers['Content-Length'] = Buffer.byteLength(init.body);
  const request = (protocol === 'https:' ? https : http).request(target, { method: init.method, headers, agent: agents[protocol] }, (response) => {
    const chunks: Buffer[] = [];
    const body = new Promise<string>((done, fail) => {
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
      response.on('error', fail);
      response.on('aborted', () => fail(abortError()));
    });
    body.catch(() => undefined); // read (or not) by text(); never an unhandled rejection
    resolve({ status: response.statusCode ?? 0, text: () => body });
  });
  const onAbort = () => request.destroy(abortError());
  signal?.addEventListener('abort', onAbort, { once: true });
  request.on('close', () => signal?.removeEventListener('abort', onAbort));
  request.on('error', reject);
  request.end(init.body);
});
