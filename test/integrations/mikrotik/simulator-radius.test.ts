/**
 * The RouterOS simulator's RADIUS-client mode against a tiny UDP responder
 * written here with bare crypto (not the simulator's packet code), so what the
 * simulator sends is checked the way a RADIUS server checks it: the
 * Message-Authenticator, the hidden PAP password, the CHAP answer, the
 * accounting authenticator, and the source address.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import path from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { startRouterOsSimulator, type RouterOsSimulator } from '../../../sim/routeros';
import { startHotspotPortal } from '../../../sim/hotspot-portal';
import { decodePacket, encodeResponse, attr, type RadiusAttributes } from '../../../sim/radius/packet';
import { eventually, RawClient } from './helpers';

const SECRET = 'sekret-router-1';
const ROUTER_ADDRESS = '127.0.0.2';

interface Seen { source: string; code: number; attributes: RadiusAttributes; maOk: boolean; authOk: boolean }

/** A RADIUS server in miniature: one user table, one client (address + secret), every packet recorded. */
async function startResponder(opts: { users: Record<string, string>; clientAddress: string; secret: string; reply?: RadiusAttributes }) {
  const seen: Seen[] = [];
  const md5 = (...b: Buffer[]) => crypto.createHash('md5').update(Buffer.concat(b)).digest();
  const hmacOk = (msg: Buffer) => {
    // Message-Authenticator: type 80, HMAC-MD5 over the packet with it zeroed.
    let i = 20;
    while (i < msg.length) {
      if (msg[i] === 80) {
        const copy = Buffer.from(msg);
        copy.fill(0, i + 2, i + 18);
        return crypto.createHmac('md5', opts.secret).update(copy).digest().equals(msg.subarray(i + 2, i + 18));
      }
      i += msg[i + 1]!;
    }
    return false;
  };
  const listen = async (onPacket: (msg: Buffer, rinfo: dgram.RemoteInfo, sock: dgram.Socket) => void) => {
    const sock = dgram.createSocket('udp4');
    sock.on('message', (msg, rinfo) => onPacket(msg, rinfo, sock));
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    return sock;
  };
  // A retransmission (same bytes) is one request, as a server's duplicate detection sees it.
  const packets = new Set<string>();
  const duplicate = (msg: Buffer) => {
    const key = msg.toString('hex');
    if (packets.has(key)) return true;
    packets.add(key);
    return false;
  };
  const auth = await listen((msg, rinfo, sock) => {
    const p = decodePacket(msg);
    if (duplicate(msg)) return;
    const maOk = hmacOk(msg);
    const requestAuth = msg.subarray(4, 20);
    let authOk = false;
    const name = String(attr(p.attributes, 'User-Name'));
    const password = opts.users[name];
    const pap = attr(p.attributes, 'User-Password');
    const chap = attr(p.attributes, 'CHAP-Password');
    if (password !== undefined && Buffer.isBuffer(pap)) {
      const padded = Buffer.alloc(16);
      Buffer.from(password).copy(padded);
      const key = md5(Buffer.from(opts.secret), requestAuth);
      authOk = Buffer.from(padded.map((b, i) => b ^ key[i]!)).equals(pap);
    } else if (password !== undefined && Buffer.isBuffer(chap)) {
      const challenge = attr(p.attributes, 'CHAP-Challenge') as Buffer;
      authOk = md5(chap.subarray(0, 1), Buffer.from(password), challenge).equals(chap.subarray(1));
    }
    seen.push({ source: rinfo.address, code: p.code === 'Access-Request' ? 1 : 0, attributes: p.attributes, maOk, authOk });
    // Like FreeRADIUS with require_message_authenticator: unknown client or bad MA → silence.
    if (rinfo.address !== opts.clientAddress || !maOk) return;
    const reply = encodeResponse({
      code: authOk ? 'Access-Accept' : 'Access-Reject', id: p.id, secret: opts.secret,
      requestAuthenticator: Buffer.from(requestAuth), attributes: authOk ? opts.reply ?? [] : [],
    });
    sock.send(reply, rinfo.port, rinfo.address);
  });
  const acct = await listen((msg, rinfo, sock) => {
    const p = decodePacket(msg);
    if (duplicate(msg)) return;
    const zeroed = Buffer.from(msg);
    zeroed.fill(0, 4, 20);
    const authOk = md5(zeroed, Buffer.from(opts.secret)).equals(msg.subarray(4, 20));
    seen.push({ source: rinfo.address, code: 4, attributes: p.attributes, maOk: false, authOk });
    if (rinfo.address !== opts.clientAddress || !authOk) return;
    sock.send(encodeResponse({ code: 'Accounting-Response', id: p.id, secret: opts.secret, requestAuthenticator: Buffer.from(msg.subarray(4, 20)) }), rinfo.port, rinfo.address);
  });
  return {
    authPort: (auth.address()).port,
    acctPort: (acct.address()).port,
    seen,
    accessRequests: () => seen.filter((s) => s.code === 1),
    accounting: (type?: number) => seen.filter((s) => s.code === 4 && (type === undefined || attr(s.attributes, 'Acct-Status-Type') === type)),
    close: () => { auth.close(); acct.close(); },
  };
}

