/**
 * A TCP proxy a test puts between the service and a store (PostgreSQL, Redis)
 * to cut it: `cut()` stops listening and destroys every open connection (so
 * clients see their sockets reset and new connections refused, as when the
 * database restarts or fails over), `restore()` listens again on the same
 * port. Bytes pass through untouched.
 */
import net from 'node:net';

export interface TcpProxy {
  /** The port clients connect to (stable across cut/restore). */
  port: number;
  host: string;
  /** Connections accepted so far, for reports. */
  readonly accepted: number;
  readonly isCut: boolean;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let cut = false;
  let server: net.Server;

  const listen = (port: number) => new Promise<net.Server>((resolve, reject) => {
    const created = net.createServer((client) => {
      accepted += 1;
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.setNoDelay(true);
        socket.on('close', () => sockets.delete(socket));
        // Either side failing ends both: what the service sees is a dropped connection.
        socket.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    created.once('error', reject);
    created.listen(port, '127.0.0.1', () => {
      created.off('error', reject);
      resolve(created);
    });
  });

  server = await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  const proxy: TcpProxy = {
    port,
    host: '127.0.0.1',
    get accepted() { return accepted; },
    get isCut() { return cut; },
    async cut() {
      if (cut) return;
      cut = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
    },
    async restore() {
      if (!cut) return;
      // The port was ours a moment ago; retry briefly in case the OS has not released it.
      for (let attempt = 0; ; attempt++) {
        try {
          server = await listen(port);
          break;
        } catch (error) {
          if (attempt >= 20 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      cut = false;
    },
    async close() {
      await proxy.cut();
    },
  };
  return proxy;
}
