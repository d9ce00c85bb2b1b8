/**
 * A tiny in-process HTTP server kit shared by the Conekta and Mercado Pago
 * sandboxes: JSON in/out, a request log, generic fault injection, and a
 * close() that also ends requests held open on purpose.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
}

export interface SimResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer after this long (Infinity: never answer; the socket is held until the client gives up or close()). */
  delayMs?: number;
}

/**
 * A fault applies to the next `times` requests matching `method`/`path`/`match`.
 * - `when: 'before'` (default): applied before the sandbox handles the request,
 *   so a `status` answer means nothing was created.
 * - `when: 'after'`: the sandbox handles the request first (the order/payment
 *   exists), then the answer is delayed / replaced / dropped.
 */
export interface FaultSpec {
  method?: string;
  path?: string | RegExp;
  match?: (req: SimRequest) => boolean;
  /** How many matching requests it affects; default 1 (use Infinity for all). */
  times?: number;
  when?: 'before' | 'after';
  delayMs?: number;
  /** Hold the request until this settles (a gate the test opens; after delayMs, before the rest). */
  until?: Promise<unknown>;
  /** Answer this status (and `body`) instead. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (until the client aborts or the sandbox closes). */
  hang?: boolean;
  /** Destroy the connection without an answer (a network error for the client). */
  destroy?: boolean;
}

interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  /** Adds a fault; returns a function that removes it. */
  add(spec: FaultSpec): () => void {
    const rule: ActiveFault = { ...spec, id: this.nextId++, remaining: spec.times ?? 1 };
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((r) => r.id !== rule.id);
    };
  }

  /** Shorthand: delay matching requests by `ms` (before handling). */
  delay(ms: number, where: Omit<FaultSpec, 'delayMs'> = {}): () => void {
    return this.add({ ...where, delayMs: ms });
  }

  /** Shorthand: answer `status` without handling (nothing is created). */
  fail(status: number, where: Omit<FaultSpec, 'status'> = {}): () => void {
    return this.add({ ...where, status });
  }

  clear(): void {
    this.rules = [];
  }

  get pending(): ReadonlyArray<FaultSpec & { remaining: number }> {
    return this.rules;
  }

  /** Finds and consumes the first rule matching this request and phase. */
  take(req: SimRequest, phase: 'before' | 'after'): FaultSpec | undefined {
    const index = this.rules.findIndex((rule) => {
      if ((rule.when ?? 'before') !== phase || rule.remaining <= 0) return false;
      if (rule.method && rule.method.toUpperCase() !== req.method) return false;
      if (rule.path !== undefined) {
        if (typeof rule.path === 'string' ? rule.path !== req.path : !rule.path.test(req.path)) return false;
      }
      if (rule.match && !rule.match(req)) return false;
      return true;
    });
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule;
  }
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  at: number;
}

export interface SimServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** A timer that close() cancels (its promise then never settles). */
  sleep(ms: number): Promise<void>;
}

export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** A request body that is a JSON object; {} for no body, a body that is not JSON, or a JSON scalar. */
export function jsonObjectBody(raw: Buffer): Record<string, unknown> {
  const parsed = parseJson(raw);
  return (parsed.ok && parsed.value && typeof parsed.value === 'object' ? parsed.value : {}) as Record<string, unknown>;
}

/**
 * `POST /sandbox/cash/pay` in both sandboxes: the customer pays a cash
 * reference at the store. `pay` marks it paid, or throws when the reference is
 * unknown or no longer payable (422 with the reason); `notify` sends the
 * gateway's webhook if the request asked for one; the answer is `answer(paid)`
 * and the webhook receiver's status.
 */
export async function payAtStore<T>(reference: string, steps: {
  pay(reference: string): T;
  notify(paid: T): Promise<{ status: number } | undefined>;
  answer(paid: T): Record<string, unknown>;
}): Promise<SimResult> {
  let paid: T;
  try {
    paid = steps.pay(reference);
  } catch (error) {
    return { status: 422, body: { error: (error as Error).message } };
  }
  const sent = await steps.notify(paid);
  return { status: 200, body: { ...steps.answer(paid), webhook: sent && { status: sent.status } } };
}

const MAX_BODY = 1024 * 1024;

export async function startSimServer(options: {
  port?: number;
  host?: string;
  faults: FaultInjector;
  handle: (req: SimRequest) => Promise<SimResult>;
  record?: (req: RecordedRequest) => void;
}): Promise<SimServer> {
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const hold = (ms: number) => (Number.isFinite(ms) ? sleep(ms) : new Promise<void>(() => undefined));

  async function apply(fault: FaultSpec, res: http.ServerResponse): Promise<'stop' | 'continue'> {
    if (fault.delayMs) await hold(fault.delayMs);
    if (fault.until) await fault.until.catch(() => undefined);
    if (fault.destroy) {
      res.socket?.destroy();
      return 'stop';
    }
    if (fault.hang) {
      await new Promise<void>(() => undefined);
      return 'stop';
    }
    if (fault.status !== undefined) {
      send(res, { status: fault.status, body: fault.body ?? { message: 'injected fault' }, headers: fault.headers });
      return 'stop';
    }
    return 'continue';
  }

  function send(res: http.ServerResponse, result: SimResult): void {
    if (res.writableEnded || res.destroyed) return;
    const payload = result.body === undefined ? '' : JSON.stringify(result.body);
    res.writeHead(result.status, {
      ...(payload ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
      'Content-Length': String(Buffer.byteLength(payload)),
      ...result.headers,
    });
    res.end(payload);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        send(res, { status: 413, body: { message: 'body too large' } });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://sandbox.local');
        const simReq: SimRequest = {
          method: (req.method ?? 'GET').toUpperCase(),
          path: url.pathname.replace(/\/+$/, '') || '/',
          query: url.searchParams,
          headers: req.headers,
          rawBody: Buffer.concat(chunks),
        };
        const parsed = parseJson(simReq.rawBody);
        options.record?.({
          method: simReq.method,
          path: simReq.path,
          query: Object.fromEntries(simReq.query),
          headers: req.headers,
          body: parsed.ok ? parsed.value : simReq.rawBody.toString('utf8'),
          at: Date.now(),
        });
        const before = options.faults.take(simReq, 'before');
        if (before && (await apply(before, res)) === 'stop') return;
        let result: SimResult;
        try {
          result = await options.handle(simReq);
        } catch (error) {
          result = { status: 500, body: { message: 'sandbox error', error: String(error) } };
        }
        const after = options.faults.take(simReq, 'after');
        if (after && (await apply(after, res)) === 'stop') return;
        if (result.delayMs) await hold(result.delayMs);
        send(res, result);
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    sleep,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** POSTs a JSON body (given as the exact raw string) to a webhook receiver. */
export async function postWebhook(
  url: string,
  rawBody: string,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: rawBody,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.text() };
}
