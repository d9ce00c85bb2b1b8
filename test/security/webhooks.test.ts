/**
 * Finding 7 of issue 14 on the real stack: webhooks are deduplicated on what
 * the signature covers, unsigned deliveries are refused when the company has
 * no secret (and the credentials answer says what to configure), and stored
 * payloads are capped.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { loginAs } from '../support/harness';
import { mercadoPagoBody, MP_WEBHOOK_SECRET, startStack, type Stack } from '../support/stack';
import { setPasarela } from '../support/fixtures';

const PRODUCTION = { NODE_ENV: 'production', SUPER_ADMIN_INITIAL_PASSWORD: 'Initial-Prod-Pass-9431' };

describe('security: webhooks (issue 14, finding 7)', function () {
  this.timeout(60_000);
  let s: Stack;
  before(async () => { s = await startStack({ env: PRODUCTION }); });
  after(async () => { await s.close(); });

  async function paidMercadoPago(): Promise<{ paymentId: string; trxId: string }> {
    const res = await s.t.request.post('/api/v1/payments/pagar-mercado-pago').set('Authorization', `Bearer ${s.escenario.apiKey}`)
      .set('Idempotency-Key', `mp-hook-${crypto.randomUUID()}`).send(mercadoPagoBody(s.escenario.productoId, 'APRO'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return { paymentId: String(s.mp.state.paymentsFor(res.body.transaccion_id)[0].id), trxId: res.body.transaccion_id };
  }
  const lookups = (paymentId: string) => s.mp.state.requestsTo('GET', `/v1/payments/${paymentId}`).length;
  const post = (empresaId: string, query: string, headers: Record<string, string>, body: unknown) => {
    const req = s.t.request.post(`/api/v1/webhook/mercado-pago/${empresaId}${query}`);
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req.send(body as object);
  };

  it('a captured signed Mercado Pago delivery replayed with a new body id is a duplicate: no second look-up', async () => {
    const { paymentId } = await paidMercadoPago();
    const requestId = crypto.randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'x-signature': s.mp.sign(paymentId, requestId, ts, MP_WEBHOOK_SECRET), 'x-request-id': requestId };
    const query = `?data.id=${paymentId}&type=payment`;
    const first = await post(s.escenario.empresaId, query, headers, { id: 1001, type: 'payment', data: { id: paymentId } });
    expect(first.status).to.equal(200);
    expect(first.body.resultado).to.be.oneOf(['changed', 'unchanged']);
    const before = lookups(paymentId);
    for (const [i, bodyId] of [2002, 'otro', 3003].entries()) {
      // The attacker rewrites the unsigned body (its id, even its data.id) and replays the signed headers and query.
      const replay = await post(s.escenario.empresaId, query, headers, { id: bodyId, type: 'payment', data: { id: `9${i}${paymentId}` } });
      expect(replay.status).to.equal(200);
      expect(replay.body.resultado).to.equal('duplicado');
    }
    expect(lookups(paymentId)).to.equal(before);
  });

  it('the payment is looked up by the signed data.id, never by an id from the body', async () => {
    const { paymentId } = await paidMercadoPago();
    const requestId = crypto.randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    // Signed without a data.id in the query: the body's id is not covered by the signature.
    const v1 = crypto.createHmac('sha256', MP_WEBHOOK_SECRET).update(`request-id:${requestId};ts:${ts};`).digest('hex');
    const headers = { 'x-signature': `ts=${ts},v1=${v1}`, 'x-request-id': requestId };
    const before = lookups(paymentId);
    const res = await post(s.escenario.empresaId, '?type=payment', headers, { id: 5005, type: 'payment', data: { id: paymentId } });
    expect(res.status).to.equal(200);
    expect(res.body.resultado).to.equal('ignorado');
    expect(lookups(paymentId)).to.equal(before);
  });

  it('a company without a webhook secret: unsigned deliveries are refused, not stored, not looked up; the credentials answer says what to configure', async () => {
    const escenario = await s.addEscenario(s.sim);
    await setPasarela(s.t.container.knex, escenario.empresaId, 'mercadopago', { webhook_secreto_enc: null });
    await setPasarela(s.t.container.knex, escenario.empresaId, 'conekta', { webhook_llave: null });
    const stored = async () => Number((await s.t.container.knex('webhook_eventos').where({ empresa_id: escenario.empresaId }).count<{ count: string }[]>('* as count'))[0].count);
    const requestsBefore = s.mp.state.requests.length;
    const padding = 'x'.repeat(90 * 1024);
    const res = await post(escenario.empresaId, '?data.id=123456&type=payment', { 'x-request-id': crypto.randomUUID() }, { id: 1, type: 'payment', data: { id: '123456' }, padding });
    expect(res.status).to.equal(401);
    expect(res.body.detail).to.match(/no configuró la clave secreta de webhooks de Mercado Pago/);
    const conekta = await s.t.request.post(`/api/v1/webhook/conekta/${escenario.empresaId}`).send({ id: 'evt_1', type: 'order.paid', data: { object: { id: 'ord_abc' } }, padding });
    expect(conekta.status).to.equal(401);
    expect(conekta.body.detail).to.match(/no configuró la llave pública de webhooks de Conekta/);
    expect(await stored()).to.equal(0);
    expect(s.mp.state.requests.length).to.equal(requestsBefore);

    const token = await loginAs(s.t, escenario.admin.email, escenario.admin.password);
    const mp = await s.t.request.get('/api/v1/admin/mi-empresa/mercado-pago').set('Authorization', `Bearer ${token}`);
    expect(mp.body.webhook_secret_configurado).to.equal(false);
    expect(mp.body.webhook_aviso).to.match(/se rechazan.*webhook_secret/);
    const configured = await s.t.request.post('/api/v1/payments/configurar-credenciales').set('Authorization', `Bearer ${token}`).send({ mode: 'test' });
    expect(configured.body.webhook_aviso).to.match(/webhook_secret/);
    const ck = await s.t.request.get('/api/v1/admin/mi-empresa/conekta').set('Authorization', `Bearer ${token}`);
    expect(ck.body.webhook_aviso).to.match(/webhook_public_key/);
  });

  it('stored payloads are capped (a signed delivery with a large body keeps its id and size only)', async () => {
    const { paymentId } = await paidMercadoPago();
    const requestId = crypto.randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'x-signature': s.mp.sign(paymentId, requestId, ts, MP_WEBHOOK_SECRET), 'x-request-id': requestId };
    const res = await post(s.escenario.empresaId, `?data.id=${paymentId}&type=payment`, headers, { id: 7007, type: 'payment', data: { id: paymentId }, padding: 'y'.repeat(90 * 1024) });
    expect(res.status).to.equal(200);
    const row = await s.t.container.knex('webhook_eventos').where({ empresa_id: s.escenario.empresaId, event_id: `${paymentId}|${requestId}` }).first();
    expect(row.payload).to.deep.include({ truncado: true, id: '7007', type: 'payment' });
    expect(JSON.stringify(row.payload).length).to.be.below(16 * 1024);
  });
});
