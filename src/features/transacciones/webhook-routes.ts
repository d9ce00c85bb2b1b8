import type { WebhookService } from './webhook-service';
import type { RateLimits } from '../../platform/rate-limits';
import type { ApiRouter } from '../../platform/http/api-router';
import type { AppContext } from '../../platform/http/context';
import { empresaId, errorResponse, object, str } from '../../platform/http/schemas';

const UNPARSED = Symbol.for('unparsedBody');

function delivery(ctx: AppContext, empresa: string) {
  const body = (ctx.request as { body?: Record<string | symbol, unknown> }).body ?? {};
  const raw = body[UNPARSED];
  return {
    empresaId: empresa,
    rawBody: typeof raw === 'string' ? raw : JSON.stringify(body),
    body: body as Record<string, any>,
    headers: ctx.headers,
    query: ctx.query,
  };
}

export function registerWebhookRoutes(api: ApiRouter, deps: { webhooks: WebhookService; rateLimits: RateLimits }) {
  // Unauthenticated by nature: bound what anyone can make us do (gateway look-ups, stored rows).
  const limit = (ctx: AppContext, empresa: string) =>
    deps.rateLimits.consume('webhooksPerEmpresa', `${empresa}|${ctx.ip}`, 'Demasiadas notificaciones. Intente de nuevo en {s} segundos');
  const tags = ['Webhooks'];
  const responses = {
    200: { description: 'Recibido (procesado, duplicado o ignorado)', schema: object({ received: { type: 'boolean' }, resultado: str() }), example: { received: true, resultado: 'changed' } },
    401: errorResponse('Firma inválida (se registra y no cambia nada), o la empresa no configuró con qué verificarla (no se guarda)', 'Firma de webhook inválida'),
    404: errorResponse('Empresa desconocida', 'Empresa no encontrada'),
  };
  api.add<unknown, unknown, { empresa_id: string }>({
    method: 'post', path: '/api/v1/webhook/mercado-pago/:empresa_id', auth: 'public', tags,
    summary: 'Notificaciones de Mercado Pago (x-signature verificada con la clave secreta de la empresa; sin clave secreta se rechazan)',
    params: object({ empresa_id: empresaId }, ['empresa_id']),
    responses,
    async handler(ctx, { params }) {
      await limit(ctx, params.empresa_id);
      const { resultado } = await deps.webhooks.mercadoPago(delivery(ctx, params.empresa_id));
      return { received: true, resultado };
    },
  });
  api.add<unknown, unknown, { empresa_id: string }>({
    method: 'post', path: '/api/v1/webhook/conekta/:empresa_id', auth: 'public', tags,
    summary: 'Eventos de Conekta (encabezado digest verificado con la llave de webhook de la empresa; sin llave se rechazan)',
    params: object({ empresa_id: empresaId }, ['empresa_id']),
    responses,
    async handler(ctx, { params }) {
      await limit(ctx, params.empresa_id);
      const { resultado } = await deps.webhooks.conekta(delivery(ctx, params.empresa_id));
      return { received: true, resultado };
    },
  });
}
