import type { Config } from '../../platform/config';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, str } from '../../platform/http/schemas';
import { withDeadline } from '../../platform/deadline';
import { STORE_UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../platform/errors';

const { version } = require('../../../package.json') as { version: string };

const check = { type: 'string', enum: ['ok', 'error'] };
const checks = object({ postgres: check, redis: check }, ['postgres', 'redis']);

/** One round trip to each store; a store that fails or takes over 2 s is down. */
export interface StorePings {
  postgres(): Promise<unknown>;
  redis(): Promise<unknown>;
}

export function registerSystemRoutes(api: ApiRouter, c: { config: Config; pings: StorePings }) {
  api.add({
    method: 'get', path: '/', auth: 'public', tags: ['Sistema'], summary: 'Nombre, versión y estado del servicio',
    responses: { 200: { description: 'Servicio en marcha', schema: object({ name: str(), message: str(), version: str(), status: str(), timestamp: str(), docs: str() }, ['name', 'version', 'status']), example: { name: 'Pagos Hotspot API', message: 'Pagos Hotspot API', version, status: 'running', timestamp: '2025-01-15T16:30:00.000Z', docs: '/docs' } } },
    handler: () => ({ name: c.config.appName, message: c.config.appName, version, status: 'running', timestamp: new Date().toISOString(), docs: '/docs' }),
  });

  api.add({
    method: 'get', path: '/health', auth: 'public', tags: ['Sistema'], summary: 'Salud: verifica PostgreSQL y Redis',
    description: 'Como el servicio original, `status` es `healthy` o `unhealthy`; `checks` dice qué almacén no responde. Con un almacén caído la respuesta es 503 con `Retry-After`.',
    responses: {
      200: { description: 'Todo responde (`status: "healthy"`, como el original)', schema: object({ status: { const: 'healthy' }, estado: { const: 'ok' }, checks }, ['status', 'estado', 'checks']), example: { status: 'healthy', estado: 'ok', checks: { postgres: 'ok', redis: 'ok' } } },
      503: errorResponse('Alguna dependencia no responde (`status: "unhealthy"`)', 'Servicio no disponible: redis', { properties: { status: { const: 'unhealthy' }, estado: { const: 'error' }, checks }, example: { status: 'unhealthy', estado: 'error', checks: { postgres: 'ok', redis: 'error' } } }),
    },
    async handler(ctx) {
      const [postgres, redis] = await Promise.all([
        withDeadline(c.pings.postgres(), 2000).then(() => 'ok', () => 'error'),
        withDeadline(c.pings.redis(), 2000).then(() => 'ok', () => 'error'),
      ]);
      const checks = { postgres, redis };
      const down = Object.entries(checks).filter(([, v]) => v !== 'ok').map(([k]) => k);
      if (down.length > 0) {
        ctx.state.log.warn({ store: down.join(',') }, 'health check: store unavailable');
        ctx.status = 503;
        ctx.set('Retry-After', String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS));
        ctx.body = { status: 'unhealthy', estado: 'error', detail: `Servicio no disponible: ${down.join(', ')}`, code: 'service_unavailable', checks };
        return undefined;
      }
      // `status` keeps the original's word; ours is `estado` and the checks.
      return { status: 'healthy', estado: 'ok', checks };
    },
  });
}
