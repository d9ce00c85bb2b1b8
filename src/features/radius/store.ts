/**
 * The only code that reads or writes FreeRADIUS's tables (radcheck, radreply,
 * radusergroup, radacct) for sales and vouchers, and a router's mode.
 */
import type { Knex } from 'knex';
import { pgErrorCode } from '../../platform/db/unique';
import { RouterModoModel } from './models';

export type RouterModo = 'api' | 'radius';

export function createRadiusStore(knex: Knex) {
  return {
    /**
     * A router's mode; undefined when the router does not exist. Until the
     * `routers.modo` column exists (radius-engine's migration), every router is
     * in API mode (undefined_column, 42703).
     */
    async routerModo(routerId: string): Promise<RouterModo | undefined> {
      try {
        const row = await RouterModoModel.query(knex).select('modo').where({ id: routerId }).first();
        return row ? row.modo : undefined;
      } catch (error) {
        if (pgErrorCode(error) === '42703') return (await RouterModoModel.query(knex).select('id').where({ id: routerId }).first()) ? 'api' : undefined;
        throw error;
      }
    },
  };
}

export type RadiusStore = ReturnType<typeof createRadiusStore>;
