/**
 * What the captive portal reads with its router key: the products on sale on
 * THIS router (the original also sold another router's and deleted products)
 * and a check of the key's company and router.
 *
 * The catalog is benchmarked: one query on the partial index
 * `productos_catalogo_orden (router_id, destacado DESC, orden_visual, id)
 * WHERE activo AND eliminado_en IS NULL`, already in display order.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { RouterPrincipal } from '../../platform/http/context';
import { NotFoundError } from '../../platform/errors';
import { GenerationCache } from '../../platform/auth-generation';
import { parseProductoId, withPrecioNumber } from './service';
import type { CatalogoRow, ProductosStore } from './store';
import type { validarEmpresaRouterBody } from './schemas';
import type { RoutersStore } from '../routers';
import type { EmpresasStore } from '../empresas';

export const PRODUCTO_NO_DISPONIBLE = 'Producto no encontrado o no disponible';

/**
 * A catalog row as the portal receives it: `precio` as a number beside its
 * exact decimal, and `creado_en` already in its JSON text (the same ISO 8601
 * a Date serializes to), so a cached catalog is not re-formatted on every request.
 */
function catalogItem(row: CatalogoRow) {
  const item = withPrecioNumber(row);
  return { ...item, creado_en: item.creado_en instanceof Date ? item.creado_en.toISOString() : item.creado_en };
}

/** POST /api/v1/routers/validar-empresa-router, as its schema (schemas.ts) validated it: the company and router the portal expects. */
export type ValidarEmpresaRouterInput = FromSchema<typeof validarEmpresaRouterBody>;

/** A bounded live connection test of a router (wired in by the composition root). */
export interface RouterProbe {
  (routerId: string): Promise<{ conexion_ok: boolean; mensaje: string; error: string | null }>;
}

export function createCatalogoService(deps: {
  store: ProductosStore; routers: Pick<RoutersStore, 'keyWithRouter'>; empresas: Pick<EmpresasStore, 'findRef'>; probe?: RouterProbe;
}) {
  const { store } = deps;
  const catalogs = new GenerationCache<unknown[]>(30_000);

  return {
    /** The catalog query of a router (exposed so tests can EXPLAIN it). */
    catalogQuery: (principal: RouterPrincipal) => store.catalogSql(principal),

    /** The router's catalog; reused while no admin write happened (see auth-generation.ts). */
    async list(principal: RouterPrincipal, generation: string | null = null) {
      const key = `${principal.empresaId}|${principal.routerId}`;
      const cached = catalogs.get(key, generation);
      if (cached) return cached;
      const rows = (await store.catalog(principal)).map(catalogItem);
      catalogs.set(key, generation, rows);
      return rows;
    },

    async get(principal: RouterPrincipal, rawId: string | number) {
      const id = parseProductoId(rawId);
      const row = id === null ? undefined : await store.catalogItem(principal, id);
      if (!row) throw new NotFoundError(PRODUCTO_NO_DISPONIBLE);
      return catalogItem(row);
    },

    /**
     * The portal checks its configuration: which company and router its key
     * belongs to, and optionally that they are the ones it expects. The key
     * itself was already checked (signature, not revoked, router and company
     * active), so reaching this point means both are valid.
     */
    async validarEmpresaRouter(principal: RouterPrincipal, body: ValidarEmpresaRouterInput = {}) {
      const key = await deps.routers.keyWithRouter(principal.routerId, principal.keyId);
      const empresa = key && await deps.empresas.findRef(key.empresa_id);
      if (!key || !empresa) throw new NotFoundError('Router no encontrado');
      const row = { ...key, empresa_nombre: empresa.nombre, activa: empresa.activa };
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
