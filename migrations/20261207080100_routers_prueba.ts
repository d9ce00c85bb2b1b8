import type { Knex } from 'knex';

/**
 * The router's own trial login (issue 24), per router:
 * - `prueba`: what the company set, `{activa, minutos, reinicio_horas, limite_velocidad}`.
 * - `prueba_router`: what applying it changed on the device (per server
 *   profile: whether `trial` was added to `login-by` and the trial values it
 *   had; whether our user profile was created), so turning it off removes
 *   only what we added. Internal: never in an answer.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('routers', (t) => {
    t.jsonb('prueba').notNullable().defaultTo(knex.raw(`'{"activa":false,"minutos":10,"reinicio_horas":24,"limite_velocidad":null}'::jsonb`));
    t.jsonb('prueba_router');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('routers', (t) => {
    t.dropColumn('prueba_router');
    t.dropColumn('prueba');
  });
}
