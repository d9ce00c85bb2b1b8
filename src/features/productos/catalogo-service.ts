/**
 * What the captive portal reads with its router key: the products on sale on
 * THIS router (the original also sold another router's and deleted products)
 * and a check of the key's company and router.
 *
 * The catalog is benchmarked: one query on the partial index
 * `productos_catalogo_orden (router_id, destacado DESC, orden_visual, id)
 * WHERE activo AND eliminado_en IS NULL`, already in display order.
 */
import type { Knex } from 'knex';
import type { RouterPrincipal } from '../../platform/http/context';
import { NotFoundError } from '../../platform/errors';
import { GenerationCache } from '../../platform/auth-generation';
import { parseProductoId, withPrecioNumber } from './service';

export const PRODUCTO_NO_DISPONIBLE = 'Producto no encontrado o no disponible';

/** Public fields only: no company id, no verification flags, no timestamps. */
export const CATALOGO_COLUMNS = [
  'id', 'router_id', 'perfil_mikrotik_id', 'perfil_mikrotik_nombre', 'nombre_venta', 'descripcion', 'imagen_url', 'precio',
  'moneda', 'detalles', 'limit_uptime', 'limit_bytes_total', 'vigencia_minutos', 'destacado', 'orden_visual', 'creado_en',
] as const;

export interface ValidarEmpresaRouterInput {
  empresa_id?: string;
  router_id?: string;
}

export interface RouterProbe {
  (routerId: string): Promise<{ conexion_ok: boolean; mensaje: string; error: string | null }>;
}

export function createCatalogoService(deps: { knex: Knex; probe?: RouterProbe }) {
  const { knex } = deps;
  const catalogs = new GenerationCache<unknown[]>(30_000);

  /** The catalog query of a router (exposed so tests can EXPLAIN it). */
  const catalogQuery = (principal: RouterPrincipal) =>
    knex('productos')
      .select(...CATALOGO_COLUMNS)
      .where({ router_id: principal.routerId, empresa_id: principal.empresaId, activo: true })
      .whereNull('eliminado_en')
      .orderBy([{ column: 'destacado', order: 'desc' }, { column: 'orden_visual', order: 'asc' }, { column: 'id', order: 'asc' }]);

  return {
    catalogQuery,

    /** The router's catalog; reused while no admin write happened (see auth-generation.ts). */
    async list(principal: RouterPrincipal, generation: string | null = null) {
      const key = `${principal.empresaId}|${principal.routerId}`;
      const cached = catalogs.get(key, generation);
      if (cached) return cached;
      const rows = (await catalogQuery(principal)).map(withPrecioNumber);
      catalogs.set(key, generation, rows);
      return rows;
    },

    async get(principal: RouterPrincipal, rawId: string | number) {
      const id = parseProductoId(rawId);
      const row = id === null ? undefined : await catalogQuery(principal).where({ id }).first();
      if (!row) throw new NotFoundError(PRODUCTO_NO_DISPONIBLE);
      return withPrecioNumber(row);
    },

    /**
     * The portal checks its configuration: which company and router its key
     * belongs to, and optionally that they are the ones it expects. The key
     * itself was already checked (signature, not revoked, router and company
     * active), so reaching this point means both are valid.
     */
    async validarEmpresaRouter(principal: RouterPrincipal, body: ValidarEmpresaRouterInput = {}) {
      const row = await knex('routers as r')
        .join('empresas as e', 'e.id', 'r.empresa_id')
        .join('router_api_keys as k', 'k.router_id', 'r.id')
        .where({ 'r.id': principal.routerId, 'k.key_id': principal.keyId })
        .first(
          'e.id as empresa_id', 'e.nombre as empresa_nombre', 'e.activa', 'r.id as router_id', 'r.nombre as router_nombre',
          'r.ubicacion', 'r.activo', 'k.key_id', 'k.expires_at',
        );
      if (!row) throw new NotFoundError('Router no encontrado');
      const empresaValida = body.empresa_id === undefined || body.empresa_id === row.empresa_id;
      const routerValido = body.router_id === undefined || body.router_id === row.router_id;
      const valido = empresaValida && routerValido && row.activa && row.activo;
      let mensaje = 'La API Key es válida para esta empresa y este router';
      if (!empresaValida) mensaje = 'La API Key no pertenece a la empresa indicada';
      else if (!routerValido) mensaje = 'La API Key no pertenece al router indicado';
      // The original's answer: a real, time-bounded connection to the router.
      const check = valido && deps.probe ? await deps.probe(row.router_id) : null;
      const estado = !row.activa ? 'empresa_inactiva' : !row.activo ? 'router_inactivo' : check && !check.conexion_ok ? 'router_inactivo' : 'activo';
      return {
        success: valido && Boolean(check?.conexion_ok ?? true),
        estado,
        conexion_ok: check?.conexion_ok ?? false,
        mensaje_conexion: check ? (check.conexion_ok ? 'El router respondió.' : 'El router no respondió. Revise que esté encendido y accesible.') : null,
        error_detalle: check?.error ?? null,
        timestamp: new Date().toISOString(),
        valido,
        empresa_valida: empresaValida && row.activa,
        router_valido: routerValido && row.activo,
        mensaje,
        empresa: { id: row.empresa_id, nombre: row.empresa_nombre, activa: row.activa },
        router: { id: row.router_id, nombre: row.router_nombre, ubicacion: row.ubicacion, activo: row.activo },
        api_key: { key_id: row.key_id, expires_at: row.expires_at },
      };
    },
  };
}

export type CatalogoService = ReturnType<typeof createCatalogoService>;
