/** The plan rules for FreeRADIUS (issue 22 items 4–5), on a fake clock: Session-Timeout arithmetic, primer_uso, rows per plan. */
import { expect } from 'chai';
import sinon from 'sinon';
import { normalizeLimiteVelocidad, rowsFor, sessionTimeout, type Plan } from '../../src/features/radius';

describe('RADIUS plan rules', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => { clock = sinon.useFakeTimers({ now: new Date('2026-12-07T10:00:00Z'), toFake: ['Date'] }); });
  afterEach(() => clock.restore());

  const plan = (extra: Partial<Plan> = {}): Plan => ({
    productoId: 7, perfil: '', limitUptime: null, vigenciaMinutos: null, limiteVelocidad: null, dispositivos: 1, vigenciaDesde: 'activacion', ...extra,
  });
  const attrs = (rows: Array<{ attribute: string; value: string }>) => Object.fromEntries(rows.map((r) => [r.attribute, r.value]));

  it('Session-Timeout is what is left of the validity, capped by the uptime limit and by a day', () => {
    const expires = new Date(Date.now() + 90 * 60_000);
    expect(sessionTimeout(plan({ vigenciaMinutos: 90 }), expires, new Date())).to.equal(5400);
    clock.tick(80 * 60_000);
    expect(sessionTimeout(plan({ vigenciaMinutos: 90 }), expires, new Date())).to.equal(600);
    expect(sessionTimeout(plan({ limitUptime: '5m' }), expires, new Date())).to.equal(300);
    expect(sessionTimeout(plan(), null, new Date())).to.equal(86_400);
    expect(sessionTimeout(plan({ limitUptime: '1d02:00:00' }), null, new Date())).to.equal(86_400);
    clock.tick(11 * 60_000);
    expect(sessionTimeout(plan({ vigenciaMinutos: 90 }), expires, new Date())).to.equal(null);
  });

  it('primer_uso: no Expiration, an Expire-After of the validity, and Session-Timeout no longer than it', () => {
    const rows = rowsFor({ routerId: 'RTR_0000000A', user: 'u', password: 'p', plan: plan({ vigenciaMinutos: 30, vigenciaDesde: 'primer_uso' }), expiresAt: null },
      { interimSeconds: 60, now: new Date() });
    expect(attrs(rows.check)).to.deep.equal({ 'Cleartext-Password': 'p', 'Simultaneous-Use': '1', 'Expire-After': '1800' });
    expect(attrs(rows.reply)).to.deep.equal({ 'Acct-Interim-Interval': '60', 'Session-Timeout': '1800' });
  });

  it('activation: Expiration as epoch seconds, Max-All-Session for the uptime, speed, devices and profile as attributes', () => {
    const expiresAt = new Date(Date.now() + 3600_000);
    const rows = rowsFor({
      routerId: 'RTR_0000000A', user: 'u', password: 'p', expiresAt,
      plan: plan({ vigenciaMinutos: 60, limitUptime: '30m', limiteVelocidad: '2M/10M', dispositivos: 3, perfil: 'vip' }),
    }, { interimSeconds: 120, now: new Date() });
    expect(attrs(rows.check)).to.deep.equal({
      'Cleartext-Password': 'p', 'Simultaneous-Use': '3', Expiration: String(Math.floor(expiresAt.getTime() / 1000)), 'Max-All-Session': '1800',
    });
    expect(attrs(rows.reply)).to.deep.equal({ 'Acct-Interim-Interval': '120', 'Session-Timeout': '1800', 'Mikrotik-Rate-Limit': '2M/10M', 'Mikrotik-Group': 'vip' });
    expect(rows.check.concat(rows.reply).every((r) => r.op === ':=')).to.equal(true);
  });

  it('a plan already over is written disabled (Auth-Type := Reject), never with a zero or negative Session-Timeout', () => {
    const rows = rowsFor({ routerId: 'RTR_0000000A', user: 'u', password: 'p', plan: plan({ vigenciaMinutos: 1 }), expiresAt: new Date(Date.now() - 1000) },
      { interimSeconds: 60, now: new Date() });
    expect(attrs(rows.check)['Auth-Type']).to.equal('Reject');
    expect(rows.reply.map((r) => r.attribute)).not.to.include('Session-Timeout');
  });

  it('limite_velocidad: RouterOS "up/down" only', () => {
    expect(normalizeLimiteVelocidad(' 512k/2M ')).to.equal('512k/2M');
    expect(normalizeLimiteVelocidad(null)).to.equal(null);
    for (const bad of ['2M', '2M/10m', '0/1M', '1M/1M 2M/2M', '']) expect(() => normalizeLimiteVelocidad(bad), bad).to.throw(/limite_velocidad/);
  });
});
