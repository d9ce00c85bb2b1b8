/**
 * The company's sales as CSV (GET /api/v1/admin/mi-empresa/transacciones/export.csv),
 * with the sales list's filters, streamed: rows are read page by page with the
 * list's keyset cursor and written as they come, so an export of a million
 * sales holds one page in memory.
 *
 * - UTF-8 with a BOM, so Excel reads the accents; CRLF line ends (RFC 4180).
 * - Every cell is quoted when it needs it (comma, quote, line break, edge
 *   spaces), quotes doubled.
 * - A cell that a spreadsheet would run as a formula (starting with = + - @,
 *   tab or CR) is prefixed with an apostrophe (OWASP "CSV injection"): customer
 *   names and emails are typed by strangers on the portal.
 * - Never a secret: no hotspot password, idempotency key, request hash nor card
 *   data (the list's columns carry none of them).
 */
import { Readable } from 'node:stream';
import type { VentasExportFilters, VentasService } from './ventas-service';

type Row = Record<string, unknown>;

const dateTimeIn = (tz: string) => new Intl.DateTimeFormat('sv-SE', {
  timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v));

/** Header → value of a row. */
function columns(tz: string): Array<[string, (r: Row) => unknown]> {
  const local = dateTimeIn(tz);
  const at = (v: unknown) => (v ? local.format(new Date(v as string | Date)) : '');
  return [
    ['id', (r) => r.id],
    [`fecha (${tz})`, (r) => at(r.creado_en)],
    ['creado_en_utc', (r) => iso(r.creado_en)],
    ['router_id', (r) => r.router_id],
    ['producto_id', (r) => r.producto_id],
    ['producto', (r) => r.producto_nombre],
    ['perfil_mikrotik', (r) => r.perfil_mikrotik_nombre],
    ['metodo_pago', (r) => r.metodo_pago],
    ['pasarela', (r) => r.gateway],
    ['id_pasarela', (r) => r.gateway_id],
    ['monto', (r) => r.monto],
    ['moneda', (r) => r.moneda],
    ['estado_pago', (r) => r.estado_pago],
    ['estado_hotspot', (r) => r.estado_hotspot],
    ['cliente_nombre', (r) => r.cliente_nombre],
    ['cliente_email', (r) => r.cliente_email],
    ['cliente_telefono', (r) => r.cliente_telefono],
    ['cliente_mac', (r) => r.cliente_mac],
    ['cliente_ip', (r) => r.cliente_ip],
    ['usuario_hotspot', (r) => r.hotspot_usuario],
    [`pagado_en (${tz})`, (r) => at(r.pagado_en)],
    [`activado_en (${tz})`, (r) => at(r.activado_en)],
    [`acceso_expira_en (${tz})`, (r) => at(r.hotspot_expira_en)],
    ['motivo_rechazo', (r) => r.decline_message],
    ['requiere_revision', (r) => r.requiere_revision],
  ];
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-neutralised, then quoted when needed. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

export interface VentasExport {
  fileName: string;
  stream: Readable;
}

export function createVentasExport(deps: {
  ventas: Pick<VentasService, 'exportPages'>;
  /** The company's IANA time zone (the empresas feature, wired by the composition root). */
  zonaHoraria(empresaId: string): Promise<string | undefined>;
  pageSize?: number;
}) {
  return {
    /** Checks the filters (a 4xx is thrown here, before any byte is sent), then streams the CSV. */
    async csv(empresaId: string, filters: VentasExportFilters): Promise<VentasExport> {
      const tz = (await deps.zonaHoraria(empresaId)) ?? 'America/Mexico_City';
      const pages = await deps.ventas.exportPages(empresaId, filters, deps.pageSize);
      const cols = columns(tz);
      async function* chunks() {
        yield `\uFEFF${line(cols.map(([header]) => header))}`;
        for await (const page of pages) {
          yield page.map((row) => line(cols.map(([, get]) => get(row)))).join('');
        }
      }
      const day = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
      return { fileName: `ventas-${empresaId}-${day}.csv`, stream: Readable.from(chunks(), { objectMode: false }) };
    },
  };
}

export type VentasExportService = ReturnType<typeof createVentasExport>;
