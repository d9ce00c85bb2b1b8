/**
 * Issue 21, item 3: the router key is public (it ships in the portal), so
 * nothing it opens may reveal another customer's credentials: estado-pago
 * answers only the original's fields, a transaction's credentials and customer
 * go only to the holder of the purchase's own Idempotency-Key, and the
 * company-less Mercado Pago webhook answers the same 200 for every id.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { mercadoPagoBody, MP_WEBHOOK_SECRET, startStack, type Stack } from '../support/stack';

describe('security: a public router key reveals no other customer (issue 21, item 3)', function () {
  this.timeout(60_000);
  let s: Stack;
  before(async () => { s = await startStack({ env: { RATE_LIMIT_WEBHOOKS_POINTS: '8', RATE_LIMIT_WEBHOOKS_SECONDS: '600' } }); });
  after(async () => { await s.close(); });

  async function sale(key: string) {
    const res = await s.t.request.post('/api/v1/payments/pagar-mercado-pago').set('Authorization', `Bearer ${s.escenario.apiKey}`)
      .set('Idempotency-Key', key).send(mercadoPagoBody(s.escenario.productoId, 'APRO', { mac_cliente: 'AA:BB:CC:DD:EE:01', ip_cliente: '10.5.50.23' }));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { transaccion_id: string; mercado_pago: { payment_id: number }; usuario_hotspot: { usuario: string; contrasena: string } };
  }
  const poll = (id: string, key?: string) => {
    const req = s.t.request.get(`/api/v1/payments/transacciones/${id}`).set('Authorization', `Bearer ${s.escenario.apiKey}`);
    return key ? req.set('Idempotency-Key', key) : req;
  };
  const lookups = (paymentId: string | number) => s.mp.state.requestsTo('GET', `/v1/payments/${paymentId}`).length;
  const companyLess = (paymentId: string | number, signed: boolean) => {
    const requestId = crypto.randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    const req = s.t.request.post(`/api/v1/webhook/mercado-pago?data.id=${paymentId}&type=payment`);
    if (signed) req.set('x-signature', s.mp.sign(String(paymentId), requestId, ts, MP_WEBHOOK_SECRET)).set('x-request-id', requestId);
    else req.set('x-signature', `ts=${ts},v1=${'0'.repeat(64)}`).set('x-request-id', requestId);
    return req.send({ type: 'payment', action: 'payment.updated', id: `n-${requestId}`, data: { id: String(paymentId) } });
  };
  const withoutTime = (body: Record<string, unknown>) => ({ ...body, received_at: undefined });

  it('estado-pago answers only the original fields: no transaccion_id to open the sale with', async () => {
    const bought = await sale(`privacy-${crypto.randomUUID()}`);
    const res = await s.t.request.get(`/api/v1/payments/estado-pago/${bought.mercado_pago.payment_id}`).set('Authorization', `Bearer ${s.escenario.apiKey}`);
    expect(res.status).to.equal(200);
    expect(Object.keys(res.body).sort()).to.deep.equal(['amount', 'currency_id', 'date_approved', 'date_last_updated', 'payment_id', 'status', 'status_detail', 'success']);
    expect(JSON.stringify(res.body)).to.not.contain(bought.transaccion_id);
  });

  it("a transaction's credentials and customer go only to the purchase's own Idempotency-Key; anyone else gets the same 200 without them", async () => {
    const key = `privacy-${crypto.randomUUID()}`;
    const bought = await sale(key);
    for (const other of [undefined, `privacy-${crypto.randomUUID()}`, `${key}x`]) {
      const res = await poll(bought.transaccion_id, other);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ success: true, estado_pago: 'paid', transaccion_id: bought.transaccion_id });
      expect(res.body.usuario_hotspot).to.equal(null);
      expect(res.body.cliente).to.equal(null);
      const text = JSON.stringify(res.body);
      for (const secret of [bought.usuario_hotspot.contrasena, 'ana@example.com', 'APRO López', 'AA:BB:CC:DD:EE:01']) expect(text).to.not.contain(secret);
    }
    const own = await poll(bought.transaccion_id, key);
    expect(own.status).to.equal(200);
    expect(own.body.usuario_hotspot).to.deep.equal(bought.usuario_hotspot);
    expect(own.body.cliente).to.deep.include({ nombre: 'APRO López', email: 'ana@example.com' });
  });

  it('the company-less webhook answers the same 200 for ids that are ours and ids that are not, signed or not; only a signed one of ours is processed', async () => {
    const bought = await sale(`privacy-${crypto.randomUUID()}`);
    const paymentId = bought.mercado_pago.payment_id;
    const before = lookups(paymentId);
    const notOurs = await companyLess(987654321, false);
    const oursUnsigned = await companyLess(paymentId, false);
    for (const res of [notOurs, oursUnsigned]) expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(withoutTime(oursUnsigned.body)).to.deep.equal(withoutTime(notOurs.body));
    expect(notOurs.body).to.include({ status: 'received', resultado: 'recibido' });
    expect(lookups(paymentId)).to.equal(before); // a bad signature is never looked up
    const stored = await s.t.container.knex('webhook_eventos').where({ gateway: 'mercadopago', empresa_id: s.escenario.empresaId, firma_valida: false });
    expect(stored.length).to.be.at.least(1);

    const oursSigned = await companyLess(paymentId, true);
    expect(oursSigned.status).to.equal(200);
    expect(withoutTime(oursSigned.body)).to.deep.equal(withoutTime(notOurs.body));
    expect(lookups(paymentId)).to.equal(before + 1);

    // The per-company URL keeps its 401 for a bad signature, before any look-up at the gateway.
    const requestId = crypto.randomUUID();
    const perCompany = await s.t.request.post(`/api/v1/webhook/mercado-pago/${s.escenario.empresaId}?data.id=${paymentId}&type=payment`)
      .set('x-signature', `ts=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`).set('x-request-id', requestId)
      .send({ type: 'payment', id: `n-${requestId}`, data: { id: String(paymentId) } });
    expect(perCompany.status).to.equal(401);
    expect(lookups(paymentId)).to.equal(before + 1);
  });

  it('past the per-address limit the company-less webhook still answers 200, and processes nothing', async () => {
    const bought = await sale(`privacy-${crypto.randomUUID()}`);
    const paymentId = bought.mercado_pago.payment_id;
    for (let i = 0; i < 8; i += 1) expect((await companyLess(111000 + i, false)).status).to.equal(200);
    const before = lookups(paymentId);
    const over = await companyLess(paymentId, true);
    expect(over.status, JSON.stringify(over.body)).to.equal(200);
    expect(over.body).to.include({ status: 'received', resultado: 'recibido' });
    expect(lookups(paymentId)).to.equal(before);
  });
});
