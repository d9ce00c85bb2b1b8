import { expect } from 'chai';
import crypto from 'node:crypto';
import { createGatewayRegistry, type GatewayProvider, type WebhookDelivery } from '../../../src/integrations/gateways';

const registry = createGatewayRegistry();

const delivery = (body: Record<string, any>, extra: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  rawBody: JSON.stringify(body), body, headers: {}, query: {}, ...extra,
});

describe('payments/gateways: each gateway parses its own webhooks', () => {
  const options = { toleranceSeconds: 300 };

  it('registers one provider per gateway, each with its own parser, and refuses a clash', () => {
    expect(registry.all.map((p) => p.id)).to.deep.equal(['conekta', 'mercadopago']);
    for (const provider of registry.all) expect(provider.webhooks.name).to.equal(provider.id);
    const conekta = registry.get('conekta');
    expect(() => createGatewayRegistry([conekta, conekta])).to.throw(/registered twice/);
    expect(() => createGatewayRegistry([{ ...conekta, id: 'otra' } as GatewayProvider])).to.throw(/parser is named 'conekta'/);
    expect(() => createGatewayRegistry([{ ...conekta, id: 'Mal nombre' } as GatewayProvider])).to.throw(/lower-case/);
    expect(() => registry.get('nadie')).to.throw(/not registered/);
  });

  it('builds each webhook URL in one place, from the provider\'s slug', () => {
    expect(registry.webhookUrl('https://api.example.com/', 'mercadopago', 'EMP_3A9F1C0B2D')).to.equal('https://api.example.com/api/v1/webhook/mercado-pago/EMP_3A9F1C0B2D');
    expect(registry.webhookUrl('https://api.example.com', 'conekta', 'EMP_3A9F1C0B2D')).to.equal('https://api.example.com/api/v1/webhook/conekta/EMP_3A9F1C0B2D');
  });

  describe('Mercado Pago', () => {
    const parse = registry.get('mercadopago').webhooks.parseWebhook;
    const signed = (secret: string, dataId: string, type = 'payment') => {
      const ts = Math.floor(Date.now() / 1000);
      const v1 = crypto.createHmac('sha256', secret).update(`id:${dataId};request-id:req-1;ts:${ts};`).digest('hex');
      return delivery({ id: 999, type, data: { id: 'ignored' } }, {
        headers: { 'x-signature': `ts=${ts},v1=${v1}`, 'x-request-id': 'req-1' }, query: { 'data.id': dataId, type },
      });
    };
    it('a signed payment notification names the payment (from the signed query, not the body) and its event id', () => {
      expect(parse(signed('secret', '1310000123'), 'secret', options))
        .to.deep.equal({ eventId: '1310000123|req-1', signature: { status: 'valid' }, gatewayId: '1310000123' });
      expect(parse(signed('secret', '77', 'merchant_order'), 'secret', options).gatewayId).to.equal(null);
    });
    it('without a secret nothing can be verified; a wrong or missing signature is invalid', () => {
      expect(parse(signed('secret', '1'), null, options).signature).to.deep.equal({ status: 'unconfigured' });
      expect(parse(signed('secret', '1'), 'other-secret', options).signature).to.deep.include({ status: 'invalid' });
      expect(parse(delivery({ id: 1, type: 'payment' }, { query: { 'data.id': '1' } }), 'secret', options).signature).to.deep.include({ status: 'invalid' });
    });
  });

  describe('Conekta', () => {
    const parse = registry.get('conekta').webhooks.parseWebhook;
    it('without a webhook key nothing can be verified', () => {
      expect(parse(delivery({ id: 'evt_1', type: 'order.paid', data: { object: { id: 'ord_2abc' } } }), null, options))
        .to.deep.equal({ eventId: 'evt_1', signature: { status: 'unconfigured' }, gatewayId: null });
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
      // Order and charge events name the order to fetch; others nothing; an event without id has nothing to record.
      const signedEvent = (event: Record<string, any>) => {
        const text = JSON.stringify(event);
        return parse(delivery(event, { rawBody: text, headers: { digest: crypto.sign('sha256', Buffer.from(text), privateKey).toString('base64') } }), pem, options);
      };
      expect(signedEvent(body)).to.deep.equal({ eventId: 'evt_4', signature: { status: 'valid' }, gatewayId: 'ord_4' });
      expect(signedEvent({ id: 'evt_2', type: 'charge.refunded', data: { object: { order_id: 'ord_9' } } }).gatewayId).to.equal('ord_9');
      expect(signedEvent({ id: 'evt_3', type: 'customer.created', data: { object: { id: 'cus_1' } } }).gatewayId).to.equal(null);
      expect(signedEvent({ type: 'order.paid', data: { object: { id: 'ord_1' } } }).eventId).to.equal(null);
    });
  });
});
