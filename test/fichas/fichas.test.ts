import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loginAs } from '../support/harness';
import { eventually, startStack, type Stack } from '../support/stack';
import { CODE_ALPHABET, commentFor } from '../../src/features/fichas';
import { startRouterOsSimulator } from '../../sim/routeros';

// pdf-parse 1.x: the library entry (the package index runs a debug script when required directly).
const pdfParse = require('pdf-parse/lib/pdf-parse.js') as (data: Buffer) => Promise<{ text: string; numpages: number }>;

describe('fichas: printed voucher batches on the router', function () {
  this.timeout(60_000);
  let s: Stack;
  let token: string;
  before(async () => {
    s = await startStack();
    token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
  });
  after(async () => { await s.close(); });
  afterEach(() => s.clearFaults());

  const auth = (req: import('supertest').Test, t = token) => req.set('Authorization', `Bearer ${t}`);
  const crear = (body: object, t = token) => auth(s.t.request.post('/api/v1/admin/fichas/lotes'), t).send(body);
  const lote = (id: string, t = token) => auth(s.t.request.get(`/api/v1/admin/fichas/lotes/${id}`), t);
  const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    const stream = res as unknown as import('http').IncomingMessage;
    stream.on('data', (c: Buffer) => chunks.push(c));

    stream.on('end', () => cb(null, Buffer.concat(chunks)));
  };
  const usersOf = (code: string) => s.sim.state.userList.filter((u) => u.name === code);

  it('creates a batch: codes without look-alikes, each voucher on the router once with the product profile and limits', async () => {
    const res = await crear({ producto_id: s.escenario.productoId, cantidad: 12, tipo_usuario: 'usuario_contrasena', prefijo: 'PZ' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.id).to.match(/^LOT_[0-9A-F]{10}$/);
    expect(res.body.producto).to.include({ id: s.escenario.productoId, precio: '20.00', moneda: 'MXN', perfil: 'plan-1h' });
    expect(res.body.fichas).to.have.length(12);
    const codes = res.body.fichas.map((f: { codigo: string }) => f.codigo);
    expect(new Set(codes).size).to.equal(12);
    for (const f of res.body.fichas) {
      expect(f.codigo).to.match(/^PZ/);
      expect(f.codigo.length).to.be.at.least(6);
      expect([...f.codigo.slice(2)].every((ch: string) => CODE_ALPHABET.includes(ch))).to.equal(true);
      expect(f.codigo).to.not.match(/[01OIL]/);
      expect(f.contrasena).to.be.a('string').with.length.at.least(6);
      expect(f.estado).to.equal('pendiente');
    }
    await eventually(async () => (await lote(res.body.id)).body.por_estado.disponible === 12, 15_000, 'all disponible');
    for (const f of res.body.fichas) {
      const users = usersOf(f.codigo);
      expect(users).to.have.length(1);
      expect(users[0]).to.include({ profile: 'plan-1h', password: f.contrasena, comment: commentFor(res.body.id, f.codigo), 'limit-uptime': '1h' });
    }
    const detail = await lote(res.body.id);
    expect(detail.body.fichas.every((f: { estado: string }) => f.estado === 'disponible')).to.equal(true);
    const list = await auth(s.t.request.get('/api/v1/admin/fichas/lotes'));
    expect(list.status).to.equal(200);
    expect(list.body.map((l: { id: string }) => l.id)).to.include(res.body.id);
  });

  it('refuses more than 1000 vouchers, zero, a bad prefix and another company\'s product with clear 4xx', async () => {
    const big = await crear({ producto_id: s.escenario.productoId, cantidad: 1001 });
    expect(big.status).to.equal(422);
    expect(big.body.detail).to.equal("El campo 'cantidad' debe estar entre 1 y 1000 fichas por lote");
    expect((await crear({ producto_id: s.escenario.productoId, cantidad: 0 })).status).to.equal(422);
    const prefix = await crear({ producto_id: s.escenario.productoId, cantidad: 1, prefijo: 'O1' });
    expect(prefix.status).to.equal(422);
    expect(prefix.body.detail).to.contain('prefijo');
    const other = await s.addEscenario(s.sim);
    expect((await crear({ producto_id: other.productoId, cantidad: 1 })).status).to.equal(404);
  });

  it('a router that is down during a batch gets every voucher exactly once when it comes back', async () => {
    await s.sim.faults.set({ refuseConnections: true });
    const res = await crear({ producto_id: s.escenario.productoId, cantidad: 25 });
    expect(res.status).to.equal(201);
    await new Promise((r) => setTimeout(r, 1500));
    const during = await lote(res.body.id);
    expect(during.body.por_estado.pendiente).to.equal(25);
    expect(res.body.fichas.every((f: { codigo: string; contrasena?: string }) => usersOf(f.codigo).length === 0 && f.contrasena === undefined)).to.equal(true);
    // Lost jobs too: the reconciler puts them back.
    await s.t.container.jobs.queues.fichas.drain(true);
    await s.sim.faults.clear();
    await eventually(async () => {
      await s.t.container.fichas.reconcile();
      return (await lote(res.body.id)).body.por_estado.disponible === 25;
    }, 20_000, 'batch on the router after it came back');
    for (const f of res.body.fichas) {
      const users = usersOf(f.codigo);
      expect(users).to.have.length(1);
      expect(users[0]).to.include({ password: f.codigo, profile: 'plan-1h' }); // pin: the code is the password
    }
  });

  it('voiding disables the voucher on the router and logs it out; an unknown or foreign code is 404', async () => {
    const res = await crear({ producto_id: s.escenario.productoId, cantidad: 2 });
    await eventually(async () => (await lote(res.body.id)).body.por_estado.disponible === 2, 10_000, 'disponible');
    const [a] = res.body.fichas;
    const target = (await s.t.container.targets.load(s.escenario.routerId))!;
    await s.t.container.hotspot.loginActive(target, { user: a.codigo, password: a.codigo, mac: 'AA:BB:CC:00:00:01', ip: '10.5.50.77' });
    const voided = await auth(s.t.request.post(`/api/v1/admin/fichas/${a.codigo}/anular`)).send({});
    expect(voided.status, JSON.stringify(voided.body)).to.equal(200);
    expect(voided.body.fichas[0]).to.include({ codigo: a.codigo, estado: 'anulada', en_router: 'deshabilitada' });
    expect(usersOf(a.codigo)[0]!.disabled).to.equal('true');
    expect(s.sim.state.activeList.filter((x) => x.user === a.codigo)).to.have.length(0);
    expect((await auth(s.t.request.post('/api/v1/admin/fichas/NOEXISTE22/anular')).send({})).status).to.equal(404);
    const other = await s.addEscenario(s.sim);
    const otherToken = await loginAs(s.t, other.admin.email, other.admin.password);
    expect((await auth(s.t.request.post(`/api/v1/admin/fichas/${res.body.fichas[1].codigo}/anular`), otherToken).send({})).status).to.equal(404);
    expect(usersOf(res.body.fichas[1].codigo)[0]!.disabled).to.equal('false');
  });

  it('voiding while the router is down: voided at once, disabled on the router when it comes back', async () => {
    const res = await crear({ producto_id: s.escenario.productoId, cantidad: 1 });
    await eventually(async () => (await lote(res.body.id)).body.por_estado.disponible === 1, 10_000, 'disponible');
    const { codigo } = res.body.fichas[0];
    await s.sim.faults.set({ refuseConnections: true });
    const voided = await auth(s.t.request.post(`/api/v1/admin/fichas/${codigo}/anular`)).send({});
    expect(voided.status).to.equal(200);
    expect(voided.body.fichas[0]).to.include({ estado: 'anulada', en_router: 'pendiente' });
    expect((await lote(res.body.id)).body.fichas[0].estado).to.equal('anulada');
    expect(usersOf(codigo)[0]!.disabled).to.equal('false');
    await s.sim.faults.clear();
    await eventually(async () => usersOf(codigo)[0]!.disabled === 'true', 15_000, 'disabled on the router after it came back');
    // Voiding again changes nothing.
    const again = await auth(s.t.request.post(`/api/v1/admin/fichas/${codigo}/anular`)).send({});
    expect(again.body.fichas[0]).to.include({ estado: 'anulada', en_router: 'sin_cambios' });
  });

  it('the PDF opens and holds every code (and passwords), the CSV lists them, and another company gets 404 for both', async () => {
    const res = await crear({ producto_id: s.escenario.productoId, cantidad: 30, tipo_usuario: 'usuario_contrasena' });
    const pdf = await auth(s.t.request.get(`/api/v1/admin/fichas/lotes/${res.body.id}/pdf`)).buffer(true).parse(binary);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers['content-type']).to.equal('application/pdf');
    const parsed = await pdfParse(pdf.body as Buffer);
    expect(parsed.numpages).to.equal(2); // 21 cards a page
    for (const f of res.body.fichas) {
      expect(parsed.text).to.contain(f.codigo);
      expect(parsed.text).to.contain(f.contrasena);
    }
    expect(parsed.text).to.contain('WiFi Plaza');
    expect(parsed.text).to.contain('$20.00 MXN');
    if (process.env.UPDATE_SCREENSHOT === '1') {
      // The README's picture of a printed sheet: page 1 as PNG (pdftoppm, poppler-utils).
      const file = path.join(os.tmpdir(), `fichas-${res.body.id}.pdf`);
      fs.writeFileSync(file, pdf.body as Buffer);
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, path.resolve(__dirname, '../../docs/fichas-lote')]);
      fs.rmSync(file);
    }

    const csv = await auth(s.t.request.get(`/api/v1/admin/fichas/lotes/${res.body.id}/csv`));
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.contain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).to.equal('codigo,contrasena,estado,plan,precio,moneda,lote_id,usada_en,url_acceso');
    expect(lines).to.have.length(31);
    const first = res.body.fichas[0];
    expect(csv.text).to.contain(`"${first.codigo}","${first.contrasena}"`);
    expect(csv.text).to.contain(`http://10.5.50.1/login?username=${first.codigo}&password=${first.contrasena}`);

    // With the company's logo: one image in the file, however many cards.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
    await s.t.container.logos.upload(s.escenario.empresaId, png);
    const withLogo = await auth(s.t.request.get(`/api/v1/admin/fichas/lotes/${res.body.id}/pdf`)).buffer(true).parse(binary);
    expect(withLogo.status).to.equal(200);
    expect((withLogo.body as Buffer).toString('latin1').match(/\/Subtype \/Image/g)).to.have.length(1);
    expect((pdf.body as Buffer).toString('latin1')).not.to.contain('/Subtype /Image');
    expect((await pdfParse(withLogo.body as Buffer)).text).to.contain(first.codigo);

    const other = await s.addEscenario(s.sim);
    const otherToken = await loginAs(s.t, other.admin.email, other.admin.password);
    expect((await lote(res.body.id, otherToken)).status).to.equal(404);
    expect((await auth(s.t.request.get(`/api/v1/admin/fichas/lotes/${res.body.id}/pdf`), otherToken)).status).to.equal(404);
    expect((await auth(s.t.request.get(`/api/v1/admin/fichas/lotes/${res.body.id}/csv`), otherToken)).status).to.equal(404);
    expect((await auth(s.t.request.get('/api/v1/admin/fichas/lotes'), otherToken)).body).to.deep.equal([]);
    expect((await lote('LOT_0000000000')).status).to.equal(404);
    expect((await lote('nonsense')).status).to.equal(404);
  });

  it('marks vouchers used from the router (online now, or uptime/bytes), counts them as cash revenue, and used up when the limit is reached', async () => {
    const sim2 = await startRouterOsSimulator({ port: 0, username: 'api', password: 'api-pass', profiles: [{ name: 'plan-1h' }] });
    try {
      const escenario = await s.addEscenario(sim2, { precio: '15.50' });
      const t2 = await loginAs(s.t, escenario.admin.email, escenario.admin.password);
      const res = await crear({ producto_id: escenario.productoId, cantidad: 4 }, t2);
      await eventually(async () => (await lote(res.body.id, t2)).body.por_estado.disponible === 4, 10_000, 'disponible');
      const [a, b, c] = res.body.fichas;
      const target = (await s.t.container.targets.load(escenario.routerId))!;
      await s.t.container.hotspot.loginActive(target, { user: a.codigo, password: a.codigo, mac: 'AA:BB:CC:00:00:02', ip: '10.5.50.78' });
      sim2.state.recordUsage(b.codigo, { uptimeSeconds: 0, bytesIn: 2048 });
      sim2.state.recordUsage(c.codigo, { uptimeSeconds: 3600 }); // its whole hour
      const before = Date.now();
      const result = await s.t.container.fichas.markUsage();
      expect(result.usadas).to.be.at.least(2);
      const detail = (await lote(res.body.id, t2)).body;
      const estado = (code: string) => detail.fichas.find((f: { codigo: string }) => f.codigo === code);
      expect(estado(a.codigo).estado).to.equal('usada');
      expect(Date.parse(estado(a.codigo).usada_en)).to.be.at.least(before - 1000);
      expect(estado(b.codigo).estado).to.equal('usada');
      expect(estado(c.codigo).estado).to.equal('expirada');
      expect(estado(res.body.fichas[3].codigo).estado).to.equal('disponible');
      // Second pass changes nothing.
      const again = await s.t.container.fichas.markUsage();
      expect(again.usadas).to.equal(0);
      const dash = await auth(s.t.request.get('/api/v1/admin/mi-empresa/dashboard'), t2);
      expect(dash.status).to.equal(200);
      expect(dash.body.ingresos_fichas).to.deep.equal({ MXN: { total: '46.50', fichas_usadas: 3 } });
      expect(dash.body.ingresos).to.deep.equal({});
    } finally {
      await sim2.close();
    }
  });
});
