import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginAs } from '../support/harness';
import { eventually, MP_WEBHOOK_SECRET, startStack, type Stack } from '../support/stack';
import { setPasarela } from '../support/fixtures';

describe('cash at OXXO / Paycash: a reference now, access when the store payment is confirmed', function () {
  this.timeout(60_000);
  let s: Stack;
  let server: http.Server;
  let appUrl: string;
  let conektaKeyId: string;
  before(async () => {
    s = await startStack();
    server = http.createServer(s.t.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const key = s.conekta.createWebhookKey();
    conektaKeyId = key.id;
    await setPasarela(s.t.container.knex, s.escenario.empresaId, 'conekta', { webhook_llave: key.public_key });
  });
  after(async () => {
    server.close();
    await s.close();
  });
  afterEach(() => s.clearFaults());

  const body = (pasarela: 'conekta' | 'mercadopago', extra: Record<string, unknown> = {}) => ({
    producto_id: s.escenario.productoId, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678', pasarela, ...extra,
  });
  const pay = (b: object, key: string | null, apiKey = s.escenario.apiKey) => {
    const req = s.t.request.post('/api/v1/payments/pagar-efectivo').set('X-API-Key', apiKey);
    return (key ? req.set('Idempotency-Key', key) : req).send(b);
  };
  const status = (id: string, key?: string) => {
    const req = s.t.request.get(`/api/v1/payments/transacciones/${id}`).set('X-API-Key', s.escenario.apiKey);
    return key ? req.set('Idempotency-Key', key) : req;
  };
  const row = (id: string) => s.t.container.knex('transacciones').where({ id }).first();
  const usersOf = (trxId: string) => s.sim.state.userList.filter((u) => u.comment === trxId);
  const conektaHook = `/api/v1/webhook/conekta/`;

  async function deliverMp(paymentId: string, secret = MP_WEBHOOK_SECRET) {
    const requestId = `req-${Math.random().toString(36).slice(2)}`;
    const signature = s.mp.sign(paymentId, requestId, Math.floor(Date.now() / 1000), secret);
    return s.t.request.post(`/api/v1/webhook/mercado-pago/${s.escenario.empresaId}?data.id=${paymentId}&type=payment`)
      .set('x-signature', signature).set('x-request-id', requestId)
      .send({ action: 'payment.updated', api_version: 'v1', data: { id: paymentId }, date_created: new Date().toISOString(), id: `n-${requestId}`, live_mode: false, type: 'payment', user_id: 1 });
  }

  it('Conekta OXXO: a reference (not provisioned while pending), the same for a repeat; a forged order.paid is refused; the signed one after paying at the store gives access exactly once', async () => {
    const res = await pay(body('conekta'), 'cash-conekta-0001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ success: true, estado_pago: 'pending', estado_hotspot: 'pending', metodo_pago: 'oxxo', pasarela: 'conekta', monto: '20.00', moneda: 'MXN' });
    expect(res.body.referencia).to.match(/^\d{14}$/);
    expect(res.body.usuario_hotspot).to.equal(null);
    expect(res.body.url_ficha_pago).to.match(/^http/);
    expect(res.body.instrucciones.join(' ')).to.contain('OXXO');
    const expira = Date.parse(res.body.expira_en);
    expect(expira - Date.now()).to.be.within(71 * 3600_000, 73 * 3600_000);
    const trxId = res.body.transaccion_id as string;
    const order = s.conekta.state.ordersFor(trxId)[0]!;
    expect((order.charges.data[0]!['payment_method'] as Record<string, unknown>)['type']).to.equal('oxxo');
    const stored = await row(trxId);
    expect(stored).to.include({ metodo_pago: 'oxxo', estado_pago: 'pending', referencia_pago: res.body.referencia, gateway_id: order.id });
    // Days, not the card's hours.
    expect(new Date(stored.confirmar_hasta).getTime()).to.be.above(expira);

    const again = await pay(body('conekta'), 'cash-conekta-0001');
    expect(again.body.referencia).to.equal(res.body.referencia);
    expect(s.conekta.state.chargeCount(trxId)).to.equal(1);

    await new Promise((r) => setTimeout(r, 600)); // confirmation jobs run meanwhile: still pending, nothing on the router
    expect((await row(trxId)).estado_pago).to.equal('pending');
    expect(usersOf(trxId)).to.have.length(0);
    const polled = await status(trxId);
    expect(polled.status).to.equal(202);
    expect(polled.body).to.include({ estado_pago: 'pending', referencia: res.body.referencia, metodo_pago: 'oxxo' });

    const forged = await s.conekta.sendWebhook(`${appUrl}${conektaHook}${s.escenario.empresaId}`, { type: 'order.paid', orderId: order.id }, { forge: true });
    expect(forged.status).to.equal(401);
    expect((await row(trxId)).estado_pago).to.equal('pending');

    // The customer pays at the store; the sandbox sends the signed order.paid to our webhook URL.
    const paid = await fetch(`${s.conekta.url}/sandbox/cash/pay`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: res.body.referencia, webhook_url: `${appUrl}${conektaHook}${s.escenario.empresaId}` }),
    });
    expect(paid.status).to.equal(200);
    expect(((await paid.json()) as { webhook: { status: number } }).webhook.status).to.equal(200);
    await eventually(async () => (await row(trxId)).estado_hotspot === 'active', 10_000, 'active');
    const done = await status(trxId, 'cash-conekta-0001');
    expect(done.status).to.equal(200);
    expect(done.body.estado_pago).to.equal('paid');
    expect(done.body.usuario_hotspot.usuario).to.equal(stored.hotspot_usuario);
    // A replay of the paid event changes nothing.
    const replay = await s.conekta.sendWebhook(`${appUrl}${conektaHook}${s.escenario.empresaId}`, { type: 'order.paid', orderId: order.id }, { keyId: conektaKeyId });
    expect(replay.status).to.equal(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(usersOf(trxId)).to.have.length(1);
    expect(usersOf(trxId)[0]).to.include({ name: stored.hotspot_usuario, profile: 'plan-1h' });
    const events = await s.t.container.transacciones.history(trxId);
    expect(events.filter((e) => e.tipo === 'pago_aprobado')).to.have.length(1);

    // The company admin sees how it was paid, and the dashboard counts it as OXXO revenue.
    const token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
    const sale = await s.t.request.get(`/api/v1/admin/mi-empresa/transacciones/${trxId}`).set('Authorization', `Bearer ${token}`);
    expect(sale.status).to.equal(200);
    expect(sale.body).to.include({ metodo_pago: 'oxxo', referencia_pago: res.body.referencia });
    const dash = await s.t.request.get('/api/v1/admin/mi-empresa/dashboard').set('Authorization', `Bearer ${token}`);
    expect(dash.body.ingresos_por_metodo.oxxo).to.deep.equal({ MXN: { total: '20.00', transacciones: 1 } });
  });

  it('Mercado Pago OXXO and Paycash: a ticket reference; a forged webhook is 401; paid at the store, the signed webhook gives access exactly once', async () => {
    const res = await pay(body('mercadopago', { metodo: 'paycash' }), 'cash-mp-000000001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ estado_pago: 'pending', metodo_pago: 'paycash', pasarela: 'mercadopago' });
    expect(res.body.referencia).to.match(/^\d{13}$/);
    expect(res.body.url_ficha_pago).to.contain('/sandbox/tickets/');
    const trxId = res.body.transaccion_id as string;
    const payment = s.mp.state.paymentsFor(trxId)[0]!;
    expect(payment).to.include({ payment_method_id: 'paycash', payment_type_id: 'ticket', status: 'pending' });
    expect(payment['token']).to.equal(undefined);
    expect(Date.parse(String(payment['date_of_expiration']))).to.be.closeTo(Date.parse(res.body.expira_en), 2000);

    const forged = await deliverMp(String(payment.id), 'not-the-secret');
    expect(forged.status).to.equal(401);
    const early = await deliverMp(String(payment.id)); // signed, but not paid yet: nothing moves
    expect(early.status).to.equal(200);
    expect(usersOf(trxId)).to.have.length(0);

    s.mp.payCash(res.body.referencia);
    const hook = await deliverMp(String(payment.id));
    expect(hook.status).to.equal(200);
    expect(hook.body.resultado).to.be.oneOf(['changed', 'unchanged']);
    await deliverMp(String(payment.id));
    await eventually(async () => (await row(trxId)).estado_hotspot === 'active', 10_000, 'active');
    expect(usersOf(trxId)).to.have.length(1);
    expect(s.mp.state.chargeCount(trxId)).to.equal(1);

    const oxxo = await pay(body('mercadopago'), 'cash-mp-000000002');
    expect(oxxo.body).to.include({ metodo_pago: 'oxxo', estado_pago: 'pending' });
  });

  it('unpaid by its expiry: expired, nothing provisioned, and paying later is impossible (both gateways)', async () => {
    const c = await pay(body('conekta'), 'cash-expire-c-001');
    const cId = c.body.transaccion_id as string;
    const order = s.conekta.state.ordersFor(cId)[0]!;
    (order.charges.data[0]!['payment_method'] as Record<string, unknown>)['expires_at'] = Math.floor(Date.now() / 1000) - 1;
    expect(await s.t.container.confirmations.confirm(cId, { finalAttempt: false })).to.equal('expired');
    expect((await row(cId)).estado_pago).to.equal('expired');
    expect(() => s.conekta.payCash(c.body.referencia)).to.throw(/expired/);

    // Mercado Pago still says pending, but our deadline (expiry + margin) passed: given up.
    const m = await pay(body('mercadopago'), 'cash-expire-m-001');
    const mId = m.body.transaccion_id as string;
    await s.t.container.knex('transacciones').where({ id: mId }).update({ confirmar_hasta: new Date(Date.now() - 1000) });
    expect(await s.t.container.confirmations.confirm(mId, { finalAttempt: false })).to.equal('expired');
    const mRow = await row(mId);
    expect(mRow.estado_pago).to.equal('expired');
    expect(mRow.decline_message).to.contain('venció');

    await new Promise((r) => setTimeout(r, 500));
    for (const id of [cId, mId]) {
      expect((await row(id)).estado_hotspot).to.equal('pending');
      expect(usersOf(id)).to.have.length(0);
      const polled = await status(id);
      expect(polled.body).to.include({ success: false, estado_pago: 'expired' });
    }
  });

  it('refuses bad requests with clear 4xx: no Idempotency-Key, Paycash on Conekta, Conekta without a phone, another router\'s product, a price OXXO does not take', async () => {
    const noKey = await pay(body('conekta'), null);
    expect(noKey.status).to.equal(422);
    expect(noKey.body.detail).to.contain('Idempotency-Key');
    expect((await pay(body('conekta', { metodo: 'paycash' }), 'cash-bad-0000001')).status).to.equal(422);
    const noPhone = await pay({ ...body('conekta'), telefono_cliente: undefined }, 'cash-bad-0000002');
    expect(noPhone.status).to.equal(422);
    expect(noPhone.body.detail).to.contain('telefono_cliente');
    expect((await pay(body('oxxo' as never), 'cash-bad-0000003')).status).to.equal(422);
    const other = await s.addEscenario(s.sim, { precio: '5.00' });
    expect((await pay(body('conekta'), 'cash-bad-0000004', other.apiKey)).status).to.equal(404);
    const cheap = await pay({ ...body('conekta'), producto_id: other.productoId }, 'cash-bad-0000005', other.apiKey);
    expect(cheap.status).to.equal(422);
    expect(cheap.body.detail).to.contain('$10.00');
    expect((await pay(body('conekta'), 'cash-bad-0000006', 'jwt_forged')).status).to.equal(401);
  });
});
