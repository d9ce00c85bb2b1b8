import type { WebhookService } from './webhook-service';
import type { RateLimits } from '../../platform/rate-limits';
import type { ApiRouter } from '../../platform/http/api-router';
import type { AppContext } from '../../platform/http/context';
import { empresaId, errorResponse, object, str } from '../../platform/http/schemas';
import { webhookPath, type GatewayRegistry } from '../../integrations/gateways';

/**
 * The delivery as received. Signatures (Conekta's `digest`) are checked over the
 * exact text koa-body read (`includeUnparsed` in app.ts puts it on
 * `ctx.request.rawBody`), never over a re-serialisation of the parsed body: a
 * sender's spacing, escaped slashes or Unicode would not survive that. A body
 * koa-body did not read (another content type) has no text, so no signature holds.
 */
function delivery(ctx: AppContext, empresa: string) {
  const request = ctx.request as { body?: Record<string, unknown>; rawBody?: unknown };
  const body = request.body ?? {};
  const raw = request.rawBody;
  return {
    empresaId: empresa,
    rawBody: typeof raw === 'string' ? raw : '',
    body: body as Record<string, any>,
    headers: ctx.headers,
    query: ctx.query,
  };
}

/** The original's acknowledgement fields, beside ours. */
const received = (resultado: string) => ({
  received: true, resultado, status: 'received', message: 'Webhook received and queued', received_at: new Date().toISOString(),
});

export function registerWebhookRoutes(api: ApiRouter, deps: {
  webhooks: WebhookService; rateLimits: RateLimits;
  /** One per-company webhook route per registered gateway (`/api/v1/webhook/<slug>/{empresa_id}`). */
  gateways: GatewayRegistry;
  /** The company of a Mercado Pago payment we sold, for the original's company-less webhook URL. */
  empresaOfPayment?: (paymentId: string) => Promise<string | null>;
}) {
  // Unauthenticated by nature: bound what anyone can make us do (gateway look-ups, stored rows).
  const limit = (ctx: AppContext, empresa: string) =>
    deps.rateLimits.consume('webhooksPerEmpresa', `${empresa}|${ctx.ip}`, 'Demasiadas notificaciones. Intente de nuevo en {s} segundos');
  const tags = ['Webhooks'];
  const responses = {
    200: {
      description: 'Recibido (procesado, duplicado o ignorado)',
      schema: object({ received: { type: 'boolean' }, resultado: str(), status: str(), message: str(), received_at: str() }),
      example: { received: true, resultado: 'changed', status: 'received', message: 'Webhook received and queued', received_at: '2025-01-15T16:30:00.000Z' },
    },
    401: errorResponse('Firma inválida (se registra y no cambia nada), o la empresa no configuró con qué verificarla (no se guarda)', 'Firma de webhook inválida'),
    404: errorResponse('Empresa desconocida', 'Empresa no encontrada'),
  };
  // Every gateway's deliveries for one company, at the path its provider names (the original's for Conekta and Mercado Pago).
  for (const provider of deps.gateways.all) {
    api.add({
      method: 'post', path: webhookPath(provider), auth: 'public', tags,
      summary: provider.webhookSummary,
      params: object({ empresa_id: empresaId }, ['empresa_id']),
      responses,
      async handler(ctx, { params }) {
        await limit(ctx, params.empresa_id);
        const { resultado } = await deps.webhooks.receive(provider.id, delivery(ctx, params.empresa_id));
        return received(resultado);
      },
    });
  }

  api.add({
    method: 'post', path: '/api/v1/webhook/conekta', auth: 'public', tags,
    summary: 'Eventos de Conekta de la cuenta de la plataforma (CONEKTA_DEFAULT_PRIVATE_KEY): la empresa se deduce de la orden',
    description: 'El servicio registra esta URL en Conekta una sola vez por llave de la plataforma. La empresa sale de la orden del evento '
      + '(`metadata.transaccion_id` o el id de la orden), debe vender con la llave de la plataforma, y el encabezado `digest` se verifica con la '
      + 'llave de webhooks de ese registro; después se procesa como en `/api/v1/webhook/conekta/{empresa_id}`. Lo que no es nuestro se ignora (200).',
    responses,
    async handler(ctx) {
      await deps.rateLimits.consume('webhooksPerEmpresa', `plataforma-conekta|${ctx.ip}`, 'Demasiadas notificaciones. Intente de nuevo en {s} segundos');
      const { empresaId: _none, ...rest } = delivery(ctx, '');
      const { resultado } = await deps.webhooks.conektaPlatform(rest);
      return received(resultado);
    },
  });

  api.add({
    method: 'post', path: '/api/v1/webhook/mercado-pago', auth: 'public', tags,
    summary: 'Notificaciones de Mercado Pago en la URL del servicio original (sin empresa en la ruta)',
    description: 'Responde siempre 200 con la misma respuesta (`resultado: "recibido"`), sea o no un pago nuestro, con firma válida o no, '
      + 'y también cuando esta dirección superó su límite (la conciliación periódica recupera lo que no se procese): la respuesta no '
      + 'revela qué ids de pago son ventas nuestras. La empresa se deduce del pago (`data.id`); solo si es una venta nuestra se verifica '
      + 'y procesa como en `/api/v1/webhook/mercado-pago/{empresa_id}` (firma con la clave secreta de esa empresa y consulta del pago a '
      + 'Mercado Pago). Se recomienda registrar la URL con la empresa.',
    responses: { 200: responses[200] },
    async handler(ctx) {
      // One answer whatever happens: a different status or body for our payment ids would let anyone holding
      // the public router key scan for them. Mercado Pago sends from few addresses, so the per-address limit
      // drops quietly too; the reconciler catches up with whatever is not processed here.
      try {
        await deps.rateLimits.consume('webhooksPerEmpresa', `url-original|${ctx.ip}`, 'Demasiadas notificaciones');
        const body = ((ctx.request as { body?: Record<string, any> }).body ?? {}) as Record<string, any>;
        const paymentId = String(ctx.query['data.id'] ?? body?.data?.id ?? '');
        const empresa = paymentId && paymentId.length <= 64 && deps.empresaOfPayment ? await deps.empresaOfPayment(paymentId) : null;
        if (empresa) {
          const { resultado } = await deps.webhooks.receive('mercadopago', delivery(ctx, empresa));
          ctx.state.log.info({ empresa, resultado }, 'company-less Mercado Pago webhook processed');
        }
      } catch (error) {
        ctx.state.log.info({ err: { message: (error as Error).message } }, 'company-less Mercado Pago webhook not processed');
      }
      return received('recibido');
    },
  });

  api.add({
    method: 'get', path: '/api/v1/webhook/test-webhook', auth: 'public', tags,
    summary: 'Comprobar que la URL de webhooks responde (como el original)',
    responses: { 200: { description: 'Responde', schema: object({ status: { const: 'ok' }, message: str(), timestamp: str() }, ['status', 'message']), example: { status: 'ok', message: 'Webhook endpoint activo', timestamp: '2025-01-15T16:30:00.000Z' } } },
    handler: () => ({ status: 'ok', message: 'Webhook endpoint activo', timestamp: new Date().toISOString() }),
  });
}
