import { expect } from 'chai';
import { AppConfig } from 'mercadopago/dist/utils/config';
import {
  configureMercadoPagoBaseUrl,
  createMercadoPagoGateway,
  getMercadoPagoBaseUrl,
} from '../../../src/integrations/mercadopago/gateway';
import {
  GatewayAuthError,
  GatewayMismatchError,
  GatewayNotFoundError,
  GatewayRefundError,
  GatewayRequestError,
  GatewayUnavailableError,
} from '../../../src/integrations/gateways/errors';
import type { ChargeInput, PaymentGateway } from '../../../src/integrations/gateways/port';
import { startMercadoPagoSandbox, type MercadoPagoSandbox } from '../../../sim/mercadopago';
import { CLIENT_TIMEOUT_MS, elapsed, idemKey, NO_ANSWER_TIMEOUT_MS, SANDBOX_SLOW_MS, trxId } from './helpers';

const TOKEN_A = 'TEST-1111-empresa-a';
const TOKEN_B = 'TEST-2222-empresa-b';

describe('payments/gateways: Mercado Pago client (SDK 3.6.1) against the Mercado Pago sandbox', () => {
  let sandbox: MercadoPagoSandbox;
  let gateway: PaymentGateway;
  /** The same client for calls meant to get no answer in time (helpers.ts, NO_ANSWER_TIMEOUT_MS). */
  let hurried: PaymentGateway;
  const originalBaseUrl = AppConfig.BASE_URL;

  before(async () => {
    sandbox = await startMercadoPagoSandbox({ port: 0, slowResponseMs: SANDBOX_SLOW_MS });
    gateway = createMercadoPagoGateway({ baseUrl: sandbox.url, accessToken: TOKEN_A, timeoutMs: CLIENT_TIMEOUT_MS });
    hurried = createMercadoPagoGateway({ baseUrl: sandbox.url, accessToken: TOKEN_A, timeoutMs: NO_ANSWER_TIMEOUT_MS });
  });
  after(async () => {
    configureMercadoPagoBaseUrl(originalBaseUrl);
    await sandbox.close();
  });
  afterEach(() => sandbox.faults.clear());

  function input(firstName: string, overrides: Partial<ChargeInput> = {}): ChargeInput {
    return {
      transaccionId: trxId(),
      idempotencyKey: idemKey(),
      amountCents: 12345,
      currency: 'MXN',
      description: 'Plan 1 día',
      cardToken: `card-token-${idemKey()}`,
      customer: { name: `${firstName} Pérez`, email: 'cliente@example.com', phone: '5512345678' },
      mercadoPago: { paymentMethodId: 'visa', issuerId: '160', installments: 1, deviceId: 'device-abc', payerIp: '10.5.50.23' },
      ...overrides,
    };
  }

  describe('charge', () => {
    it('approves (APRO) and sends our idempotency key, amount as a decimal, external_reference and metadata', async () => {
      const req = input('APRO');
      const outcome = await gateway.charge(req);
      expect(outcome.status).to.equal('paid');
      expect(outcome.gatewayId).to.match(/^\d+$/);
      expect(outcome.gatewayStatus).to.equal('approved');
      expect(outcome.gatewayStatusDetail).to.equal('accredited');
      expect(outcome.card).to.deep.equal({ brand: 'visa', last4: '3704' });

      const sent = sandbox.state.requestsTo('POST', '/v1/payments').at(-1)!;
      expect(sent.headers['x-idempotency-key']).to.equal(req.idempotencyKey);
      expect(sent.headers['authorization']).to.equal(`Bearer ${TOKEN_A}`);
      expect(sent.headers['x-meli-session-id']).to.equal('device-abc');
      const body = sent.body as Record<string, unknown>;
      expect(body['transaction_amount']).to.equal(123.45);
      expect(body).to.deep.include({ external_reference: req.transaccionId, installments: 1, payment_method_id: 'visa', issuer_id: 160 });
      expect(body['metadata']).to.deep.equal({ transaccion_id: req.transaccionId });
      expect(body['payer']).to.deep.include({ email: 'cliente@example.com', first_name: 'APRO', last_name: 'Pérez' });
      expect((body['additional_info'] as Record<string, unknown>)['ip_address']).to.equal('10.5.50.23');
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);
      const looked = await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: outcome.gatewayId });
      expect(looked).to.deep.include({ status: 'paid', amountCents: 12345, refundedCents: 0, transaccionId: req.transaccionId });
    });

    const declines: Array<[string, string, RegExp]> = [
      ['OTHE', 'cc_rejected_other_reason', /Tu banco no procesó el pago/],
      ['CALL', 'cc_rejected_call_for_authorize', /Llama a tu banco/],
      ['FUND', 'cc_rejected_insufficient_amount', /fondos suficientes/],
      ['SECU', 'cc_rejected_bad_filled_security_code', /código de seguridad/],
      ['EXPI', 'cc_rejected_bad_filled_date', /fecha de vencimiento/],
      ['FORM', 'cc_rejected_bad_filled_other', /Revisa los datos de la tarjeta/],
    ];
    for (const [name, detail, message] of declines) {
      it(`declines ${name} (201 rejected/${detail}) with a Spanish message`, async () => {
        const req = input(name);
        const outcome = await gateway.charge(req);
        expect(outcome.status).to.equal('declined');
        expect(outcome.declineCode).to.equal(detail);
        expect(outcome.declineMessage).to.match(message);
        expect(outcome.gatewayId).to.match(/^\d+$/);
        expect((await gateway.lookup({ transaccionId: req.transaccionId })).status).to.equal('declined');
      });
    }

    it('CONT is pending; once Mercado Pago approves it, lookup says paid', async () => {
      const req = input('CONT');
      const outcome = await gateway.charge(req);
      expect(outcome).to.deep.include({ status: 'pending', gatewayStatus: 'in_process', gatewayStatusDetail: 'pending_contingency' });
      expect((await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: outcome.gatewayId })).status).to.equal('pending');
      sandbox.setPaymentStatus(outcome.gatewayId!, 'approved');
      expect((await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: outcome.gatewayId })).status).to.equal('paid');
    });

    it('SLOW: a timeout is unknown within timeoutMs; lookup finds it paid; a retry with our key charges nothing new', async () => {
      const req = input('SLOW');
      // The sandbox's slow answer is the approved payment: 'unknown' shows the gateway's timeout came first.
      const outcome = await hurried.charge(req);
      expect(outcome.status).to.equal('unknown');
      const looked = await gateway.lookup({ transaccionId: req.transaccionId });
      expect(looked.status).to.equal('paid');
      const retried = await gateway.charge(req);
      expect(retried.status).to.equal('paid');
      expect(retried.gatewayId).to.equal(looked.gatewayId);
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);
    });

    it('E500 is unknown and nothing exists (lookup not_found); the SDK did not retry', async () => {
      const req = input('E500');
      const outcome = await gateway.charge(req);
      expect(outcome.status).to.equal('unknown');
      expect((await gateway.lookup({ transaccionId: req.transaccionId })).status).to.equal('not_found');
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(0);
      const attempts = sandbox.state.requestsTo('POST', '/v1/payments').filter((r) => r.headers['x-idempotency-key'] === req.idempotencyKey);
      expect(attempts).to.have.length(1);
    });

    it('E429 is unknown and nothing exists', async () => {
      const req = input('E429');
      expect((await gateway.charge(req)).status).to.equal('unknown');
      expect((await gateway.lookup({ transaccionId: req.transaccionId })).status).to.equal('not_found');
    });

    it('E500_AFTER_CREATE is unknown; lookup finds the payment paid', async () => {
      const req = input('E500_AFTER_CREATE');
      expect((await gateway.charge(req)).status).to.equal('unknown');
      expect((await gateway.lookup({ transaccionId: req.transaccionId })).status).to.equal('paid');
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);
    });

    it('with SDK retries enabled, one charge is still bounded by timeoutMs', async () => {
      // Unbounded, three retries 1 s apart (and backing off) would take over 7 s.
      const retrying = createMercadoPagoGateway({ baseUrl: sandbox.url, accessToken: TOKEN_A, timeoutMs: 1500, maxRetries: 3, retryDelayMs: 1000 });
      const req = input('E500');
      const { value, ms } = await elapsed(() => retrying.charge(req));
      expect(value.status).to.equal('unknown');
      expect(ms).to.be.at.least(1400); // it retried until the bound
      const attempts = sandbox.state.requestsTo('POST', '/v1/payments').filter((r) => r.headers['x-idempotency-key'] === req.idempotencyKey);
      // The SDK retried with OUR key, and the bound cut it short: unbounded it makes all 1 + 3 attempts.
      expect(attempts.length).to.be.within(2, 3);
    });

    it('the same idempotency key twice creates one payment and answers the same', async () => {
      const req = input('APRO');
      const first = await gateway.charge(req);
      const second = await gateway.charge({ ...req, cardToken: 'another-token' });
      expect(second.gatewayId).to.equal(first.gatewayId);
      expect(second.status).to.equal('paid');
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);
    });

    it('ten concurrent charges with one key create one payment', async () => {
      const req = input('APRO');
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => gateway.charge(req)));
      expect(new Set(outcomes.map((o) => o.gatewayId)).size).to.equal(1);
      expect(outcomes.every((o) => o.status === 'paid')).to.equal(true);
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);
    });

    it('ten concurrent SLOW charges with one key: one payment, all unknown, then found paid', async () => {
      const req = input('SLOW');
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => hurried.charge(req)));
      expect(outcomes.every((o) => o.status === 'unknown' || o.status === 'paid')).to.equal(true);
      expect(sandbox.state.chargeCount(req.transaccionId)).to.equal(1);
      expect((await gateway.lookup({ transaccionId: req.transaccionId })).status).to.equal('paid');
    });

    it('a key never sticks to a later call: each charge sends its own key', async () => {
      const a = input('APRO');
      const b = input('APRO');
      const [pa, pb] = [await gateway.charge(a), await gateway.charge(b)];
      expect(pa.gatewayId).to.not.equal(pb.gatewayId);
      const keys = sandbox.state.requestsTo('POST', '/v1/payments').slice(-2).map((r) => r.headers['x-idempotency-key']);
      expect(keys).to.deep.equal([a.idempotencyKey, b.idempotencyKey]);
      // reads carry no idempotency key
      await gateway.lookup({ transaccionId: a.transaccionId, gatewayId: pa.gatewayId });
      expect(sandbox.state.requests.at(-1)!.headers['x-idempotency-key']).to.equal(undefined);
    });

    it('two gateways on two sandboxes in one process reach their own sandbox', async () => {
      const other = await startMercadoPagoSandbox({ port: 0 });
      try {
        const gatewayB = createMercadoPagoGateway({ baseUrl: other.url, accessToken: TOKEN_B, timeoutMs: CLIENT_TIMEOUT_MS });
        const reqs = Array.from({ length: 6 }, () => input('APRO'));
        await Promise.all(reqs.map((r, i) => (i % 2 ? gatewayB : gateway).charge(r)));
        reqs.forEach((r, i) => {
          expect((i % 2 ? other : sandbox).state.chargeCount(r.transaccionId), `charge ${i}`).to.equal(1);
          expect((i % 2 ? sandbox : other).state.chargeCount(r.transaccionId), `charge ${i}`).to.equal(0);
        });
      } finally {
        await other.close();
      }
    });

    it('configureMercadoPagoBaseUrl sets the SDK host once for gateways built without baseUrl', async () => {
      configureMercadoPagoBaseUrl(`${sandbox.url}/`);
      expect(getMercadoPagoBaseUrl()).to.equal(sandbox.url);
      const plain = createMercadoPagoGateway({ accessToken: TOKEN_A, timeoutMs: CLIENT_TIMEOUT_MS });
      expect((await plain.charge(input('APRO'))).status).to.equal('paid');
    });

    it('a refused access token throws GatewayAuthError', async () => {
      const bad = createMercadoPagoGateway({ baseUrl: sandbox.url, accessToken: 'bogus-token', timeoutMs: CLIENT_TIMEOUT_MS });
      const error = await bad.charge(input('APRO')).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(GatewayAuthError);
      expect(String((error as Error).message)).to.not.include('bogus-token');
    });

    it('refuses another currency and a missing payment method before calling Mercado Pago', async () => {
      const before = sandbox.state.requests.length;
      expect(await gateway.charge(input('APRO', { currency: 'USD' })).catch((e: unknown) => e)).to.be.instanceOf(GatewayRequestError);
      expect(await gateway.charge(input('APRO', { mercadoPago: undefined })).catch((e: unknown) => e)).to.be.instanceOf(GatewayRequestError);
      expect(sandbox.state.requests.length).to.equal(before);
    });

    it('a 400 from Mercado Pago (bad payer email) is a decline with its cause code', async () => {
      const outcome = await gateway.charge(input('APRO', { customer: { name: 'APRO X', email: 'not-an-email', phone: '1' } }));
      expect(outcome).to.deep.include({ status: 'declined', declineCode: 'mercadopago.cause.4050' });
      expect(outcome.declineMessage).to.match(/correo/);
    });
  });

  describe('lookup', () => {
    it('refuses a payment of another transaction, and never sees another company’s payments', async () => {
      const req = input('APRO');
      const paid = await gateway.charge(req);
      expect(await gateway.lookup({ transaccionId: trxId(), gatewayId: paid.gatewayId }).catch((e: unknown) => e))
        .to.be.instanceOf(GatewayMismatchError);
      const other = createMercadoPagoGateway({ baseUrl: sandbox.url, accessToken: TOKEN_B, timeoutMs: CLIENT_TIMEOUT_MS });
      expect((await other.lookup({ transaccionId: req.transaccionId, gatewayId: paid.gatewayId })).status).to.equal('not_found');
    });

    it('prefers the payment that took money when a transaction has several', async () => {
      const transaccionId = trxId();
      await gateway.charge(input('OTHE', { transaccionId }));
      const paid = await gateway.charge(input('APRO', { transaccionId }));
      await gateway.charge(input('FUND', { transaccionId }));
      const looked = await gateway.lookup({ transaccionId });
      expect(looked).to.deep.include({ status: 'paid', gatewayId: paid.gatewayId });
    });

    it('reports charge-backs and cancellations', async () => {
      const req = input('APRO');
      const paid = await gateway.charge(req);
      sandbox.setPaymentStatus(paid.gatewayId!, 'charged_back');
      expect((await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: paid.gatewayId })).status).to.equal('charged_back');
      const pendingReq = input('CONT');
      const pending = await gateway.charge(pendingReq);
      sandbox.setPaymentStatus(pending.gatewayId!, 'cancelled');
      expect((await gateway.lookup({ transaccionId: pendingReq.transaccionId, gatewayId: pending.gatewayId })).status).to.equal('expired');
    });

    it('throws GatewayUnavailableError on 5xx and on a hung answer, within timeoutMs', async () => {
      sandbox.faults.add({ method: 'GET', path: /^\/v1\/payments/, status: 502, times: 3 });
      expect(await gateway.lookup({ transaccionId: trxId(), gatewayId: '1' }).catch((e: unknown) => e)).to.be.instanceOf(GatewayUnavailableError);
      sandbox.faults.clear();
      sandbox.faults.add({ method: 'GET', path: /^\/v1\/payments/, hang: true });
      // A hung request never answers: an answer at all is the gateway's timeout firing.
      const value = await hurried.lookup({ transaccionId: trxId() }).catch((e: unknown) => e);
      expect(value).to.be.instanceOf(GatewayUnavailableError);
    });
  });

  describe('refund', () => {
    it('refunds fully (201, payment becomes refunded); the same key again refunds nothing more', async () => {
      const req = input('APRO');
      const paid = await gateway.charge(req);
      const key = idemKey();
      const refund = await gateway.refund({ gatewayId: paid.gatewayId!, idempotencyKey: key });
      expect(refund).to.deep.include({ status: 'refunded', amountRefundedCents: 12345 });
      const again = await gateway.refund({ gatewayId: paid.gatewayId!, idempotencyKey: key });
      expect(again.status).to.equal('refunded');
      expect(sandbox.state.payment(paid.gatewayId!)!.refunds).to.have.length(1);
      const sent = sandbox.state.requestsTo('POST', `/v1/payments/${paid.gatewayId}/refunds`);
      expect(sent.every((r) => r.headers['x-idempotency-key'] === key)).to.equal(true);
      expect((await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: paid.gatewayId })).status).to.equal('refunded');
    });

    it('a full refund retried with a new key after success is reported refunded', async () => {
      const paid = await gateway.charge(input('APRO'));
      await gateway.refund({ gatewayId: paid.gatewayId!, idempotencyKey: idemKey() });
      const again = await gateway.refund({ gatewayId: paid.gatewayId!, idempotencyKey: idemKey() });
      expect(again.status).to.equal('refunded');
      expect(sandbox.state.payment(paid.gatewayId!)!.refunds).to.have.length(1);
    });

    it('refunds partially, then the rest', async () => {
      const req = input('APRO');
      const paid = await gateway.charge(req);
      const part = await gateway.refund({ gatewayId: paid.gatewayId!, amountCents: 2345, idempotencyKey: idemKey() });
      expect(part).to.deep.include({ status: 'partially_refunded', amountRefundedCents: 2345 });
      expect(sandbox.state.requestsTo('POST', `/v1/payments/${paid.gatewayId}/refunds`).at(-1)!.body).to.deep.equal({ amount: 23.45 });
      const looked = await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: paid.gatewayId });
      expect(looked).to.deep.include({ status: 'paid', refundedCents: 2345 });
      const rest = await gateway.refund({ gatewayId: paid.gatewayId!, idempotencyKey: idemKey() });
      expect(rest).to.deep.include({ status: 'refunded', amountRefundedCents: 12345 });
    });

    it('refuses a rejected payment, too much, and an unknown payment', async () => {
      const rejected = await gateway.charge(input('OTHE'));
      expect(await gateway.refund({ gatewayId: rejected.gatewayId!, idempotencyKey: idemKey() }).catch((e: unknown) => e))
        .to.be.instanceOf(GatewayRefundError);
      const paid = await gateway.charge(input('APRO'));
      expect(await gateway.refund({ gatewayId: paid.gatewayId!, amountCents: 12346, idempotencyKey: idemKey() }).catch((e: unknown) => e))
        .to.be.instanceOf(GatewayRefundError);
      expect(await gateway.refund({ gatewayId: '999', idempotencyKey: idemKey() }).catch((e: unknown) => e))
        .to.be.instanceOf(GatewayNotFoundError);
    });

    it('a refund whose answer never comes is GatewayUnavailableError; the same key then finishes it once', async () => {
      const paid = await gateway.charge(input('APRO'));
      const key = idemKey();
      sandbox.faults.add({ method: 'POST', path: `/v1/payments/${paid.gatewayId}/refunds`, when: 'after', hang: true });
      expect(await hurried.refund({ gatewayId: paid.gatewayId!, idempotencyKey: key }).catch((e: unknown) => e))
        .to.be.instanceOf(GatewayUnavailableError);
      const retry = await gateway.refund({ gatewayId: paid.gatewayId!, idempotencyKey: key });
      expect(retry.status).to.equal('refunded');
      expect(sandbox.state.payment(paid.gatewayId!)!.refunds).to.have.length(1);
    });
  });
});
