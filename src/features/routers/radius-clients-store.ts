/**
 * The only code that writes FreeRADIUS's clients (`nas`, in the schema
 * radiusSchemaFor derives from the app's): one row per RADIUS-mode router
 * (shortname = router id, nasname = the address its heartbeat reported,
 * secret = its RADIUS secret). FreeRADIUS reads them as dynamic clients, so a
 * change is served within its client lifetime, without a restart.
 */
import type { Knex } from 'knex';
import { on, type Tx } from '../../platform/db/objection';
import { NasModel } from './models';

export function createRadiusClientsStore(knex: Knex, schema: string) {
  const nas = (tx?: Tx) => NasModel.query(on(knex, tx)).withSchema(schema);
  return {
    schema,

    /** The router's client at `address` with `secret` (created or replaced). */
    async upsert(routerId: string, address: string, secret: string, tx?: Tx): Promise<void> {
      // Through the model's knex builder: Objection's insert has no ON CONFLICT ... MERGE.
      await NasModel.query(on(knex, tx)).toKnexQuery().withSchema(schema)
        .insert({ shortname: routerId, nasname: address, secret, type: 'other', description: 'pagos-hotspot' })
        .onConflict('shortname').merge(['nasname', 'secret']);
    },

    /** A new secret for the router's client, if it has one. */
    async setSecret(routerId: string, secret: string, tx?: Tx): Promise<void> {
      await nas(tx).patch({ secret }).where({ shortname: routerId });
    },

    /** The routers' clients stop answering (another router took the address, or they left RADIUS mode or were deleted). */
    async remove(routerIds: string[], tx?: Tx): Promise<void> {
      if (routerIds.length === 0) return;
      await nas(tx).delete().whereIn('shortname', routerIds);
    },

    async find(routerId: string): Promise<{ nasname: string; secret: string } | undefined> {
      const row = await nas().select('nasname', 'secret').where({ shortname: routerId }).first();
      return row && { nasname: row.nasname, secret: row.secret };
    },
  };
}

export type RadiusClientsStore = ReturnType<typeof createRadiusClientsStore>;
