import type { Knex } from 'knex';

/**
 * The whole data model (ARCHITECTURE.md, "Data model and states"). Constraints live here, not only in code,
 * so two web or worker processes racing each other cannot break them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('empresas', (t) => {
    t.string('id', 14).primary();
    t.text('nombre').notNullable();
    t.text('contacto_email').notNullable();
    t.text('contacto_telefono');
    t.boolean('activa').notNullable().defaultTo(true);
    t.timestamp('creada_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('actualizada_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('conekta_private_key_enc');
    t.text('conekta_public_key');
    t.text('conekta_mode').notNullable().defaultTo('test');
    t.text('conekta_webhook_public_key');
    t.text('mp_access_token_enc');
    t.text('mp_public_key');
    t.text('mp_webhook_secret_enc');
    t.text('mp_mode').notNullable().defaultTo('test');
    t.text('telegram_bot_token_enc');
    t.text('telegram_chat_id');
  });
  await knex.raw(`ALTER TABLE empresas ADD CONSTRAINT empresas_id_format CHECK (id ~ '^EMP_[0-9A-F]{10}$')`);
  await knex.raw(`ALTER TABLE empresas ADD CONSTRAINT empresas_conekta_mode CHECK (conekta_mode IN ('test','live'))`);
  await knex.raw(`ALTER TABLE empresas ADD CONSTRAINT empresas_mp_mode CHECK (mp_mode IN ('test','live'))`);
  await knex.raw(`CREATE INDEX empresas_creada_en ON empresas (creada_en DESC, id DESC)`);

  await knex.schema.createTable('routers', (t) => {
    t.string('id', 12).primary();
    t.string('empresa_id', 14).notNullable().references('id').inTable('empresas').onDelete('RESTRICT');
    t.text('nombre').notNullable();
    t.text('host').notNullable();
    t.integer('puerto').notNullable().defaultTo(8728);
    t.boolean('tls').notNullable().defaultTo(false);
    t.boolean('tls_insecure').notNullable().defaultTo(false);
    t.text('usuario').notNullable();
    t.text('password_enc').notNullable();
    t.text('ubicacion');
    t.boolean('activo').notNullable().defaultTo(true);
    t.timestamp('creado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('actualizado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['empresa_id', 'creado_en']);
  });
  await knex.raw(`ALTER TABLE routers ADD CONSTRAINT routers_id_format CHECK (id ~ '^RTR_[0-9A-F]{8}$')`);
  await knex.raw(`ALTER TABLE routers ADD CONSTRAINT routers_puerto CHECK (puerto BETWEEN 1 AND 65535)`);

  await knex.schema.createTable('router_api_keys', (t) => {
    t.string('key_id', 20).primary();
    t.string('router_id', 12).notNullable().references('id').inTable('routers').onDelete('CASCADE');
    t.string('empresa_id', 14).notNullable().references('id').inTable('empresas').onDelete('RESTRICT');
    t.string('token_sha256', 64).notNullable().unique();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.boolean('revoked').notNullable().defaultTo(false);
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('last_used', { useTz: true });
    t.bigInteger('use_count').notNullable().defaultTo(0);
    t.index(['router_id', 'issued_at']);
  });
  await knex.raw(`ALTER TABLE router_api_keys ADD CONSTRAINT router_api_keys_id_format CHECK (key_id ~ '^key_[0-9a-f]{16}$')`);
  // At most one usable key per router: regenerate revokes before it inserts.
  await knex.raw(`CREATE UNIQUE INDEX router_api_keys_one_active ON router_api_keys (router_id) WHERE NOT revoked`);
  await knex.raw(`CREATE INDEX router_api_keys_expiring ON router_api_keys (expires_at) WHERE NOT revoked`);

  await knex.schema.createTable('api_key_expiry_warnings', (t) => {
    t.string('key_id', 20).notNullable().references('key_id').inTable('router_api_keys').onDelete('CASCADE');
    t.integer('threshold_days').notNullable();
    t.integer('days_left').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('telegram_status').notNullable().defaultTo('not_configured');
    t.primary(['key_id', 'threshold_days']);
  });

  await knex.schema.createTable('usuarios', (t) => {
    t.increments('id').primary();
    t.text('email').notNullable();
    t.text('password_hash').notNullable();
    t.text('nombre').notNullable();
    t.text('rol').notNullable();
    t.string('empresa_id', 14).references('id').inTable('empresas').onDelete('RESTRICT');
    t.boolean('activo').notNullable().defaultTo(true);
    t.timestamp('ultimo_login', { useTz: true });
    t.timestamp('password_cambiado_en', { useTz: true });
    t.timestamp('creado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['empresa_id']);
  });
  await knex.raw(`CREATE UNIQUE INDEX usuarios_email_unique ON usuarios (lower(email))`);
  await knex.raw(`ALTER TABLE usuarios ADD CONSTRAINT usuarios_rol CHECK (
    (rol = 'super_admin' AND empresa_id IS NULL) OR (rol = 'cliente_admin' AND empresa_id IS NOT NULL))`);

  await knex.schema.createTable('sesiones_revocadas', (t) => {
    t.string('jti', 64).primary();
    t.timestamp('expira_en', { useTz: true }).notNullable().index();
  });

  await knex.schema.createTable('productos', (t) => {
    t.increments('id').primary();
    t.string('empresa_id', 14).notNullable().references('id').inTable('empresas').onDelete('RESTRICT');
    t.string('router_id', 12).notNullable().references('id').inTable('routers').onDelete('RESTRICT');
    t.text('perfil_mikrotik_nombre').notNullable();
    t.text('perfil_mikrotik_id');
    t.boolean('perfil_verificado').notNullable().defaultTo(false);
    t.text('nombre_venta').notNullable();
    t.text('descripcion');
    t.text('imagen_url');
    t.decimal('precio', 10, 2).notNullable();
    t.string('moneda', 3).notNullable().defaultTo('MXN');
    t.jsonb('detalles').notNullable().defaultTo('{}');
    t.text('limit_uptime');
    t.bigInteger('limit_bytes_total');
    t.integer('vigencia_minutos');
    t.boolean('activo').notNullable().defaultTo(true);
    t.integer('orden_visual').notNullable().defaultTo(0);
    t.boolean('destacado').notNullable().defaultTo(false);
    t.timestamp('creado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('actualizado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('eliminado_en', { useTz: true });
  });
  await knex.raw(`ALTER TABLE productos ADD CONSTRAINT productos_precio CHECK (precio > 0)`);
  await knex.raw(`ALTER TABLE productos ADD CONSTRAINT productos_moneda CHECK (moneda IN ('MXN','USD','EUR'))`);
  await knex.raw(`CREATE INDEX productos_catalogo ON productos (router_id, orden_visual, id) WHERE activo AND eliminado_en IS NULL`);
  await knex.raw(`CREATE INDEX productos_empresa ON productos (empresa_id, id) WHERE eliminado_en IS NULL`);

  await knex.schema.createTable('transacciones', (t) => {
    t.string('id', 16).primary();
    t.string('empresa_id', 14).notNullable().references('id').inTable('empresas').onDelete('RESTRICT');
    // No foreign keys to routers/productos: sales history outlives a deleted router
    // or product, so the row keeps their ids and a snapshot of what was sold.
    t.string('router_id', 12).notNullable();
    t.integer('producto_id').notNullable();
    t.text('producto_nombre').notNullable();
    t.text('perfil_mikrotik_nombre').notNullable();
    t.text('limit_uptime');
    t.bigInteger('limit_bytes_total');
    t.integer('vigencia_minutos');
    t.text('gateway').notNullable();
    t.text('gateway_id');
    t.text('idempotency_key').notNullable();
    t.string('request_hash', 64).notNullable();
    t.decimal('monto', 10, 2).notNullable();
    t.string('moneda', 3).notNullable();
    t.text('cliente_nombre').notNullable();
    t.text('cliente_email').notNullable();
    t.text('cliente_telefono');
    t.text('cliente_mac');
    t.text('cliente_ip');
    t.text('device_id');
    t.text('tipo_usuario').notNullable();
    t.text('hotspot_usuario').notNullable();
    t.text('hotspot_password_enc').notNullable();
    t.timestamp('hotspot_expira_en', { useTz: true });
    t.boolean('conexion_automatica').notNullable().defaultTo(false);
    t.jsonb('auto_conexion');
    t.text('estado_pago').notNullable().defaultTo('pending');
    t.text('estado_hotspot').notNullable().defaultTo('pending');
    t.text('decline_code');
    t.text('decline_message');
    t.integer('intentos_aprovisionamiento').notNullable().defaultTo(0);
    t.text('ultimo_error');
    t.timestamp('confirmar_hasta', { useTz: true }).notNullable();
    t.timestamp('creado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('actualizado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('pagado_en', { useTz: true });
    t.timestamp('declinado_en', { useTz: true });
    t.timestamp('pago_expirado_en', { useTz: true });
    t.timestamp('reembolsado_en', { useTz: true });
    t.timestamp('contracargo_en', { useTz: true });
    t.timestamp('aprovisionando_en', { useTz: true });
    t.timestamp('activado_en', { useTz: true });
    t.timestamp('fallido_en', { useTz: true });
    t.timestamp('deshabilitado_en', { useTz: true });
    t.timestamp('hotspot_expirado_en', { useTz: true });
  });
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_id_format CHECK (id ~ '^TRX_[0-9A-F]{12}$')`);
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_gateway CHECK (gateway IN ('conekta','mercadopago'))`);
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_tipo_usuario CHECK (tipo_usuario IN ('usuario_contrasena','pin'))`);
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_estado_pago CHECK (
    estado_pago IN ('pending','paid','declined','unknown','expired','refunded','charged_back'))`);
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_estado_hotspot CHECK (
    estado_hotspot IN ('pending','provisioning','active','failed','disabled','expired'))`);
  // A user is only ever provisioned for money we hold.
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_hotspot_requires_payment CHECK (
    estado_hotspot IN ('pending','disabled') OR estado_pago IN ('paid','refunded','charged_back'))`);
  await knex.raw(`ALTER TABLE transacciones ADD CONSTRAINT transacciones_monto CHECK (monto > 0)`);
  await knex.raw(`CREATE UNIQUE INDEX transacciones_idempotency ON transacciones (router_id, idempotency_key)`);
  await knex.raw(`CREATE UNIQUE INDEX transacciones_hotspot_usuario ON transacciones (router_id, hotspot_usuario)`);
  await knex.raw(`CREATE UNIQUE INDEX transacciones_gateway_id ON transacciones (gateway, gateway_id) WHERE gateway_id IS NOT NULL`);
  // Keyset pagination of a company's sales, newest first.
  await knex.raw(`CREATE INDEX transacciones_empresa_keyset ON transacciones (empresa_id, creado_en DESC, id DESC)`);
  await knex.raw(`CREATE INDEX transacciones_router_keyset ON transacciones (router_id, creado_en DESC, id DESC)`);
  // Work lists for the reconciler and the expiry job: small partial indexes.
  await knex.raw(`CREATE INDEX transacciones_pago_abierto ON transacciones (confirmar_hasta) WHERE estado_pago IN ('pending','unknown')`);
  await knex.raw(`CREATE INDEX transacciones_por_aprovisionar ON transacciones (actualizado_en)
    WHERE estado_pago = 'paid' AND estado_hotspot IN ('pending','provisioning')`);
  await knex.raw(`CREATE INDEX transacciones_por_deshabilitar ON transacciones (actualizado_en)
    WHERE estado_pago IN ('refunded','charged_back') AND estado_hotspot = 'active'`);
  await knex.raw(`CREATE INDEX transacciones_por_expirar ON transacciones (hotspot_expira_en) WHERE estado_hotspot = 'active'`);
  await knex.raw(`CREATE INDEX transacciones_cliente_email ON transacciones (empresa_id, lower(cliente_email))`);

  await knex.schema.createTable('transaccion_eventos', (t) => {
    t.bigIncrements('id').primary();
    t.string('transaccion_id', 16).notNullable().references('id').inTable('transacciones').onDelete('CASCADE');
    t.text('tipo').notNullable();
    t.text('de');
    t.text('a');
    t.jsonb('detalle');
    t.timestamp('creado_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['transaccion_id', 'id']);
  });

  await knex.schema.createTable('webhook_eventos', (t) => {
    t.bigIncrements('id').primary();
    t.text('gateway').notNullable();
    t.text('event_id').notNullable();
    t.string('empresa_id', 14);
    t.boolean('firma_valida').notNullable();
    t.text('firma_motivo');
    t.jsonb('payload');
    t.text('resultado');
    t.string('transaccion_id', 16);
    t.timestamp('recibido_en', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('procesado_en', { useTz: true });
    t.index(['recibido_en']);
  });
  // Only verified deliveries deduplicate: a forged copy must not shadow the real one.
  await knex.raw(`CREATE UNIQUE INDEX webhook_eventos_dedup ON webhook_eventos (gateway, event_id) WHERE firma_valida`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'webhook_eventos', 'transaccion_eventos', 'transacciones', 'productos', 'sesiones_revocadas',
    'usuarios', 'api_key_expiry_warnings', 'router_api_keys', 'routers', 'empresas',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
