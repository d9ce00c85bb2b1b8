/** The company's time zone (mi-empresa) and the dashboard's periods and daily revenue counted in it (issue 16). */
import { expect } from 'chai';
import { createVentasStatsStore } from '../../src/features/dashboard';
import { createSalesStatsStore } from '../../src/features/transacciones';
import { startTestApp, type TestContext } from '../support/harness';
import { as, insertTransaccion, escenarioWithSession } from '../support/cliente';

describe('cliente admin: time zone and dashboard periods', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  it('zona_horaria defaults to America/Mexico_City, is saved canonical, and refuses what is not an IANA zone (422, Spanish)', async () => {
    const a = await escenarioWithSession(t);
    const got = await t.request.get('/api/v1/admin/mi-empresa').set(as(a.token));
    expect(got.status).to.equal(200);
    expect(got.body.zona_horaria).to.equal('America/Mexico_City');

    const put = await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send({ zona_horaria: 'america/bogota' });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body.zona_horaria).to.equal('America/Bogota');
    expect((await t.request.get('/api/v1/admin/mi-empresa').set(as(a.token))).body.zona_horaria).to.equal('America/Bogota');

    for (const bad of ['Marte/Olympus_Mons', '+05:00', 'EST5EDT,M3.2.0,M11.1.0', 'x'.repeat(65), '', 'America/Mexico City']) {
      const res = await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send({ zona_horaria: bad });
      expect(res.status, bad).to.equal(422);
      expect(res.body.detail, bad).to.be.a('string').and.match(/zona_horaria|zona horaria/);
    }
    for (const bad of [42, null]) {
      const res = await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send({ zona_horaria: bad });
      expect(res.status, String(bad)).to.equal(422);
    }
    expect((await t.request.get('/api/v1/admin/mi-empresa').set(as(a.token))).body.zona_horaria).to.equal('America/Bogota');
  });

  it('periods and daily revenue are counted in the company\'s zone: a sale at 23:30 local is "today" there, not in UTC', async () => {
    const a = await escenarioWithSession(t);
    const other = await escenarioWithSession(t);
    const base = { empresa_id: a.empresa.id, router_id: a.router.id };
    // Tuesday 2026-11-17 12:00 in Mexico City (UTC-6) = 18:00Z.
    const now = new Date('2026-11-17T18:00:00Z');
    await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '20.00', creado_en: new Date('2026-11-17T06:30:00Z') }); // today 00:30 local
    await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '15.50', creado_en: new Date('2026-11-17T05:30:00Z') }); // Monday 23:30 local
    await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '5.00', moneda: 'USD', creado_en: new Date('2026-11-16T07:00:00Z') }); // Monday
    await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '30.00', creado_en: new Date('2026-11-10T18:00:00Z') }); // last week
    await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '99.00', creado_en: new Date('2026-11-01T05:59:00Z') }); // Oct 31 23:59 local
    await insertTransaccion(t.container, { ...base, estado_pago: 'declined', monto: '20.00', creado_en: new Date('2026-11-17T17:00:00Z') });
    await insertTransaccion(t.container, { ...base, estado_pago: 'paid', estado_hotspot: 'failed', monto: '10.00', creado_en: new Date('2026-11-17T17:30:00Z') });
    await insertTransaccion(t.container, { ...base, estado_pago: 'refunded', monto: '50.00', creado_en: new Date('2026-11-17T17:40:00Z') });
    await insertTransaccion(t.container, { ...base, estado_pago: 'paid', monto: '1.00', creado_en: new Date('2026-11-17T19:00:00Z') }); // after "now"
    await insertTransaccion(t.container, { empresa_id: other.empresa.id, router_id: other.router.id, estado_pago: 'paid', monto: '70.00', creado_en: new Date('2026-11-17T17:00:00Z') });
    // Cash: an OXXO reference paid today, and two printed vouchers (one used today, one yesterday; an unused one counts nothing).
    await insertTransaccion(t.container, {
      ...base, estado_pago: 'paid', monto: '40.00', metodo_pago: 'oxxo', referencia_expira_en: new Date('2026-11-20T00:00:00Z'), creado_en: new Date('2026-11-17T16:00:00Z'),
    });
    const [producto] = await t.container.knex('productos').insert({
      empresa_id: a.empresa.id, router_id: a.router.id, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Ficha 1 hora', precio: '12.50',
    }).returning('id');
    const loteId = 'LOT_0A0A0A0A0A';
    await t.container.knex('fichas_lotes').insert({
      id: loteId, empresa_id: a.empresa.id, router_id: a.router.id, producto_id: producto.id, producto_nombre: 'Ficha 1 hora',
      perfil_mikrotik_nombre: '1hora', precio: '12.50', moneda: 'MXN', tipo_usuario: 'pin', cantidad: 3,
    });
    await t.container.knex('fichas').insert([
      { lote_id: loteId, empresa_id: a.empresa.id, router_id: a.router.id, codigo: 'HOY11111', estado: 'usada', usada_en: new Date('2026-11-17T15:00:00Z') },
      { lote_id: loteId, empresa_id: a.empresa.id, router_id: a.router.id, codigo: 'AYER2222', estado: 'usada', usada_en: new Date('2026-11-16T15:00:00Z') },
      { lote_id: loteId, empresa_id: a.empresa.id, router_id: a.router.id, codigo: 'NUEV3333', estado: 'disponible' },
    ]);

    const stats = createVentasStatsStore(t.container.knex, createSalesStatsStore(t.container.knex));
    const mx = await stats.periodos(a.empresa.id, 'America/Mexico_City', now);
    expect(mx.periodos.hoy).to.deep.equal({
      desde: '2026-11-17T06:00:00.000Z', ingresos_tarjeta: { MXN: '30.00' }, ingresos_efectivo: { MXN: '52.50' }, ingresos_spei: {}, ventas: 3, declinadas: 1,
      aprovisionamientos_fallidos: 1, fichas_usadas: 1,
    });
    expect(mx.periodos.semana).to.deep.include({ desde: '2026-11-16T06:00:00.000Z', ingresos_tarjeta: { MXN: '45.50', USD: '5.00' }, ingresos_efectivo: { MXN: '65.00' }, ventas: 5, fichas_usadas: 2 });
    expect(mx.periodos.mes).to.deep.include({ desde: '2026-11-01T06:00:00.000Z', ingresos_tarjeta: { MXN: '75.50', USD: '5.00' }, ventas: 6, declinadas: 1 });
    expect(mx.ingresos_diarios).to.have.length(30);
    expect(mx.ingresos_diarios[0]!.fecha).to.equal('2026-10-19');
    expect(mx.ingresos_diarios[29]).to.deep.equal({ fecha: '2026-11-17', total: { MXN: '82.50' }, ventas: 3 }); // 30 card + 40 OXXO + 12.50 voucher
    expect(mx.ingresos_diarios[28]).to.deep.equal({ fecha: '2026-11-16', total: { MXN: '28.00', USD: '5.00' }, ventas: 2 });
    expect(mx.ingresos_diarios.find((d) => d.fecha === '2026-10-31')).to.deep.equal({ fecha: '2026-10-31', total: { MXN: '99.00' }, ventas: 1 });
    expect(mx.ingresos_diarios.find((d) => d.fecha === '2026-11-02')).to.deep.equal({ fecha: '2026-11-02', total: {}, ventas: 0 });

    // In UTC the 23:30 sale is Tuesday's and the Oct 31 one is November's.
    const utc = await stats.periodos(a.empresa.id, 'UTC', now);
    expect(utc.periodos.hoy.ingresos_tarjeta).to.deep.equal({ MXN: '45.50' });
    expect(utc.periodos.hoy.ingresos_efectivo).to.deep.equal({ MXN: '52.50' });
    expect(utc.periodos.mes.ingresos_tarjeta).to.deep.equal({ MXN: '174.50', USD: '5.00' });
  });

  it('GET /mi-empresa/dashboard carries periodos and ingresos_diarios beside the existing figures, only the company\'s own', async () => {
    const a = await escenarioWithSession(t);
    const b = await escenarioWithSession(t);
    await insertTransaccion(t.container, { empresa_id: a.empresa.id, router_id: a.router.id, estado_pago: 'paid', monto: '12.34' });
    await insertTransaccion(t.container, { empresa_id: b.empresa.id, router_id: b.router.id, estado_pago: 'paid', monto: '99.99' });
    await t.request.put('/api/v1/admin/mi-empresa').set(as(a.token)).send({ zona_horaria: 'Europe/Madrid' }).expect(200);
    const res = await t.request.get('/api/v1/admin/mi-empresa/dashboard').set(as(a.token));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.zona_horaria).to.equal('Europe/Madrid');
    expect(res.body.ingresos).to.deep.equal({ MXN: { total: '12.34', transacciones: 1 } });
    for (const p of ['hoy', 'semana', 'mes']) {
      expect(res.body.periodos[p], p).to.deep.include({ ingresos_tarjeta: { MXN: '12.34' }, ingresos_efectivo: {}, ventas: 1, declinadas: 0, aprovisionamientos_fallidos: 0, fichas_usadas: 0 });
    }
    expect(res.body.ingresos_diarios).to.have.length(30);
    expect(res.body.ingresos_diarios.at(-1).total).to.deep.equal({ MXN: '12.34' });
    expect(JSON.stringify(res.body)).not.to.include('99.99');
  });
});
