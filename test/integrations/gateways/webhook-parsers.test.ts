import { expect } from 'chai';
import crypto from 'node:crypto';
import { WEBHOOK_PARSERS, type WebhookDelivery } from '../../../src/integrations/gateways';

const delivery = (body: Record<string, any>, extra: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  rawBody: JSON.stringify(body), body, headers: {}, query: {}, ...extra,
});

describe('payments/gateways: each gateway parses its own webhooks', () => {
  const options = { toleranceSeconds: 300 };

  it('registers one parser per gateway, by name', () => {
    expect(Object.keys(WEBHOOK_PARSERS).sort()).to.deep.equal(['conekta', 'mercadopago']);
    for (const [name, parser] of Object.entries(WEBHOOK_PARSERS)) expect(parser.name).to.equal(name);
  });

  describe('Mercado Pago', () => {
    const parse = WEBHOOK_PARSERS.mercadopago.parseWebhook;
    it('a payment notification names the payment to fetch; anything else is not acted on', () => {
      expect(parse(delivery({ id: 12, type: 'payment', data: { id: '1310000123' } }), null, options))
        .to.deep.equal({ eventId: '12', signature: { status: 'unchecked', reason: 'sin_secreto_configurado' }, gatewayId: '1310000123' });
      expect(parse(delivery({ id: 13 }, { query: { type: 'payment', 'data.id': '77' } }), null, options).gatewayId).to.equal('77');
      expect(parse(delivery({ id: 14, type: 'merchant_order', data: { id: '1' } }), null, options).gatewayId).to.equal(null);
      expect(parse(delivery({ id: 15, type: 'payment', data: { id: '../x' } }), null, options).gatewayId).to.equal(null);
    });
    it('without a notification id it still gets a unique one (never deduplicated away)', () => {
      const a = parse(delivery({ type: 'payment', data: { id: '1' } }), null, options).eventId!;
      const b = parse(delivery({ type: 'payment', data: { id: '1' } }), null, options).eventId!;
      expect(a).to.match(/^sin_id:/);
      expect(a).to.not.equal(b);
    });
    it('with a secret, a missing or wrong x-signature is invalid', () => {
      expect(parse(delivery({ id: 1, type: 'payment', data: { id: '1' } }), 'secret', options).signature).to.deep.include({ status: 'invalid' });
      const ts = Math.floor(Date.now() / 1000);
      const manifest = `id:1;request-id:req-1;ts:${ts};`;
      const v1 = crypto.createHmac('sha256', 'secret').update(manifest).digest('hex');
      const signed = delivery({ id: 1, type: 'payment', data: { id: '1' } }, { headers: { 'x-signature': `ts=${ts},v1=${v1}`, 'x-request-id': 'req-1' }, query: { 'data.id': '1' } });
      expect(parse(signed, 'secret', options).signature).to.deep.equal({ status: 'valid' });
      expect(parse(signed, 'other-secret', options).signature).to.deep.include({ status: 'invalid' });
    });
  });

  describe('Conekta', () => {
    const parse = WEBHOOK_PARSERS.conekta.parseWebhook;
    it('order and charge events name the order to fetch; an event without id has nothing to record', () => {
      expect(parse(delivery({ id: 'evt_1', type: 'order.paid', data: { object: { id: 'ord_2abc' } } }), null, options))
        .to.deep.equal({ eventId: 'evt_1', signature: { status: 'unchecked', reason: 'sin_llave_configurada' }, gatewayId: 'ord_2abc' });
      expect(parse(delivery({ id: 'evt_2', type: 'charge.refunded', data: { object: { order_id: 'ord_9' } } }), null, options).gatewayId).to.equal('ord_9');
      expect(parse(delivery({ id: 'evt_3', type: 'customer.created', data: { object: { id: 'cus_1' } } }), null, options).gatewayId).to.equal(null);
      expect(parse(delivery({ type: 'order.paid', data: { object: { id: 'ord_1' } } }), null, options).eventId).to.equal(null);
    });
    it('with a webhook key, the digest over the raw body decides', () => {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const body = { id: 'evt_4', type: 'order.paid', data: { object: { id: 'ord_4' } } };
      const raw = JSON.stringify(body);
      const digest = crypto.sign('sha256', Buffer.from(raw), privateKey).toString('base64');
      expect(parse(delivery(body, { headers: { digest } }), pem, options).signature).to.deep.equal({ status: 'valid' });
      expect(parse(delivery(body, { headers: { digest }, rawBody: `${raw} ` }), pem, options).signature).to.deep.equal({ status: 'invalid', reason: 'SignatureMismatch' });
      expect(parse(delivery(body), pem, options).signature).to.deep.equal({ status: 'invalid', reason: 'MissingDigest' });
    });
  });
});
