/**
 * Issue 21, item 4: a Conekta webhook is verified over the exact bytes received,
 * so a delivery formatted differently from JSON.stringify (spaces, escaped
 * slashes and Unicode) keeps its signature and moves the sale at once.
 */
import { sign } from 'node:crypto';
import { expect } from 'chai';
import { eventually, startStack, type Stack } from '../support/stack';
import { setPasarela } from '../support/fixtures';

describe('security: Conekta webhooks verified over the received bytes (issue 21, item 4)', function () {
  this.timeout(60_000);
  let s: Stack;
  let privateKeyPem: string;
  before(async () => {
    // No worker: nothing but this webhook may move the sale (a confirmation job would see it paid too).
    s = await startStack({ worker: false });
    const key = s.conekta.createWebhookKey();
    privateKeyPem = key.privateKeyPem;
    await setPasarela(s.t.container.knex, s.escenario.empresaId, 'conekta', { webhook_llave: key.public_key });
  });
  after(async () => { await s.close(); });

  /** Pretty-printed, `/` as `\/` and non-ASCII as `\uXXXX`: valid JSON that JSON.stringify never writes. */
  const otherFormat = (value: unknown) => JSON.stringify(value, null, 2)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

  const deliver = (raw: string, digest: string) => s.t.request.post(`/api/v1/webhook/conekta/${s.escenario.empresaId}`)
    .set('content-type', 'application/json').set('digest', digest).send(raw);

  it('a signed order.paid formatted with spaces and escapes is accepted and pays the OXXO sale; the same bytes altered are refused', async () => {
    const res = await s.t.request.post('/api/v1/payments/pagar-efectivo').set('X-API-Key', s.escenario.apiKey).set('Idempotency-Key', 'bytes-oxxo-0001')
      .send({ producto_id: s.escenario.productoId, nombre_cliente: 'Begoña Ibáñez', email_cliente: 'bego@example.com', telefono_cliente: '5512345678', pasarela: 'conekta' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const trxId = res.body.transaccion_id as string;
    s.conekta.payCash(res.body.referencia);
    const event = s.conekta.buildEvent({ type: 'order.paid', orderId: s.conekta.state.ordersFor(trxId)[0]!.id });
    const raw = otherFormat({ ...event, nota: 'pagó en tienda / sucursal' });
    expect(raw).to.not.equal(JSON.stringify(JSON.parse(raw)));
    expect(raw).to.contain('\\/').and.contain('\\u00f3').and.contain('": ');
    const digest = sign('sha256', Buffer.from(raw, 'utf8'), privateKeyPem).toString('base64');

    const tampered = await deliver(raw.replace('sucursal', 'sucursaL'), digest);
    expect(tampered.status, JSON.stringify(tampered.body)).to.equal(401);
    expect((await s.t.container.knex('transacciones').where({ id: trxId }).first()).estado_pago).to.equal('pending');

    const hook = await deliver(raw, digest);
    expect(hook.status, JSON.stringify(hook.body)).to.equal(200);
    expect(hook.body.resultado).to.equal('changed');
    await eventually(async () => (await s.t.container.knex('transacciones').where({ id: trxId }).first()).estado_pago === 'paid', 5_000, 'paid');
  });
});
