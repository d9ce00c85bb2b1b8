import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { TEST_ENV } from '../support/env';
import { clearScopeRedis } from '../support/scope';
import { loginAs } from '../support/harness';
import { conektaBody, eventually, mercadoPagoBody, MP_WEBHOOK_SECRET, startStack, type Stack } from '../support/stack';
import { setPasarela } from '../support/fixtures';

const ROOT = path.resolve(__dirname, '../..');

describe('selling access when things fail: webhooks, refunds, killed workers, lost jobs', function () {
  this.timeout(60_000);
  let s: Stack;
  before(async () => { s = await startStack(); });
  after(async () => { await s.close(); });
  afterEach(async () => {
    await s.clearFaults();
    if (!s.worker) await s.startWorker(); // a test that stopped it and failed midway
  });

  const pay = (pathName: 'pagar-conekta' | 'pagar-mercado-pago', body: object, key: string) =>
    s.t.request.post(`/api/v1/payments/${pathName}`).set('X-API-Key', s.escenario.apiKey).set('Idempotency-Key', key).send(body);
  const row = (id: string) => s.t.container.knex('transacciones').where({ id }).first();
  const byKey = (key: string) => s.t.container.knex('transacciones').where({ idempotency_key: key }).first();

  /** Delivers a sandbox webhook to our app through supertest (the sandbox signs; we post). */
  async function deliverMp(paymentId: string, options: { secret?: string; requestId?: string } = {}) {
    const requestId = options.requestId ?? `req-${Math.random().toString(36).slice(2)}`;
    const ts = Math.floor(Date.now() / 1000);
    const signature = s.mp.sign(paymentId, requestId, ts, options.secret ?? MP_WEBHOOK_SECRET);
    return s.t.request.post(`/api/v1/webhook/mercado-pago/${s.escenario.empresaId}?data.id=${paymentId}&type=payment`)
      .set('x-signature', signature).set('x-request-id', requestId)
      .send({ action: 'payment.updated', api_version: 'v1', data: { id: paymentId }, date_created: new Date().toISOString(), id: `notif-${paymentId}-${requestId}`, live_mode: false, type: 'payment', user_id: 1 });
  }

  it('a webhook that arrives before the payment request has answered is not lost', async () => {
    s.mp.faults.add({ method: 'POST', path: '/v1/payments', when: 'after', delayMs: 1000 });
    const pending = pay('pagar-mercado-pago', mercadoPagoBody(s.escenario.productoId, 'APRO'), 'webhook-first-0001').then((r) => r);
    const trx = await eventually(() => byKey('webhook-first-0001'), 3000, 'row created');
    const payment = await eventually(async () => s.mp.state.paymentsFor(trx.id)[0], 3000, 'payment created at the gateway');
    const hook = await deliverMp(String(payment.id));
    expect(hook.status).to.equal(200);
    expect(hook.body.resultado).to.equal('changed');
    expect((await row(trx.id)).estado_pago).to.equal('paid');
    const res = await pending;
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ estado_pago: 'paid', transaccion_id: trx.id });
    await eventually(async () => (await row(trx.id)).estado_hotspot === 'active', 10_000, 'active');
    expect(s.sim.state.userList.filter((u) => u.comment === trx.id)).to.have.length(1);
    expect(s.mp.state.chargeCount(trx.id)).to.equal(1);
  });

  it('the same webhook five times changes things once; a forged one is 401, recorded, and changes nothing', async () => {
    // No worker yet: the confirmation job cannot settle the charge before the webhooks do.
    await s.stopWorker();
    s.mp.faults.add({ method: 'POST', path: '/v1/payments', when: 'after', hang: true });
    const res = await pay('pagar-mercado-pago', mercadoPagoBody(s.escenario.productoId, 'APRO'), 'webhook-dup-00001');
    expect(res.status).to.equal(202);
    const trxId = res.body.transaccion_id as string;
    const payment = s.mp.state.paymentsFor(trxId)[0];

    const forged = await deliverMp(String(payment.id), { secret: 'not-the-secret' });
    expect(forged.status).to.equal(401);
    expect(forged.body.detail).to.equal('Firma de webhook inválida');
    const recorded = await s.t.container.knex('webhook_eventos').where({ gateway: 'mercadopago', firma_valida: false }).orderBy('id', 'desc').first();
    expect(recorded.firma_motivo).to.be.a('string');
    expect((await row(trxId)).estado_pago).to.be.oneOf(['unknown', 'pending']);

    const results: string[] = [];
    for (let i = 0; i < 5; i++) results.push((await deliverMp(String(payment.id), { requestId: 'same-delivery-id' })).body.resultado);
    expect(results[0]).to.equal('changed');
    expect(results.slice(1)).to.deep.equal(['duplicado', 'duplicado', 'duplicado', 'duplicado']);
    await s.startWorker();
    await eventually(async () => (await row(trxId)).estado_hotspot === 'active', 10_000, 'active');
    const events = await s.t.container.transacciones.history(trxId);
    expect(events.filter((e) => e.tipo === 'pago_aprobado')).to.have.length(1);
  });

  it('Conekta webhooks are verified with the company key: a forged digest is 401, a signed one is processed', async () => {
    const key = s.conekta.createWebhookKey();
    await setPasarela(s.t.container.knex, s.escenario.empresaId, 'conekta', { webhook_llave: key.public_key });
    const server = http.createServer(s.t.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/webhook/conekta/${s.escenario.empresaId}`;
    try {
      // No worker yet: the confirmation job cannot settle the charge before the webhooks do.
      await s.stopWorker();
      // The request times out; the order exists and is paid.
      const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('timeout')), 'conekta-hook-0001');
      expect(res.body.estado_pago).to.equal('unknown');
      const orderId = s.conekta.state.ordersFor(res.body.transaccion_id)[0].id as string;
      const forged = await s.conekta.sendWebhook(url, { type: 'order.paid', orderId }, { keyId: key.id, forge: true });
      expect(forged.status).to.equal(401);
      expect((await row(res.body.transaccion_id)).estado_pago).to.equal('unknown');
      const signed = await s.conekta.sendWebhook(url, { type: 'order.paid', orderId }, { keyId: key.id });
      expect(signed.status).to.equal(200);
      expect(JSON.parse(signed.body).resultado).to.equal('changed');
      const replay = await s.conekta.sendWebhook(url, { type: 'order.paid', orderId, id: signed.event.id }, { keyId: key.id });
      expect(JSON.parse(replay.body).resultado).to.equal('duplicado');
      await s.startWorker();
      await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'active', 10_000, 'active');
      expect(s.conekta.state.chargeCount(res.body.transaccion_id)).to.equal(1);
    } finally {
      server.close();
      await setPasarela(s.t.container.knex, s.escenario.empresaId, 'conekta', { webhook_llave: null });
    }
  });

  it('a refund goes through the gateway and disables the user on the router', async () => {
    const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'refund-me-000001');
    expect(res.body.estado_hotspot).to.equal('active');
    const token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
    const refund = await s.t.request.post(`/api/v1/admin/mi-empresa/transacciones/${res.body.transaccion_id}/reembolso`).set('Authorization', `Bearer ${token}`).send({ motivo: 'prueba' });
    expect(refund.status, JSON.stringify(refund.body)).to.equal(200);
    expect(refund.body.estado_pago).to.equal('refunded');
    expect(s.conekta.state.order(res.body.id_transaccion)?.payment_status).to.equal('refunded');
    await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'disabled', 10_000, 'disabled');
    const user = s.sim.state.userList.find((u) => u.name === res.body.usuario_hotspot.usuario)!;
    expect(user.disabled).to.equal('true');
    const again = await s.t.request.post(`/api/v1/admin/mi-empresa/transacciones/${res.body.transaccion_id}/reembolso`).set('Authorization', `Bearer ${token}`).send({});
    expect(again.status).to.equal(400);
  });

  it('a chargeback reported by webhook disables the user', async () => {
    const res = await pay('pagar-mercado-pago', mercadoPagoBody(s.escenario.productoId, 'APRO'), 'chargeback-00001');
    expect(res.body.estado_hotspot).to.equal('active');
    const payment = s.mp.state.paymentsFor(res.body.transaccion_id)[0];
    s.mp.setPaymentStatus(String(payment.id), 'charged_back');
    expect((await deliverMp(String(payment.id))).body.resultado).to.equal('changed');
    await eventually(async () => {
      const r = await row(res.body.transaccion_id);
      return r.estado_pago === 'charged_back' && r.estado_hotspot === 'disabled';
    }, 10_000, 'charged back and disabled');
  });

  it('manual retry after provisioning failed for good', async () => {
    await s.t.container.knex('productos').where({ id: s.escenario.productoId }).update({ perfil_mikrotik_nombre: 'no-such-profile' });
    // An edit by SQL, not through the admin API: move the auth generation as an admin write would (cached products).
    await s.t.container.authGeneration.bump();
    try {
      const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'manual-retry-0001');
      expect(res.status).to.equal(200);
      expect(res.body.estado_hotspot).to.equal('failed');
      const failed = await row(res.body.transaccion_id);
      expect(failed.ultimo_error).to.include('no-such-profile');
      // The operator creates the profile on the router, then retries by hand.
      s.sim.state.addProfile({ name: 'no-such-profile' });
      const token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
      const retry = await s.t.request.post(`/api/v1/admin/mi-empresa/transacciones/${res.body.transaccion_id}/reintentar`).set('Authorization', `Bearer ${token}`);
      expect(retry.status).to.equal(202);
      await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'active', 10_000, 'active after manual retry');
      const again = await s.t.request.post(`/api/v1/admin/mi-empresa/transacciones/${res.body.transaccion_id}/reintentar`).set('Authorization', `Bearer ${token}`);
      expect(again.status).to.equal(400);
    } finally {
      await s.t.container.knex('productos').where({ id: s.escenario.productoId }).update({ perfil_mikrotik_nombre: 'plan-1h' });
      await s.t.container.authGeneration.bump();
    }
  });

  it('Redis flushed with jobs in flight: reconciliation brings every paid transaction to an active user', async () => {
    await s.stopWorker();
    // Three paid sales and one charge whose outcome we never learned, at once: with no worker, each
    // request waits its PROVISIONING_WAIT_MS for a user that never comes, so one after another they took 4 s each.
    const [unknown, ...paid] = await Promise.all([
      pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('timeout')), 'flush-redis-unknown'),
      ...[0, 1, 2].map((i) => pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), `flush-redis-${i}-000`)),
    ]);
    const ids: string[] = [];
    for (const res of paid) {
      expect(res.body.estado_pago).to.equal('paid');
      ids.push(res.body.transaccion_id);
    }
    expect(unknown!.body.estado_pago).to.equal('unknown');
    await clearScopeRedis(); // Redis lost everything of this app
    await s.startWorker();
    await new Promise((r) => setTimeout(r, 300)); // older than JOB_STALE_AFTER_MS
    const counts = await s.t.container.reconciler.run();
    expect(counts.provision).to.equal(3);
    expect(counts.confirm).to.be.at.least(1);
    for (const id of [...ids, unknown!.body.transaccion_id]) {
      await eventually(async () => (await row(id)).estado_hotspot === 'active', 15_000, `active ${id}`);
      expect(s.sim.state.userList.filter((u) => u.comment === id)).to.have.length(1);
    }
  });

  it('a worker killed (SIGKILL) in the middle of a job: the job is picked up again and completes once', async () => {
    await s.stopWorker();
    const env = { ...process.env, ...TEST_ENV, ...s.env, DATABASE_URL: s.t.config.database.url, REDIS_URL: s.t.config.redis.url, LOG_LEVEL: 'silent' };
    // node itself runs the worker (not the tsx CLI, whose child would survive a SIGKILL of the parent).
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workers/index.ts')], { cwd: ROOT, env, stdio: 'ignore' });
    try {
      // Slow router: the job will be mid-command when the worker dies.
      await s.sim.faults.set({ replyDelayMs: 1200 });
      const res = await pay('pagar-conekta', conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')), 'sigkill-worker-01');
      expect(res.body.estado_pago).to.equal('paid');
      await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'provisioning', 10_000, 'job started in the child worker');
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await s.sim.faults.clear();
      await s.startWorker();
      await eventually(async () => (await row(res.body.transaccion_id)).estado_hotspot === 'active', 20_000, 'completed by another worker');
      expect(s.sim.state.userList.filter((u) => u.comment === res.body.transaccion_id)).to.have.length(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

});
