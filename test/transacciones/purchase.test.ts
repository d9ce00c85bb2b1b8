import { expect } from 'chai';
import { conektaBody, eventually, mercadoPagoBody, startStack, type Stack } from '../support/stack';

describe('selling access end to end (app + worker + RouterOS simulator + gateway sandboxes)', function () {
  this.timeout(40_000);
  let s: Stack;
  // Router-wide decline limits (card testing, test/security) would end this file's many declines early.
  before(async () => { s = await startStack({ env: { RATE_LIMIT_DECLINES_ROUTER_POINTS: '1000', RATE_LIMIT_DECLINES_CARD_POINTS: '1000' } }); });
  after(async () => { await s.close(); });
  afterEach(() => s.clearFaults());

  const pay = (path: 'pagar-conekta' | 'pagar-mercado-pago', body: object, key?: string) => {
    const req = s.t.request.post(`/api/v1/payments/${path}`).set('Authorization', `Bearer ${s.escenario.apiKey}`);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const row = (id: string) => s.t.container.knex('transacciones').where({ id }).first();
  const routerUser = (name: string) => s.sim.state.userList.filter((u) => u.name === name);

  it('Conekta happy path: charged once, user created on the router with our comment, credentials returned', async () => {
    const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'happy-conekta-0001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ success: true, estado_pago: 'paid', estado_hotspot: 'active', tipo_usuario: 'usuario_contrasena' });
    expect(res.body.transaccion_id).to.match(/^TRX_[0-9A-F]{12}$/);
    expect(res.body.id_transaccion).to.match(/^ord_/);
    expect(res.body.usuario_hotspot.usuario).to.match(/^[a-z0-9]{7}$/);
    expect(res.body.usuario_hotspot.contrasena).to.have.length(10);
    expect(res.body.producto).to.deep.include({ id: s.escenario.productoId, precio: 20, precio_decimal: '20.00', moneda: 'MXN', perfil_mikrotik: 'plan-1h' });
    expect(JSON.stringify(res.body)).not.to.match(/key_test_private|tok_test/);
    const users = routerUser(res.body.usuario_hotspot.usuario);
    expect(users).to.have.length(1);
    expect(users[0]).to.include({ comment: res.body.transaccion_id, profile: 'plan-1h', password: res.body.usuario_hotspot.contrasena, 'limit-uptime': '1h' });
    expect(s.conekta.state.chargeCount(res.body.transaccion_id)).to.equal(1);
    const stored = await row(res.body.transaccion_id);
    expect(stored).to.include({ estado_pago: 'paid', estado_hotspot: 'active', gateway: 'conekta', monto: '20.00' });
    expect(stored.hotspot_password_enc).to.match(/^gAAAAA/);
    const history = await s.t.container.transacciones.history(res.body.transaccion_id);
    expect(history.map((e) => e.tipo)).to.include.members(['creada', 'pago_aprobado', 'aprovisionando', 'usuario_activo']);
  });

  it('Mercado Pago happy path with a PIN user and our idempotency key', async () => {
    const res = await pay('pagar-mercado-pago', mercadoPagoBody(s.escenario.productoId, 'APRO', { tipo_usuario: 'pin' }), 'happy-mp-0001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ estado_pago: 'paid', estado_hotspot: 'active', tipo_usuario: 'pin' });
    expect(res.body.usuario_hotspot.usuario).to.match(/^\d{12}$/);
    expect(res.body.usuario_hotspot.contrasena).to.equal(res.body.usuario_hotspot.usuario);
    expect(routerUser(res.body.usuario_hotspot.usuario)).to.have.length(1);
    const payments = s.mp.state.paymentsFor(res.body.transaccion_id);
    expect(payments).to.have.length(1);
    const request = s.mp.state.requestsTo('POST', '/v1/payments').at(-1)!;
    expect(request.headers['x-idempotency-key']).to.equal(res.body.transaccion_id);
  });

  it('a Mercado Pago amount that differs from the price is 422 and nothing is charged', async () => {
    const res = await pay('pagar-mercado-pago', mercadoPagoBody(s.escenario.productoId, 'APRO', { monto: '1.00' }), 'wrong-amount-01');
    expect(res.status).to.equal(422);
    expect(res.body.detail).to.include('monto');
  });

  it('declines are 402 with a Spanish message and provision nothing', async () => {
    const before = s.sim.state.userList.length;
    const conekta = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('insufficient_funds')), 'declined-conekta-1');
    expect(conekta.status).to.equal(402);
    expect(conekta.body.detail).to.match(/fondos/i);
    expect(conekta.body.estado_pago).to.equal('declined');
    expect(JSON.stringify(conekta.body)).not.to.match(/conekta\.errors|processing_error|log_id/);
    const mp = await pay('pagar-mercado-pago', mercadoPagoBody(s.escenario.productoId, 'FUND'), 'declined-mp-00001');
    expect(mp.status).to.equal(402);
    expect(mp.body.detail).to.be.a('string').and.not.include('cc_rejected');
    expect((await row(conekta.body.transaccion_id)).estado_pago).to.equal('declined');
    // A declined sale's access is final, not "pending" as if it were coming (issue 23), stamped in the same statement.
    for (const id of [conekta.body.transaccion_id, mp.body.transaccion_id]) {
      const r = await row(id);
      expect(r.estado_hotspot, id).to.equal('disabled');
      expect(r.deshabilitado_en, id).to.be.an.instanceOf(Date);
    }
    const status = await s.t.request.get(`/api/v1/payments/transacciones/${mp.body.transaccion_id}`).set('Authorization', `Bearer ${s.escenario.apiKey}`);
    expect(status.body.estado_hotspot).to.equal('disabled');
    expect(s.sim.state.userList.length).to.equal(before);
  });

  it('a gateway timeout is answered as unknown, then the worker confirms it paid and provisions once', async () => {
    const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('timeout')), 'timeout-paid-0001');
    expect(res.status).to.equal(202);
    // As the original answered a pending charge: success, the credentials and a warning; they only work once it is paid.
    expect(res.body).to.include({ estado_pago: 'unknown', success: true, advertencia: 'Pago pendiente de confirmación' });
    expect(routerUser(res.body.usuario_hotspot.usuario)).to.have.length(0);
    const final = await eventually(async () => {
      const r = await row(res.body.transaccion_id);
      return r.estado_hotspot === 'active' && r;
    }, 15_000, 'provisioned after confirmation');
    expect(final.gateway_id).to.match(/^ord_/);
    expect(s.conekta.state.chargeCount(res.body.transaccion_id)).to.equal(1);
    expect(routerUser(final.hotspot_usuario)).to.have.length(1);
    // The buyer's own Idempotency-Key opens the credentials (issue 21.3).
    const poll = await s.t.request.get(`/api/v1/payments/transacciones/${res.body.transaccion_id}`).set('X-API-Key', s.escenario.apiKey).set('Idempotency-Key', 'timeout-paid-0001');
    expect(poll.status).to.equal(200);
    expect(poll.body).to.include({ estado_pago: 'paid', estado_hotspot: 'active' });
    expect(poll.body.usuario_hotspot.usuario).to.equal(final.hotspot_usuario);
  });

  it('a gateway timeout later confirmed declined ends declined with nothing provisioned', async () => {
    s.mp.faults.add({ method: 'POST', path: '/v1/payments', when: 'after', hang: true });
    const res = await pay('pagar-mercado-pago', mercadoPagoBody(s.escenario.productoId, 'OTHE'), 'timeout-declined-1');
    expect(res.status).to.equal(202);
    const final = await eventually(async () => {
      const r = await row(res.body.transaccion_id);
      return r.estado_pago === 'declined' && r;
    }, 15_000, 'declined after confirmation');
    expect(final.estado_hotspot).to.equal('disabled'); // final: no access is coming (issue 23)
    expect(routerUser(final.hotspot_usuario)).to.have.length(0);
    const poll = await s.t.request.get(`/api/v1/payments/transacciones/${res.body.transaccion_id}`).set('X-API-Key', s.escenario.apiKey);
    expect(poll.body).to.include({ success: false, estado_pago: 'declined' });
  });

  it('the router offline during the purchase: paid now, the user appears once when it is back', async () => {
    await s.sim.faults.set({ refuseConnections: true });
    const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'router-offline-01');
    expect(res.status).to.equal(200);
    expect(res.body.estado_pago).to.equal('paid');
    expect(res.body.estado_hotspot).to.be.oneOf(['pending', 'provisioning']);
    expect(res.body.usuario_hotspot.usuario).to.be.a('string');
    await new Promise((r) => setTimeout(r, 500));
    await s.sim.faults.clear();
    await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'active', 20_000, 'active after router is back');
    expect(routerUser(res.body.usuario_hotspot.usuario)).to.have.length(1);
  });

  it('the connection dropped right after add was applied: one user, transaction active', async () => {
    const usersBefore = s.sim.state.userList.length;
    await s.sim.faults.set({ dropAfterApply: '/ip/hotspot/user/add' });
    const pending = pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'drop-after-add-01').then((r) => r); // supertest starts on then()
    // The first add is applied and its answer lost; then the router behaves again.
    await eventually(async () => s.sim.state.userList.length > usersBefore, 5000, 'add applied');
    await s.sim.faults.clear();
    const res = await pending;
    expect(res.status).to.equal(200);
    const final = await eventually(async () => {
      const r = await row(res.body.transaccion_id);
      return r.estado_hotspot === 'active' && r;
    }, 15_000, 'active after a dropped add');
    expect(routerUser(final.hotspot_usuario)).to.have.length(1);
    const history = await s.t.container.transacciones.history(final.id);
    expect(history.map((e) => e.tipo)).to.include('usuario_ya_existia');
  });

  it('ten concurrent copies of one request: one charge, one user, ten identical answers', async () => {
    const body = conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'));
    const answers = await Promise.all(Array.from({ length: 10 }, () => pay('pagar-conekta', body, 'ten-copies-key-0001')));
    expect(answers.map((a) => a.status)).to.deep.equal(Array(10).fill(200));
    const first = JSON.stringify(answers[0].body);
    for (const a of answers) expect(JSON.stringify(a.body)).to.equal(first);
    const id = answers[0].body.transaccion_id;
    expect(s.conekta.state.chargeCount(id)).to.equal(1);
    expect(routerUser(answers[0].body.usuario_hotspot.usuario)).to.have.length(1);
    const count = await s.t.container.knex('transacciones').where({ idempotency_key: 'ten-copies-key-0001' }).count<{ count: number }[]>('* as count');
    expect(Number(count[0].count)).to.equal(1);
  });

  it('the same key with a different body is 422; without a key the card token is the key', async () => {
    const body = conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'));
    expect((await pay('pagar-conekta', body, 'same-key-diff-body')).status).to.equal(200);
    const other = await pay('pagar-conekta', { ...body, email_cliente: 'otro@example.com' }, 'same-key-diff-body');
    expect(other.status).to.equal(422);
    expect(other.body.detail).to.include('Idempotency-Key');
    const tokenBody = conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'));
    const a = await pay('pagar-conekta', tokenBody);
    const b = await pay('pagar-conekta', tokenBody);
    expect(a.status).to.equal(200);
    expect(b.body.transaccion_id).to.equal(a.body.transaccion_id);
    expect(s.conekta.state.chargeCount(a.body.transaccion_id)).to.equal(1);
  });

  it('bad portal input is a 4xx naming the field, never a 500', async () => {
    const cases: Array<[object, number, string]> = [
      [{ ...conektaBody(s.escenario.productoId, 'tok_test_visa_4242'), email_cliente: 'no-email' }, 422, 'email_cliente'],
      [{ ...conektaBody(s.escenario.productoId, 'tok_test_visa_4242'), mac_cliente: 'AA:BB:CC:DD:EE' }, 422, 'mac_cliente'],
      [{ ...conektaBody(s.escenario.productoId, 'tok_test_visa_4242'), ip_cliente: '300.1.1.1' }, 422, 'ip_cliente'],
      [{ ...conektaBody(s.escenario.productoId, 'tok_test_visa_4242'), token_tarjeta: undefined }, 422, 'token_tarjeta'],
      [{ ...conektaBody(s.escenario.productoId, 'tok_test_visa_4242'), producto_id: undefined }, 422, 'producto_id'],
      [conektaBody(999_999, 'tok_test_visa_4242'), 404, 'Producto no encontrado o no disponible'],
    ];
    for (const [body, status, text] of cases) {
      const res = await pay('pagar-conekta', body);
      expect(res.status, JSON.stringify(res.body)).to.equal(status);
      expect(res.body.detail).to.include(text);
    }
    const badKey = await pay('pagar-conekta', conektaBody(s.escenario.productoId, 'tok_test_visa_4242'), 'bad key with spaces');
    expect(badKey.status).to.equal(422);
  });

  it("another router's product is 404 and its transactions cannot be polled", async () => {
    const other = await s.addEscenario(s.sim);
    const res = await pay('pagar-conekta', conektaBody(other.productoId, s.conekta.token('visa_4242')), 'other-router-prod');
    expect(res.status).to.equal(404);
    expect(res.body.detail).to.equal('Producto no encontrado o no disponible');
    const mine = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'poll-isolation-01');
    const poll = await s.t.request.get(`/api/v1/payments/transacciones/${mine.body.transaccion_id}`).set('X-API-Key', other.apiKey);
    expect(poll.status).to.equal(404);
  });

  it('auto-login: with conexion_automatica and a valid MAC/IP the device is logged in; a router refusal never fails the purchase', async () => {
    const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'), {
      conexion_automatica: true, mac_cliente: 'aa:bb:cc:00:11:22', ip_cliente: '10.5.50.77',
    }), 'auto-login-ok-001');
    expect(res.status).to.equal(200);
    expect(res.body.auto_conexion).to.deep.include({ solicitada: true, estado: 'conectado', fase: 'conectado', verificado: true });
    const session = s.sim.state.activeList.find((a) => a.user === res.body.usuario_hotspot.usuario);
    expect(session).to.include({ 'mac-address': 'AA:BB:CC:00:11:22', address: '10.5.50.77' });
    // Answered from the worker's signal (issue 26), not a read: the same as the row says.
    const stored = await s.t.request.get(`/api/v1/payments/transacciones/${res.body.transaccion_id}`).set('X-API-Key', s.escenario.apiKey)
      .set('Idempotency-Key', 'auto-login-ok-001');
    expect(stored.status).to.equal(200);
    for (const field of ['estado_pago', 'estado_hotspot', 'usuario_hotspot', 'auto_conexion', 'acceso', 'mensaje']) {
      expect(res.body[field], field).to.deep.equal(stored.body[field]);
    }

    const noDevice = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'), { conexion_automatica: true }), 'auto-login-none-1');
    expect(noDevice.body.auto_conexion).to.deep.include({ solicitada: true, estado: 'no_conectado', fase: 'omitida' });

    // The same MAC already logged in with another user: RouterOS refuses; the sale still succeeds.
    const refused = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'), {
      conexion_automatica: true, mac_cliente: 'AA:BB:CC:00:11:22', ip_cliente: '10.5.50.77',
    }), 'auto-login-fail-1');
    expect(refused.status).to.equal(200);
    expect(refused.body.estado_hotspot).to.equal('active');
    expect(refused.body.auto_conexion.fase).to.be.oneOf(['conectado', 'fallido']);
  });

  it('card testing: payment attempts per device are limited with 429 and Retry-After', async () => {
    const device = { mac_cliente: 'DE:AD:BE:EF:00:01', ip_cliente: '10.5.50.99' };
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('card_declined'), device), `card-testing-${i}-0000`);
      statuses.push(res.status);
      retryAfter ??= res.headers['retry-after'];
    }
    expect(statuses.slice(0, 5)).to.deep.equal([402, 402, 402, 402, 402]);
    expect(statuses[5]).to.equal(429);
    expect(Number(retryAfter)).to.be.greaterThan(0);
  });
});
