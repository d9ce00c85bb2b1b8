import type { Knex } from 'knex';

/**
 * Selling without a card (issue 15).
 * - `fichas_lotes` / `fichas`: printed vouchers, hotspot users created ahead of
 *   time on the product's router. A code is unique per router.
 * - `transacciones.metodo_pago`: tarjeta | oxxo | paycash. Cash rows carry the
 *   store reference, its ticket/barcode URL and when the reference expires.
 * - `routers.hotspot_login_url`: where the printed QR sends the customer
 *   (the router's hotspot DNS name or IP); null means the default.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('routers', (t) => {
    t.text('hotspot_login_url');
  });

  await knex.schema.createTable('fichas_lotes', (t) => {
    t.text('id').primary();
    t.text('empresa_id').notNullable().references('empresas.id');
    t.text('router_id').notNullable().references('routers.id');
    t.integer('producto_id').notNullable().references('productos.id');
    t.text('producto_nombre').notNullable();
    t.text('perfil_mikrotik_nombre').notNullable();
    t.text('limit_uptime');
    t.bigInteger('limit_bytes_total');
    t.decimal('precio', 10, 2).notNullable();
    t.text('moneda').notNullable();
    t.text('tipo_usuario').notNullable();
    t.text('prefijo');
    t.integer('cantidad').notNullable();
    t.integer('creado_por');
    t.timestamp('creado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE fichas_lotes ADD CONSTRAINT fichas_lotes_id_format CHECK (id ~ '^LOT_[0-9A-F]{10}$')`);
  await knex.raw(`ALTER TABLE fichas_lotes ADD CONSTRAINT fichas_lotes_cantidad CHECK (cantidad BETWEEN 1 AND 1000)`);
  await knex.raw(`ALTER TABLE fichas_lotes ADD CONSTRAINT fichas_lotes_tipo_usuario CHECK (tipo_usuario IN ('usuario_contrasena','pin'))`);
  await knex.raw(`CREATE INDEX fichas_lotes_empresa ON fichas_lotes (empresa_id, creado_en DESC, id DESC)`);

  await knex.schema.createTable('fichas', (t) => {
    t.bigIncrements('id').primary();
    t.text('lote_id').notNullable().references('fichas_lotes.id');
    t.text('empresa_id').notNullable().references('empresas.id');
    t.text('router_id').notNullable().references('routers.id');
    t.text('codigo').notNullable();
    t.text('contrasena_enc');
    t.text('estado').notNullable().defaultTo('pendiente');
    t.integer('intentos').notNullable().defaultTo(0);
    t.text('ultimo_error');
    t.timestamp('creado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('actualizado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disponible_en', { useTz: true });
    t.timestamp('usada_en', { useTz: true });
    t.timestamp('anulada_en', { useTz: true });
    t.timestamp('expirada_en', { useTz: true });
  });
  await knex.raw(`ALTER TABLE fichas ADD CONSTRAINT fichas_estado CHECK (estado IN ('pendiente','disponible','usada','expirada','anulada'))`);
  await knex.raw(`CREATE UNIQUE INDEX fichas_codigo_por_router ON fichas (router_id, codigo)`);
  await knex.raw(`CREATE INDEX fichas_lote ON fichas (lote_id, id)`);
  await knex.raw(`CREATE INDEX fichas_empresa_codigo ON fichas (empresa_id, codigo)`);
  await knex.raw(`CREATE INDEX fichas_pendientes ON fichas (actualizado_en) WHERE estado = 'pendiente'`);
  await knex.raw(`CREATE INDEX fichas_disponibles ON fichas (router_id) WHERE estado = 'disponible'`);

  await knex.schema.alterTable('transacciones', (t) => {
    t.text('metodo_pago').notNullable().defaultTo('tarjeta');
    t.text('referencia_pago');
    t.text('referencia_url');
    t.timestamp('referencia_expira_en', { useTz: true });
  });
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_metodo_pago CHECK (metodo_pago IN ('tarjeta','oxxo','paycash'))`);
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_efectivo_expira CHECK (metodo_pago = 'tarjeta' OR referencia_expira_en IS NOT NULL)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE transacciones DROP CONSTRAINT IF EXISTS transacciones_efectivo_expira');
  await knex.raw('ALTER TABLE transacciones DROP CONSTRAINT IF EXISTS transacciones_metodo_pago');
  await knex.schema.alterTable('transacciones', (t) => {
    t.dropColumn('referencia_expira_en');
    t.dropColumn('referencia_url');
    t.dropColumn('referencia_pago');
    t.dropColumn('metodo_pago');
  });
  await knex.schema.dropTable('fichas');
  await knex.schema.dropTable('fichas_lotes');
  await knex.schema.alterTable('routers', (t) => {
    t.dropColumn('hotspot_login_url');
  });
}
