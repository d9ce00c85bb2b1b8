/**
 * Replays the original service's captive portal (ORIGINAL.md §3, §6, §8): every
 * request exactly as the original accepted it (aliases, English field names,
 * optional fields left out) and the answer's fields with the original's JSON
 * types, against the real app, worker, RouterOS simulator and gateway sandboxes.
 */
import { expect } from 'chai';
import { eventually, startStack, type Stack } from '../support/stack';
import { startTelegramSandbox, type TelegramSandbox } from '../../sim/telegram';
import { CONEKTA_PLACEHOLDER_PHONE } from '../../src/integrations/gateways';

const type = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
/** Asserts every field of `shape` is present with that JSON type ('string|null' allowed). */
function expectShape(body: Record<string, unknown>, shape: Record<string, string>, label = '') {
  for (const [field, types] of Object.entries(shape)) {
    expect(body, `${label} missing ${field}`).to.have.property(field);
    expect(types.split('|'), `${label}${field} is ${type(body[field])}`).to.include(type(body[field]));
  }
}

describe('compat: a portal written for the original service works unchanged', function () {
  this.timeout(60_000);
  let s: Stack;
  let tg: TelegramSandbox;
  const auth = () => ({ Authorization: `Bearer ${s.escenario.apiKey}` });
  const portal = {
    get: (path: string) => s.t.request.get(path).set(auth()),
    post: (path: string, body: object) => s.t.request.post(path).set(auth()).send(body),
  };

  before(async () => {
    tg = await startTelegramSandbox({ tokens: ['123456:tg-token-ok'] });
    s = await startStack({ env: { TELEGRAM_API_URL: tg.url } });
    await s.t.container.knex('empresas').where({ id: s.escenario.empresaId }).update({
      notificaciones_telegram: true, telegram_bot_token_enc: s.t.container.secrets.seal('123456:tg-token-ok'), telegram_chat_id: '-100200300',
    });
  });
  after(async () => {
    await s.close();
    await tg.close();
  });
  afterEach(() => s.clearFaults());

  it('GET /health and GET / answer with the original fields', async () => {
    const health = await s.t.request.get('/health');
    expect(health.status).to.equal(200);
    expect(health.body).to.include({ status: 'healthy', estado: 'ok' });
    const root = await s.t.request.get('/');
    expectShape(root.body, { message: 'string', version: 'string', status: 'string', timestamp: 'string', docs: 'string' });
    const redoc = await s.t.request.get('/redoc');
    expect(redoc.status).to.equal(200);
    expect(redoc.text).to.include('/redoc/redoc.standalone.js').and.include('/openapi.json').and.not.match(/https?:\/\//);
    const bundle = await s.t.request.get('/redoc/redoc.standalone.js');
    expect(bundle.status).to.equal(200);
    expect(bundle.headers['content-type']).to.match(/javascript/);
  });

  it('GET /api/v1/config/public has empresa.conekta_public_key, mercadopago_public_key and conekta_mode', async () => {
    const res = await portal.get('/api/v1/config/public');
    expect(res.status).to.equal(200);
    expectShape(res.body.empresa, { id: 'string', nombre: 'string', conekta_public_key: 'string|null', mercadopago_public_key: 'string|null', conekta_mode: 'string' });
    expect(res.body.empresa).to.include({ conekta_public_key: 'key_test_public_123', mercadopago_public_key: 'TEST-public-key-123', conekta_mode: 'test' });
    expectShape(res.body.router, { id: 'string', nombre: 'string', ubicacion: 'string|null' });
  });

  it('GET /api/v1/catalogo_perfiles_venta[/{id}]: precio a JSON number, creado_en, the original fields', async () => {
    const list = await portal.get('/api/v1/catalogo_perfiles_venta');
    expect(list.status).to.equal(200);
    const item = list.body[0];
    expectShape(item, {
      id: 'number', perfil_mikrotik_id: 'string|null', perfil_mikrotik_nombre: 'string', nombre_venta: 'string', descripcion: 'string|null',
      imagen_url: 'string|null', precio: 'number', moneda: 'string', detalles: 'array|object', destacado: 'boolean', creado_en: 'string',
    });
    expect(item.precio).to.equal(20);
    expect(item.precio_decimal).to.equal('20.00');
    const one = await portal.get(`/api/v1/catalogo_perfiles_venta/${s.escenario.productoId}`);
    expect(one.body.precio).to.equal(20);
    const missing = await portal.get('/api/v1/catalogo_perfiles_venta/999999');
    expect(missing.status).to.equal(404);
    expect(missing.body.detail).to.equal('Producto no encontrado o no disponible');
  });

  it('pagar-conekta with the English field names, no phone and nulls: paid, the original answer, a placeholder phone for Conekta', async () => {
    const res = await portal.post('/api/v1/payments/pagar-conekta', {
      product_id: s.escenario.productoId, card_token: s.conekta.token('visa_4242'), customer_name: 'Ana López', customer_email: 'ana@example.com',
      mac_address: null, ip_address: null, device_info: null, user_type: null, auto_connect: false,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expectShape(res.body, {
      success: 'boolean', id_transaccion: 'string', estado_pago: 'string', tipo_usuario: 'string', usuario_hotspot: 'object', producto: 'object',
      cliente: 'object', timestamp: 'string', auto_conexion: 'object',
    });
    expect(res.body).to.include({ success: true, estado_pago: 'paid', tipo_usuario: 'usuario_contrasena' });
    expect(res.body.id_transaccion).to.match(/^ord_/);
    expectShape(res.body.usuario_hotspot, { usuario: 'string', contrasena: 'string' });
    expect(res.body.producto).to.include({ nombre: '1 hora', precio: 20, moneda: 'MXN', perfil_mikrotik: 'plan-1h' });
    expect(res.body.cliente).to.deep.equal({ nombre: 'Ana López', email: 'ana@example.com' });
    expectShape(res.body.auto_conexion, { estado: 'string', mac: 'string|null', ip: 'string|null', mensaje: 'string', verificado: 'boolean' });
    expect(res.body.auto_conexion.estado).to.equal('no_conectado');
    const order = s.conekta.state.requestsTo('POST', '/orders').at(-1)!.body as { customer_info: { phone: string } };
    expect(order.customer_info.phone).to.equal(CONEKTA_PLACEHOLDER_PHONE);
    const stored = await s.t.container.knex('transacciones').where({ id: res.body.transaccion_id }).first();
    expect(stored.cliente_telefono).to.equal(null);
  });

  it('pagar-mercado-pago with the original names (transaction_amount number, installments, payer, issuer_id null): approved', async () => {
    const res = await portal.post('/api/v1/payments/pagar-mercado-pago', {
      producto_id: s.escenario.productoId, token: 'card-token-compat-1', payment_method_id: 'visa', issuer_id: null, transaction_amount: 20,
      installments: 1, payer: { email: 'ana@example.com' }, device_id: 'dev-1', nombre_cliente: 'APRO López', email_cliente: 'ana@example.com',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ success: true, estado_pago: 'paid' });
    expect(res.body.producto.precio).to.equal(20);
    expectShape(res.body.mercado_pago, { payment_id: 'number', status: 'string' });
    expect(res.body.mercado_pago.status).to.equal('approved');
    expect(res.body.id_transaccion).to.equal(String(res.body.mercado_pago.payment_id));

    const estado = await portal.get(`/api/v1/payments/estado-pago/${res.body.mercado_pago.payment_id}`);
    expect(estado.status).to.equal(200);
    expectShape(estado.body, {
      success: 'boolean', payment_id: 'number', status: 'string', status_detail: 'string|null', amount: 'number', currency_id: 'string',
      date_approved: 'string|null', date_last_updated: 'string',
    });
    expect(estado.body).to.include({ status: 'approved', amount: 20, currency_id: 'MXN', payment_id: res.body.mercado_pago.payment_id });
  });

  it('estado-pago only answers for this router\'s own sales', async () => {
    const other = await s.addEscenario(s.sim);
    const sale = await s.t.request.post('/api/v1/payments/pagar-mercado-pago').set('Authorization', `Bearer ${other.apiKey}`).send({
      producto_id: other.productoId, token: 'card-token-compat-2', payment_method_id: 'visa', monto: 20, nombre_cliente: 'APRO Otro', email_cliente: 'o@example.com',
    });
    expect(sale.status, JSON.stringify(sale.body)).to.equal(200);
    const mine = await portal.get(`/api/v1/payments/estado-pago/${sale.body.mercado_pago.payment_id}`);
    expect(mine.status).to.equal(404);
    expect(mine.body.detail).to.equal('Pago no encontrado');
    const theirs = await s.t.request.get(`/api/v1/payments/estado-pago/${sale.body.mercado_pago.payment_id}`).set('Authorization', `Bearer ${other.apiKey}`);
    expect(theirs.status).to.equal(200);
  });

  it('a pending charge: 202 with success, the credentials and the original advertencia; the user exists only once the gateway approves', async () => {
    const res = await portal.post('/api/v1/payments/pagar-mercado-pago', {
      producto_id: s.escenario.productoId, token: 'card-token-compat-3', payment_method_id: 'visa', monto: '20.00', nombre_cliente: 'CONT López', email_cliente: 'ana@example.com',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body).to.include({ success: true, advertencia: 'Pago pendiente de confirmación' });
    expect(['pending', 'unknown']).to.include(res.body.estado_pago);
    expectShape(res.body.usuario_hotspot, { usuario: 'string', contrasena: 'string' });
    expect(s.sim.state.userList.some((u) => u.name === res.body.usuario_hotspot.usuario)).to.equal(false);
    expect(res.body.mercado_pago.status).to.be.oneOf(['pending', 'in_process']);
  });

  it('a decline is a 402 with a Spanish detail, as the original', async () => {
    const conekta = await portal.post('/api/v1/payments/pagar-conekta', {
      producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('card_declined'), nombre_cliente: 'Ana', email_cliente: 'ana@example.com',
    });
    expect(conekta.status).to.equal(402);
    expect(conekta.body.detail).to.be.a('string').and.match(/[a-záéíóú]/i);
    const mp = await portal.post('/api/v1/payments/pagar-mercado-pago', {
      product_id: s.escenario.productoId, card_token: 'card-token-compat-4', payment_method_id: 'visa', transaction_amount: 20, customer_name: 'OTHE López', customer_email: 'ana@example.com',
    });
    expect(mp.status).to.equal(402);
    expect(mp.body.detail).to.be.a('string');
  });

  it('Telegram: every sale and decline reaches the company chat through the job, without passwords or card data', async () => {
    const before = tg.messages.length;
    const sale = await portal.post('/api/v1/payments/pagar-conekta', {
      producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('visa_4242'), nombre_cliente: 'Luis Telegram', email_cliente: 'luis@example.com',
    });
    expect(sale.status).to.equal(200);
    const message = await eventually(async () => tg.messages.slice(before).find((m) => m.text.includes('Luis Telegram')), 10_000, 'telegram sale');
    expect(message.chat_id).to.equal('-100200300');
    expect(message.text).to.include('¡Pago Aprobado!').and.include('1 hora').and.include('$20.00 MXN').and.include(sale.body.id_transaccion);
    expect(message.text).not.to.include(sale.body.usuario_hotspot.contrasena);
    expect(message.text).not.to.match(/tok_test|4242/);
    const declined = await portal.post('/api/v1/payments/pagar-conekta', {
      producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('insufficient_funds'), nombre_cliente: 'Rita Rechazo', email_cliente: 'rita@example.com',
    });
    expect(declined.status).to.equal(402);
    const refused = await eventually(async () => tg.messages.find((m) => m.text.includes('Rita Rechazo')), 10_000, 'telegram decline');
    expect(refused.text).to.include('Pago Rechazado').and.include('Motivo');
    // Exactly once per sale, even if the job ran again.
    await s.t.container.notificaciones.notifySale(sale.body.transaccion_id, 'venta');
    expect(tg.messages.filter((m) => m.text.includes('Luis Telegram'))).to.have.length(1);
  });

  it('Telegram: nothing is sent when the company turned notifications off; an unreachable Telegram is retried, never in the request', async () => {
    await s.t.container.knex('empresas').where({ id: s.escenario.empresaId }).update({ notificaciones_telegram: false });
    const quiet = await portal.post('/api/v1/payments/pagar-conekta', {
      producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('visa_4242'), nombre_cliente: 'Sin Aviso', email_cliente: 'x@example.com',
    });
    expect(quiet.status).to.equal(200);
    expect(await s.t.container.notificaciones.notifySale(quiet.body.transaccion_id, 'venta')).to.equal('disabled');
    await s.t.container.knex('empresas').where({ id: s.escenario.empresaId }).update({ notificaciones_telegram: true });
    expect(tg.messages.some((m) => m.text.includes('Sin Aviso'))).to.equal(false);

    // Telegram down: the sale is paid all the same; the job throws (to be retried) and a later attempt delivers.
    await tg.close();
    const sale = await portal.post('/api/v1/payments/pagar-conekta', {
      producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('visa_4242'), nombre_cliente: 'Reintento Uno', email_cliente: 'r@example.com',
    });
    expect(sale.status).to.equal(200);
    let threw = false;
    try {
      await s.t.container.notificaciones.notifySale(sale.body.transaccion_id, 'venta');
    } catch (error) {
      threw = true;
      expect(String((error as Error).message)).not.to.include('tg-token-ok');
    }
    expect(threw).to.equal(true);
    tg = await startTelegramSandbox({ tokens: ['123456:tg-token-ok'], port: Number(new URL(s.t.config.telegram.apiUrl).port) });
    await eventually(async () => tg.messages.find((m) => m.text.includes('Reintento Uno')), 20_000, 'retried telegram');
  });

  it('auto-reconnect with the original names connects; without a password it is refused (the original let a username alone in)', async () => {
    const sale = await portal.post('/api/v1/payments/pagar-conekta', {
      producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('visa_4242'), nombre_cliente: 'Ana', email_cliente: 'ana@example.com',
    });
    const { usuario, contrasena } = sale.body.usuario_hotspot;
    const res = await portal.post('/api/v1/hotspot/auto-reconnect', {
      username: usuario, password: contrasena, current_mac: 'AA:BB:CC:00:11:22', current_ip: '10.5.50.23', stored_mac: 'AA:BB:CC:00:11:21', current_ssid: 'WiFi',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expectShape(res.body, {
      success: 'boolean', estado: 'string', auto_conexion: 'string', datos_sesion: 'object|null', nueva_mac: 'string', tiempo_acumulado: 'string|null',
      tiempo_restante: 'string|null', primera_sesion: 'boolean|null', mensaje: 'string', error_detalle: 'string|null', timestamp: 'string',
    });
    expect(res.body).to.include({ success: true, estado: 'activo', auto_conexion: 'conectado', nueva_mac: 'AA:BB:CC:00:11:22' });
    const noPassword = await portal.post('/api/v1/hotspot/auto-reconnect', { username: usuario, current_mac: 'AA:BB:CC:00:11:22', current_ip: '10.5.50.23' });
    expect(noPassword.status).to.equal(422);
    expect(noPassword.body.detail).to.include('contrasena');
  });

  it('profile-info: plan, limit and time left read from the router, only with the right password, never a password', async () => {
    const sale = await portal.post('/api/v1/payments/pagar-conekta', {
      producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('visa_4242'), nombre_cliente: 'Ana', email_cliente: 'ana@example.com',
    });
    const { usuario, contrasena } = sale.body.usuario_hotspot;
    // The router counted ten minutes of use.
    const users = (s.sim.state as unknown as { users: Map<string, Record<string, string>> }).users;
    for (const record of users.values()) if (record.name === usuario) record.uptime = '10m';
    const res = await portal.post('/api/v1/hotspot/user/profile-info', { username: usuario, password: contrasena });
    expect(res.status).to.equal(200);
    expectShape(res.body, {
      success: 'boolean', estado: 'string', username: 'string', tipo_usuario: 'string', profile: 'string|null', mac_cookie_timeout: 'string|null',
      mac_authentication: 'boolean', disabled: 'boolean', comment: 'string|null', limit_uptime: 'string|null', datos_completos: 'object|null',
      mensaje: 'string', error_detalle: 'string|null', timestamp: 'string',
    });
    expect(res.body).to.include({ success: true, estado: 'ok', profile: 'plan-1h', limit_uptime: '1h', tiempo_usado: '10m', tiempo_restante: '50m', tiempo_restante_segundos: 3000, plan: '1 hora' });
    expect(JSON.stringify(res.body)).not.to.include(contrasena);
    expect(JSON.stringify(res.body)).not.to.match(/password/i);

    const wrong = await portal.post('/api/v1/hotspot/user/profile-info', { username: usuario, password: 'otra-cosa' });
    expect(wrong.status).to.equal(200);
    expect(wrong.body).to.include({ success: false, estado: 'credenciales_invalidas' });
    expect(wrong.body.limit_uptime).to.equal(null);
    const none = await portal.post('/api/v1/hotspot/user/profile-info', { username: usuario });
    expect(none.body.estado).to.equal('credenciales_invalidas');

    const pin = await portal.post('/api/v1/payments/pagar-conekta', {
      producto_id: s.escenario.productoId, token_tarjeta: s.conekta.token('visa_4242'), nombre_cliente: 'Ana', email_cliente: 'ana@example.com', tipo_usuario: 'pin',
    });
    const pinInfo = await portal.post('/api/v1/hotspot/user/profile-info', { username: pin.body.usuario_hotspot.usuario, password: null });
    expect(pinInfo.body).to.include({ estado: 'ok', tipo_usuario: 'pin' });

    await s.sim.faults.set({ refuseConnections: true });
    const down = await portal.post('/api/v1/hotspot/user/profile-info', { username: usuario, password: contrasena });
    expect(down.status).to.equal(200);
    expect(down.body).to.include({ success: false, estado: 'error' });
    expect(down.body.mensaje).to.match(/^[A-ZÁÉÍÓÚ¡¿].*\.$/);
  });

  it('validar-empresa-router: a real, time-bounded connection test', async () => {
    const ok = await portal.post('/api/v1/routers/validar-empresa-router', {});
    expect(ok.status).to.equal(200);
    expectShape(ok.body, { success: 'boolean', estado: 'string', mensaje: 'string', error_detalle: 'string|null', conexion_ok: 'boolean', timestamp: 'string' });
    expect(ok.body).to.include({ success: true, estado: 'activo', conexion_ok: true });
    // The router never answers: an answer at all is the connection test's bound firing.
    await s.sim.faults.set({ acceptAndHang: true });
    const down = await portal.post('/api/v1/routers/validar-empresa-router', {});
    expect(down.status).to.equal(200);
    expect(down.body).to.include({ success: false, estado: 'router_inactivo', conexion_ok: false });
    expect(down.body.error_detalle).to.be.a('string');
  });

  it('the original company-less Mercado Pago webhook URL and /test-webhook answer with the original fields', async () => {
    const unknown = await s.t.request.post('/api/v1/webhook/mercado-pago').send({ type: 'payment', data: { id: '424242' } });
    expect(unknown.status).to.equal(200);
    expectShape(unknown.body, { status: 'string', message: 'string', received_at: 'string' });
    expect(unknown.body.status).to.equal('received');
    const test = await s.t.request.get('/api/v1/webhook/test-webhook');
    expect(test.status).to.equal(200);
  });
});
