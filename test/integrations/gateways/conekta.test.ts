import { expect } from 'chai';
import { createConektaGateway } from '../../../src/integrations/conekta/gateway';
import {
  GatewayAuthError,
  GatewayMismatchError,
  GatewayNotFoundError,
  GatewayRefundError,
  GatewayRequestError,
  GatewayUnavailableError,
} from '../../../src/integrations/gateways/errors';
import type { ChargeInput, PaymentGateway } from '../../../src/integrations/gateways/port';
import { UpstreamError } from '../../../src/platform/errors';
import { startConektaSandbox, type ConektaSandbox } from '../../../sim/conekta';
import { CLIENT_TIMEOUT_MS, idemKey, NO_ANSWER_TIMEOUT_MS, SANDBOX_SLOW_MS, trxId } from './helpers';

const KEY_A = 'key_test_empresa_a_123';
const KEY_B = 'key_test_empresa_b_456';

describe('payments/gateways: Conekta client against the Conekta sandbox', () => {
  let sandbox: ConektaSandbox;
  let gateway: PaymentGateway;
  /** The same client for calls meant to get no answer in time (helpers.ts, NO_ANSWER_TIMEOUT_MS). */
  let hurried: PaymentGateway;

  before(async () => {
    sandbox = await startConektaSandbox({ port: 0, slowResponseMs: SANDBOX_SLOW_MS });
    gateway = createConektaGateway({ baseUrl: sandbox.url, privateKey: KEY_A, timeoutMs: CLIENT_TIMEOUT_MS });
    hurried = createConektaGateway({ baseUrl: sandbox.url, privateKey: KEY_A, timeoutMs: NO_ANSWER_TIMEOUT_MS });
  });
  after(() => sandbox.close());
  afterEach(() => sandbox.faults.clear());

  function input(token: string, overrides: Partial<ChargeInput> = {}): ChargeInput {
    return {
      transaccionId: trxId(),
      idempotencyKey: idemKey(),
      amountCents: 5000,
      currency: 'MXN',
      description: 'Plan 1 hora',
      cardToken: token,
      customer: { name: 'Ana López', email: 'ana@example.com', phone: '+525512345678' },
      ...overrides,
    };
  }

  describe('charge', () => {
    it('approves a Visa test card and sends the v2.1 headers, Basic auth and our metadata', async () => {
      const req = input(sandbox.token('visa_4242'));
      const outcome = await gateway.charge(req);
      expect(outcome.status).to.equal('paid');
      expect(outcome.gatewayId).to.match(/^ord_/);
      expect(outcome.card).to.deep.equal({ brand: 'visa', last4: '4242' });
      expect(outcome.declineMessage).to.equal(undefined);

      const order = sandbox.state.order(outcome.gatewayId!)!;
      expect(order.amount).to.equal(5000);
      expect(order.currency).to.equal('MXN');
      expect(order.metadata).to.deep.equal({ transaccion_id: req.transaccionId });
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);

      const sent = sandbox.state.requestsTo('POST', '/orders').at(-1)!;
      expect(sent.headers['accept']).to.equal('application/vnd.conekta-v2.1.0+json');
      expect(sent.headers['authorization']).to.equal(`Basic ${Buffer.from(`${KEY_A}:`).toString('base64')}`);
      expect(sent.body).to.deep.include({ currency: 'MXN' });
      expect((sent.body as { line_items: unknown[] }).line_items).to.deep.equal([{ name: 'Plan 1 hora', unit_price: 5000, quantity: 1 }]);
    });

    it('approves the Mastercard test card (the bare test tokens are reusable)', async () => {
      const first = await gateway.charge(input('tok_test_mastercard_4444'));
      const second = await gateway.charge(input('tok_test_mastercard_4444'));
      expect(first.status).to.equal('paid');
      expect(second.status).to.equal('paid');
      expect(first.card).to.deep.equal({ brand: 'mastercard', last4: '4444' });
    });

    const declines: Array<[string, string, RegExp]> = [
      ['card_declined', 'conekta.errors.processing.bank.declined', /banco rechazó el pago/],
      ['insufficient_funds', 'conekta.errors.processing.bank.insufficient_funds', /fondos suficientes/],
      ['suspicious', 'conekta.errors.processing.charge.card_payment.suspicious_behaviour', /rechazado por seguridad/],
      ['declined_3ds', 'conekta.errors.processing.charge.card_payment.declined_by_3ds', /3D Secure/],
    ];
    for (const [kind, code, message] of declines) {
      it(`declines ${kind} with a Spanish message and keeps the declined order id`, async () => {
        const req = input(sandbox.token(kind));
        const outcome = await gateway.charge(req);
        expect(outcome.status).to.equal('declined');
        expect(outcome.declineCode).to.equal(code);
        expect(outcome.declineMessage).to.match(message);
        expect(outcome.gatewayId).to.match(/^ord_/);
        expect(outcome.gatewayStatus).to.equal('declined');
        expect(JSON.stringify(outcome.raw)).to.not.include(KEY_A);
        const looked = await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: outcome.gatewayId });
        expect(looked.status).to.equal('declined');
        expect(looked.declineMessage).to.be.a('string');
      });
    }

    it('declines an expired card (422) without an order', async () => {
      const req = input(sandbox.token('expired_card'));
      const outcome = await gateway.charge(req);
      expect(outcome).to.deep.include({
        status: 'declined',
        declineCode: 'conekta.errors.parameter_validation.expiration_date.expired',
        gatewayId: undefined,
      });
      expect(outcome.declineMessage).to.match(/vencida/);
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(0);
    });

    it('declines a reused single-use token with tokenization.used', async () => {
      const token = sandbox.token('visa_4242');
      expect((await gateway.charge(input(token))).status).to.equal('paid');
      const req = input(token);
      const outcome = await gateway.charge(req);
      expect(outcome.status).to.equal('declined');
      expect(outcome.declineCode).to.equal('conekta.errors.processing.tokenization.used');
      expect(outcome.declineMessage).to.match(/ya se usaron/);
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(0);
    });

    it('declines a token Conekta never issued (nonexistent_token)', async () => {
      const outcome = await gateway.charge(input('tok_2fsdHjK8nY7Pq1'));
      expect(outcome.status).to.equal('declined');
      expect(outcome.declineCode).to.equal('conekta.errors.parameter_validation.payment_method.token_id.nonexistent_token');
      expect(outcome.declineMessage).to.match(/No pudimos leer los datos de la tarjeta/);
    });

    it('a timeout is unknown; lookup then finds the order paid, charged once', async () => {
      const req = input('tok_test_timeout');
      // The sandbox's slow answer is the paid order: 'unknown' shows the gateway's timeout came first.
      const outcome = await hurried.charge(req);
      expect(outcome.status).to.equal('unknown');
      expect(outcome.gatewayId).to.equal(undefined);
      const looked = await gateway.lookup({ transaccionId: req.transaccionId });
      expect(looked.status).to.equal('paid');
      expect(looked.gatewayId).to.match(/^ord_/);
      expect(looked.amountCents).to.equal(5000);
      expect(looked.transaccionId).to.equal(req.transaccionId);
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);
    });

    it('a 500 before the order exists is unknown; lookup says not_found', async () => {
      const req = input('tok_test_500');
      const outcome = await gateway.charge(req);
      expect(outcome.status).to.equal('unknown');
      expect((await gateway.lookup({ transaccionId: req.transaccionId })).status).to.equal('not_found');
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(0);
    });

    it('a 500 after the order was created is unknown; lookup finds it paid', async () => {
      const req = input('tok_test_500_after_create');
      expect((await gateway.charge(req)).status).to.equal('unknown');
      const looked = await gateway.lookup({ transaccionId: req.transaccionId });
      expect(looked.status).to.equal('paid');
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);
    });

    it('a dropped connection and a 429 are unknown too', async () => {
      sandbox.faults.add({ method: 'POST', path: '/orders', destroy: true });
      expect((await gateway.charge(input(sandbox.token('visa_4242')))).status).to.equal('unknown');
      sandbox.faults.add({ method: 'POST', path: '/orders', status: 429, body: { object: 'error', type: 'rate_limit' } });
      expect((await gateway.charge(input(sandbox.token('visa_4242')))).status).to.equal('unknown');
      // an injected slow answer after the order exists behaves like tok_test_timeout
      const req = input(sandbox.token('visa_4242'));
      sandbox.faults.add({ method: 'POST', path: '/orders', when: 'after', delayMs: 2000 });
      expect((await hurried.charge(req)).status).to.equal('unknown');
      expect((await gateway.lookup({ transaccionId: req.transaccionId })).status).to.equal('paid');
    });

    it('refused credentials throw GatewayAuthError without the key in it', async () => {
      const bad = createConektaGateway({ baseUrl: sandbox.url, privateKey: 'not_a_key_secret', timeoutMs: CLIENT_TIMEOUT_MS });
      const error = await bad.charge(input(sandbox.token('visa_4242'))).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(GatewayAuthError);
      expect(error).to.be.instanceOf(UpstreamError);
      expect((error as GatewayAuthError).detail).to.match(/credenciales/);
      expect(JSON.stringify(error) + String((error as Error).message)).to.not.include('not_a_key_secret');
    });

    it('refuses a non-positive amount before calling Conekta', async () => {
      const error = await gateway.charge(input('tok_test_visa_4242', { amountCents: 0 })).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(GatewayRequestError);
    });

    it('an invalid customer email is a decline with a generic Spanish message (422)', async () => {
      const outcome = await gateway.charge(input(sandbox.token('visa_4242'), { customer: { name: 'Ana', email: 'no-es-correo', phone: '5512345678' } }));
      expect(outcome.status).to.equal('declined');
      expect(outcome.declineCode).to.equal('conekta.errors.parameter_validation.customer_info.email.invalid');
      expect(outcome.declineMessage).to.match(/Revísalos/);
    });
  });

  describe('lookup', () => {
    it('finds an order by its stored id and by metadata through several pages', async () => {
      const req = input(sandbox.token('visa_4242'));
      const charged = await gateway.charge(req);
      for (let i = 0; i < 7; i++) await gateway.charge(input(sandbox.token('visa_4242')));
      const byId = await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: charged.gatewayId });
      expect(byId).to.deep.include({ status: 'paid', gatewayId: charged.gatewayId, amountCents: 5000, refundedCents: 0 });

      const small = createConektaGateway({ baseUrl: sandbox.url, privateKey: KEY_A, timeoutMs: CLIENT_TIMEOUT_MS, lookupPageSize: 2, lookupMaxPages: 10 });
      const before = sandbox.state.requestsTo('GET', '/orders').length;
      const bySearch = await small.lookup({ transaccionId: req.transaccionId });
      expect(bySearch.status).to.equal('paid');
      expect(bySearch.gatewayId).to.equal(charged.gatewayId);
      const pages = sandbox.state.requestsTo('GET', '/orders').slice(before);
      expect(pages.length).to.be.greaterThan(1);
      expect(pages[1]!.query['next']).to.match(/^ord_/);
    });

    it('a stale stored id falls back to the metadata search; not_found when nothing matches', async () => {
      expect((await gateway.lookup({ transaccionId: trxId(), gatewayId: 'ord_doesnotexist' })).status).to.equal('not_found');
    });

    it('refuses an order that belongs to another transaction', async () => {
      const charged = await gateway.charge(input(sandbox.token('visa_4242')));
      const error = await gateway.lookup({ transaccionId: trxId(), gatewayId: charged.gatewayId }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(GatewayMismatchError);
    });

    it('never sees another company’s orders', async () => {
      const req = input(sandbox.token('visa_4242'));
      const charged = await gateway.charge(req);
      const other = createConektaGateway({ baseUrl: sandbox.url, privateKey: KEY_B, timeoutMs: CLIENT_TIMEOUT_MS });
      expect((await other.lookup({ transaccionId: req.transaccionId, gatewayId: charged.gatewayId })).status).to.equal('not_found');
    });

    it('reports charge-backs', async () => {
      const req = input(sandbox.token('visa_4242'));
      const charged = await gateway.charge(req);
      sandbox.setOrderStatus(charged.gatewayId!, 'charged_back');
      expect((await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: charged.gatewayId })).status).to.equal('charged_back');
    });

    it('throws GatewayUnavailableError when Conekta cannot answer', async () => {
      sandbox.faults.add({ method: 'GET', path: /^\/orders/, status: 503, times: 5 });
      const error = await gateway.lookup({ transaccionId: trxId(), gatewayId: 'ord_x' }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(GatewayUnavailableError);
      expect((error as GatewayUnavailableError).retryable).to.equal(true);
      sandbox.faults.clear();
      sandbox.faults.add({ method: 'GET', path: /^\/orders/, hang: true });
      // A hung request never answers: an answer at all is the gateway's timeout firing (by id, then the metadata search).
      const slow = await hurried.lookup({ transaccionId: trxId() }).catch((e: unknown) => e);
      expect(slow).to.be.instanceOf(GatewayUnavailableError);
    });
  });

  describe('refund', () => {
    it('refunds fully; a repeat (lost answer) is still refunded and refunds nothing more', async () => {
      const req = input(sandbox.token('visa_4242'));
      const charged = await gateway.charge(req);
      const first = await gateway.refund({ gatewayId: charged.gatewayId!, idempotencyKey: idemKey() });
      expect(first).to.deep.include({ status: 'refunded', amountRefundedCents: 5000 });
      const again = await gateway.refund({ gatewayId: charged.gatewayId!, idempotencyKey: idemKey() });
      expect(again.status).to.equal('refunded');
      expect(sandbox.state.requestsTo('POST', `/orders/${charged.gatewayId}/refunds`)).to.have.length(1);
      expect((await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: charged.gatewayId })).status).to.equal('refunded');
    });

    it('refunds partially, then the rest', async () => {
      const req = input(sandbox.token('visa_4242'));
      const charged = await gateway.charge(req);
      const part = await gateway.refund({ gatewayId: charged.gatewayId!, amountCents: 1500, idempotencyKey: idemKey() });
      expect(part).to.deep.include({ status: 'partially_refunded', amountRefundedCents: 1500 });
      const looked = await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: charged.gatewayId });
      expect(looked).to.deep.include({ status: 'paid', refundedCents: 1500 });
      const rest = await gateway.refund({ gatewayId: charged.gatewayId!, idempotencyKey: idemKey() });
      expect(rest).to.deep.include({ status: 'refunded', amountRefundedCents: 5000 });
      const order = sandbox.state.order(charged.gatewayId!)!;
      const refunds = (order.charges.data[0]!['refunds'] as { data: Array<{ amount: number }> }).data;
      expect(refunds.map((r) => r.amount)).to.deep.equal([-1500, -3500]);
    });

    it('refuses to refund a declined order, too much, or an unknown order', async () => {
      const declined = await gateway.charge(input(sandbox.token('card_declined')));
      expect(await gateway.refund({ gatewayId: declined.gatewayId!, idempotencyKey: idemKey() }).catch((e: unknown) => e))
        .to.be.instanceOf(GatewayRefundError);
      const paid = await gateway.charge(input(sandbox.token('visa_4242')));
      expect(await gateway.refund({ gatewayId: paid.gatewayId!, amountCents: 5001, idempotencyKey: idemKey() }).catch((e: unknown) => e))
        .to.be.instanceOf(GatewayRefundError);
      expect(await gateway.refund({ gatewayId: 'ord_nope', idempotencyKey: idemKey() }).catch((e: unknown) => e))
        .to.be.instanceOf(GatewayNotFoundError);
    });

    it('a refund whose answer is lost throws GatewayUnavailableError; retrying does not refund twice', async () => {
      const charged = await gateway.charge(input(sandbox.token('visa_4242')));
      sandbox.faults.add({ method: 'POST', path: `/orders/${charged.gatewayId}/refunds`, when: 'after', hang: true });
      const error = await hurried.refund({ gatewayId: charged.gatewayId!, idempotencyKey: idemKey() }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(GatewayUnavailableError);
      const retry = await gateway.refund({ gatewayId: charged.gatewayId!, idempotencyKey: idemKey() });
      expect(retry.status).to.equal('refunded');
      expect(sandbox.state.order(charged.gatewayId!)!.amount_refunded).to.equal(5000);
    });
  });
});
