/** The gateways' cash charge (OXXO / Paycash) against the sandboxes, in the shapes of GATEWAYS.md. */
import { expect } from 'chai';
import { startConektaSandbox, type ConektaSandbox } from '../../../sim/conekta';
import { startMercadoPagoSandbox, type MercadoPagoSandbox } from '../../../sim/mercadopago';
import { createConektaGateway, createMercadoPagoGateway, GatewayRequestError, type CashChargeInput } from '../../../src/integrations/gateways';
import { idemKey, trxId } from './helpers';

describe('gateways: cash references at OXXO / Paycash', () => {
  let conekta: ConektaSandbox;
  let mp: MercadoPagoSandbox;
  before(async () => {
    conekta = await startConektaSandbox({ port: 0 });
    mp = await startMercadoPagoSandbox({ port: 0 });
  });
  after(async () => { await Promise.all([conekta.close(), mp.close()]); });

  const input = (extra: Partial<CashChargeInput> = {}): CashChargeInput => ({
    transaccionId: trxId(), idempotencyKey: idemKey(), amountCents: 2000, currency: 'MXN', description: 'WiFi Plaza: 1 hora',
    customer: { name: 'Ana López', email: 'ana@example.com', phone: '5512345678' }, method: 'oxxo',
    expiresAt: new Date(Date.now() + 3 * 86_400_000), ...extra,
  });

  it('Conekta: an oxxo_cash order, pending with a 14-digit reference; paid at the store → paid; unpaid past expires_at → expired', async () => {
    const gateway = createConektaGateway({ baseUrl: conekta.url, privateKey: 'key_test_cash', timeoutMs: 2000 });
    const req = input();
    const out = await gateway.chargeCash(req);
    expect(out.status).to.equal('pending');
    expect(out.gatewayId).to.match(/^ord_/);
    expect(out.cash!.reference).to.match(/^\d{14}$/);
    expect(out.cash!.expiresAt!.getTime()).to.equal(Math.floor(req.expiresAt.getTime() / 1000) * 1000);
    const sent = conekta.state.requestsTo('POST', '/orders').at(-1)!.body as Record<string, any>;
    expect(sent.charges[0].payment_method).to.deep.equal({ type: 'oxxo_cash', expires_at: Math.floor(req.expiresAt.getTime() / 1000) });
    expect(sent.metadata).to.deep.equal({ transaccion_id: req.transaccionId });
    expect((await gateway.lookup({ transaccionId: req.transaccionId, gatewayId: out.gatewayId })).status).to.equal('pending');
    conekta.payCash(out.cash!.reference);
    const paid = await gateway.fetchById(out.gatewayId!);
    expect(paid).to.include({ status: 'paid', amountCents: 2000, transaccionId: req.transaccionId });
    expect(paid.cash!.reference).to.equal(out.cash!.reference);

    const late = await gateway.chargeCash(input());
    (conekta.state.order(late.gatewayId!)!.charges.data[0]!['payment_method'] as Record<string, unknown>)['expires_at'] = Math.floor(Date.now() / 1000) - 1;
    expect((await gateway.fetchById(late.gatewayId!)).status).to.equal('expired');
  });

  it('Conekta refuses what OXXO does not take: out of range amounts, Paycash, no phone', async () => {
    const gateway = createConektaGateway({ baseUrl: conekta.url, privateKey: 'key_test_cash', timeoutMs: 2000 });
    await gateway.chargeCash(input({ amountCents: 999 })).then(() => expect.fail('accepted'), (e) => expect(e).to.be.instanceOf(GatewayRequestError));
    await gateway.chargeCash(input({ method: 'paycash' })).then(() => expect.fail('accepted'), (e) => expect(e).to.be.instanceOf(GatewayRequestError));
    await gateway.chargeCash(input({ customer: { name: 'Ana', email: 'ana@example.com' } })).then(() => expect.fail('accepted'), (e) => expect(e).to.be.instanceOf(GatewayRequestError));
  });

  it('Mercado Pago: a ticket payment without a token, pending_waiting_payment with the reference and ticket URL; approved when paid; cancelled after date_of_expiration', async () => {
    const gateway = createMercadoPagoGateway({ baseUrl: mp.url, accessToken: 'TEST-cash', timeoutMs: 2000 });
    const req = input({ method: 'paycash' });
    const out = await gateway.chargeCash(req);
    expect(out.status).to.equal('pending');
    expect(out.gatewayStatusDetail).to.equal('pending_waiting_payment');
    expect(out.cash!.reference).to.match(/^\d{13}$/);
    expect(out.cash!.ticketUrl).to.contain('/sandbox/tickets/');
    const sent = mp.state.requestsTo('POST', '/v1/payments').at(-1)!.body as Record<string, any>;
    expect(sent).to.include({ payment_method_id: 'paycash', transaction_amount: 20, external_reference: req.transaccionId });
    expect(sent.token).to.equal(undefined);
    expect(Date.parse(sent.date_of_expiration)).to.equal(req.expiresAt.getTime());
    // The same idempotency key creates nothing new.
    const again = await gateway.chargeCash(req);
    expect(again.gatewayId).to.equal(out.gatewayId);
    expect(mp.state.chargeCount(req.transaccionId)).to.equal(1);
    mp.payCash(out.cash!.reference);
    expect((await gateway.fetchById(out.gatewayId!)).status).to.equal('paid');

    const late = await gateway.chargeCash(input());
    mp.state.payment(late.gatewayId!)!['date_of_expiration'] = new Date(Date.now() - 1000).toISOString();
    const expired = await gateway.fetchById(late.gatewayId!);
    expect(expired).to.include({ status: 'expired', gatewayStatus: 'cancelled' });
  });
});
