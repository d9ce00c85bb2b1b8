/**
 * Findings 2, 8 and 12 of issue 14 on the real stack (app + worker, RouterOS
 * simulator, gateway sandboxes over HTTP), production-like settings.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { conektaBody, startStack, type Stack, type Escenario } from '../support/stack';

const PRODUCTION = { NODE_ENV: 'production', SUPER_ADMIN_INITIAL_PASSWORD: 'Initial-Prod-Pass-9431' };
const DECLINED_KINDS = ['card_declined', 'insufficient_funds', 'fraud', 'declined_3ds'];

describe('security: card payments (issue 14, findings 2, 8 and 12)', function () {
  this.timeout(60_000);
  let s: Stack;
  before(async () => { s = await startStack({ env: PRODUCTION }); });
  after(async () => { await s.close(); });

  const pay = (escenario: Escenario, body: object, key?: string) => {
    const req = s.t.request.post('/api/v1/payments/pagar-conekta').set('Authorization', `Bearer ${escenario.apiKey}`);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const randomMac = () => `02:${crypto.randomBytes(5).toString('hex').toUpperCase().match(/../g)!.join(':')}`;

  it('card testing with the public router key: rotating or missing device fields do not help, declines cool the router down with a Spanish 429', async () => {
    const escenario = await s.addEscenario(s.sim);
    const statuses: number[] = [];
    let refused: { status: number; headers: Record<string, string>; body: Record<string, any> } | undefined;
    for (let i = 0; i < 14; i++) {
      // A new MAC and device id every time, or none at all.
      const device = i % 3 === 0 ? {} : { mac_cliente: randomMac(), device_id: crypto.randomUUID(), ip_cliente: `10.5.50.${10 + i}` };
      const res = await pay(escenario, conektaBody(escenario.productoId, s.conekta.token(DECLINED_KINDS[i % DECLINED_KINDS.length]), device), `card-test-${i}-${crypto.randomUUID()}`);
      statuses.push(res.status);
      if (res.status === 429) refused ??= res as never;
    }
    const declined = statuses.filter((x) => x === 402).length;
    expect(declined, statuses.join(',')).to.be.at.most(8);
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal, statuses.join(',')).to.be.greaterThan(0);
    expect(statuses.slice(firstRefusal).every((x) => x === 429), statuses.join(',')).to.equal(true);
    expect(refused!.headers['retry-after']).to.match(/^\d+$/);
    expect(Number(refused!.headers['retry-after'])).to.be.greaterThan(60);
    expect(refused!.body.detail).to.match(/^Se rechazaron demasiados pagos con tarjeta en este punto de acceso/);
    // Nothing was charged or even attempted at the gateway once refused.
    const rows = await s.t.container.knex('transacciones').where({ router_id: escenario.routerId });
    expect(rows).to.have.length(declined);

    // Other routers' customers are not affected.
    const other = await s.addEscenario(s.sim);
    const ok = await pay(other, conektaBody(other.productoId, s.conekta.token('visa_4242')), `other-router-${crypto.randomUUID()}`);
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
  });

  it('a deeply nested JSON body is a 422, never a 500', async () => {
    const depth = 20_000;
    const raw = `{"producto_id":${s.escenario.productoId},"token_tarjeta":"tok_test_visa_4242","nombre_cliente":"Ana","email_cliente":"ana@example.com","telefono_cliente":"5512345678","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    for (const path of ['/api/v1/payments/pagar-conekta', '/api/v1/payments/pagar-mercado-pago', '/api/v1/auth/login']) {
      const res = await s.t.request.post(path).set('Authorization', `Bearer ${s.escenario.apiKey}`).set('Content-Type', 'application/json').send(raw);
      expect(res.status, `${path}: ${res.status} ${JSON.stringify(res.body)}`).to.equal(422);
      expect(res.body.detail).to.match(/demasiados niveles de anidación/);
    }
  });

  it('without an Idempotency-Key the card token is stored hashed, never in clear', async () => {
    const token = s.conekta.token('visa_4242');
    const res = await pay(s.escenario, conektaBody(s.escenario.productoId, token));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const row = await s.t.container.knex('transacciones').where({ id: res.body.transaccion_id }).first();
    expect(row.idempotency_key).to.equal(`token:${crypto.createHash('sha256').update(token).digest('hex')}`);
    const dump = JSON.stringify(await s.t.container.knex('transacciones').select('*'));
    expect(dump).not.to.include(token);
    // The same token again is still the same purchase.
    const again = await pay(s.escenario, conektaBody(s.escenario.productoId, token));
    expect(again.body.transaccion_id).to.equal(res.body.transaccion_id);
    expect(s.conekta.state.chargeCount(res.body.transaccion_id)).to.equal(1);
  });

  it('device_id with CR/LF (or anything outside a safe alphabet) is a 422', async () => {
    for (const deviceId of ['abc\r\nX-Injected: 1', 'abc def', '<script>']) {
      const res = await pay(s.escenario, conektaBody(s.escenario.productoId, s.conekta.token('visa_4242'), { device_id: deviceId }), `device-${crypto.randomUUID()}`);
      expect(res.status, deviceId).to.equal(422);
      expect(res.body.detail).to.match(/device_id/);
    }
  });
});
