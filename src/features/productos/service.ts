/**
 * Products of a company (/api/v1/admin/products): a MikroTik hotspot profile of
 * one of its routers, sold at a price.
 *
 * - The router must belong to the admin's company (otherwise 404, like any
 *   resource of another company).
 * - When the router answers, the profile must exist on it: the product is saved
 *   verified with the profile's RouterOS id. When it does not answer (offline,
 *   inactive, wrong credentials), the product is saved unverified and the
 *   response says so; the purchase pipeline reports an unknown profile later.
 * - Money: the price arrives as a decimal string or a JSON number and is checked
 *   through integer cents; the decimal string is stored (numeric(10,2)).
 * - DELETE is a soft delete (eliminado_en + activo = false): sales keep pointing
 *   at the product and the portal stops offering it at once.
 * No database transaction is held open across the router call.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { pgErrorCode } from '../../platform/db/unique';
import { ID_PATTERNS } from '../../platform/ids';
import { RouterError, type HotspotClient, type HotspotProfile } from '../../integrations/mikrotik';
import { centsToDecimalString, MoneyFormatError, toCents } from '../../platform/money';
import type { RoutersStore, RouterTargets } from '../routers';
import { normalizeLimiteVelocidad, ownProfileFor, type RouterModo } from '../radius';
import type { ProductoRow, ProductoValues, ProductosStore } from './store';
import type { productoCreateBody, productoUpdateBody } from './schemas';

export const PRODUCTO_NOT_FOUND = 'Producto no encontrado';
import { ROUTER_NOT_FOUND } from '../routers';
export { ROUTER_NOT_FOUND };
/** numeric(10,2): 99,999,999.99 at most. */
const MAX_PRICE_CENTS = 9_999_999_999;

const ROUTER_ID = new RegExp(ID_PATTERNS.router);
const SERIAL_ID = /^[1-9]\d{0,9}$/;

export type { Moneda } from '../../platform/money';

/**
 * POST /api/v1/admin/products, as its schema (schemas.ts) validated it. The
 * price is a decimal string or a JSON number (checked through cents here).
 */
export type ProductoInput = FromSchema<typeof productoCreateBody>;

/** PUT /api/v1/admin/products/:producto_id: every field optional (an omitted one keeps its value). */
export type ProductoUpdate = FromSchema<typeof productoUpdateBody>;

export interface Verificacion {
  perfil_verificado: boolean;
  mensaje: string;
}

/**
 * The original answered `precio` as a JSON number; a number keeps every two-decimal
 * price exact up to 99999999.99 when printed, so clients see what is stored. The
 * exact decimal stays beside it as `precio_decimal` (money is computed from that).
 */
export function withPrecioNumber<T extends { precio?: unknown }>(row: T): Omit<T, 'precio'> & { precio: number; precio_decimal: string } {
  const decimal = String(row.precio);
  return { ...row, precio: Number(decimal), precio_decimal: decimal };
}

/** `'12.5'`, `12.5` → `'12.50'`; 422 naming `precio` otherwise (never float arithmetic). */
export function normalizePrecio(value: string | number): string {
  let cents: number;
  try {
    cents = toCents(typeof value === 'string' ? value.trim() : value);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw new ValidationError(`El campo 'precio' no es válido: ${error.message.replace(/^El monto/, 'el precio')}`, 'precio');
    throw error;
  }
  if (cents <= 0) throw new ValidationError("El campo 'precio' debe ser mayor que 0", 'precio');
  if (cents > MAX_PRICE_CENTS) throw new ValidationError("El campo 'precio' admite como máximo 99999999.99", 'precio');
  return centsToDecimalString(cents);
}

/** A path id that cannot exist is simply not found, without a query. */
export function parseProductoId(raw: string | number): number | null {
  const text = String(raw);
  if (!SERIAL_ID.test(text)) return null;
  const id = Number(text);
  return id <= 2_147_483_647 ? id : null;
}

/** The router was deleted between our check and the write (foreign key): the same 404 as before. */
async function rethrowMissingRouter<T>(write: PromiseLike<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (pgErrorCode(error) === '23503') throw new NotFoundError(ROUTER_NOT_FOUND);
    throw error;
  }
}

/** A product of a RADIUS-mode router: the profile is only a name sent as Mikrotik-Group, never looked up on the router. */
const SIN_VERIFICAR_RADIUS: Verificacion = {
  perfil_verificado: false,
  mensaje: 'Router en modo RADIUS: el perfil no se comprueba en el router; si se indica, se envía como Mikrotik-Group',
};