type Responder = Awaited<ReturnType<typeof startResponder>>;

async function apiLogin(sim: RouterOsSimulator, words: string[]): Promise<string[][]> {
  const client = await RawClient.connect(sim);
  try {
    await client.login('admin', '');
    client.send(['/ip/hotspot/active/login', ...words]);
    return await client.untilDone(8000);
  } finally {
    client.close();
  }
}

describe('RouterOS simulator: RADIUS-client mode', () => {
  let responder: Responder;
  let sim: RouterOsSimulator;
  let clock: sinon.SinonFakeTimers | undefined;

  beforeEach(async () => {
    responder = await startResponder({
      users: { 'PT-AB123': '4821' }, clientAddress: ROUTER_ADDRESS, secret: SECRET,
      reply: [['Session-Timeout', 300], ['Acct-Interim-Interval', 60], ['Mikrotik-Rate-Limit', '2M/10M'], ['Mikrotik-Group', 'plan1']],
    });
  });

  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    await sim?.close();
    responder.close();
  });

  async function startSim(extra: { users?: Array<{ name: string; password: string }> } = {}) {
    sim = await startRouterOsSimulator({
      identity: 'RTR_0A1B2C3D', users: extra.users,
      radius: { address: '127.0.0.1', secret: SECRET, authPort: responder.authPort, acctPort: responder.acctPort, srcAddress: ROUTER_ADDRESS, timeout: '1s' },
    });
  }

  it('turns a login with no local user into a signed PAP Access-Request from its own address, and opens a session on Accept', async () => {
    await startSim();
    const reply = await apiLogin(sim, ['=user=PT-AB123', '=password=4821', '=ip=10.5.50.20', '=mac-address=02:00:00:00:00:20']);
    expect(reply.map((s) => s[0])).to.deep.equal(['!done']);
    const [req] = responder.accessRequests();
    expect(req!.source).to.equal(ROUTER_ADDRESS);
    expect(req!.maOk, 'Message-Authenticator').to.equal(true);
    expect(req!.authOk, 'hidden password').to.equal(true);
    expect(attr(req!.attributes, 'NAS-Identifier')).to.equal('RTR_0A1B2C3D');
    expect(attr(req!.attributes, 'Calling-Station-Id')).to.equal('02:00:00:00:00:20');
    expect(attr(req!.attributes, 'Framed-IP-Address')).to.equal('10.5.50.20');
    const [session] = sim.state.activeList;
    expect(session).to.include({ user: 'PT-AB123', address: '10.5.50.20', radius: 'true', 'limit-rate': '2M/10M' });
    expect(sim.state.radiusSession(session!['.id']!)).to.include({ sessionTimeout: 300, interim: 60, group: 'plan1' });
    await eventually(() => responder.accounting(1).length === 1);
    const start = responder.accounting(1)[0]!;
    expect(start.authOk, 'accounting authenticator').to.equal(true);
    expect(attr(start.attributes, 'Acct-Session-Id')).to.equal(attr(req!.attributes, 'Acct-Session-Id'));
    expect(attr(start.attributes, 'User-Name')).to.equal('PT-AB123');
  });

  it('refuses a wrong password with the RADIUS reject, and opens nothing', async () => {
    await startSim();
    const reply = await apiLogin(sim, ['=user=PT-AB123', '=password=0000', '=ip=10.5.50.21']);
    expect(reply[0]).to.include('=message=invalid username or password');
    expect(responder.accessRequests()).to.have.length(1);
    expect(sim.state.activeList).to.deep.equal([]);
    expect(sim.state.radius.stats.rejects).to.equal(1);
  });

  it('checks local users first: a local user never reaches RADIUS', async () => {
    await startSim({ users: [{ name: 'local1', password: 'pw' }] });
    const reply = await apiLogin(sim, ['=user=local1', '=password=pw', '=ip=10.5.50.22']);
    expect(reply.map((s) => s[0])).to.deep.equal(['!done']);
    expect(responder.accessRequests()).to.deep.equal([]);
    expect(sim.state.activeList[0]).to.include({ user: 'local1', radius: 'false' });
  });

  it('says the server is not responding when the secret is wrong (no answer passes the authenticator check)', async () => {
    sim = await startRouterOsSimulator({
      radius: { address: '127.0.0.1', secret: 'not-the-secret', authPort: responder.authPort, acctPort: responder.acctPort, srcAddress: ROUTER_ADDRESS, timeout: '200ms' },
    });
    const reply = await apiLogin(sim, ['=user=PT-AB123', '=password=4821', '=ip=10.5.50.23']);
    expect(reply[0]).to.include('=message=RADIUS server is not responding');
    expect(responder.accessRequests()[0]!.maOk).to.equal(false);
    expect(sim.state.activeList).to.deep.equal([]);
  });

  it('is configured through the API like a router: /radius add and use-radius=yes on the hotspot profile', async () => {
    sim = await startRouterOsSimulator({ identity: 'RTR_API00001' });
    const client = await RawClient.connect(sim);
    try {
      await client.login('admin', '');
      // Without RADIUS configured an unknown user is simply refused.
      client.send(['/ip/hotspot/active/login', '=user=PT-AB123', '=password=4821', '=ip=10.5.50.24']);
      expect((await client.untilDone())[0]).to.include('=message=invalid username or password');
      client.send(['/radius/add', '=service=hotspot', '=address=127.0.0.1', `=secret=${SECRET}`,
        `=authentication-port=${responder.authPort}`, `=accounting-port=${responder.acctPort}`, `=src-address=${ROUTER_ADDRESS}`, '=timeout=1s']);
      expect((await client.untilDone())[0]![0]).to.equal('!done');
      client.send(['/ip/hotspot/profile/set', '=numbers=hsprof1', '=use-radius=yes', '=radius-accounting=yes', '=radius-interim-update=1m']);
      expect((await client.untilDone())).to.deep.equal([['!done']]);
      client.send(['/radius/add', '=service=hotspot', '=adress=127.0.0.1']);
      expect((await client.untilDone())[0]).to.include('=message=unknown parameter adress');
      client.send(['/ip/hotspot/active/login', '=user=PT-AB123', '=password=4821', '=ip=10.5.50.24']);
      expect((await client.untilDone(8000)).map((s) => s[0])).to.deep.equal(['!done']);
      expect(attr(responder.accessRequests()[0]!.attributes, 'NAS-Identifier')).to.equal('RTR_API00001');
    } finally {
      client.close();
    }
  });

  it('enforces Session-Timeout and sends Interim-Update every Acct-Interim-Interval, then Stop (fake clock)', async () => {
    clock = sinon.useFakeTimers({ now: Date.parse('2026-12-07T04:00:00Z'), shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    await startSim();
    const id = await sim.state.login({ user: 'PT-AB123', password: '4821', ip: '10.5.50.25', mac: '02:00:00:00:00:25' });
    sim.state.addActiveTraffic(id, { bytesIn: 5_000_000, bytesOut: 70_000 });
    await eventually(() => responder.accounting(1).length === 1);
    await clock.tickAsync(240_000);
    await eventually(() => responder.accounting(3).length === 4);
    expect(sim.state.activeList).to.have.length(1);
    expect(sim.state.activeList[0]!['session-time-left']).to.equal('1m');
    await clock.tickAsync(60_000);
    await eventually(() => responder.accounting(2).length === 1);
    expect(sim.state.activeList).to.deep.equal([]);
    const stop = responder.accounting(2)[0]!;
    expect(attr(stop.attributes, 'Acct-Terminate-Cause')).to.equal(5); // Session-Timeout
    expect(attr(stop.attributes, 'Acct-Session-Time')).to.equal(300);
    expect(attr(stop.attributes, 'Acct-Input-Octets')).to.equal(5_000_000);
    expect(responder.accounting(3)).to.have.length(4);
  });

  it('sends Stop (Admin-Reset) when a session is removed, and nothing when the router reboots', async () => {
    await startSim();
    const first = await sim.state.login({ user: 'PT-AB123', password: '4821', ip: '10.5.50.26' });
    sim.state.removeActive(first);
    await eventually(() => responder.accounting(2).length === 1);
    expect(attr(responder.accounting(2)[0]!.attributes, 'Acct-Terminate-Cause')).to.equal(6);
    await sim.state.login({ user: 'PT-AB123', password: '4821', ip: '10.5.50.27' });
    await eventually(() => responder.accounting(1).length === 2);
    sim.state.reboot({ accountingOn: true });
    await eventually(() => responder.accounting(7).length === 1);
    expect(sim.state.activeList).to.deep.equal([]);
    expect(responder.accounting(2)).to.have.length(1);
  });

  it('logs a phone in through the hotspot page with CHAP: the browser answer and the challenge go to RADIUS', async () => {
    await startSim();
    const portal = await startHotspotPortal({ root: path.resolve(__dirname, '../../../portal'), router: sim.state, chap: true });
    try {
      const page = await (await fetch(`${portal.url}/login?mac=02:00:00:00:00:28&ip=10.5.50.28`)).text();
      const cookie = 'hotspot_device=' + encodeURIComponent('02:00:00:00:00:28|10.5.50.28');
      const m = /PAGOS_CHAP = \{ id: '([^']*)', challenge: '([^']*)' \}/.exec(page)!;
      const unOctal = (s: string) => Buffer.from(s.split('\\').filter(Boolean).map((o) => parseInt(o, 8)));
      const id = unOctal(m[1]!);
      const challenge = unOctal(m[2]!);
      const answer = crypto.createHash('md5').update(Buffer.concat([id, Buffer.from('4821'), challenge])).digest('hex');
      const res = await fetch(`${portal.url}/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
        body: new URLSearchParams({ username: 'PT-AB123', password: answer }).toString(),
      });
      expect(res.status).to.equal(200);
      expect(portal.logins.at(-1)).to.include({ username: 'PT-AB123', ok: true, method: 'chap' });
      const [req] = responder.accessRequests();
      expect(req!.authOk, 'CHAP answer checked by the server').to.equal(true);
      expect(attr(req!.attributes, 'User-Password')).to.equal(undefined);
      expect(sim.state.activeList[0]).to.include({ user: 'PT-AB123', address: '10.5.50.28', 'login-by': 'http-chap' });
    } finally {
      await portal.close();
    }
  });
});
