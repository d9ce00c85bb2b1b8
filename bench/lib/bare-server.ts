/**
 * The baseline of bench/catalog.ts: a bare Koa app, one route, answering the
 * exact JSON body the real catalog route answered (read from a file), on a
 * plain http.Server like src/server.ts (same keep-alive settings). Nothing
 * else: no auth, no Redis, no PostgreSQL, no middleware.
 *
 *   PORT=... BODY_FILE=... node --import tsx bench/lib/bare-server.ts
 */
import fs from 'node:fs';
import http from 'node:http';
import Koa from 'koa';

const port = Number(process.env.PORT);
const body = JSON.parse(fs.readFileSync(process.env.BODY_FILE!, 'utf8')) as unknown;

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method === 'GET' && ctx.path === '/api/v1/catalogo_perfiles_venta') {
    ctx.body = body; // serialized per request, as Koa does for the real route
    return;
  }
  if (ctx.path === '/health') {
    ctx.body = { status: 'ok' };
    return;
  }
  ctx.status = 404;
});

const server = http.createServer(app.callback());
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
