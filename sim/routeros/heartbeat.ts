/**
 * What the setup script's `/system scheduler` does on a RADIUS-mode router:
 * `POST /api/v1/routers/latido` with the router token every interval, from the
 * router's own (public) address. `localAddress` (127.0.0.x) stands for that
 * address, the same one its RADIUS packets come from (`src-address`).
 */
import http from 'node:http';

export interface Heartbeat {
  /** Sends one now; resolves with the HTTP status (0 when it could not be sent). */
  beat(): Promise<number>;
  /** Every status so far, newest last. */
  readonly statuses: number[];
  stop(): void;
}

export function startHeartbeat(opts: { apiUrl: string; token: string; localAddress?: string; intervalMs?: number; immediately?: boolean }): Heartbeat {
  const url = new URL('/api/v1/routers/latido', opts.apiUrl);
  const statuses: number[] = [];
  const beat = () => new Promise<number>((resolve) => {
    const req = http.request({
      host: url.hostname === 'localhost' ? '127.0.0.1' : url.hostname, port: url.port, path: url.pathname, method: 'POST',
      localAddress: opts.localAddress, headers: { Authorization: `Bearer ${opts.token}`, 'Content-Length': '0' },
    }, (res) => {
      res.resume();
      res.on('end', () => { statuses.push(res.statusCode ?? 0); resolve(res.statusCode ?? 0); });
    });
    req.on('error', () => { statuses.push(0); resolve(0); });
    req.setTimeout(10_000, () => req.destroy());
    req.end();
  });
  const timer = setInterval(() => { void beat(); }, opts.intervalMs ?? 60_000);
  timer.unref();
  if (opts.immediately ?? true) void beat();
  return { beat, statuses, stop: () => clearInterval(timer) };
}
