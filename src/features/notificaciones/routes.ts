import type { NotificacionesService } from './service';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, str } from '../../platform/http/schemas';
import { clienteErrors, empresaOf } from '../../platform/http/cliente-common';

export function registerNotificacionesRoutes(api: ApiRouter, deps: { notificaciones: NotificacionesService }) {
  api.add({
    method: 'post', path: '/api/v1/admin/test-telegram', auth: 'cliente_admin', tags: ['Cliente admin: mi empresa'],
    summary: 'Enviar un mensaje de prueba al chat de Telegram',
    description: 'Sin cuerpo usa el token y el chat guardados; `token` y `chat_id` prueban otros antes de guardarlos. El token nunca se devuelve.',
    body: object({
      token: { type: ['string', 'null'], maxLength: 200, pattern: '^[^\\s]*$' },
      chat_id: { type: ['string', 'integer', 'null'], maxLength: 64 },
    }, [], { example: {} }),
    responses: {
      200: {
        description: 'Mensaje enviado',
        schema: object({ message: str(), success: { type: 'boolean' }, notificaciones_telegram: { type: 'boolean' } }),
        example: { message: 'Mensaje de prueba enviado con éxito', success: true, notificaciones_telegram: true },
      },
      400: errorResponse('Sin token o sin chat', 'Faltan credenciales (Token o Chat ID)'),
      ...clienteErrors,
      502: errorResponse('Telegram rechazó el mensaje o no respondió', 'El token del bot de Telegram no es válido'),
    },
    handler: (ctx, { body }) => deps.notificaciones.sendTest(empresaOf(ctx), body),
  });
}
