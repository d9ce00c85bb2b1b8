/**
 * What the cash (OXXO / Paycash) and SPEI path reads besides the sale: the
 * product for sale with its company's gateway credentials. The sale's row and
 * its reference columns are the transacciones feature's (its store and
 * `createCashReferencesStore`).
 */
import type { Knex } from 'knex';

export interface ProductoParaVenta {
  id: number;
  empresa_id: string;
  nombre_venta: string;
  perfil_mikrotik_nombre: string;
  limit_uptime: string | null;
  limit_bytes_total: number | null;
  vigencia_minutos: number | null;
  limite_velocidad: string | null;
  dispositivos: number;
  vigencia_desde: 'activacion' | 'primer_uso';
  precio: string;
  moneda: 'MXN' | 'USD' | 'EUR';
  conekta_private_key_enc: string | null;
  mp_access_token_enc: string | null;
  empresa_nombre: string;
}

export function createCashStore(knex: Knex) {
  return {
    /**
     * The router's active product with its company's gateway credentials and
     * name: the same join the card purchase makes (transacciones has no
     * product/company models of its own yet).
     */
    async productoParaVenta(empresaId: string, routerId: string, productoId: number): Promise<ProductoParaVenta | undefined> {
      return knex('productos as p')
        .join('empresas as e', 'e.id', 'p.empresa_id')
        .where({ 'p.id': productoId, 'p.router_id': routerId, 'p.empresa_id': empresaId, 'p.activo': true })
        .whereNull('p.eliminado_en')
        .first('p.id', 'p.empresa_id', 'p.nombre_venta', 'p.perfil_mikrotik_nombre', 'p.limit_uptime', 'p.limit_bytes_total', 'p.vigencia_minutos',
          'p.limite_velocidad', 'p.dispositivos', 'p.vigencia_desde', 'p.precio', 'p.moneda', 'e.conekta_private_key_enc', 'e.mp_access_token_enc', 'e.nombre as empresa_nombre');
    },
  };
}

export type CashStore = ReturnType<typeof createCashStore>;
