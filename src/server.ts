/**
 * Web dyno. Migrates (idempotent, lock-protected, also done by the release
 * phase), creates the first super admin, listens, and on SIGTERM stops
 * accepting, lets in-flight requests finish, then exits.
 */
import http from 'node:http';
import net from 'node:net';
import { loadConfigOrExit, type Config } from './platform/config';
import { createContainer, type Container } from './container';
import { createApp } from './app';
import { migrateLatest } from './platform/db/knex';
import { ensureSuperAdmin } from './features/auth';

export interface RunningWeb {
  server: http.Server;
  container: Container;
  port: number;
  stop(): Promise<void>;
}

export async function startWeb(config: Config, options: { migrate?: boolean; /** Bind address (default: every interface). */ host?: string } = {}): Promise<RunningWeb> {
  const container = createContainer(config, { processName: 'web' });
  const { logger } = container;
  if (!config.encryptionKey) {
    logger.warn('ENCRYPTION_KEY_MERCADO_PAGO vacía: los secretos se guardan sin cifrar (sólo fuera de producción)');
  }
  if (options.migrate !== false) await migrateLatest(container.knex);
  if (await ensureSuperAdmin(container.stores.usuarios, config, container.passwords)) {
    logger.info({ email: config.superAdmin.email }, 'super admin inicial creado');
  }
  const app = createApp(container);
  const server = http.createServer(app.callback());
  server.requestTimeout = config.http.requestTimeoutMs;
  server.keepAliveTimeout = 65_000; // above typical load balancer idle timeouts
  await new Promise<void>((resolve) => (options.host ? server.listen(config.port, options.host, resolve) : server.listen(config.port, resolve)));
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, 'web escuchando');

  let stopping: Promise<void> | undefined;
  let draining = false;
  // While draining, every response closes its connection, so keep-alive clients move on.
  server.on('request', (_req, res) => { if (draining) res.setHeader('Connection', 'close'); });
  const stop = () => (stopping ??= (async () => {
    logger.info('web: deteniendo (sin aceptar conexiones nuevas)');
    draining = true;
    // Keep accepting briefly: connections already queued in the kernel (sent before
    // the platform stopped routing to us) are served instead of reset.
    await new Promise((resolve) => setTimeout(resolve, config.http.shutdownDrainMs));
    await new Promise<void>((resolve) => {
      // net.Server#close stops accepting but, unlike http.Server#close, does not cut
      // connections that were accepted and whose request is not parsed yet.
      net.Server.prototype.close.call(server, () => resolve());
      // Then idle keep-alive connections, once nothing new can arrive on them unseen.
      const idle = setTimeout(() => server.closeIdleConnections(), 1000);
      const hard = setTimeout(() => server.closeAllConnections(), config.http.requestTimeoutMs);
      idle.unref();
      hard.unref();
    });
    await container.close();
  })());
  return { server, container, port, stop };
}

if (require.main === module) {
  const config = loadConfigOrExit();
  startWeb(config).then((web) => {
    const shutdown = (signal: string) => {
      web.container.logger.info({ signal }, 'señal recibida');
      const force = setTimeout(() => process.exit(1), 25_000); // Heroku sends SIGKILL at 30 s
      force.unref();
      web.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  }).catch((error: unknown) => {
    process.stderr.write(`no se pudo iniciar el servicio web: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