export function createProductosService(deps: {
  store: ProductosStore; routers: Pick<RoutersStore, 'find'>; targets: RouterTargets;
  /** Only what the rules ask of the router (the fast tests give a fake). */
  hotspot: Pick<HotspotClient, 'listProfiles' | 'ensureProfile'>;
  /** The router's mode (api when unknown). */
  routerModo: (routerId: string) => Promise<RouterModo | undefined>;
}) {
  const { store, hotspot, targets } = deps;

  /** The company's router (any state) or 404. */
  async function requireOwnRouter(empresaId: string, routerId: string) {
    const row = ROUTER_ID.test(routerId) ? await deps.routers.find(empresaId, routerId) : undefined;
    if (!row) throw new NotFoundError(ROUTER_NOT_FOUND);
    return { id: row.id, activo: row.activo, nombre: row.nombre };
  }

  /**
   * API mode: a product with a speed or several devices has a hotspot user
   * profile of ours on its router, brought up to date now when the router
   * answers (otherwise at its next sale or voucher). Never fails the request.
   */
  async function syncOwnProfile(row: ProductoRow): Promise<void> {
    const own = ownProfileFor({
      productoId: row.id, perfil: row.perfil_mikrotik_nombre, limitUptime: row.limit_uptime, vigenciaMinutos: row.vigencia_minutos,
      limiteVelocidad: row.limite_velocidad, dispositivos: row.dispositivos, vigenciaDesde: row.vigencia_desde,
    });
    if (!own || (await modoOf(row.router_id)) !== 'api') return;
    const target = await targets.load(row.router_id).catch(() => null);
    if (!target?.activo) return;
    await hotspot.ensureProfile(target, own).catch(() => undefined);
  }

  const modoOf = async (routerId: string): Promise<RouterModo> => (await deps.routerModo(routerId)) ?? 'api';

  /** API mode needs a profile that exists on the router; RADIUS mode takes any name, or none. */
  function requirePerfil(modo: RouterModo, perfil: string): void {
    if (modo === 'api' && perfil === '') {
      throw new ValidationError("El campo 'perfil_mikrotik_nombre' es obligatorio en un router en modo API", 'perfil_mikrotik_nombre');
    }
  }

  async function load(empresaId: string, rawId: string | number): Promise<ProductoRow> {
    const id = parseProductoId(rawId);
    const row = id === null ? undefined : await store.find(empresaId, id);
    if (!row) throw new NotFoundError(PRODUCTO_NOT_FOUND);
    return row;
  }

  /**
   * Asks the router for its profiles. A missing profile on a router that
   * answered is the admin's mistake (422); a router that did not answer leaves
   * the product unverified.
   */
  async function verifyProfile(routerId: string, perfil: string): Promise<Verificacion & { perfil_mikrotik_id: string | null }> {
    const target = await targets.load(routerId);
    if (!target) throw new NotFoundError(ROUTER_NOT_FOUND);
    if (!target.activo) {
      return { perfil_verificado: false, perfil_mikrotik_id: null, mensaje: 'El router está inactivo: el perfil no se pudo verificar' };
    }
    let profiles: HotspotProfile[];
    try {
      profiles = await hotspot.listProfiles(target);
    } catch (error) {
      if (error instanceof RouterError) {
        return {
          perfil_verificado: false, perfil_mikrotik_id: null,
          mensaje: `No se pudo verificar el perfil en el router (${error.detail}); el producto se guardó sin verificar`,
        };
      }
      throw error;
    }
    const profile = profiles.find((p) => p.name === perfil);
    if (!profile) throw new ValidationError(`El perfil '${perfil}' no existe en el router`, 'perfil_mikrotik_nombre');
    return { perfil_verificado: true, perfil_mikrotik_id: profile.id || null, mensaje: 'Perfil verificado en el router' };
  }

  function optionalColumns(body: ProductoUpdate): ProductoValues {
    const out: ProductoValues = {};
    if (body.nombre_venta !== undefined) out.nombre_venta = body.nombre_venta.trim();
    if (body.descripcion !== undefined) out.descripcion = body.descripcion;
    if (body.imagen_url !== undefined) out.imagen_url = body.imagen_url;
    if (body.precio !== undefined) out.precio = normalizePrecio(body.precio);
    if (body.moneda !== undefined) out.moneda = body.moneda;
    if (body.detalles !== undefined) out.detalles = JSON.stringify(body.detalles);
    if (body.limit_uptime !== undefined) out.limit_uptime = body.limit_uptime;
    if (body.limit_bytes_total !== undefined) out.limit_bytes_total = body.limit_bytes_total;
    if (body.vigencia_minutos !== undefined) out.vigencia_minutos = body.vigencia_minutos;
    if (body.limite_velocidad !== undefined) out.limite_velocidad = normalizeLimiteVelocidad(body.limite_velocidad);
    if (body.dispositivos !== undefined) out.dispositivos = body.dispositivos;
    if (body.vigencia_desde !== undefined) out.vigencia_desde = body.vigencia_desde;
    if (body.activo !== undefined) out.activo = body.activo;
    if (body.orden_visual !== undefined) out.orden_visual = body.orden_visual;
    if (body.destacado !== undefined) out.destacado = body.destacado;
    return out;
  }

  return {
    requireOwnRouter,

    async create(empresaId: string, body: ProductoInput) {
      const values = optionalColumns(body); // validates the price before any router call
      const perfil = (body.perfil_mikrotik_nombre ?? '').trim();
      await requireOwnRouter(empresaId, body.router_id);
      const modo = await modoOf(body.router_id);
      requirePerfil(modo, perfil);
      const check = modo === 'radius' ? { ...SIN_VERIFICAR_RADIUS, perfil_mikrotik_id: null } : await verifyProfile(body.router_id, perfil);
      const row = await rethrowMissingRouter(store.insert({
        detalles: JSON.stringify({}),
        ...values,
        empresa_id: empresaId,
        router_id: body.router_id,
        perfil_mikrotik_nombre: perfil,
        perfil_mikrotik_id: check.perfil_verificado ? check.perfil_mikrotik_id : (body.perfil_mikrotik_id ?? null),
        perfil_verificado: check.perfil_verificado,
      }));
      await syncOwnProfile(row);
      return { ...withPrecioNumber(row), verificacion: { perfil_verificado: check.perfil_verificado, mensaje: check.mensaje } };
    },

    async list(empresaId: string, filters: { router_id?: string; activo?: boolean } = {}) {
      if (filters.router_id) await requireOwnRouter(empresaId, filters.router_id);
      return (await store.list(empresaId, filters)).map(withPrecioNumber);
    },

    async get(empresaId: string, productoId: string | number) {
      return withPrecioNumber(await load(empresaId, productoId));
    },

    /**
     * Partial update. Changing the router or the profile re-checks the profile on
     * the router, and so does any update of a product still unverified.
     */
    async update(empresaId: string, productoId: string | number, body: ProductoUpdate) {
      const current = await load(empresaId, productoId);
      const values = optionalColumns(body);
      const routerId = body.router_id ?? current.router_id;
      const perfil = body.perfil_mikrotik_nombre !== undefined ? body.perfil_mikrotik_nombre.trim() : current.perfil_mikrotik_nombre;
      if (body.router_id !== undefined && body.router_id !== current.router_id) await requireOwnRouter(empresaId, body.router_id);
      let verificacion: Verificacion | null = null;
      const moved = routerId !== current.router_id || perfil !== current.perfil_mikrotik_nombre;
      const modo = await modoOf(routerId);
      requirePerfil(modo, perfil);
      if (moved || (!current.perfil_verificado && modo === 'api')) {
        const check = modo === 'radius' ? { ...SIN_VERIFICAR_RADIUS, perfil_mikrotik_id: null } : await verifyProfile(routerId, perfil);
        verificacion = { perfil_verificado: check.perfil_verificado, mensaje: check.mensaje };
        values.router_id = routerId;
        values.perfil_mikrotik_nombre = perfil;
        values.perfil_verificado = check.perfil_verificado;
        values.perfil_mikrotik_id = check.perfil_verificado
          ? check.perfil_mikrotik_id
          : (body.perfil_mikrotik_id !== undefined ? body.perfil_mikrotik_id : moved ? null : current.perfil_mikrotik_id);
      }
      // On a verified product the router's id stands; a perfil_mikrotik_id sent along is ignored.
      const row = await rethrowMissingRouter(store.patch(empresaId, current.id, values));
      if (!row) throw new NotFoundError(PRODUCTO_NOT_FOUND); // deleted meanwhile
      await syncOwnProfile(row);
      return {
        ...withPrecioNumber(row),
        verificacion: verificacion ?? { perfil_verificado: row.perfil_verificado, mensaje: 'Perfil sin cambios' },
      };
    },

    /** Soft delete: the portal stops offering it at once; sales keep their snapshot. */
    async remove(empresaId: string, productoId: string | number) {
      const id = parseProductoId(productoId);
      const row = id === null ? undefined : await store.softDelete(empresaId, id);
      if (!row) throw new NotFoundError(PRODUCTO_NOT_FOUND);
      // The original's fields (`producto_id`, `activo: false`) beside ours.
      return { message: 'Producto eliminado exitosamente', id: row.id, producto_id: row.id, activo: false, eliminado_en: row.eliminado_en };
    },
  };
}

export type ProductosService = ReturnType<typeof createProductosService>;
