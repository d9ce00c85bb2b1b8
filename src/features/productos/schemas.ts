/**
 * The request bodies of the productos feature, declared once: the routes
 * validate and document (/openapi.json) with them, and the services' input
 * types are derived from them (json-schema-to-ts), so the two cannot drift.
 */
import { object } from '../../platform/http/schemas';
import { line } from '../../platform/http/admin-common';

/** RouterOS interval, as `limit-uptime` takes it: "1h", "1d2h30m", "2w", or "1d 02:00:00"-style "1d02:00:00". Never zero. */
export const ROS_INTERVAL_PATTERN = '^(?=.*[1-9])(?:(?:\\d+[wdhms])+|(?:\\d+d)?\\d{1,2}:\\d{2}:\\d{2})$';

const productoFields = {
  router_id: { type: 'string', minLength: 1, maxLength: 64, description: 'Router de mi empresa donde se vende', example: 'RTR_A1B2C3D4' },
  perfil_mikrotik_nombre: {
    type: 'string', minLength: 1, maxLength: 64, pattern: '^(?=.*\\S)[\\x20-\\x7E]+$',
    description: 'Nombre del perfil hotspot en el router (ASCII). Si el router responde, debe existir en él. '
      + 'Obligatorio en un router en modo API; opcional en modo RADIUS (se envía como Mikrotik-Group y no se comprueba en el router).',
    example: '1hora',
  },
  perfil_mikrotik_id: {
    type: ['string', 'null'], pattern: '^\\*[0-9A-Fa-f]+$',
    description: 'Opcional: el id RouterOS del perfil. Si el router responde, se toma el del router.', example: '*3',
  },
  nombre_venta: line(120, { description: 'Nombre comercial en el portal', example: '1 Hora de Internet' }),
  descripcion: { type: ['string', 'null'], maxLength: 2000, example: 'Acceso ilimitado por 1 hora' },
  imagen_url: { type: ['string', 'null'], format: 'uri', pattern: '^https?://', maxLength: 2048, example: 'https://cdn.example.com/1h.png' },
  precio: {
    type: ['string', 'number'],
    description: 'Mayor que 0, con dos decimales como máximo ("20", "20.5", "20.50" o 20.5). Se guarda como decimal exacto.',
    example: '20.00',
  },
  moneda: { type: 'string', enum: ['MXN', 'USD', 'EUR'], description: 'Por omisión MXN' },
  detalles: {
    type: ['object', 'array'], maxProperties: 50, maxItems: 50,
    description: 'Datos libres para el portal (p. ej. viñetas)', example: { velocidad: '10 Mbps', duracion: '1 hora' },
  },
  limit_uptime: {
    type: ['string', 'null'], maxLength: 32, pattern: ROS_INTERVAL_PATTERN,
    description: 'Tiempo de conexión máximo del usuario, intervalo RouterOS ("1h", "1d2h30m")', example: '1h',
  },
  limit_bytes_total: { type: ['integer', 'null'], minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Bytes totales (subida + bajada)', example: 1073741824 },
  vigencia_minutos: { type: ['integer', 'null'], minimum: 1, maximum: 5_256_000, description: 'Vigencia en minutos desde la activación (tiempo de reloj)', example: 1440 },
  limite_velocidad: {
    type: ['string', 'null'], maxLength: 32,
    description: 'Velocidad del plan como el rate-limit de RouterOS, subida/bajada ("2M/10M", "512k/2M"); null: sin límite propio',
    example: '2M/10M',
  },
  dispositivos: { type: 'integer', minimum: 1, maximum: 1000, description: 'Dispositivos simultáneos por usuario (por omisión 1)', example: 1 },
  vigencia_desde: {
    type: 'string', enum: ['activacion', 'primer_uso'],
    description: 'Desde cuándo cuenta `vigencia_minutos`: la activación de la venta (por omisión) o el primer inicio de sesión',
    example: 'activacion',
  },
  activo: { type: 'boolean', description: 'Visible en el portal (por omisión true)' },
  orden_visual: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000, description: 'Orden en el portal (ascendente, tras los destacados)' },
  destacado: { type: 'boolean', description: 'Se muestra primero en el portal' },
} as const;

/** POST /api/v1/admin/products. */
export const productoCreateBody = object(productoFields, ['router_id', 'nombre_venta', 'precio'], {
  example: {
    router_id: 'RTR_A1B2C3D4', perfil_mikrotik_nombre: '1hora', nombre_venta: '1 Hora de Internet', descripcion: 'Acceso ilimitado por 1 hora',
    precio: '20.00', moneda: 'MXN', detalles: { velocidad: '10 Mbps' }, limit_uptime: '1h', vigencia_minutos: 1440, limite_velocidad: '2M/10M', dispositivos: 1, vigencia_desde: 'activacion',
    orden_visual: 1, destacado: false,
  },
});

/** PUT /api/v1/admin/products/:producto_id: partial, an omitted field keeps its value. */
export const productoUpdateBody = object(productoFields, [], { example: { precio: '25.00', destacado: true } });

/** POST /api/v1/routers/validar-empresa-router (the portal, with its router key). */
export const validarEmpresaRouterBody = object({
  empresa_id: { type: 'string', maxLength: 64, example: 'EMP_3A9F1C0B2D' },
  router_id: { type: 'string', maxLength: 64, example: 'RTR_A1B2C3D4' },
}, [], { example: { empresa_id: 'EMP_3A9F1C0B2D', router_id: 'RTR_A1B2C3D4' } });
