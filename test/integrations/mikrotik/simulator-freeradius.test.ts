/**
 * The RouterOS simulator's RADIUS-client mode against the real FreeRADIUS with
 * the project's configuration (test/support/radius.ts): a hotspot login on the
 * simulated router is accepted or refused by FreeRADIUS from our tables, and its
 * accounting lands in this file's radacct, keyed by the router.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { expect } from 'chai';
import { startRouterOsSimulator, type RouterOsSimulator } from '../../../sim/routeros';
import { startHotspotPortal } from '../../../sim/hotspot-portal';
import { startRadius, type RadiusServer } from '../../support/radius';
import { sleep } from './helpers';

const A = { routerId: 'RTR_0000A001', address: '127.0.0.31', secret: 'secreto-sim-a-0123456789' };
const B = { routerId: 'RTR_0000B002', address: '127.0.0.32', secret: 'secreto-sim-b-0123456789' };

/** Polls until `check` gives a truthy value (real FreeRADIUS writes accounting asynchronously to us). */
async function waitFor<T>(check: () => Promise<T>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe('RouterOS simulator: RADIUS-client mode against FreeRADIUS', () => {
  let radius: RadiusServer;
  const sims: RouterOsSimulator[] = [];
  const table = (name: string) => radius.db.withSchema(radius.schema).table(name);

  const router = async (r: typeof A) => {
    const sim = await startRouterOsSimulator({
      identity: r.routerId,
      radius: { address: '127.0.0.1', secret: r.secret, authPort: radius.authPort, acctPort: radius.acctPort, srcAddress: r.address, timeout: '2s' },
    });
    sims.push(sim);
    return sim;
  };

  before(async () => {
    radius = await startRadius();
    await radius.addClient(A);
    await radius.addClient(B);
    await table('radcheck').insert({ username: `${A.routerId}:PT-SIM01`, attribute: 'Cleartext-Password', op: ':=', value: '7391' });
    await table('radreply').insert([
      { username: `${A.routerId}:PT-SIM01`, attribute: 'Session-Timeout', op: ':=', value: '1800' },
      { username: `${A.routerId}:PT-SIM01`, attribute: 'Acct-Interim-Interval', op: ':=', value: '60' },
      { username: `${A.routerId}:PT-SIM01`, attribute: 'Mikrotik-Rate-Limit', op: ':=', value: '2M/10M' },
    ]);
  });
  after(async () => {
    for (const s of sims) await s.close();
    await radius?.close();
  });

  it('logs in through FreeRADIUS (PAP), obeys its answer, and its Start and Stop land in radacct keyed by the router', async () => {
    const sim = await router(A);
    const id = await sim.state.login({ user: 'PT-SIM01', password: '7391', ip: '10.5.50.40', mac: '02:00:00:00:00:40' });
    expect(sim.state.radiusSession(id)).to.include({ sessionTimeout: 1800, interim: 60, rateLimit: '2M/10M' });
    const open = await waitFor(async () => table('radacct').where({ username: `${A.routerId}:PT-SIM01` }).whereNull('acctstoptime').first());
    expect(open).to.include({ callingstationid: '02:00:00:00:00:40', calledstationid: 'hotspot1' });
    expect(String(open.framedipaddress)).to.equal('10.5.50.40');
    sim.state.addActiveTraffic(id, { bytesIn: 1200, bytesOut: 34000 });
    sim.state.removeActive(id);
    const closed = await waitFor(async () => table('radacct').where({ radacctid: open.radacctid }).whereNotNull('acctstoptime').first());
    expect(closed).to.include({ acctterminatecause: 'Admin-Reset' });
    expect(Number(closed.acctinputoctets)).to.equal(1200);
  });

  it('is refused with a wrong password, and its user is refused on another router', async () => {
    const simA = await router(A);
    await simA.state.login({ user: 'PT-SIM01', password: '0000', ip: '10.5.50.41' }).then(
      () => expect.fail('a wrong password logged in'),
      (err: Error) => expect(err.message).to.equal('invalid username or password'),
    );
    const simB = await router(B);
    await simB.state.login({ user: 'PT-SIM01', password: '7391', ip: '10.5.50.42' }).then(
      () => expect.fail("router A's user logged in on router B"),
      (err: Error) => expect(err.message).to.equal('invalid username or password'),
    );
    expect(simA.state.activeList).to.deep.equal([]);
    expect(simB.state.activeList).to.deep.equal([]);
  });

  it('logs a phone in through the hotspot page with CHAP, which FreeRADIUS checks against the clear password', async () => {
    const sim = await router(A);
    const portal = await startHotspotPortal({ root: path.resolve(__dirname, '../../../portal'), router: sim.state, chap: true });
    try {
      const page = await (await fetch(`${portal.url}/login?mac=02:00:00:00:00:43&ip=10.5.50.43`)).text();
      const m = /PAGOS_CHAP = \{ id: '([^']*)', challenge: '([^']*)' \}/.exec(page)!;
      const unOctal = (s: string) => Buffer.from(s.split('\\').filter(Boolean).map((o) => parseInt(o, 8)));
      const answer = crypto.createHash('md5').update(Buffer.concat([unOctal(m[1]!), Buffer.from('7391'), unOctal(m[2]!)])).digest('hex');
      await fetch(`${portal.url}/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `hotspot_device=${encodeURIComponent('02:00:00:00:00:43|10.5.50.43')}` },
        body: new URLSearchParams({ username: 'PT-SIM01', password: answer }).toString(),
      });
      expect(portal.logins.at(-1)).to.include({ username: 'PT-SIM01', ok: true, method: 'chap' });
      expect(sim.state.activeList[0]).to.include({ user: 'PT-SIM01', address: '10.5.50.43', radius: 'true', 'session-time-left': '30m' });
    } finally {
      await portal.close();
    }
  });
});
