/**
 * Conekta webhooks that set themselves up (issue 23, item 3), against the
 * Conekta sandbox over HTTP: saving a company's keys registers our URL
 * (`POST /webhooks`) and a webhook key (`POST /webhook_keys`), keeps the public
 * key and replaces both when the keys change; a hand-typed PEM stays manual; a
 * refusal leaves the keys saved and says why in Spanish; the platform's shared
 * key is registered once, at one URL that finds the company from the order.
 * The sandbox then delivers a paid OXXO reference to the registered URL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { pasarelaOf, setPasarela } from '../support/fixtures';
import { loginAs } from '../support/harness';
import { startStack, type Stack, type Escenario } from '../support/stack';
import type { SimRequest } from '../../sim/conekta/kit';

const PLATFORM_PRIVATE = 'key_platform_private_webhooks';

describe('Conekta webhooks set up when a company saves its keys (sandbox over HTTP)', function () {
  this.timeout(60_000);
  let s: Stack;
  let server: http.Server;
  let handler: http.RequestListener = (_req, res) => { res.statusCode = 503; res.end(); };
  let base: string;

  before(async () => {
    // The API on a real port, so the sandbox can deliver to the URL it registered.
    server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    s = await startStack({ env: { PUBLIC_BASE_URL: base, CONEKTA_DEFAULT_PRIVATE_KEY: PLATFORM_PRIVATE, CONEKTA_DEFAULT_PUBLIC_KEY: 'key_platform_public' } });
    handler = s.t.app.callback();
  });
  after(async () => {
    await s.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const tokenOf = async (escenario: Escenario) => loginAs(s.t, escenario.admin.email, escenario.admin.password);
  const configure = async (escenario: Escenario, body: Record<string, unknown>) =>
    s.t.request.post('/api/v1/admin/mi-empresa/configurar-conekta').set('Authorization', `Bearer ${await tokenOf(escenario)}`).send(body);
  const hooksOf = (key: string) => s.conekta.state.webhooks.filter((w) => w.owner === key);
  const activeKeysOf = (key: string) => s.conekta.state.webhookKeys.filter((k) => k.owner === key && k.active);

  it('saving own keys registers the company\'s URL and a webhook key, keeps its public key, says so in Spanish; a paid OXXO reference arrives by webhook', async () => {
    const escenario = await s.addEscenario(s.sim);
    const res = await configure(escenario, { private_key: 'key_company_alpha_private', public_key: 'key_company_alpha_public' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const url = `${base}/api/v1/webhook/conekta/${escenario.empresaId}`;
    expect(hooksOf('key_company_alpha_private').map((w) => w.url)).to.deep.equal([url]);
    expect(hooksOf('key_company_alpha_private')[0]!.subscribed_events).to.include('order.paid');
    const keys = activeKeysOf('key_company_alpha_private');
    expect(keys).to.have.length(1);
    const row = (await pasarelaOf(s.t.container.knex, escenario.empresaId, 'conekta'))!;
    expect(row.webhook_llave).to.equal(keys[0]!.public_key);
    expect(row).to.include({ webhook_estado: 'automatico', webhook_llave_id: keys[0]!.id });
    expect(res.body).to.include({ webhook_estado: 'automatico', webhook_aviso: null, webhook_public_key_configurada: true, webhook_url: url });
    expect(res.body.webhook_estado_texto).to.match(/^Webhooks configurados automáticamente/);
    expect(JSON.stringify(res.body)).not.to.include('key_company_alpha_private');
    // Saving again with the same keys registers nothing new.
    await configure(escenario, { public_key: 'key_company_alpha_public' });
    expect(hooksOf('key_company_alpha_private')).to.have.length(1);
    expect(s.conekta.state.webhookKeys.filter((k) => k.owner === 'key_company_alpha_private')).to.have.length(1);

    // A cash reference paid at the store: the sandbox delivers order.paid, signed, to the registered URL.
    const cash = await s.t.request.post('/api/v1/payments/pagar-efectivo').set('X-API-Key', escenario.apiKey).set('Idempotency-Key', 'webhook-auto-cash-01')
      .send({ producto_id: escenario.productoId, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678', pasarela: 'conekta', metodo: 'oxxo' });
    expect(cash.status, JSON.stringify(cash.body)).to.equal(200);
    const paid = await fetch(`${s.conekta.url}/sandbox/cash/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: cash.body.referencia }) });
    expect(paid.status).to.equal(200);
    expect(((await paid.json()) as { webhook?: { status: number } }).webhook?.status).to.equal(200);
    const trx = await s.t.container.knex('transacciones').where({ id: cash.body.transaccion_id }).first();
    expect(trx.estado_pago).to.equal('paid');
    const received = await s.t.container.knex('webhook_eventos').where({ empresa_id: escenario.empresaId, gateway: 'conekta', firma_valida: true });
    expect(received).to.have.length(1);
  });

  it('new keys replace the registration (the old one removed with the old key); a hand-typed PEM stays manual; a refusal keeps the keys and says why', async () => {
    const escenario = await s.addEscenario(s.sim);
    await configure(escenario, { private_key: 'key_company_beta_one', public_key: 'key_company_beta_pub' });
    const first = activeKeysOf('key_company_beta_one');
    expect(first).to.have.length(1);
    const res = await configure(escenario, { private_key: 'key_company_beta_two' });
    expect(res.body.webhook_estado).to.equal('automatico');
    expect(hooksOf('key_company_beta_one')).to.deep.equal([]);
    expect(activeKeysOf('key_company_beta_one')).to.deep.equal([]);
    expect(hooksOf('key_company_beta_two')).to.have.length(1);
    const row = (await pasarelaOf(s.t.container.knex, escenario.empresaId, 'conekta'))!;
    expect(row.webhook_llave).to.equal(activeKeysOf('key_company_beta_two')[0]!.public_key);

    // By hand: kept as typed, nothing registered.
    const manualKey = s.conekta.createWebhookKey('hecha-a-mano');
    const before = s.conekta.state.requestsTo('POST', '/webhooks').length;
    const manual = await configure(escenario, { webhook_public_key: manualKey.public_key });
    expect(manual.body).to.include({ webhook_estado: 'manual' });
    expect(manual.body.webhook_estado_texto).to.match(/a mano/);
    expect(s.conekta.state.requestsTo('POST', '/webhooks')).to.have.length(before);

    // Conekta refuses (the sandbox down for this call): keys saved, the state says why in Spanish.
    s.conekta.faults.add({ method: 'POST', path: '/webhook_keys', status: 503, times: Infinity });
    try {
      const refused = await configure(escenario, { private_key: 'key_company_beta_three' });
      expect(refused.status).to.equal(200);
      expect(refused.body.webhook_estado).to.equal('error');
      expect(refused.body.webhook_estado_texto).to.match(/^No se pudo registrar el webhook en Conekta: Conekta rechazó la solicitud al crear la llave de webhooks \(HTTP 503\)/);
      expect(refused.body.webhook_aviso).to.equal(refused.body.webhook_estado_texto);
      expect(JSON.stringify(refused.body)).not.to.include('key_company_beta_three');
    } finally {
      s.conekta.faults.clear();
    }
    const saved = (await pasarelaOf(s.t.container.knex, escenario.empresaId, 'conekta'))!;
    expect(s.t.container.secrets.open(saved.secreto_enc)).to.equal('key_company_beta_three');
    // Saving again retries.
    const retried = await configure(escenario, { public_key: 'key_company_beta_pub' });
    expect(retried.body.webhook_estado).to.equal('automatico');
  });

  it('the platform key is registered once, at one URL that finds the company from the order', async () => {
    const a = await s.addEscenario(s.sim);
    const b = await s.addEscenario(s.sim);
    for (const escenario of [a, b]) {
      await setPasarela(s.t.container.knex, escenario.empresaId, 'conekta', { secreto_enc: null, llave_publica: null });
      const res = await configure(escenario, { mode: 'test' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.webhook_estado).to.equal('plataforma');
    }
    const platformUrl = `${base}/api/v1/webhook/conekta`;
    expect(hooksOf(PLATFORM_PRIVATE).map((w) => w.url)).to.deep.equal([platformUrl]);
    expect(activeKeysOf(PLATFORM_PRIVATE)).to.have.length(1);

    // b's OXXO reference, charged on the platform key, paid at the store: delivered to the one URL, found by its order.
    const cash = await s.t.request.post('/api/v1/payments/pagar-efectivo').set('X-API-Key', b.apiKey).set('Idempotency-Key', 'webhook-platform-cash')
      .send({ producto_id: b.productoId, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678', pasarela: 'conekta', metodo: 'oxxo' });
    expect(cash.status, JSON.stringify(cash.body)).to.equal(200);
    const paid = await fetch(`${s.conekta.url}/sandbox/cash/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: cash.body.referencia }) });
    expect(((await paid.json()) as { webhook?: { status: number } }).webhook?.status).to.equal(200);
    expect((await s.t.container.knex('transacciones').where({ id: cash.body.transaccion_id }).first()).estado_pago).to.equal('paid');
    expect(await s.t.container.knex('webhook_eventos').where({ empresa_id: b.empresaId, firma_valida: true })).to.have.length(1);

    // A forged delivery to that URL is refused; one about an order that is not ours is ignored.
    const order = s.conekta.state.ordersFor(cash.body.transaccion_id)[0]!;
    const forged = await s.conekta.sendWebhook(platformUrl, { type: 'order.paid', orderId: order.id }, { forge: true });
    expect(forged.status).to.equal(401);
    const foreign = await s.conekta.sendWebhook(platformUrl, { type: 'order.paid', data: { object: { id: 'ord_not_ours', metadata: {} } } });
    expect(foreign.status).to.equal(200);
    expect(JSON.parse(foreign.body).resultado).to.equal('ignorado');
  });

  it('of two concurrent saves with different keys, the saved key\'s registration stands: the other\'s webhook key goes, and its failure hides nothing', async () => {
    const escenario = await s.addEscenario(s.sim);
    const privateKeyOf = (req: SimRequest) => Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').replace(/:$/, '');
    for (const outcome of ['registers', 'fails'] as const) {
      const first = `key_company_gamma_${outcome}_one`;
      const second = `key_company_gamma_${outcome}_two`;
      // The first save's registration is held at Conekta (its keys already saved) until the second save is done.
      let arrived!: () => void;
      const reached = new Promise<void>((resolve) => { arrived = resolve; });
      let open!: () => void;
      const gate = new Promise<void>((resolve) => { open = resolve; });
      s.conekta.faults.add({
        method: 'POST', path: '/webhook_keys', until: gate, ...(outcome === 'fails' ? { status: 503 } : {}),
        match: (req) => { const held = privateKeyOf(req) === first; if (held) arrived(); return held; },
      });
      const slow = configure(escenario, { private_key: first });
      await reached;
      const fast = await configure(escenario, { private_key: second });
      expect(fast.body.webhook_estado, outcome).to.equal('automatico');
      open();
      const late = await slow;
      expect(late.status, outcome).to.equal(200);
      // The first request answers what is stored now: the second key, registered.
      expect(late.body.webhook_estado, outcome).to.equal('automatico');

      const row = (await pasarelaOf(s.t.container.knex, escenario.empresaId, 'conekta'))!;
      expect(s.t.container.secrets.open(row.secreto_enc), outcome).to.equal(second);
      const secondKeys = activeKeysOf(second);
      expect(secondKeys, outcome).to.have.length(1);
      expect(row, outcome).to.include({ webhook_estado: 'automatico', webhook_llave: secondKeys[0]!.public_key, webhook_llave_id: secondKeys[0]!.id, webhook_error: null });
      // The first key's webhook key was made and removed again (registers), or never made (fails).
      expect(activeKeysOf(first), outcome).to.deep.equal([]);
      expect(s.conekta.state.webhookKeys.filter((k) => k.owner === first), outcome).to.have.length(outcome === 'registers' ? 1 : 0);
    }
  });
});
