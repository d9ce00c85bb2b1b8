/** Admin users under /admin/usuarios: role rules, duplicates, filters, toggle and password reset. */
import { expect } from 'chai';
import { loginAs, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertEmpresa, insertUsuario } from '../support/fixtures';

describe('admin: usuarios', () => {
  let t: TestContext;
  let root: string;
  let empresa: { id: string };
  before(async () => {
    t = await startTestApp();
    root = await loginSuperAdmin(t);
    empresa = await insertEmpresa(t.container);
  });
  after(async () => { await t.close(); });

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const create = (body: Record<string, unknown>) => t.request.post('/admin/usuarios').set(as(root)).send(body);

  it('creates a cliente_admin of an existing company and a super_admin without one', async () => {
    const cliente = await create({ email: 'Ana@Cliente.MX', password: 'ClientePass456!', nombre: 'Ana', rol: 'cliente_admin', empresa_id: empresa.id });
    expect(cliente.status).to.equal(200);
    expect(cliente.body.usuario).to.include({ email: 'ana@cliente.mx', rol: 'cliente_admin', empresa_id: empresa.id, activo: true, ultimo_login: null });
    expect(Object.keys(cliente.body.usuario)).to.have.members(['id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'ultimo_login', 'creado_en']);
    expect(JSON.stringify(cliente.body)).not.to.include('ClientePass456!');
    const row = await t.container.knex('usuarios').where({ id: cliente.body.usuario.id }).first();
    expect(row.password_hash).to.match(/^\$2[aby]\$/);
    expect(await loginAs(t, 'ana@cliente.mx', 'ClientePass456!')).to.be.a('string');

    const admin = await create({ email: 'ops@pagos.test', password: 'OpsPass789!', nombre: 'Ops', rol: 'super_admin' });
    expect(admin.status).to.equal(200);
    expect(admin.body.usuario).to.include({ rol: 'super_admin', empresa_id: null });
    const nullEmpresa = await create({ email: 'ops2@pagos.test', password: 'OpsPass789!', nombre: 'Ops 2', rol: 'super_admin', empresa_id: null });
    expect(nullEmpresa.status).to.equal(200);
  });

  it('enforces the role rules, a unique email (any case) and names bad fields', async () => {
    const unknown = await create({ email: 'x1@cliente.mx', password: 'ClientePass456!', nombre: 'X', rol: 'cliente_admin', empresa_id: 'EMP_0000000000' });
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.deep.equal({ detail: 'Empresa no encontrada', code: 'not_found' });
    const malformed = await create({ email: 'x1@cliente.mx', password: 'ClientePass456!', nombre: 'X', rol: 'cliente_admin', empresa_id: 'no-existe' });
    expect(malformed.status).to.equal(404);
    const missing = await create({ email: 'x1@cliente.mx', password: 'ClientePass456!', nombre: 'X', rol: 'cliente_admin' });
    expect(missing.status).to.equal(422);
    expect(missing.body.detail).to.equal("El campo 'empresa_id' es obligatorio");
    const superWithEmpresa = await create({ email: 'x2@pagos.test', password: 'OpsPass789!', nombre: 'X', rol: 'super_admin', empresa_id: empresa.id });
    expect(superWithEmpresa.status).to.equal(400);
    expect(superWithEmpresa.body).to.deep.equal({ detail: 'super_admin no debe tener empresa_id', code: 'bad_request' });

    await insertUsuario(t.container, { email: 'dup@cliente.mx', empresa_id: empresa.id });
    const dup = await create({ email: 'DUP@cliente.MX', password: 'ClientePass456!', nombre: 'Dup', rol: 'cliente_admin', empresa_id: empresa.id });
    expect(dup.status).to.equal(400);
    expect(dup.body).to.deep.equal({ detail: 'El email ya está registrado', code: 'bad_request' });

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ email: 'no-es-email' }, "'email'"],
      [{ password: 'corta' }, "'password'"],
      [{ rol: 'root' }, "'rol'"],
      [{ nombre: '' }, "'nombre'"],
      [{ activo: false }, "'activo'"],
    ];
    for (const [extra, field] of cases) {
      const res = await create({ email: 'ok@pagos.test', password: 'OpsPass789!', nombre: 'Ok', rol: 'super_admin', ...extra });
      expect(res.status, JSON.stringify(extra)).to.equal(422);
      expect(res.body.detail).to.include(field);
    }
    for (const field of ['email', 'password', 'nombre', 'rol']) {
      const rest: Record<string, unknown> = { email: 'ok@pagos.test', password: 'OpsPass789!', nombre: 'Ok', rol: 'super_admin' };
      delete rest[field];
      const res = await create(rest);
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.equal(`El campo '${field}' es obligatorio`);
    }
  });

  it('concurrent creations of one email: one wins, the others get the duplicate message', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) =>
      create({ email: i % 2 ? 'race@cliente.mx' : 'RACE@cliente.mx', password: 'ClientePass456!', nombre: 'R', rol: 'cliente_admin', empresa_id: empresa.id })));
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 400, 400, 400]);
    for (const r of results.filter((x) => x.status === 400)) expect(r.body).to.deep.equal({ detail: 'El email ya está registrado', code: 'bad_request' });
  });

  it('lists with rol and empresa_id filters, and gets one user', async () => {
    const other = await insertEmpresa(t.container);
    const u = await insertUsuario(t.container, { empresa_id: other.id });
    const byEmpresa = await t.request.get(`/admin/usuarios?empresa_id=${other.id}`).set(as(root));
    expect(byEmpresa.body.map((x: { id: number }) => x.id)).to.deep.equal([u.id]);
    const supers = await t.request.get('/admin/usuarios?rol=super_admin').set(as(root));
    expect(supers.body.length).to.be.greaterThan(0);
    expect(supers.body.every((x: { rol: string }) => x.rol === 'super_admin')).to.equal(true);
    const both = await t.request.get(`/admin/usuarios?rol=super_admin&empresa_id=${other.id}`).set(as(root));
    expect(both.body).to.deep.equal([]);
    const all = await t.request.get('/admin/usuarios').set(as(root));
    expect(all.body.length).to.be.greaterThan(supers.body.length);
    for (const x of all.body) expect(x).not.to.have.property('password_hash');
    expect((await t.request.get('/admin/usuarios?rol=root').set(as(root))).status).to.equal(422);
    expect((await t.request.get('/admin/usuarios?empresa_id=%00').set(as(root))).status).to.equal(422);

    const one = await t.request.get(`/admin/usuarios/${u.id}`).set(as(root));
    expect(one.body).to.include({ id: u.id, email: u.email, empresa_id: other.id });
    const missing = await t.request.get('/admin/usuarios/999999').set(as(root));
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.equal({ detail: 'Usuario no encontrado', code: 'not_found' });
    for (const bad of ['abc', '0', '-1', '99999999999', '1.5']) {
      expect((await t.request.get(`/admin/usuarios/${bad}`).set(as(root))).status, bad).to.equal(422);
    }
  });

  it('toggles another user (their session ends at once) but never the caller', async () => {
    const me = await t.request.get('/api/v1/auth/me').set(as(root));
    const self = await t.request.put(`/admin/usuarios/${me.body.id}/toggle-activo`).set(as(root));
    expect(self.status).to.equal(400);
    expect(self.body).to.deep.equal({ detail: 'No puedes desactivar tu propio usuario', code: 'bad_request' });

    const u = await insertUsuario(t.container, { empresa_id: empresa.id });
    const token = await loginAs(t, u.email, u.password);
    const off = await t.request.put(`/admin/usuarios/${u.id}/toggle-activo`).set(as(root));
    expect(off.body).to.deep.equal({ message: 'Usuario desactivado correctamente', usuario_id: u.id, activo: false });
    expect((await t.request.get('/api/v1/auth/me').set(as(token))).status).to.equal(401);
    expect((await t.request.post('/api/v1/auth/login').send({ email: u.email, password: u.password })).status).to.equal(403);
    const on = await t.request.put(`/admin/usuarios/${u.id}/toggle-activo`).set(as(root));
    expect(on.body).to.deep.equal({ message: 'Usuario activado correctamente', usuario_id: u.id, activo: true });
    expect((await t.request.put('/admin/usuarios/999999/toggle-activo').set(as(root))).status).to.equal(404);
  });

  it('resets a password: a generated one is shown once, the old password and older sessions stop working', async () => {
    const u = await insertUsuario(t.container, { empresa_id: empresa.id });
    const row = await t.container.knex('usuarios').where({ id: u.id }).first();
    const { token: oldSession } = t.container.sessions.issue(row, new Date(Date.now() - 5000));
    expect((await t.request.get('/api/v1/auth/me').set(as(oldSession))).status).to.equal(200);

    const generated = await t.request.post(`/admin/usuarios/${u.id}/reset-password`).set(as(root));
    expect(generated.status).to.equal(200);
    expect(generated.body.usuario_id).to.equal(u.id);
    const temp = generated.body.password_temporal as string;
    expect(temp).to.be.a('string').with.length.greaterThan(15);
    expect((await t.request.get('/api/v1/auth/me').set(as(oldSession))).status).to.equal(401);
    expect((await t.request.post('/api/v1/auth/login').send({ email: u.email, password: u.password })).status).to.equal(401);
    expect(await loginAs(t, u.email, temp)).to.be.a('string');
    const stored = await t.container.knex('usuarios').where({ id: u.id }).first();
    expect(JSON.stringify(stored)).not.to.include(temp);

    const again = await t.request.post(`/admin/usuarios/${u.id}/reset-password`).set(as(root));
    expect(again.body.password_temporal).not.to.equal(temp);

    const chosen = await t.request.post(`/admin/usuarios/${u.id}/reset-password`).set(as(root)).send({ password_nuevo: 'Elegida-12345' });
    expect(chosen.status).to.equal(200);
    expect(chosen.body).not.to.have.property('password_temporal');
    expect(JSON.stringify(chosen.body)).not.to.include('Elegida-12345');
    expect(await loginAs(t, u.email, 'Elegida-12345')).to.be.a('string');

    const short = await t.request.post(`/admin/usuarios/${u.id}/reset-password`).set(as(root)).send({ password_nuevo: 'corta' });
    expect(short.status).to.equal(422);
    expect(short.body.detail).to.include("'password_nuevo'");
    expect((await t.request.post('/admin/usuarios/999999/reset-password').set(as(root))).status).to.equal(404);
  });
});
