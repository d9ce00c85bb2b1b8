/**
 * What the one-paste setup script reads of a router (issue 22, item 6): its
 * mode, API port and user, and its sealed RADIUS secret and router token
 * (radius-engine's columns, migration 20261207010000_radius). Only this file
 * and store.ts query routers.
 */
import type { TrialSettings } from '../../integrations/mikrotik';
import type { Knex } from 'knex';
import { RouterModel } from './models';

export interface SetupRouterRow {
  id: string;
  empresa_id: string;
  nombre: string;
  activo: boolean;
  modo: 'api' | 'radius';
  puerto: number;
  tls: boolean;
  usuario: string | null;
  radius_secret_enc: string | null;
  token_enc: string | null;
  /** The router's trial (issue 24): RADIUS mode carries it in the script. */
  prueba: TrialSettings | null;
}

const COLUMNS = ['id', 'empresa_id', 'nombre', 'activo', 'modo', 'puerto', 'tls', 'usuario', 'radius_secret_enc', 'token_enc', 'prueba'] as const;

export function createRouterSetupStore(knex: Knex) {
  return {
    async find(empresaId: string, routerId: string): Promise<SetupRouterRow | undefined> {
      const row = await RouterModel.query(knex).select(...COLUMNS).where({ id: routerId, empresa_id: empresaId }).first();
      return row as unknown as SetupRouterRow | undefined;
    },

    /**
     * Gives a RADIUS-mode router its secret and token when it has none yet; a
     * router that already has them keeps them (rotation is a separate, explicit
     * action). Answers whether this call wrote them.
     */
    async fillRadiusCredentials(routerId: string, values: { radius_secret_enc: string; token_enc: string; token_hash: string }): Promise<boolean> {
      const n = await RouterModel.query(knex).patch(values as never)
        .where({ id: routerId }).whereNull('radius_secret_enc').whereNull('token_enc');
      return n > 0;
    },
  };
}

export type RouterSetupStore = ReturnType<typeof createRouterSetupStore>;
