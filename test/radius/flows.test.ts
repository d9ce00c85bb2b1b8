/**
 * RADIUS mode end to end (issue 22 item 4): the app, a worker with its
 * schedules, a real FreeRADIUS on this file's tables and a RADIUS client that
 * speaks from each router's address (127.0.0.x). Sales and vouchers of a
 * RADIUS-mode router become users for FreeRADIUS (no router is dialled),
 * accounting marks vouchers used and feeds the online sessions, and ending or
 * disabling a sale or voucher refuses its next login.
 */
import { expect } from 'chai';
import { conektaBody, eventually, startStack, type Stack } from '../support/stack';
import { startRadius, type RadiusServer } from '../support/radius';
import { insertApiKey, insertEmpresa, insertRouter } from '../support/fixtures';
import { loginAs } from '../support/harness';

describe('RADIUS mode: sales, vouchers and accounting through a real FreeRADIUS', function () {
  this.timeout(60_000);
  let s: Stack;
  let radius: RadiusServer;
  let token: string;
  let a: RadiusRouter;

  interface RadiusRouter { routerId: string; empresaId: string; address: string; secret: string; apiKey: string; productoId: number }
  let octet = 40;

  /** A RADIUS-mode router of a company (no API host, user or password) known to FreeRADIUS at its own address, with a 1 h product. */
  async function radiusRouter(empresaId: string, producto: Record<string, unknown> = {}): Promise<RadiusRouter> {
    const router = await insertRouter(s.t.container, empresaId, { modo: 'radius', host: null, usuario: null, password_enc: null });
    const address = `127.0.0.${octet++}`;
    const secret = `secreto-${router.id}-0123456789`;
    await radius.addClient({ routerId: router.id, address, secret });
    const { apiKey } = await insertApiKey(s.t.container, router.id, empresaId);
    const [p] = await s.t.container.knex('productos').insert({
      empresa_id: empresaId, router_id: router.id, perfil_mikrotik_nombre: 'vip', nombre_venta: '1 hora', precio: '20.00', moneda: 'MXN',
      limit_uptime: '1h', vigencia_minutos: 120, limite_velocidad: '2M/10M', dispositivos: 1, ...producto,
    }).returning('id');
    return { routerId: router.id, empresaId, address, secret, apiKey, productoId: p.id };
  }

  const auth = (r: RadiusRouter, user: string, password: string, chap = false) =>
    radius.auth({ from: r.address, secret: r.secret, user, password, chap });
  const buy = async (r: RadiusRouter, key: string, extra: Record<string, unknown> = {}) => {
    const res = await s.t.request.post('/api/v1/payments/pagar-conekta').set('Authorization', `Bearer ${r.apiKey}`).set('Idempotency-Key', key)
      .send(conektaBody(r.productoId, s.conekta.token('visa_4242'), extra));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { transaccion_id: string; estado_hotspot: string; usuario_hotspot: { usuario: string; contrasena: string } };
  };
  const admin = (method: 'get' | 'post', path: string) => s.t.request[method](path).set('Authorization', `Bearer ${token}`);

  before(async () => {
    s = await startStack({
      schedules: true,
      env: { JOB_RADIUS_ACCOUNTING_EVERY_MS: '300', JOB_HOTSPOT_EXPIRY_EVERY_MS: '300', RADIUS_INTERIM_SECONDS: '30' },
    });
    radius = await startRadius();
    token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
    a = await radiusRouter(s.escenario.empresaId);
  });
  after(async () => {
    await radius?.close();
    await s?.close();
  });

  it('a paid sale is active in the purchase answer, written for FreeRADIUS, and no router is dialled', async () => {
    const connections = s.sim.state.counters.connectionsAccepted;
    const sale = await buy(a, 'radius-sale-0001');
    expect(sale.estado_hotspot).to.equal('active');
    const row = await s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).first();
    expect(row).to.include({ estado_pago: 'paid', estado_hotspot: 'active', limite_velocidad: '2M/10M', dispositivos: 1, vigencia_desde: 'activacion' });
    expect(row.hotspot_expira_en).to.be.instanceOf(Date);
    expect(s.sim.state.counters.connectionsAccepted).to.equal(connections);
    expect(await s.t.container.jobs.queues.hotspot.getJob(`provision-user-${sale.transaccion_id}`)).to.equal(undefined);

    for (const chap of [false, true]) {
      const reply = await auth(a, sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena, chap);
      expect(reply?.code, `chap=${chap}`).to.equal('Access-Accept');
      const timeout = Number(reply!.get('Session-Timeout'));
      expect(timeout).to.be.greaterThan(3500).and.at.most(3600); // the 1 h uptime limit is what is left
      expect(reply!.get('Acct-Interim-Interval')).to.equal(30);
      expect(reply!.get('Mikrotik-Rate-Limit')).to.equal('2M/10M');
      expect(reply!.get('Mikrotik-Group')).to.equal('vip');
    }
    const wrong = await auth(a, sale.usuario_hotspot.usuario, 'no-es-la-clave', true);
    expect(wrong?.code).to.equal('Access-Reject');
  });

  it('Session-Timeout is never longer than what is left of the validity', async () => {
    const short = await radiusRouter(s.escenario.empresaId, { limit_uptime: null, vigencia_minutos: 10 });
    const sale = await buy(short, 'radius-sale-short-01');
    const reply = await auth(short, sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena);
    expect(reply?.code).to.equal('Access-Accept');
    expect(Number(reply!.get('Session-Timeout'))).to.be.greaterThan(500).and.at.most(600);
    expect(reply!.get('Mikrotik-Rate-Limit')).to.equal('2M/10M');
  });

  it("one router's users are refused on any other router, of the same company or another", async () => {
    const sale = await buy(a, 'radius-sale-cross-01');
    const sameCompany = await radiusRouter(s.escenario.empresaId);
    const other = await radiusRouter((await insertEmpresa(s.t.container)).id);
    expect((await auth(a, sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena, true))?.code).to.equal('Access-Accept');
    for (const r of [sameCompany, other]) {
      expect((await auth(r, sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena, true))?.code).to.equal('Access-Reject');
    }
  });

  it('a refunded sale, a blocked one and an expired one are refused at the next login', async () => {
    const refunded = await buy(a, 'radius-sale-refund-1');
    const blocked = await buy(a, 'radius-sale-block-01');
    const expired = await buy(a, 'radius-sale-expire-1');
    for (const sale of [refunded, blocked, expired]) {
      expect((await auth(a, sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena))?.code).to.equal('Access-Accept');
    }
    const refund = await admin('post', `/api/v1/admin/mi-empresa/transacciones/${refunded.transaccion_id}/reembolso`).send({});
    expect(refund.status, JSON.stringify(refund.body)).to.equal(200);
    const block = await admin('post', `/api/v1/admin/mi-empresa/transacciones/${blocked.transaccion_id}/bloquear`).send();
    expect(block.status, JSON.stringify(block.body)).to.equal(200);
    expect(block.body.estado_hotspot).to.equal('disabled');
    // Its validity ended: the expiry sweep (a scheduled job) ends it and its rows go.
    await s.t.container.knex('transacciones').where({ id: expired.transaccion_id }).update({ hotspot_expira_en: new Date(Date.now() - 1000) });

    await eventually(async () => (await s.t.container.knex('transacciones').where({ id: refunded.transaccion_id }).first()).estado_hotspot === 'disabled', 10_000, 'refund disables');
    await eventually(async () => (await s.t.container.knex('transacciones').where({ id: expired.transaccion_id }).first()).estado_hotspot === 'expired', 10_000, 'expiry');
    for (const sale of [refunded, blocked, expired]) {
      expect((await auth(a, sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena, true))?.code, sale.transaccion_id).to.equal('Access-Reject');
    }
    expect(await radius.db.withSchema(radius.schema).table('radcheck').where({ username: `${a.routerId}:${expired.usuario_hotspot.usuario}` })).to.have.length(0);
  });

  it('the validity end written as Expiration is enforced by FreeRADIUS itself', async () => {
    const plan = { productoId: a.productoId, perfil: '', limitUptime: null, vigenciaMinutos: null, limiteVelocidad: null, dispositivos: 1, vigenciaDesde: 'activacion' as const };
    await s.t.container.radius.writeUser({ routerId: a.routerId, user: 'vigente', password: 'clave-exp', plan, expiresAt: new Date(Date.now() + 3600_000) });
    expect((await auth(a, 'vigente', 'clave-exp'))?.code).to.equal('Access-Accept');
    // The same rows with an end already past (no waiting: FreeRADIUS compares Expiration with its own clock).
    await s.t.container.radius.writeUser({ routerId: a.routerId, user: 'vencida', password: 'clave-exp', plan, expiresAt: new Date(Date.now() - 60_000) });
    expect((await auth(a, 'vencida', 'clave-exp'))?.code).to.equal('Access-Reject');
  });

  it('primer_uso: validity counts from the first login (Expire-After), and accounting records when that was', async () => {
    const firstUse = await radiusRouter(s.escenario.empresaId, { limit_uptime: null, vigencia_minutos: 60, vigencia_desde: 'primer_uso' });
    const sale = await buy(firstUse, 'radius-sale-primer-1');
    const before = await s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).first();
    expect(before).to.include({ vigencia_desde: 'primer_uso', primer_uso_en: null, hotspot_expira_en: null });
    const reply = await auth(firstUse, sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena, true);
    expect(reply?.code).to.equal('Access-Accept');
    expect(Number(reply!.get('Session-Timeout'))).to.be.at.most(3600);
    const rows = await s.t.container.knex.withSchema(radius.schema).table('radcheck')
      .where({ username: `${firstUse.routerId}:${sale.usuario_hotspot.usuario}`, attribute: 'Expire-After' });
    expect(rows.map((r: { value: string }) => r.value)).to.deep.equal(['3600']);

    await radius.acct({ from: firstUse.address, secret: firstUse.secret, status: 'Start', user: sale.usuario_hotspot.usuario, sessionId: 'primer-sess-1' });
    const after = await eventually(async () => {
      const row = await s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).first();
      return row.primer_uso_en ? row : null;
    }, 10_000, 'first login recorded');
    expect(new Date(after.hotspot_expira_en).getTime() - new Date(after.primer_uso_en).getTime()).to.equal(3600_000);
    await radius.acct({ from: firstUse.address, secret: firstUse.secret, status: 'Stop', user: sale.usuario_hotspot.usuario, sessionId: 'primer-sess-1' });
  });

  it('a voucher batch is usable at once; the first Accounting-Start marks it used; a voided one is refused', async () => {
    const res = await admin('post', '/api/v1/admin/fichas/lotes').send({ producto_id: a.productoId, cantidad: 3, tipo_usuario: 'usuario_contrasena' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.por_estado).to.include({ disponible: 3, pendiente: 0 });
    const [f1, f2] = res.body.fichas as Array<{ codigo: string; contrasena: string; estado: string }>;
    expect(res.body.fichas.map((f: { estado: string }) => f.estado)).to.deep.equal(['disponible', 'disponible', 'disponible']);

    const reply = await auth(a, f1!.codigo, f1!.contrasena, true);
    expect(reply?.code).to.equal('Access-Accept');
    expect(reply!.get('Mikrotik-Rate-Limit')).to.equal('2M/10M');
    await radius.acct({ from: a.address, secret: a.secret, status: 'Start', user: f1!.codigo, sessionId: 'ficha-sess-1' });
    // Within 10 s (the bound), by the accounting job.
    await eventually(async () => (await s.t.container.knex('fichas').where({ codigo: f1!.codigo }).first()).estado === 'usada', 10_000, 'voucher used');

    const voided = await admin('post', `/api/v1/admin/fichas/${f2!.codigo}/anular`).send();
    expect(voided.status, JSON.stringify(voided.body)).to.equal(200);
    expect((await auth(a, f2!.codigo, f2!.contrasena, true))?.code).to.equal('Access-Reject');
    await radius.acct({ from: a.address, secret: a.secret, status: 'Stop', user: f1!.codigo, sessionId: 'ficha-sess-1', attributes: { 'Acct-Session-Time': 60 } });
  });

  it('activos lists open sessions from accounting within 5 s of a Start and drops them at Stop; desconectar is a 409 with no effect', async () => {
    const sale = await buy(a, 'radius-sale-activos1');
    const session = { from: a.address, secret: a.secret, user: sale.usuario_hotspot.usuario, sessionId: 'activos-sess-1' };
    await radius.acct({ ...session, status: 'Start', attributes: { 'Calling-Station-Id': 'AA:BB:CC:DD:EE:01', 'Framed-IP-Address': '10.5.50.23' } });
    const listed = await eventually(async () => {
      const res = await admin('get', `/api/v1/admin/routers/${a.routerId}/activos`);
      return res.status === 200 && (res.body as Array<{ user: string }>).find((x) => x.user === sale.usuario_hotspot.usuario);
    }, 5000, 'session listed') as Record<string, unknown>;
    expect(listed).to.include({ user: sale.usuario_hotspot.usuario, mac_address: 'AA:BB:CC:DD:EE:01', address: '10.5.50.23', login_by: 'radius' });

    const kick = await admin('post', `/api/v1/admin/routers/${a.routerId}/activos/${encodeURIComponent(String(listed.id))}/desconectar`).send();
    expect(kick.status).to.equal(409);
    expect(kick.body.code).to.equal('modo_radius');
    expect(kick.body.detail).to.match(/modo RADIUS.*termina cuando se acaba su tiempo/);
    const still = await admin('get', `/api/v1/admin/routers/${a.routerId}/activos`);
    expect(still.body.map((x: { user: string }) => x.user)).to.include(sale.usuario_hotspot.usuario);

    await radius.acct({ ...session, status: 'Interim-Update', attributes: { 'Acct-Session-Time': 600, 'Acct-Input-Octets': 1000, 'Acct-Output-Octets': 5000 } });
    const info = await s.t.request.post('/api/v1/hotspot/user/profile-info').set('Authorization', `Bearer ${a.apiKey}`)
      .send({ username: sale.usuario_hotspot.usuario, password: sale.usuario_hotspot.contrasena });
    expect(info.status).to.equal(200);
    expect(info.body).to.include({ success: true, estado: 'ok', tiempo_usado_segundos: 600, tiempo_restante_segundos: 3000, conectado: true });

    await radius.acct({ ...session, status: 'Stop', attributes: { 'Acct-Session-Time': 700 } });
    const after = await admin('get', `/api/v1/admin/routers/${a.routerId}/activos`);
    expect(after.body.map((x: { user: string }) => x.user)).not.to.include(sale.usuario_hotspot.usuario);
  });

  it('sessions a rebooted router left open are closed after three silent intervals, so the user can log in again', async () => {
    const sale = await buy(a, 'radius-sale-reboot-1');
    const creds = [sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena] as const;
    await radius.acct({ from: a.address, secret: a.secret, status: 'Start', user: creds[0], sessionId: 'reboot-sess-1' });
    // One device (Simultaneous-Use 1) with an open session: a second login is refused.
    expect((await auth(a, ...creds))?.code).to.equal('Access-Reject');
    // The router rebooted long ago and never sent Stop: its last word is older than 3 × 30 s.
    const username = `${a.routerId}:${creds[0]}`;
    await radius.db.withSchema(radius.schema).table('radacct').where({ username })
      .update({ acctstarttime: new Date(Date.now() - 95_000), acctupdatetime: new Date(Date.now() - 95_000) });
    await eventually(async () => (await radius.db.withSchema(radius.schema).table('radacct').where({ username }).first()).acctstoptime, 10_000, 'stale session closed');
    expect((await auth(a, ...creds))?.code).to.equal('Access-Accept');
    const activos = await admin('get', `/api/v1/admin/routers/${a.routerId}/activos`);
    expect(activos.body.map((x: { user: string }) => x.user)).not.to.include(creds[0]);
  });

  it('a session still reporting is never closed by the sweep', async () => {
    const sale = await buy(a, 'radius-sale-alive-01');
    await radius.acct({ from: a.address, secret: a.secret, status: 'Start', user: sale.usuario_hotspot.usuario, sessionId: 'alive-sess-1' });
    const username = `${a.routerId}:${sale.usuario_hotspot.usuario}`;
    // Last word 80 s ago: less than three 30 s intervals.
    await radius.db.withSchema(radius.schema).table('radacct').where({ username }).update({ acctupdatetime: new Date(Date.now() - 80_000) });
    await s.t.container.radius.closeStaleSessions();
    expect((await radius.db.withSchema(radius.schema).table('radacct').where({ username }).first()).acctstoptime).to.equal(null);
  });

  it('a product of a RADIUS-mode router needs no profile and never dials the router', async () => {
    const res = await admin('post', '/api/v1/admin/products').send({ router_id: a.routerId, nombre_venta: 'Sin perfil', precio: '10.00', limite_velocidad: '1M/5M' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ perfil_mikrotik_nombre: '', perfil_verificado: false, limite_velocidad: '1M/5M' });
    expect(res.body.verificacion.mensaje).to.match(/modo RADIUS/);
    const sale = await buy({ ...a, productoId: res.body.id }, 'radius-sale-noprof-1');
    const reply = await auth(a, sale.usuario_hotspot.usuario, sale.usuario_hotspot.contrasena, true);
    expect(reply?.code).to.equal('Access-Accept');
    expect(reply!.get('Mikrotik-Group')).to.equal(undefined);
    expect(reply!.get('Mikrotik-Rate-Limit')).to.equal('1M/5M');
  });

  it('no clear password ever lands in radpostauth', async () => {
    const rows = await radius.db.withSchema(radius.schema).table('radpostauth').select('*') as Array<Record<string, unknown>>;
    expect(rows.length).to.be.greaterThan(5);
    const sales = await s.t.container.knex('transacciones').select('hotspot_password_enc');
    const passwords = sales.map((r: { hotspot_password_enc: string }) => s.t.container.secrets.open(r.hotspot_password_enc)!);
    const dump = JSON.stringify(rows);
    for (const password of passwords) expect(dump).not.to.contain(password);
    for (const row of rows) expect(row.pass).to.equal(null);
  });
});
