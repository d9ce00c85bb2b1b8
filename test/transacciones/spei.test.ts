import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginAs } from '../support/harness';
import { eventually, MP_WEBHOOK_SECRET, startStack, type Stack } from '../support/stack';
import { setPasarela } from '../support/fixtures';

describe('SPEI: a CLABE now, access when the transfer is confirmed (issue 24)', function () {
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
    const req = s.t.request.post('/api/v1/payments/pagar-spei').set('X-API-Key', apiKey);
    return (key ? req.set('Idempotency-Key', key) : req).send(b);
  };
  /** The status a portal polls; credentials come back only with the purchase's own Idempotency-Key (issue 21.3). */
  const status = (id: string, key?: string) => {
    const req = s.t.request.get(`/api/v1/payments/transacciones/${id}`).set('X-API-Key', s.escenario.apiKey);
    return key ? req.set('Idempotency-Key', key) : req;
  };
  const row = (id: string) => s.t.container.knex('transacciones').where({ id }).first();
  const usersOf = (trxId: string) => s.sim.state.userList.filter((u) => u.comment === trxId);
  const conektaHook = () => `${appUrl}/api/v1/webhook/conekta/${s.escenario.empresaId}`;

  async function deliverMp(paymentId: string, secret = MP_WEBHOOK_SECRET) {
    const requestId = `req-${Math.random().toString(36).slice(2)}`;
    const signature = s.mp.sign(paymentId, requestId, Math.floor(Date.now() / 1000), secret);
    return s.t.request.post(`/api/v1/webhook/mercado-pago/${s.escenario.empresaId}?data.id=${paymentId}&type=payment`)
      .set('x-signature', signature).set('x-request-id', requestId)
      .send({ action: 'payment.updated', api_version: 'v1', data: { id: paymentId }, date_created: new Date().toISOString(), id: `n-${requestId}`, live_mode: false, type: 'payment', user_id: 1 });
  }

  it('Conekta: a spei charge answered with a bank_transfer_payment; the CLABE, bank and Spanish steps; a forged order.paid refused; the signed one after the transfer gives exactly one user', async () => {
    const res = await pay(body('conekta'), 'spei-conekta-0001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ success: true, estado_pago: 'pending', estado_hotspot: 'pending', metodo_pago: 'spei', pasarela: 'conekta', monto: '20.00', moneda: 'MXN', banco: 'STP' });
    expect(res.body.clabe).to.match(/^\d{18}$/);
    expect(res.body.referencia).to.be.a('string').and.not.equal('');
    expect(res.body.usuario_hotspot).to.equal(null);
    expect(res.body.instrucciones.join(' ')).to.contain(res.body.clabe).and.contain('SPEI').and.contain('$20.00 MXN');
    expect(res.body.mensaje).to.contain('SPEI');
    expect(Date.parse(res.body.expira_en)).to.be.above(Date.now());
    const trxId = res.body.transaccion_id as string;
    const order = s.conekta.state.ordersFor(trxId)[0]!;
    const pm = order.charges.data[0]!['payment_method'] as Record<string, unknown>;
    expect(pm).to.include({ object: 'bank_transfer_payment', type: 'spei', clabe: res.body.clabe, receiving_account_number: res.body.clabe });
    const stored = await row(trxId);
    expect(stored).to.include({ metodo_pago: 'spei', estado_pago: 'pending', referencia_clabe: res.body.clabe, referencia_banco: 'STP', gateway_id: order.id });

    const again = await pay(body('conekta'), 'spei-conekta-0001');
    expect(again.body.clabe).to.equal(res.body.clabe);
    expect(s.conekta.state.chargeCount(trxId)).to.equal(1);
    const polled = await status(trxId);
    expect(polled.status).to.equal(202);
    expect(polled.body).to.include({ estado_pago: 'pending', clabe: res.body.clabe, metodo_pago: 'spei' });

    const forged = await s.conekta.sendWebhook(conektaHook(), { type: 'order.paid', orderId: order.id }, { forge: true });
    expect(forged.status).to.equal(401);
    expect((await row(trxId)).estado_pago).to.equal('pending');
    expect(usersOf(trxId)).to.have.length(0);

    // The transfer arrives; the sandbox sends the signed order.paid to our webhook URL.
    const paid = await fetch(`${s.conekta.url}/sandbox/spei/pay`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clabe: res.body.clabe, webhook_url: conektaHook() }),
    });
    expect(paid.status).to.equal(200);
    expect(((await paid.json()) as { webhook: { status: number } }).webhook.status).to.equal(200);
    await eventually(async () => (await row(trxId)).estado_hotspot === 'active', 10_000, 'active');
    const done = await status(trxId, 'spei-conekta-0001');
    expect(done.status).to.equal(200);
    expect(done.body.estado_pago).to.equal('paid');
    expect(done.body.usuario_hotspot.usuario).to.equal(stored.hotspot_usuario);
    expect((await status(trxId)).body.usuario_hotspot).to.equal(null);
    const replay = await s.conekta.sendWebhook(conektaHook(), { type: 'order.paid', orderId: order.id }, { keyId: conektaKeyId });
    expect(replay.status).to.equal(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(usersOf(trxId)).to.have.length(1);
    expect(usersOf(trxId)[0]).to.include({ name: stored.hotspot_usuario, profile: 'plan-1h' });

    // The operator sees SPEI apart: the sale, the dashboard, the CSV.
    const token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
    const auth = { Authorization: `Bearer ${token}` };
    const sale = await s.t.request.get(`/api/v1/admin/mi-empresa/transacciones/${trxId}`).set(auth);
    expect(sale.body).to.include({ metodo_pago: 'spei' });
    const list = await s.t.request.get('/api/v1/admin/mi-empresa/transacciones').set(auth);
    expect(list.body.transacciones.find((t: { id: string }) => t.id === trxId).metodo_pago).to.equal('spei');
    const dash = await s.t.request.get('/api/v1/admin/mi-empresa/dashboard').set(auth);
    expect(dash.body.ingresos_por_metodo.spei).to.deep.equal({ MXN: { total: '20.00', transacciones: 1 } });
    expect(dash.body.periodos.hoy.ingresos_spei).to.deep.equal({ MXN: '20.00' });
    expect(dash.body.periodos.hoy.ingresos_efectivo).to.deep.equal({});
    const csv = await s.t.request.get('/api/v1/admin/mi-empresa/transacciones/export.csv').set(auth).buffer(true).parse((r, cb) => {
      let text = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { text += c; }); r.on('end', () => cb(null, text));
    });
    const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    const col = lines[0]!.indexOf('metodo_pago');
    expect(col).to.be.above(-1);
    expect(lines.find((l) => l[0] === trxId)![col]).to.equal('spei');
  });

  it('Mercado Pago: payment_method_id "clabe"; a forged webhook is 401; the transfer then the signed webhook gives exactly one user; without a CLABE in the answer, the instructions page stands in', async () => {
    const res = await pay(body('mercadopago'), 'spei-mp-000000001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ estado_pago: 'pending', metodo_pago: 'spei', pasarela: 'mercadopago', banco: 'STP' });
    expect(res.body.clabe).to.match(/^\d{18}$/);
    expect(res.body.url_ficha_pago).to.contain('/sandbox/tickets/');
    const trxId = res.body.transaccion_id as string;
    const payment = s.mp.state.paymentsFor(trxId)[0]!;
    expect(payment).to.include({ payment_method_id: 'clabe', payment_type_id: 'bank_transfer', status: 'pending' });
    expect(payment['token']).to.equal(undefined);

    const forged = await deliverMp(String(payment.id), 'not-the-secret');
    expect(forged.status).to.equal(401);
    const early = await deliverMp(String(payment.id));
    expect(early.status).to.equal(200);
    expect(usersOf(trxId)).to.have.length(0);

    s.mp.payCash(res.body.clabe);
    expect((await deliverMp(String(payment.id))).status).to.equal(200);
    await deliverMp(String(payment.id));
    await eventually(async () => (await row(trxId)).estado_hotspot === 'active', 10_000, 'active');
    await new Promise((r) => setTimeout(r, 300));
    expect(usersOf(trxId)).to.have.length(1);
    expect(s.mp.state.chargeCount(trxId)).to.equal(1);

    s.mp.spei.clabeInPayment = false;
    try {
      const noClabe = await pay(body('mercadopago'), 'spei-mp-000000002');
      expect(noClabe.status, JSON.stringify(noClabe.body)).to.equal(200);
      expect(noClabe.body).to.include({ estado_pago: 'pending', metodo_pago: 'spei', clabe: null });
      expect(noClabe.body.url_ficha_pago).to.contain('/sandbox/tickets/');
      expect(noClabe.body.instrucciones.join(' ')).to.contain('página de instrucciones');
    } finally {
      s.mp.spei.clabeInPayment = undefined;
    }
  });

  it('unpaid by its expiry: expired, nothing provisioned, the transfer can no longer be made (both gateways)', async () => {
    const c = await pay(body('conekta'), 'spei-expire-c-001');
    const cId = c.body.transaccion_id as string;
    const order = s.conekta.state.ordersFor(cId)[0]!;
    (order.charges.data[0]!['payment_method'] as Record<string, unknown>)['expires_at'] = Math.floor(Date.now() / 1000) - 1;
    expect(await s.t.container.confirmations.confirm(cId, { finalAttempt: false })).to.equal('expired');
    expect(() => s.conekta.payCash(c.body.clabe)).to.throw(/expired/);

    const m = await pay(body('mercadopago'), 'spei-expire-m-001');
    const mId = m.body.transaccion_id as string;
    const payment = s.mp.state.paymentsFor(mId)[0]!;
    payment['date_of_expiration'] = new Date(Date.now() - 1000).toISOString();
    expect(await s.t.container.confirmations.confirm(mId, { finalAttempt: false })).to.equal('expired');
    expect(() => s.mp.payCash(m.body.clabe)).to.throw(/cancelled/);

    await new Promise((r) => setTimeout(r, 500));
    for (const id of [cId, mId]) {
      expect((await row(id)).estado_pago).to.equal('expired');
      expect((await row(id)).estado_hotspot).to.equal('pending');
      expect(usersOf(id)).to.have.length(0);
      expect((await status(id)).body).to.include({ success: false, estado_pago: 'expired' });
    }
  });

  it('a transfer for a different amount provisions nothing and waits for review', async () => {
    const res = await pay(body('mercadopago'), 'spei-mp-amount-001');
    const trxId = res.body.transaccion_id as string;
    const payment = s.mp.state.paymentsFor(trxId)[0]!;
    payment.transaction_amount = 10; // the gateway recorded a different transfer than our $20.00
    s.mp.payCash(String(payment.id));
    expect((await deliverMp(String(payment.id))).status).to.equal(200);
    await eventually(async () => Boolean((await row(trxId)).requiere_revision), 10_000, 'held for review');
    await new Promise((r) => setTimeout(r, 300));
    expect((await row(trxId)).estado_hotspot).to.equal('pending');
    expect(usersOf(trxId)).to.have.length(0);
  });

  it('refuses bad requests with clear 4xx: no Idempotency-Key, a metodo field, Conekta without a phone, another router\'s product', async () => {
    const noKey = await pay(body('conekta'), null);
    expect(noKey.status).to.equal(422);
    expect(noKey.body.detail).to.contain('Idempotency-Key');
    expect((await pay(body('conekta', { metodo: 'oxxo' }), 'spei-bad-0000001')).status).to.equal(422);
    const noPhone = await pay({ ...body('conekta'), telefono_cliente: undefined }, 'spei-bad-0000002');
    expect(noPhone.status).to.equal(422);
    expect(noPhone.body.detail).to.contain('SPEI');
    const other = await s.addEscenario(s.sim, { precio: '5.00' });
    expect((await pay(body('conekta'), 'spei-bad-0000004', other.apiKey)).status).to.equal(404);
    // SPEI has no store limits: a $5.00 product is fine.
    const cheap = await pay({ ...body('conekta'), producto_id: other.productoId }, 'spei-bad-0000005', other.apiKey);
    expect(cheap.status, JSON.stringify(cheap.body)).to.not.equal(422);
    expect(String(cheap.body.detail ?? '')).not.to.contain('$10.00');
  });
});
