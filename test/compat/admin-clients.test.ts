/**
 * Replays the original service's admin panel (ORIGINAL.md §2, §4, §5): each
 * request as the original accepted it and the answer's fields with the
 * original's JSON types, beside ours.
 */
import { expect } from 'chai';
import sharp from 'sharp';
import { loginAs, loginSuperAdmin } from '../support/harness';
import { eventually, startStack, type Stack } from '../support/stack';
import { pasarelaOf } from '../support/fixtures';
import { closedPort } from '../support/cliente';
import { startTelegramSandbox, type TelegramSandbox } from '../../sim/telegram';

const type = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
function expectShape(body: Record<string, unknown>, shape: Record<string, string>, label = '') {
  for (const [field, types] of Object.entries(shape)) {
    expect(body, `${label} missing ${field}`).to.have.property(field);
    expect(types.split('|'), `${label}${field} is ${type(body[field])}`).to.include(type(body[field]));
  }
}

// A real 1×1 PNG (uploads are decoded, so bytes that only look like a PNG are refused).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('compat: an admin panel written for the original service works unchanged', function () {
  this.timeout(60_000);
  let s: Stack;
  let tg: TelegramSandbox;
  let token: string;
  const as = () => ({ Authorization: `Bearer ${token}` });
  const admin = {
    get: (path: string) => s.t.request.get(path).set(as()),
    put: (path: string, body: object) => s.t.request.put(path).set(as()).send(body),
    post: (path: string, body: object) => s.t.request.post(path).set(as()).send(body),
  };

  before(async () => {
    tg = await startTelegramSandbox({ tokens: ['777:panel-token'] });
    s = await startStack({ env: { TELEGRAM_API_URL: tg.url } });
    token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
  });
  after(async () => {
    await s.close();
    await tg.close();
  });
  afterEach(() => s.clearFaults());

  it('auth: login fields; change-password with current_password/new_password (ours still valid)', async () => {
    const login = await s.t.request.post('/api/v1/auth/login').send({ email: s.escenario.admin.email, password: s.escenario.admin.password });
    expectShape(login.body, { access_token: 'string', token_type: 'string', expires_at: 'string', user: 'object' });
    expectShape(login.body.user, { id: 'number', email: 'string', nombre: 'string', rol: 'string', empresa_id: 'string|null', activo: 'boolean' });
    const wrong = await s.t.request.post('/api/v1/auth/change-password').set({ Authorization: `Bearer ${login.body.access_token}` })
      .send({ current_password: 'no-es-esta', new_password: 'OtraClave-Segura-1' });
    expect(wrong.status).to.equal(400);
    const changed = await s.t.request.post('/api/v1/auth/change-password').set({ Authorization: `Bearer ${login.body.access_token}` })
      .send({ current_password: s.escenario.admin.password, new_password: 'OtraClave-Segura-1' });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    expect(changed.body.message).to.be.a('string');
    const token2 = await loginAs(s.t, s.escenario.admin.email, 'OtraClave-Segura-1');
    const ours = await s.t.request.post('/api/v1/auth/change-password').set({ Authorization: `Bearer ${token2}` })
      .send({ password_actual: 'OtraClave-Segura-1', password_nuevo: s.escenario.admin.password });
    expect(ours.status).to.equal(200);
    token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
  });

  it('GET/PUT mi-empresa: the original six fields accepted; the bot token sealed at rest and never shown; unknown fields still refused', async () => {
    const put = await admin.put('/api/v1/admin/mi-empresa', {
      nombre: 'WiFi Plaza Centro', contacto_email: 'ops@wifiplaza.mx', contacto_telefono: '5512345678',
      telegram_bot_token: '777:panel-token', telegram_chat_id: '-1009', notificaciones_telegram: true,
    });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body.message).to.equal('Información de la empresa actualizada correctamente');
    expectShape(put.body.empresa, {
      nombre: 'string', contacto_email: 'string', contacto_telefono: 'string|null', telegram_bot_token: 'string|null', telegram_chat_id: 'string|null', notificaciones_telegram: 'boolean',
    });
    expect(JSON.stringify(put.body)).not.to.include('777:panel-token');
    const row = await s.t.container.knex('empresas').where({ id: s.escenario.empresaId }).first();
    expect(row.telegram_bot_token_enc).to.match(/^gAAAAA/);
    expect(row.notificaciones_telegram).to.equal(true);

    const get = await admin.get('/api/v1/admin/mi-empresa');
    expectShape(get.body, {
      id: 'string', nombre: 'string', contacto_email: 'string', contacto_telefono: 'string|null', logo_url: 'string|null', conekta_mode: 'string',
      conekta_public_key: 'string|null', mercado_pago_mode: 'string', mercado_pago_public_key: 'string|null', activa: 'boolean', creada_en: 'string',
      telegram_bot_token: 'string|null', telegram_chat_id: 'string|null', notificaciones_telegram: 'boolean',
    });
    expect(JSON.stringify(get.body)).not.to.include('777:panel-token');
    const unknown = await admin.put('/api/v1/admin/mi-empresa', { activa: false });
    expect(unknown.status).to.equal(422);
  });

  it('configurar-conekta and conekta-config accept conekta_private_key / conekta_public_key / conekta_mode ("" keeps); GET shows configuracion_actual masked', async () => {
    const post = await admin.post('/api/v1/admin/mi-empresa/configurar-conekta', { conekta_private_key: 'key_new_private_9999', conekta_public_key: 'key_new_public', conekta_mode: 'live' });
    expect(post.status, JSON.stringify(post.body)).to.equal(200);
    expect(post.body.message).to.be.a('string');
    expect(JSON.stringify(post.body)).not.to.include('key_new_private_9999');
    const keep = await admin.put('/api/v1/admin/mi-empresa/conekta-config', { conekta_private_key: '', conekta_public_key: '', conekta_mode: 'test' });
    expect(keep.status).to.equal(200);
    const row = (await pasarelaOf(s.t.container.knex, s.escenario.empresaId, 'conekta'))!;
    expect(s.t.container.secrets.open(row.secreto_enc)).to.equal('key_new_private_9999');
    expect(row).to.include({ llave_publica: 'key_new_public', modo: 'test' });
    const get = await admin.get('/api/v1/admin/mi-empresa/conekta');
    expect(get.body.configuracion_actual).to.deep.equal({ conekta_public_key: 'key_new_public', conekta_mode: 'test', conekta_private_key: '********' });
    const mp = await admin.get('/api/v1/admin/mi-empresa/mercado-pago');
    expectShape(mp.body.configuracion_actual, { access_token: 'string|null', public_key: 'string|null', mode: 'string', webhook_secret: 'string|null' });
    expect(mp.body.configuracion_actual.access_token).to.equal('********');
    // Restore the sandbox key the other tests pay with.
    await admin.post('/api/v1/admin/mi-empresa/configurar-conekta', { private_key: 'key_test_private_123', public_key: 'key_test_public_123' });
  });

  it('configurar-credenciales (both paths) with the original body: Telegram too, null keeps, campos_modificados and configuracion_actual', async () => {
    const res = await admin.post('/api/v1/payments/configurar-credenciales', {
      access_token: 'TEST-access-token-123', webhook_secret: null, public_key: 'TEST-public-key-123', telegram_bot_token: null, telegram_chat_id: '-1009', mode: 'test', notificaciones_telegram: true,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expectShape(res.body, { success: 'boolean', message: 'string', empresa: 'object', campos_modificados: 'array', configuracion_actual: 'object' });
    expect(res.body.campos_modificados).to.include.members(['access_token', 'public_key', 'telegram_chat_id', 'mode', 'notificaciones_telegram']).and.not.include('webhook_secret');
    expectShape(res.body.configuracion_actual, {
      access_token: 'boolean', webhook_secret: 'boolean', public_key: 'boolean', mode: 'string', telegram_configurado: 'boolean', telegram_activo: 'boolean',
    });
    expect(res.body.configuracion_actual).to.include({ webhook_secret: true, telegram_configurado: true, telegram_activo: true });
    expect(JSON.stringify(res.body)).not.to.match(/TEST-access-token-123|panel-token/);
    const legacy = await admin.post('/api/v1/admin/mi-empresa/configurar-credenciales', { mode: 'test' });
    expect(legacy.status).to.equal(200);
  });

  it('test-telegram: the stored token and chat by default, 400 without credentials, 502 when Telegram refuses', async () => {
    const before = tg.messages.length;
    const ok = await admin.post('/api/v1/admin/test-telegram', {});
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body.message).to.equal('Mensaje de prueba enviado con éxito');
    expect(tg.messages.slice(before)).to.have.length(1);
    expect(tg.messages.at(-1)!.chat_id).to.equal('-1009');
    const bad = await admin.post('/api/v1/admin/test-telegram', { token: '999:wrong', chat_id: '-1009' });
    expect(bad.status).to.equal(502);
    expect(bad.body.detail).not.to.include('999:wrong');
    await s.t.container.knex('empresas').where({ id: s.escenario.empresaId }).update({ telegram_bot_token_enc: null });
    const missing = await admin.post('/api/v1/admin/test-telegram', {});
    expect(missing.status).to.equal(400);
    expect(missing.body.detail).to.equal('Faltan credenciales (Token o Chat ID)');
    await admin.put('/api/v1/admin/mi-empresa', { telegram_bot_token: '777:panel-token' });
  });

  it('logo: multipart `file`, checked by content and size, stored in PostgreSQL and served publicly; logo_url in mi-empresa and config/public', async () => {
    const up = await s.t.request.post('/api/v1/admin/mi-empresa/logo').set(as()).attach('file', PNG, { filename: 'logo.png', contentType: 'image/png' });
    expect(up.status, JSON.stringify(up.body)).to.equal(200);
    expectShape(up.body, { message: 'string', logo_url: 'string' });
    expect(up.body.logo_url).to.match(new RegExp(`^/static/logos/logo_${s.escenario.empresaId}_[0-9a-f]{12}\\.png$`));
    const served = await s.t.request.get(up.body.logo_url).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(served.status).to.equal(200);
    expect(served.headers['content-type']).to.equal('image/png');
    const stored = await s.t.container.knex('empresa_logos').where({ empresa_id: s.escenario.empresaId });
    expect(stored).to.have.length(1);
    // What is served is what was stored: the upload decoded and re-encoded as PNG.
    expect(Buffer.compare(served.body as Buffer, stored[0].contenido as Buffer)).to.equal(0);
    expect((await admin.get('/api/v1/admin/mi-empresa')).body.logo_url).to.equal(up.body.logo_url);
    const pub = await s.t.request.get('/api/v1/config/public').set({ Authorization: `Bearer ${s.escenario.apiKey}` });
    expect(pub.body.empresa.logo_url).to.equal(up.body.logo_url);

    const fake = await s.t.request.post('/api/v1/admin/mi-empresa/logo').set(as()).attach('file', Buffer.from('<svg onload=alert(1)>'), { filename: 'x.png', contentType: 'image/png' });
    expect(fake.status).to.equal(400);
    expect(fake.body.detail).to.match(/Formato de imagen no permitido/);
    const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024 + 10)]);
    const tooBig = await s.t.request.post('/api/v1/admin/mi-empresa/logo').set(as()).attach('file', big, { filename: 'big.png', contentType: 'image/png' });
    expect(tooBig.status).to.equal(400);
    expect(tooBig.body.detail).to.match(/tamaño máximo/);
    const anon = await s.t.request.post('/api/v1/admin/mi-empresa/logo').attach('file', PNG, { filename: 'logo.png' });
    expect([401, 403]).to.include(anon.status);
    const fakeWebp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(16)]);
    const broken = await s.t.request.post('/api/v1/admin/mi-empresa/logo').set(as()).attach('file', fakeWebp, { filename: 'logo.webp' });
    expect(broken.status).to.equal(422);
    expect(broken.body.code).to.equal('invalid_image');
    const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0a0' } }).webp().toBuffer();
    const second = await s.t.request.post('/api/v1/admin/mi-empresa/logo').set(as()).attach('file', webp, { filename: 'logo.jpg' });
    expect(second.status).to.equal(200);
    expect(second.body.logo_url).to.match(/\.png$/);
    expect(await s.t.container.knex('empresa_logos').where({ empresa_id: s.escenario.empresaId })).to.have.length(1);
    expect((await s.t.request.get(up.body.logo_url)).status).to.equal(404);
  });

  it('dashboard: estadisticas.ingresos_totales a number and transacciones_recientes beside ours', async () => {
    const sale = await s.t.request.post('/api/v1/payments/pagar-conekta').set({ Authorization: `Bearer ${s.escenario.apiKey}` })
      .send({ producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('visa_4242'), nombre_cliente: 'Ana', email_cliente: 'ana@example.com' });
    expect(sale.status).to.equal(200);
    const res = await admin.get('/api/v1/admin/mi-empresa/dashboard');
    expect(res.status).to.equal(200);
    expectShape(res.body.estadisticas, {
      total_transacciones: 'number', ingresos_totales: 'number', transacciones_pagadas: 'number', transacciones_pendientes: 'number', total_routers: 'number',
    });
    expect(res.body.estadisticas.ingresos_totales).to.equal(20);
    expectShape(res.body.empresa, { nombre: 'string', activa: 'boolean' });
    expect(res.body.transacciones_recientes).to.be.an('array').with.length.at.most(5);
    expectShape(res.body.transacciones_recientes[0], { id: 'string', transaccion_id: 'string', monto: 'number', estado: 'string', fecha: 'string' });
    expect(res.body.ingresos).to.be.an('object');
  });

  it('transaction list: limit/offset with total beside the cursor', async () => {
    for (let i = 0; i < 2; i++) {
      await s.t.request.post('/api/v1/payments/pagar-conekta').set({ Authorization: `Bearer ${s.escenario.apiKey}` })
        .send({ producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('visa_4242'), nombre_cliente: `Cliente ${i}`, email_cliente: 'c@example.com' });
    }
    const first = await admin.get('/api/v1/admin/mi-empresa/transacciones?limit=2&offset=0');
    expect(first.status).to.equal(200);
    expectShape(first.body, { empresa_id: 'string', total: 'number', limit: 'number', offset: 'number', transacciones: 'array' });
    expect(first.body.total).to.be.at.least(3);
    expect(first.body.transacciones).to.have.length(2);
    expectShape(first.body.transacciones[0], { id: 'string', transaccion_id: 'string', monto: 'number', estado_pago: 'string', cliente_nombre: 'string', creada_en: 'string' });
    const second = await admin.get('/api/v1/admin/mi-empresa/transacciones?limit=2&offset=2');
    expect(second.body.offset).to.equal(2);
    const ids = new Set([...first.body.transacciones, ...second.body.transacciones].map((t: { id: string }) => t.id));
    expect(ids.size).to.equal(first.body.transacciones.length + second.body.transacciones.length);
    const byCursor = await admin.get(`/api/v1/admin/mi-empresa/transacciones?limit=2&cursor=${first.body.next_cursor}`);
    expect(byCursor.body.transacciones.map((t: { id: string }) => t.id)).to.deep.equal(second.body.transacciones.map((t: { id: string }) => t.id));
    const both = await admin.get(`/api/v1/admin/mi-empresa/transacciones?offset=2&cursor=${first.body.next_cursor}`);
    expect(both.status).to.equal(422);
  });

  it('mi-empresa/routers: list, and PUT fixes host, port and API credentials (sealed), saying whether the connection worked', async () => {
    const list = await admin.get('/api/v1/admin/mi-empresa/routers');
    expectShape(list.body, { empresa_id: 'string', total: 'number', routers: 'array' });
    expectShape(list.body.routers[0], { id: 'string', nombre: 'string', host: 'string', ubicacion: 'string|null', activo: 'boolean', creado_en: 'string' });
    expect(JSON.stringify(list.body)).not.to.match(/password/);

    const dead = await closedPort();
    const broken = await admin.put(`/api/v1/admin/mi-empresa/routers/${s.escenario.routerId}`, { host: '127.0.0.1', puerto: dead, ubicacion: 'Terraza' });
    expect(broken.status, JSON.stringify(broken.body)).to.equal(200);
    expect(broken.body).to.include({ conexion_ok: false });
    expect(broken.body.error).to.be.a('string');
    expectShape(broken.body.router, { id: 'string', nombre: 'string', host: 'string', puerto: 'number', usuario: 'string', ubicacion: 'string|null', activo: 'boolean' });

    const fixed = await admin.put(`/api/v1/admin/mi-empresa/routers/${s.escenario.routerId}`, {
      nombre: 'Router Terraza', host: s.sim.host, puerto: s.sim.port, usuario: s.sim.username, password_encrypted: s.sim.password,
    });
    expect(fixed.status).to.equal(200);
    expect(fixed.body).to.include({ conexion_ok: true, message: 'Router actualizado correctamente' });
    expect(fixed.body.router).to.include({ nombre: 'Router Terraza', ubicacion: 'Terraza', puerto: s.sim.port });
    expect(JSON.stringify(fixed.body)).not.to.include(s.sim.password);
    const row = await s.t.container.knex('routers').where({ id: s.escenario.routerId }).first();
    expect(row.password_enc).to.match(/^gAAAAA/);

    const other = await s.addEscenario(s.sim);
    const foreign = await admin.put(`/api/v1/admin/mi-empresa/routers/${other.routerId}`, { nombre: 'Mío' });
    expect(foreign.status).to.equal(404);
    expect(foreign.body.detail).to.equal('Router no encontrado o no pertenece a tu empresa');
    const extra = await admin.put(`/api/v1/admin/mi-empresa/routers/${s.escenario.routerId}`, { empresa_id: other.empresaId });
    expect(extra.status).to.equal(422);
  });

  it('products: the original body (precio a number, detalles of objects); precio a number in the answer; DELETE soft with producto_id', async () => {
    const create = await admin.post('/api/v1/admin/products', {
      router_id: s.escenario.routerId, perfil_mikrotik_id: '*1', perfil_mikrotik_nombre: 'plan-1h', nombre_venta: '2 horas', precio: 35.5,
      detalles: [{ texto: 'Velocidad 10 Mbps' }],
    });
    expect(create.status, JSON.stringify(create.body)).to.equal(201);
    expectShape(create.body, { id: 'number', precio: 'number', moneda: 'string', activo: 'boolean', orden_visual: 'number', destacado: 'boolean', creado_en: 'string' });
    expect(create.body).to.include({ precio: 35.5, precio_decimal: '35.50', moneda: 'MXN' });
    const list = await admin.get(`/api/v1/admin/products?router_id=${s.escenario.routerId}`);
    expect(list.body.every((p: { precio: unknown }) => typeof p.precio === 'number')).to.equal(true);
    const del = await s.t.request.delete(`/api/v1/admin/products/${create.body.id}`).set(as());
    expect(del.status).to.equal(200);
    expect(del.body).to.include({ producto_id: create.body.id, activo: false });
  });

  it('router profiles and test-connection keep the original fields', async () => {
    const profiles = await admin.get(`/api/v1/admin/routers/${s.escenario.routerId}/mikrotik-profiles`);
    expect(profiles.status).to.equal(200);
    expectShape(profiles.body[0], { id: 'string', name: 'string', session_timeout: 'string|null', shared_users: 'number|null' });
    const test = await admin.get(`/api/v1/admin/routers/${s.escenario.routerId}/test-connection`);
    expectShape(test.body, { success: 'boolean', message: 'string', router: 'object', perfiles_encontrados: 'number|null', router_name: 'string', error: 'null', timestamp: 'string' });
  });

  it('super admin: empresas, dashboard, stats and usuarios answer with the original fields', async () => {
    const sa = await loginSuperAdmin(s.t);
    const h = { Authorization: `Bearer ${sa}` };
    const empresa = await s.t.request.post('/admin/empresas').set(h).send({ nombre: 'Nueva', contacto_email: 'n@example.com', conekta_mode: 'test' });
    expect(empresa.status, JSON.stringify(empresa.body)).to.be.oneOf([200, 201]);
    expectShape(empresa.body, { id: 'string', nombre: 'string', contacto_email: 'string', contacto_telefono: 'string|null', conekta_mode: 'string', activa: 'boolean', creada_en: 'string' });
    const dash = await s.t.request.get('/admin/dashboard').set(h);
    expectShape(dash.body.estadisticas, { total_empresas: 'number', empresas_activas: 'number', total_usuarios: 'number' });
    const stats = await s.t.request.get(`/admin/empresas/${empresa.body.id}/stats`).set(h);
    expectShape(stats.body.estadisticas, { total_routers: 'number', routers_activos: 'number', routers_inactivos: 'number', total_usuarios_admin: 'number', api_keys_activas: 'number' });
    const user = await s.t.request.post('/admin/usuarios').set(h).send({ email: 'nuevo@example.com', password: 'Segura-Clave-12', nombre: 'Nuevo', rol: 'cliente_admin', empresa_id: empresa.body.id });
    expect(user.status, JSON.stringify(user.body)).to.be.oneOf([200, 201]);
    expectShape(user.body, { message: 'string', usuario: 'object' });
    const toggle = await s.t.request.put(`/admin/usuarios/${user.body.usuario.id}/toggle-activo`).set(h);
    expectShape(toggle.body, { message: 'string', usuario_id: 'number', activo: 'boolean' });
  });

  it('the rest of the original panel: logout, lists and details, router onboarding with its key, product edit, docs; the closed holes stay closed', async () => {
    const sa = await loginSuperAdmin(s.t);
    const h = { Authorization: `Bearer ${sa}` };
    const empresas = await s.t.request.get('/admin/empresas').set(h);
    expect(empresas.status).to.equal(200);
    const list = Array.isArray(empresas.body) ? empresas.body : empresas.body.empresas;
    expectShape(list[0], { id: 'string', nombre: 'string', contacto_email: 'string', conekta_mode: 'string', activa: 'boolean', creada_en: 'string' });
    const router = await s.t.request.post(`/admin/empresas/${s.escenario.empresaId}/routers`).set(h)
      .send({ empresa_id: s.escenario.empresaId, nombre: 'Router Nuevo', host: s.sim.host, puerto: s.sim.port, usuario: s.sim.username, password: s.sim.password });
    expect(router.status, JSON.stringify(router.body)).to.be.oneOf([200, 201]);
    expect(router.body.api_key).to.match(/^jwt_/);
    const keys = await s.t.request.get(`/admin/empresas/${s.escenario.empresaId}/routers/${router.body.id}/api-keys`).set(h);
    expect(keys.status).to.equal(200);
    const usuarios = await s.t.request.get(`/admin/usuarios?rol=cliente_admin&empresa_id=${s.escenario.empresaId}`).set(h);
    expect(usuarios.status).to.equal(200);
    const users = Array.isArray(usuarios.body) ? usuarios.body : usuarios.body.usuarios;
    expectShape(users[0], { id: 'number', email: 'string', nombre: 'string', rol: 'string', empresa_id: 'string|null', activo: 'boolean' });
    const one = await s.t.request.get(`/admin/usuarios/${users[0].id}`).set(h);
    expect(one.body.email).to.equal(users[0].email);

    const product = await admin.get(`/api/v1/admin/products/${s.escenario.productoId}`);
    expect(product.body.precio).to.equal(20);
    const edited = await admin.put(`/api/v1/admin/products/${s.escenario.productoId}`, { descripcion: 'Una hora de internet', precio: 20 });
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    expect(edited.body).to.include({ descripcion: 'Una hora de internet', precio: 20 });
    const badMoneda = await admin.put(`/api/v1/admin/products/${s.escenario.productoId}`, { moneda: 'BTC' });
    expect(badMoneda.status).to.equal(422);

    for (const path of ['/docs', '/openapi.json', '/redoc']) expect((await s.t.request.get(path)).status, path).to.equal(200);
    // The original's unauthenticated webhook-admin endpoints are not served.
    for (const [method, path] of [
      ['post', `/api/v1/webhook/empresa/${s.escenario.empresaId}/configurar-webhook`], ['get', `/api/v1/webhook/empresa/${s.escenario.empresaId}/estado-webhook`],
      ['get', '/api/v1/webhook/transaccion/TRX_000000000000'],
    ] as const) {
      const res = await s.t.request[method](path).send({ webhook_secret: 'pwned' });
      expect(res.status, path).to.equal(404);
    }
    const debug = await s.t.request.get('/api/v1/catalogo_perfiles_venta/debug').set({ Authorization: `Bearer ${s.escenario.apiKey}` });
    expect(debug.status).to.equal(404);

    const logout = await s.t.request.post('/api/v1/auth/logout').set(h);
    expect(logout.status).to.equal(200);
    expect(logout.body.message).to.be.a('string');
    expect((await s.t.request.get('/admin/dashboard').set(h)).status).to.equal(401);
  });

  it('the sale notification reaches the chat the panel configured', async () => {
    const before = tg.messages.length;
    const sale = await s.t.request.post('/api/v1/payments/pagar-mercado-pago').set({ Authorization: `Bearer ${s.escenario.apiKey}` })
      .send({ producto_id: s.escenario.productoId, token: 'tok-panel-1', payment_method_id: 'visa', monto: 20, nombre_cliente: 'APRO Panel', email_cliente: 'p@example.com' });
    expect(sale.status).to.equal(200);
    const msg = await eventually(async () => tg.messages.slice(before).find((m) => m.text.includes('APRO Panel')), 10_000, 'telegram');
    expect(msg.chat_id).to.equal('-1009');
    expect(msg.text).to.include('Mercado Pago');
  });
});
