import type { PortalService } from './service';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, str } from '../../platform/http/schemas';

const nullableText = { type: ['string', 'null'] } as const;
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
            // The original's fields.
            conekta_public_key: nullableText, mercadopago_public_key: nullableText, conekta_mode: { type: 'string', enum: ['test', 'live'] },
            // What the payment form shows.
            logo_url: nullableText,
            contacto: object({ email: nullableText, telefono: nullableText, texto: nullableText }),
            aviso_privacidad: nullableText,
          }, ['id', 'nombre', 'conekta_public_key', 'mercadopago_public_key', 'conekta_mode']),
          router: object({ id: str(), nombre: str(), ubicacion: { type: ['string', 'null'] } }),
          prueba: object({ activa: { type: 'boolean' }, minutos: { type: 'integer' } }, ['activa', 'minutos'], {
            description: 'Prueba gratuita del router (login «trial»): si está activa y cuántos minutos da',
          }),
          conekta: gatewayPublic,
          mercado_pago: gatewayPublic,
          metodos_pago: {
            type: 'array',
            description: 'Los métodos de pago que ofrece cada pasarela habilitada y si piden el teléfono del cliente (`telefono_requerido`)',
            items: object({
              pasarela: { type: 'string', enum: ['conekta', 'mercadopago'] },
              metodo: { type: 'string', enum: ['tarjeta', 'oxxo', 'paycash', 'spei'] },
              telefono_requerido: { type: 'boolean' },
            }),
          },
        }),
        example: {
          empresa: {
            id: 'EMP_3A9F1C0B2D', nombre: 'WiFi Plaza', conekta_public_key: 'key_public_abc', mercadopago_public_key: null, conekta_mode: 'test',
            logo_url: '/static/logos/EMP_3A9F1C0B2D-1a2b3c.png', contacto: { email: 'ops@wifiplaza.mx', telefono: '5512345678', texto: null },
            aviso_privacidad: 'Usamos tu correo solo para enviarte tu comprobante.',
          },
          router: { id: 'RTR_A1B2C3D4', nombre: 'Router Principal', ubicacion: 'Lobby Piso 1' },
          prueba: { activa: true, minutos: 10 },
          conekta: { habilitado: true, public_key: 'key_public_abc', mode: 'test' },
          mercado_pago: { habilitado: false, public_key: null, mode: 'test' },
          metodos_pago: [
            { pasarela: 'conekta', metodo: 'tarjeta', telefono_requerido: false },
            { pasarela: 'conekta', metodo: 'oxxo', telefono_requerido: true },
          ],
        },
      },
      401: errorResponse('API Key inválida', 'API Key no válida o revocada'),
    },
    handler: (ctx) => deps.portal.publicConfig(ctx.state.router!),
  });
}
