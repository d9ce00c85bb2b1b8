import { expect } from 'chai';
import sinon from 'sinon';
import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { verifyConektaDigest, verifyMercadoPagoSignature } from '../../../src/integrations/gateways';
import { startConektaSandbox, type ConektaSandbox } from '../../../sim/conekta';
import { startMercadoPagoSandbox, type MercadoPagoSandbox } from '../../../sim/mercadopago';
import { createConektaGateway } from '../../../src/integrations/conekta/gateway';
import { startReceiver, idemKey, trxId } from './helpers';

const SECRET = 'whsec_empresa_a_0123456789abcdef';

describe('payments/gateways: webhook signatures', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    sinon.restore();
    await receiver.close();
  });

  describe('Mercado Pago x-signature', () => {
    let sandbox: MercadoPagoSandbox;
    before(async () => {
      sandbox = await startMercadoPagoSandbox({ port: 0 });
    });
    after(() => sandbox.close());

    async function deliver(options: Parameters<MercadoPagoSandbox['sendWebhook']>[3] = {}, secret = SECRET) {
      await sandbox.sendWebhook(`${receiver.url}?source_news=webhooks`, 1310000123, secret, options);
      const got = receiver.received.at(-1)!;
      return {
        got,
        check: (overrides: Partial<Parameters<typeof verifyMercadoPagoSignature>[0]> = {}) =>
          verifyMercadoPagoSignature({
            xSignature: got.headers['x-signature'],
            xRequestId: got.headers['x-request-id'],
            dataId: got.url.searchParams.get('data.id'),
            secret: SECRET,
            toleranceSeconds: 300,
            ...overrides,
          }),
      };
    }

    it('delivers ?data.id=<id>&type=payment with the documented body and a valid signature', async () => {
      const { got, check } = await deliver({ action: 'payment.created' });
      expect(got.method).to.equal('POST');
      expect(got.url.searchParams.get('data.id')).to.equal('1310000123');
      expect(got.url.searchParams.get('type')).to.equal('payment');
      expect(got.url.searchParams.get('source_news')).to.equal('webhooks');
      const body = JSON.parse(got.rawBody.toString('utf8'));
      expect(body).to.deep.include({ action: 'payment.created', api_version: 'v1', type: 'payment', live_mode: false, data: { id: '1310000123' } });
      expect(got.headers['x-signature']).to.match(/^ts=\d+,v1=[0-9a-f]{64}$/);
      expect(got.headers['x-request-id']).to.be.a('string');
      expect(check()).to.deep.equal({ valid: true });
    });

    it('rejects a wrong secret, another data.id, another request id', async () => {
      const { check } = await deliver();
      expect(check({ secret: 'otro-secreto' })).to.deep.equal({ valid: false, reason: 'SignatureMismatch' });
      expect(check({ dataId: '1310000124' })).to.deep.equal({ valid: false, reason: 'SignatureMismatch' });
      expect(check({ xRequestId: 'forged-request-id' })).to.deep.equal({ valid: false, reason: 'SignatureMismatch' });
    });

    it('rejects forged, missing and malformed headers, and an empty secret', async () => {
      const forged = await deliver({ xSignature: `ts=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` });
      expect(forged.check()).to.deep.equal({ valid: false, reason: 'SignatureMismatch' });
      const unsigned = await deliver({ unsigned: true });
      expect(unsigned.check()).to.deep.equal({ valid: false, reason: 'MissingSignatureHeader' });
      expect(unsigned.check({ xSignature: 'garbage' })).to.deep.equal({ valid: false, reason: 'MalformedSignatureHeader' });
      expect(unsigned.check({ xSignature: 'v1=abc' })).to.deep.equal({ valid: false, reason: 'MissingTimestamp' });
      const signed = await deliver();
      expect(signed.check({ secret: '' })).to.deep.equal({ valid: false, reason: 'MissingSecret' });
    });

    it('rejects a stale timestamp (replay) and accepts one inside the tolerance', async () => {
      const now = Math.floor(Date.now() / 1000);
      const stale = await deliver({ ts: now - 3600 });
      expect(stale.check()).to.deep.equal({ valid: false, reason: 'TimestampOutOfTolerance' });
      const recent = await deliver({ ts: now - 60 });
      expect(recent.check()).to.deep.equal({ valid: true });
      expect(recent.check({ toleranceSeconds: 30 })).to.deep.equal({ valid: false, reason: 'TimestampOutOfTolerance' });
    });

    it('uses the clock (sinon) by default and an explicit `now` when given', async () => {
      const { check } = await deliver();
      const clock = sinon.useFakeTimers({ now: Date.now() + 10 * 60_000, toFake: ['Date'] });
      expect(check()).to.deep.equal({ valid: false, reason: 'TimestampOutOfTolerance' });
      clock.restore();
      expect(check()).to.deep.equal({ valid: true });
      expect(check({ now: Date.now() - 10 * 60_000 })).to.deep.equal({ valid: false, reason: 'TimestampOutOfTolerance' });
      expect(check({ now: () => Date.now() })).to.deep.equal({ valid: true });
    });

    it('sign() matches the documented manifest', () => {
      const header = sandbox.sign('123', 'req-1', 1700000000, 'secret');
      const check = verifyMercadoPagoSignature({
        xSignature: header, xRequestId: 'req-1', dataId: '123', secret: 'secret', toleranceSeconds: 60, now: 1700000000_000,
      });
      expect(check).to.deep.equal({ valid: true });
      // alphanumeric ids are compared lower-case, as Mercado Pago documents
      const upper = sandbox.sign('abc123', 'req-2', 1700000000, 'secret');
      expect(verifyMercadoPagoSignature({
        xSignature: upper, xRequestId: 'req-2', dataId: 'ABC123', secret: 'secret', toleranceSeconds: 60, now: 1700000000_000,
      })).to.deep.equal({ valid: true });
    });
  });

  describe('Conekta digest', () => {
    let sandbox: ConektaSandbox;
    before(async () => {
      sandbox = await startConektaSandbox({ port: 0 });
    });
    after(() => sandbox.close());

    async function createWebhookKey(privateKey: string): Promise<{ id: string; public_key: string }> {
      const response = await fetch(`${sandbox.url}/webhook_keys`, {
        method: 'POST',
        headers: {
          Accept: 'application/vnd.conekta-v2.1.0+json',
          'Content-Type': 'application/json',
          Authorization: `Bearer ${privateKey}`,
        },
        body: '{}',
      });
      expect(response.status).to.equal(200);
      return (await response.json()) as { id: string; public_key: string };
    }

    it('signs order events with the key from POST /webhook_keys; the raw body verifies', async () => {
      const key = await createWebhookKey('key_test_webhooks');
      expect(key.public_key).to.match(/^-----BEGIN PUBLIC KEY-----/);
      expect(key).to.not.have.property('privateKeyPem');
      const gateway = createConektaGateway({ baseUrl: sandbox.url, privateKey: 'key_test_webhooks', timeoutMs: 1000 });
      const charged = await gateway.charge({
        transaccionId: trxId(), idempotencyKey: idemKey(), amountCents: 2000, currency: 'MXN', description: 'Plan',
        cardToken: 'tok_test_visa_4242', customer: { name: 'Ana', email: 'ana@example.com', phone: '5512345678' },
      });
      const sent = await sandbox.sendWebhook(receiver.url, { type: 'order.paid', orderId: charged.gatewayId });
      expect(sent.status).to.equal(200);
      const got = receiver.received.at(-1)!;
      const event = JSON.parse(got.rawBody.toString('utf8'));
      expect(event).to.deep.include({ object: 'event', type: 'order.paid', livemode: false });
      expect(event.id).to.match(/^[0-9a-f]{24}$/);
      expect(event.data.object.id).to.equal(charged.gatewayId);
      expect(event.data.previous_attributes).to.deep.equal({});
      expect(got.headers['digest']).to.equal(sent.digest);
      expect(verifyConektaDigest(got.rawBody, got.headers['digest'], key.public_key)).to.deep.equal({ valid: true });
      expect(verifyConektaDigest(got.rawBody.toString('utf8'), got.headers['digest'], key.public_key)).to.deep.equal({ valid: true });
    });

    it('charge.* events carry the charge (with order_id), not the order', async () => {
      const gateway = createConektaGateway({ baseUrl: sandbox.url, privateKey: 'key_test_webhooks', timeoutMs: 1000 });
      const charged = await gateway.charge({
        transaccionId: trxId(), idempotencyKey: idemKey(), amountCents: 2000, currency: 'MXN', description: 'Plan',
        cardToken: 'tok_test_visa_4242', customer: { name: 'Ana', email: 'ana@example.com', phone: '5512345678' },
      });
      await sandbox.sendWebhook(receiver.url, { type: 'charge.paid', orderId: charged.gatewayId });
      const event = JSON.parse(receiver.received.at(-1)!.rawBody.toString('utf8'));
      expect(event.data.object.object).to.equal('charge');
      expect(event.data.object.order_id).to.equal(charged.gatewayId);
    });

    it('rejects a forged delivery, a tampered body, a missing or garbled digest and a bad key', async () => {
      const key = await createWebhookKey('key_test_webhooks');
      await sandbox.sendWebhook(receiver.url, { type: 'order.paid', data: { object: { id: 'ord_x' } } }, { forge: true });
      const forged = receiver.received.at(-1)!;
      expect(verifyConektaDigest(forged.rawBody, forged.headers['digest'], key.public_key)).to.deep.equal({ valid: false, reason: 'SignatureMismatch' });

      await sandbox.sendWebhook(receiver.url, { type: 'order.paid', data: { object: { id: 'ord_x', amount: 100 } } });
      const genuine = receiver.received.at(-1)!;
      const tampered = Buffer.from(genuine.rawBody.toString('utf8').replace('"amount":100', '"amount":1'));
      expect(verifyConektaDigest(tampered, genuine.headers['digest'], key.public_key)).to.deep.equal({ valid: false, reason: 'SignatureMismatch' });
      expect(verifyConektaDigest(genuine.rawBody, undefined, key.public_key)).to.deep.equal({ valid: false, reason: 'MissingDigest' });
      expect(verifyConektaDigest(genuine.rawBody, 'not base64 !!', key.public_key)).to.deep.equal({ valid: false, reason: 'MalformedDigest' });
      expect(verifyConektaDigest(genuine.rawBody, genuine.headers['digest'], 'not a pem')).to.deep.equal({ valid: false, reason: 'InvalidPublicKey' });

      await sandbox.sendWebhook(receiver.url, { type: 'order.paid', data: { object: {} } }, { keyId: null });
      expect(receiver.received.at(-1)!.headers['digest']).to.equal(undefined);
    });

    it('accepts an RSA-PSS signature too (the padding is undocumented)', () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const body = Buffer.from('{"id":"evt","type":"order.paid"}');
      const pss = sign('sha256', body, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }).toString('base64');
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(verifyConektaDigest(body, pss, pem)).to.deep.equal({ valid: true });
    });
  });
});
