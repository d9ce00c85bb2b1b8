/**
 * Issue 21, item 6: cash references cannot blind the reconciler. Hundreds of
 * OXXO references waiting days for their store payment (each with its
 * confirmation job alive) used to fill every 500-row batch, so a card sale
 * charged but never confirmed (its job lost) was not asked about for days.
 * The reconciler skips rows whose job is alive and rotates by when it last
 * looked at each row; open cash references are capped per router and device.
 */
import { expect } from 'chai';
import { newTransaccionId } from '../../src/platform/ids';
import { conektaBody, eventually, startStack, type Stack } from '../support/stack';

describe('reconciler: many pending cash references do not hide a charged card sale', function () {
  this.timeout(180_000);
  let s: Stack;
  before(async () => { s = await startStack({ worker: false }); });
  after(async () => { await s.close(); });

  const knex = () => s.t.container.knex;
  const row = (id: string) => knex()('transacciones').where({ id }).first();

  it('a charged-but-unknown card sale behind 510 pending OXXO references is re-checked within two runs and gets its user', async () => {
    // The card sale: the gateway charged it, our request timed out (unknown), and its confirmation job was lost.
    const res = await s.t.request.post('/api/v1/payments/pagar-conekta').set('X-API-Key', s.escenario.apiKey).set('Idempotency-Key', 'ciega-tarjeta-0001')
      .send(conektaBody(s.escenario.productoId, s.conekta.token('timeout')));
    expect(res.body.estado_pago).to.equal('unknown');
    const cardId = res.body.transaccion_id as string;
    await s.t.container.jobs.queues.payments.remove(`confirm-charge-${cardId}`);
    expect(await s.t.container.jobs.queues.payments.getJob(`confirm-charge-${cardId}`)).to.equal(undefined);

    // 510 OXXO references made before it (older actualizado_en), each with its confirmation job alive (delayed).
    const card = await row(cardId);
    const hourAgo = new Date(Date.now() - 3600_000);
    const cash = Array.from({ length: 510 }, (_, i) => ({
      ...card, id: newTransaccionId(), idempotency_key: `oxxo-ref-${i}`, hotspot_usuario: `oxxo${i}`, gateway_id: null,
      metodo_pago: 'oxxo', estado_pago: 'pending', referencia_pago: String(93000000000000 + i), referencia_expira_en: new Date(Date.now() + 72 * 3600_000),
      creado_en: hourAgo, actualizado_en: hourAgo,
    }));
    for (let i = 0; i < cash.length; i += 100) await knex()('transacciones').insert(cash.slice(i, i + 100));
    await s.t.container.jobs.queues.payments.addBulk(cash.map((c) => ({
      name: 'confirm-charge', data: { transaccionId: c.id }, opts: { jobId: `confirm-charge-${c.id}`, delay: 3600_000 },
    })));
    await knex()('transacciones').where({ id: cardId }).update({ actualizado_en: new Date(Date.now() - 60_000) });
    expect((await row(cardId)).estado_pago).to.equal('unknown');

    await s.startWorker();
    const enqueued: number[] = [];
    for (let run = 0; run < 2 && !(await s.t.container.jobs.queues.payments.getJob(`confirm-charge-${cardId}`)); run++) {
      enqueued.push((await s.t.container.reconciler.run()).confirm);
    }
    // The references' jobs were alive: none of them was enqueued again, only the card sale's.
    expect(enqueued.reduce((a, b) => a + b, 0)).to.equal(1);
    expect(await s.t.container.jobs.queues.payments.getJob(`confirm-charge-${cardId}`), 'the card sale asked about again').to.not.equal(undefined);
    await eventually(async () => (await row(cardId)).estado_hotspot === 'active', 15_000, 'the card sale paid and provisioned');
    const settled = await row(cardId);
    expect(settled.estado_pago).to.equal('paid');
    expect(s.sim.state.userList.filter((u) => u.comment === cardId)).to.have.length(1);
    // Every row looked at was stamped, so the next run starts with the ones not looked at.
    const stamped = await knex()('transacciones').whereNotNull('reconciliado_en').count('* as n').first();
    expect(Number(stamped!.n)).to.be.at.least(510);
  });

  const efectivo = (apiKey: string, productoId: number, key: string, extra: Record<string, unknown> = {}) =>
    s.t.request.post('/api/v1/payments/pagar-efectivo').set('X-API-Key', apiKey).set('Idempotency-Key', key)
      .send({ producto_id: productoId, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678', pasarela: 'conekta', ...extra });

  it('a router with 50 open cash references refuses another with a Spanish 429 limite_referencias', async () => {
    const res = await efectivo(s.escenario.apiKey, s.escenario.productoId, 'oxxo-de-mas-0001');
    expect(res.status, JSON.stringify(res.body)).to.equal(429);
    expect(res.body.code).to.equal('limite_referencias');
    expect(res.body.detail).to.match(/demasiadas referencias de pago en efectivo sin pagar/);
    expect(Number(res.headers['retry-after'])).to.be.greaterThan(0);
    expect(await knex()('transacciones').where({ idempotency_key: 'oxxo-de-mas-0001' }).first()).to.equal(undefined);
  });

  it('one device keeps at most 3 open references; a repeat of one of them and another device are still answered', async () => {
    const t = await s.addEscenario(s.sim);
    const mac = { mac_cliente: 'AA:BB:CC:DD:EE:01' };
    for (let i = 1; i <= 3; i++) {
      const ok = await efectivo(t.apiKey, t.productoId, `oxxo-dispositivo-000${i}`, mac);
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(ok.body.estado_pago).to.equal('pending');
    }
    const fourth = await efectivo(t.apiKey, t.productoId, 'oxxo-dispositivo-0004', mac);
    expect(fourth.status, JSON.stringify(fourth.body)).to.equal(429);
    expect(fourth.body.code).to.equal('limite_referencias');
    expect(fourth.body.detail).to.match(/dispositivo/);
    const repeat = await efectivo(t.apiKey, t.productoId, 'oxxo-dispositivo-0002', mac);
    expect(repeat.status).to.equal(200);
    const otherDevice = await efectivo(t.apiKey, t.productoId, 'oxxo-otro-disp-0001', { mac_cliente: 'AA:BB:CC:DD:EE:02' });
    expect(otherDevice.status, JSON.stringify(otherDevice.body)).to.equal(200);
  });
});
