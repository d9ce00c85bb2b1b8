import type { PortalService } from './service';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, str } from '../../platform/http/schemas';

const gatewayPublic = object({ habilitado: { type: 'boolean' }, public_key: { type: ['string', 'null'] }, mode: { type: 'string', enum: ['test', 'live'] } });

export function registerPortalRoutes(api: ApiRouter, deps: { portal: PortalService }) {
  const tags = ['Portal cautivo'];
  api.add({
    method: 'get', path: '/api/v1/config/public', auth: 'router_key', tags,
    summary: 'Configuración pública del portal: empresa, router y llaves públicas de pago',
    responses: {
      200: {
        description: 'Configuración pública',
        schema: object({
          empresa: object({
            id: str(), nombre: str(),
            // The original's fields and what the payment form shows (issue 13).
            conekta_public_key: { type: ['string', 'null'] }, mercadopago_public_key: { type: ['string', 'null'] },
            conekta_mode: { type: 'string', enum: ['test', 'live'] }, logo_url: { type: ['string', 'null'] },
            contacto: object({ email: str(), telefono: { type: ['string', 'null'] }, texto: { type: ['string', 'null'] } }),
            aviso_privacidad: { type: ['string', 'null'] },
          }, ['id', 'nombre']),
          router: object({ id: str(), nombre: str(), ubicacion: { type: ['string', 'null'] } }),
          conekta: gatewayPublic,
          mercado_pago: gatewayPublic,
        }),
        example: {
          empresa: { id: 'EMP_3A9F1C0B2D', nombre: 'WiFi Plaza' },
          router: { id: 'RTR_A1B2C3D4', nombre: 'Router Principal', ubicacion: 'Lobby Piso 1' },
          conekta: { habilitado: true, public_key: 'key_public_abc', mode: 'test' },
          mercado_pago: { habilitado: false, public_key: null, mode: 'test' },
        },
      },
      401: errorResponse('API Key inválida', 'API Key no válida o revocada'),
    },
    handler: (ctx) => deps.portal.publicConfig(ctx.state.router!),
  });
}
