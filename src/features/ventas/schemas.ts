/**
 * The sales filters (query strings), declared once: the routes validate and
 * document (/openapi.json) with them, and the services' filter types are
 * derived from them (json-schema-to-ts), so the two cannot drift.
 */
import { object } from '../../platform/http/schemas';
import { ESTADOS_HOTSPOT, ESTADOS_PAGO } from '../transacciones';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** `YYYY-MM-DD` or an ISO 8601 date-time with its zone; the calendar itself is checked by the service. */
const dateOrDateTime = {
  type: 'string', maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
} as const;

/** The sales filters, shared by the list and the CSV export. */
const ventasFilterProperties = {
  estado_pago: { type: 'string', enum: [...ESTADOS_PAGO] },
  estado_hotspot: { type: 'string', enum: [...ESTADOS_HOTSPOT] },
  router_id: { type: 'string', minLength: 1, maxLength: 64, description: 'Router (de mi empresa)' },
  desde: { ...dateOrDateTime, description: 'Desde (inclusive)', example: '2025-01-01' },
  hasta: { ...dateOrDateTime, description: 'Hasta (inclusive)', example: '2025-01-31' },
  email: { type: 'string', minLength: 1, maxLength: 254, description: 'Email del cliente (exacto, sin distinguir mayúsculas)' },
  usuario: { type: 'string', minLength: 1, maxLength: 64, description: 'Usuario hotspot (exacto)' },
} as const;

/** GET /api/v1/admin/mi-empresa/transacciones: the filters and the page (keyset cursor, or the original's offset). */
export const ventasListQuery = object({
  ...ventasFilterProperties,
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `Por omisión ${DEFAULT_LIMIT}, máximo ${MAX_LIMIT}` },
  cursor: { type: 'string', minLength: 1, maxLength: 200, description: 'next_cursor de la página anterior (opaco)' },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Paginación del servicio original: filas a saltar (con `total`). Sin cursor.' },
});

/** GET /api/v1/admin/mi-empresa/transacciones/export.csv: the list's filters, every page. */
export const ventasExportQuery = object(ventasFilterProperties);
