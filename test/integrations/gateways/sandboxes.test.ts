import { expect } from 'chai';
import { startConektaSandbox, type ConektaSandbox } from '../../../sim/conekta';
import { startMercadoPagoSandbox, type MercadoPagoSandbox } from '../../../sim/mercadopago';
import { elapsed } from './helpers';

const ACCEPT = 'application/vnd.conekta-v2.1.0+json';

describe('payments/gateways: sandbox wire shapes', () => {
  describe('Conekta sandbox', () => {
    let sandbox: ConektaSandbox;
    before(async () => {
      sandbox = await startConektaSandbox({ port: 0, slowResponseMs: 200 });
    });
    after(() => sandbox.close());
    afterEach(() => sandbox.faults.clear());

    const order = (token = 'tok_test_visa_4242', extra: Record<string, unknown> = {}) => ({
      currency: 'MXN',
      customer_info: { name: 'Ana', email: 'ana@example.com', phone: '5512345678' },
      line_items: [{ name: 'Plan 1 hora', unit_price: 2500, quantity: 2 }],
      charges: [{ payment_method: { type: 'card', token_id: token } }],
      metadata: { transaccion_id: 'TRX_AAAAAAAAAAAA' },
      ...extra,
    });

    async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: {
          Accept: ACCEPT,
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from('key_test_wire:').toString('base64')}`,
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    }

    it('creates an order (200) with the v2 order shape; Bearer auth works too', async () => {
      const { status, body } = await call('POST', '/orders', order(), { Authorization: 'Bearer key_test_wire' });
      expect(status).to.equal(200);
      expect(body).to.deep.include({ object: 'order', amount: 5000, amount_refunded: 0, currency: 'MXN', payment_status: 'paid', livemode: false });
      expect(body['id']).to.match(/^ord_[0-9A-Za-z]{17}$/);
      expect(body['created_at']).to.be.a('number');
      expect(body['metadata']).to.deep.equal({ transaccion_id: 'TRX_AAAAAAAAAAAA' });
      const charge = body['charges'].data[0];
      expect(charge).to.deep.include({ object: 'charge', status: 'paid', amount: 5000, order_id: body['id'] });
      expect(charge.paid_at).to.be.a('number');
      expect(charge.payment_method).to.deep.include({ brand: 'visa', last4: '4242', object: 'card_payment' });
      const fetched = await call('GET', `/orders/${body['id']}`, undefined, { Authorization: 'Bearer key_test_wire' });
      expect(fetched.body['id']).to.equal(body['id']);
    });

    it('401 without a valid key, 400 without the version Accept header', async () => {
      const noAuth = await call('GET', '/orders', undefined, { Authorization: '' });
      expect(noAuth.status).to.equal(401);
      expect(noAuth.body).to.deep.include({ object: 'error', type: 'authentication_error' });
      const noVersion = await call('GET', '/orders', undefined, { Accept: 'application/json' });
      expect(noVersion.status).to.equal(400);
      expect(noVersion.body['type']).to.equal('malformed_request_error');
      expect((await call('GET', '/orders', undefined, { Accept: 'application/vnd.conekta-v2.2.0+json' })).status).to.equal(200);
    });

    it('422 parameter_validation_error names each missing customer_info field and bad line items', async () => {
      const { status, body } = await call('POST', '/orders', order('tok_test_visa_4242', {
        customer_info: { name: 'Ana' },
        line_items: [{ name: 'ab', unit_price: 10.5, quantity: 1 }],
      }));
      expect(status).to.equal(422);
      expect(body['object']).to.equal('error');
      expect(body['type']).to.equal('parameter_validation_error');
      expect(body['log_id']).to.be.a('string');
      const params = body['details'].map((d: { param: string }) => d.param);
      expect(params).to.include.members(['customer_info.email', 'customer_info.phone', 'line_items.0.name', 'line_items.0.unit_price']);
      for (const detail of body['details']) {
        expect(detail).to.have.all.keys('code', 'message', 'debug_message', 'param');
        expect(detail.code).to.match(/^conekta\.errors\.parameter_validation\./);
      }
      expect(body['details'][0].message).to.match(/requerido|caracteres|entero/);
    });

    it('messages are Spanish by default and English with Accept-Language: en', async () => {
      const es = await call('POST', '/orders', order('tok_test_card_declined'));
      expect(es.status).to.equal(402);
      expect(es.body['type']).to.equal('processing_error');
      expect(es.body['details'][0]).to.deep.include({ code: 'conekta.errors.processing.bank.declined' });
      expect(es.body['details'][0].message).to.match(/declinada/);
      expect(es.body['data']).to.deep.include({ object: 'order', payment_status: 'declined' });
      expect(es.body['data'].charges.data[0]).to.deep.include({ status: 'declined', failure_code: 'card_declined' });
      const en = await call('POST', '/orders', order('tok_test_card_declined'), { 'Accept-Language': 'en' });
      expect(en.body['details'][0].message).to.match(/declined/);
    });

    it('malformed JSON is 400, unknown order 404, api_error 500 for tok_test_500', async () => {
      expect((await call('POST', '/orders', '{nope')).status).to.equal(400);
      const missing = await call('GET', '/orders/ord_missing');
      expect(missing.status).to.equal(404);
      expect(missing.body['type']).to.equal('resource_not_found_error');
      const failing = await call('POST', '/orders', order('tok_test_500'));
      expect(failing.status).to.equal(500);
      expect(failing.body['type']).to.equal('api_error');
    });

    it('tok_test_timeout answers after slowResponseMs with the paid order', async () => {
      const { value, ms } = await elapsed(() => call('POST', '/orders', order('tok_test_timeout')));
      expect(value.status).to.equal(200);
      expect(ms).to.be.at.least(180);
    });

    it('lists orders newest first with limit/next paging and a search', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await call('POST', '/orders', order('tok_test_visa_4242', { metadata: { transaccion_id: `TRX_LIST${i}` } }))).body['id']);
      }
      const first = await call('GET', '/orders?limit=2');
      expect(first.body).to.deep.include({ object: 'list', has_more: true });
      expect(first.body['data'].map((o: { id: string }) => o.id)).to.deep.equal([ids[4], ids[3]]);
      expect(first.body['next_page_url']).to.include(`next=${ids[3]}`);
      const second = await call('GET', `/orders?limit=2&next=${ids[3]}`);
      expect(second.body['data'].map((o: { id: string }) => o.id)).to.deep.equal([ids[2], ids[1]]);
      const found = await call('GET', '/orders?search=TRX_LIST2');
      expect(found.body['data'].map((o: { id: string }) => o.id)).to.deep.equal([ids[2]]);
      expect((await call('GET', '/orders?limit=251')).status).to.equal(422);
    });

    it('refunds answer the updated order; the amount and reason are validated', async () => {
      const created = (await call('POST', '/orders', order())).body;
      expect((await call('POST', `/orders/${created['id']}/refunds`, { amount: 1000 })).status).to.equal(422);
      const partial = await call('POST', `/orders/${created['id']}/refunds`, { amount: 1000, reason: 'requested_by_client' });
      expect(partial.status).to.equal(200);
      expect(partial.body).to.deep.include({ payment_status: 'partially_refunded', amount_refunded: 1000 });
      const full = await call('POST', `/orders/${created['id']}/refunds`, { amount: 4000, reason: 'requested_by_client' });
      expect(full.body).to.deep.include({ payment_status: 'refunded', amount_refunded: 5000 });
      expect((await call('POST', `/orders/${created['id']}/refunds`, { amount: 1, reason: 'requested_by_client' })).status).to.equal(422);
    });

    it('counts charges per transaction id and supports generic faults', async () => {
      sandbox.faults.add({ method: 'POST', path: '/orders', status: 503, body: { object: 'error', type: 'api_error' } });
      expect((await call('POST', '/orders', order('tok_test_visa_4242', { metadata: { transaccion_id: 'TRX_FAULTS' } }))).status).to.equal(503);
      expect(sandbox.state.chargeCount('TRX_FAULTS')).to.equal(0);
      sandbox.faults.add({ method: 'POST', path: '/orders', when: 'after', status: 502 });
      expect((await call('POST', '/orders', order('tok_test_visa_4242', { metadata: { transaccion_id: 'TRX_FAULTS' } }))).status).to.equal(502);
      expect(sandbox.state.chargeCount('TRX_FAULTS')).to.equal(1);
      expect(sandbox.state.paidCount('TRX_FAULTS')).to.equal(1);
      expect(sandbox.faults.pending).to.have.length(0);
    });
  });

  describe('Mercado Pago sandbox', () => {
    let sandbox: MercadoPagoSandbox;
    before(async () => {
      sandbox = await startMercadoPagoSandbox({ port: 0 });
    });
    after(() => sandbox.close());

    const payment = (firstName = 'APRO', extra: Record<string, unknown> = {}) => ({
      transaction_amount: 99.9,
      token: 'ff8080814c11e237014c1ff593b57b4d',
      description: 'Plan',
      installments: 1,
      payment_method_id: 'master',
      payer: { email: 'test_user@example.com', first_name: firstName },
      external_reference: 'TRX_BBBBBBBBBBBB',
      ...extra,
    });

    async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer TEST-wire', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any, headers: response.headers };
    }

    it('POST /v1/payments requires X-Idempotency-Key and Bearer auth, with the MP error shape', async () => {
      const missing = await call('POST', '/v1/payments', payment());
      expect(missing.status).to.equal(400);
      expect(missing.body).to.have.all.keys('message', 'error', 'status', 'cause');
      expect(missing.body.status).to.equal(400);
      const unauth = await call('POST', '/v1/payments', payment(), { Authorization: '', 'X-Idempotency-Key': 'k0' });
      expect(unauth.status).to.equal(401);
    });

    it('answers 201 for approvals and declines, and replays a repeated key', async () => {
      const approved = await call('POST', '/v1/payments', payment(), { 'X-Idempotency-Key': 'wire-1' });
      expect(approved.status).to.equal(201);
      expect(approved.body).to.deep.include({ status: 'approved', status_detail: 'accredited', transaction_amount: 99.9, currency_id: 'MXN' });
      expect(approved.body.id).to.be.a('number');
      expect(approved.body.card.last_four_digits).to.be.a('string');
      const rejected = await call('POST', '/v1/payments', payment('FUND'), { 'X-Idempotency-Key': 'wire-2' });
      expect(rejected.status).to.equal(201);
      expect(rejected.body).to.deep.include({ status: 'rejected', status_detail: 'cc_rejected_insufficient_amount' });
      const replay = await call('POST', '/v1/payments', payment('OTHE'), { 'X-Idempotency-Key': 'wire-1' });
      expect(replay.body.id).to.equal(approved.body.id);
      expect(replay.body.status).to.equal('approved');
    });

    it('429 and 500 create nothing and are not remembered under the key', async () => {
      const limited = await call('POST', '/v1/payments', payment('E429', { external_reference: 'TRX_E429' }), { 'X-Idempotency-Key': 'wire-3' });
      expect(limited.status).to.equal(429);
      expect(limited.headers.get('retry-after')).to.equal('1');
      const failed = await call('POST', '/v1/payments', payment('E500', { external_reference: 'TRX_E429' }), { 'X-Idempotency-Key': 'wire-3' });
      expect(failed.status).to.equal(500);
      expect(sandbox.state.chargeCount('TRX_E429')).to.equal(0);
      const retry = await call('POST', '/v1/payments', payment('APRO', { external_reference: 'TRX_E429' }), { 'X-Idempotency-Key': 'wire-3' });
      expect(retry.status).to.equal(201);
      expect(sandbox.state.chargeCount('TRX_E429')).to.equal(1);
    });

    it('validates the amount (decimal, ≤ 2 places) and the payer email', async () => {
      const bad = await call('POST', '/v1/payments', payment('APRO', { transaction_amount: 10.001 }), { 'X-Idempotency-Key': 'wire-4' });
      expect(bad.status).to.equal(400);
      expect(bad.body.cause[0]).to.have.all.keys('code', 'description');
    });

    it('GET, search by external_reference and refunds', async () => {
      const created = await call('POST', '/v1/payments', payment('APRO', { external_reference: 'TRX_SEARCH' }), { 'X-Idempotency-Key': 'wire-5' });
      const got = await call('GET', `/v1/payments/${created.body.id}`);
      expect(got.status).to.equal(200);
      expect(got.body.id).to.equal(created.body.id);
      const search = await call('GET', '/v1/payments/search?external_reference=TRX_SEARCH');
      expect(search.body.paging).to.deep.equal({ total: 1, limit: 30, offset: 0 });
      expect(search.body.results[0].id).to.equal(created.body.id);
      expect((await call('POST', `/v1/payments/${created.body.id}/refunds`, undefined)).status).to.equal(400); // no key
      const refund = await call('POST', `/v1/payments/${created.body.id}/refunds`, undefined, { 'X-Idempotency-Key': 'wire-6' });
      expect(refund.status).to.equal(201);
      expect(refund.body).to.deep.include({ payment_id: created.body.id, amount: 99.9, status: 'approved' });
      expect((await call('GET', `/v1/payments/${created.body.id}`)).body).to.deep.include({ status: 'refunded', transaction_amount_refunded: 99.9 });
      expect((await call('GET', '/v1/payments/424242')).status).to.equal(404);
    });
  });
});
