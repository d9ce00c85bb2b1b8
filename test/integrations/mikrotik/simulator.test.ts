/**
 * The RouterOS simulator on the wire, checked with a bare protocol client (no
 * node-routeros), so what it sends is exactly what a real router would.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import {
  decodeLength, encodeLength, encodeSentence, SentenceDecoder, startRouterOsSimulator, type RouterOsSimulator,
} from '../../../sim/routeros';
import { eventually, Fixtures, PASSWORD, RawClient, sleep } from './helpers';

describe('RouterOS simulator: wire format', () => {
  it('encodes word lengths in all five forms and decodes them back', () => {
    const cases: Array<[number, number, number]> = [
      [0, 1, 0x00], [0x7f, 1, 0x7f],
      [0x80, 2, 0x80], [0x3fff, 2, 0xbf],
      [0x4000, 3, 0xc0], [0x1fffff, 3, 0xdf],
      [0x200000, 4, 0xe0], [0xfffffff, 4, 0xef],
      [0x10000000, 5, 0xf0], [0xffffffff, 5, 0xf0],
    ];
    for (const [length, size, first] of cases) {
      const bytes = encodeLength(length);
      expect(bytes.length, `size of ${length}`).to.equal(size);
      expect(bytes[0], `first byte of ${length}`).to.equal(first);
      expect(decodeLength(bytes)).to.deep.equal({ kind: 'length', length, size });
      expect(decodeLength(bytes.subarray(0, size - 1)).kind).to.equal(size === 1 ? 'incomplete' : 'incomplete');
    }
    expect(decodeLength(Buffer.from([0xf8]))).to.deep.equal({ kind: 'control', byte: 0xf8 });
  });

  it('decodes sentences fed one byte at a time, with 1- to 5-byte length prefixes', () => {
    const long2 = 'a'.repeat(0x80);
    const long3 = 'b'.repeat(0x4000);
    const long4 = 'c'.repeat(0x200000);
    // a 5-byte prefix carrying a small length (non-minimal, still valid)
    const fiveByte = Buffer.concat([Buffer.from([0xf0, 0, 0, 0, 5]), Buffer.from('=x=12')]);
    const stream = Buffer.concat([
      encodeSentence(['!re', `=long2=${long2}`, `=long3=${long3}`]),
      Buffer.concat([encodeSentence(['!re']).subarray(0, -1), fiveByte, Buffer.from([0])]),
      encodeSentence(['!done', '.tag=7']),
    ]);
    const decoder = new SentenceDecoder(4 * 1024 * 1024);
    const sentences: string[][] = [];
    for (let i = 0; i < stream.length; i += i < 400 ? 1 : 997) sentences.push(...decoder.push(stream.subarray(i, Math.min(stream.length, i < 400 ? i + 1 : i + 997))));
    expect(sentences).to.deep.equal([['!re', `=long2=${long2}`, `=long3=${long3}`], ['!re', '=x=12'], ['!done', '.tag=7']]);
    const big = new SentenceDecoder(4 * 1024 * 1024).push(encodeSentence([long4]));
    expect(big[0]![0]!.length).to.equal(0x200000);
  });
});

for (const tls of [false, true]) {
  describe(`RouterOS simulator: protocol (${tls ? 'API-SSL' : 'plain'})`, () => {
    const fx = new Fixtures();
    const clients: RawClient[] = [];
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await fx.closeAll();
    });
    async function connect(sim: RouterOsSimulator, login = true): Promise<RawClient> {
      const c = await RawClient.connect(sim);
      clients.push(c);
      if (login) await c.login(sim.username, sim.password);
      return c;
    }

    it('echoes .tag on every reply and answers untagged commands untagged', async () => {
      const sim = await fx.sim({ tls, users: [{ name: 'u1', password: 'p' }, { name: 'u2', password: 'q' }] });
      const c = await connect(sim);
      c.send(['/ip/hotspot/user/print', '.tag=t1']);
      const reply = await c.untilDone();
      expect(reply.map((s) => s[0])).to.deep.equal(['!re', '!re', '!done']);
      for (const s of reply) expect(s[1]).to.equal('.tag=t1');
      c.send(['/ip/hotspot/user/add', '=name=u1', '.tag=t2']);
      expect(await c.untilDone()).to.deep.equal([
        ['!trap', '.tag=t2', '=message=failure: already have user with this name'],
        ['!done', '.tag=t2'],
      ]);
      c.send(['/system/identity/print']);
      expect(await c.untilDone()).to.deep.equal([['!re', '=name=MikroTik'], ['!done']]);
    });

    it('answers an empty print with !empty then !done from 7.18 on, and with a bare !done before', async () => {
      for (const [version, expected] of [['7.18', ['!empty', '!done']], ['7.17', ['!done']], ['6.49', ['!done']]] as const) {
        const sim = await fx.sim({ tls, version });
        const c = await connect(sim);
        c.send(['/ip/hotspot/active/print', '.tag=e']);
        const reply = await c.untilDone();
        expect(reply.map((s) => s[0]), version).to.deep.equal(expected);
        expect(reply.every((s) => s[1] === '.tag=e')).to.equal(true);
      }
    });

    it('supports ?name= queries, stack operations, .proplist and count-only', async () => {
      const sim = await fx.sim({
        tls,
        users: [
          { name: 'a', password: '1', comment: 'TRX_1' },
          { name: 'b', password: '2', comment: 'TRX_2', profile: '1h' },
          { name: 'c', password: '3' },
        ],
      });
      const c = await connect(sim);
      c.send(['/ip/hotspot/user/print', '=.proplist=.id,name', '?name=b']);
      expect(await c.untilDone()).to.deep.equal([['!re', '=.id=*2', '=name=b'], ['!done']]);
      c.send(['/ip/hotspot/user/print', '.proplist=name', '?name=a', '?name=c', '?#|']);
      expect((await c.untilDone()).slice(0, -1).map((s) => s[1])).to.deep.equal(['=name=a', '=name=c']);
      c.send(['/ip/hotspot/user/print', '=.proplist=name', '?comment']);
      expect((await c.untilDone()).length).to.equal(3);
      c.send(['/ip/hotspot/user/print', '=.proplist=name', '?-comment']);
      expect((await c.untilDone())[0]).to.deep.equal(['!re', '=name=c']);
      c.send(['/ip/hotspot/user/print', '=count-only=', '?profile=default']);
      expect(await c.untilDone()).to.deep.equal([['!done', '=ret=2']]);
    });

    it('uses RouterOS error texts', async () => {
      const sim = await fx.sim({ tls });
      const c = await connect(sim);
      const trapOf = async (words: string[]) => {
        c.send(words);
        const reply = await c.untilDone();
        expect(reply.map((s) => s[0])).to.deep.equal(['!trap', '!done']);
        return reply[0]!.find((w) => w.startsWith('=message='))!.slice(9);
      };
      expect(await trapOf(['/ip/hotspot/user/add', '=name=x', '=profile=gold'])).to.equal('input does not match any value of profile');
      expect(await trapOf(['/ip/hotspot/user/remove', '=numbers=*9'])).to.equal('no such item');
      expect(await trapOf(['/ip/hotspot/user/remove', '=.id=nobody'])).to.equal('no such item');
      expect(await trapOf(['/ip/hotspot/user/frobnicate'])).to.equal('no such command');
      expect(await trapOf(['/ip/nothing/print'])).to.equal('no such command prefix');
      expect(await trapOf(['/ip/hotspot/user/add', '=name=x', '=colour=red'])).to.equal('unknown parameter colour');
      expect(await trapOf(['/ip/hotspot/active/login', '=user=x'])).to.equal('missing value(s) of argument(s) ip');
      expect(await trapOf(['/ip/hotspot/user/add', '=name=x', '=limit-uptime=soon'])).to.equal('value of limit-uptime must be time interval');
    });

    it('assigns .id values *1, *2 ... and applies set/enable/disable/remove by id or name', async () => {
      const sim = await fx.sim({ tls });
      const c = await connect(sim);
      c.send(['/ip/hotspot/user/add', '=name=one', '=password=x']);
      expect(await c.untilDone()).to.deep.equal([['!done', '=ret=*1']]);
      c.send(['/ip/hotspot/user/add', '=name=two', '=password=y', '=limit-bytes-total=1M']);
      expect(await c.untilDone()).to.deep.equal([['!done', '=ret=*2']]);
      expect(sim.state.findUser('two')!['limit-bytes-total']).to.equal('1048576');
      c.send(['/ip/hotspot/user/set', '=.id=*1', '=profile=1h', '=comment=hola']);
      await c.untilDone();
      c.send(['/ip/hotspot/user/disable', '=numbers=two']);
      await c.untilDone();
      expect(sim.state.findUser('one')).to.include({ profile: '1h', comment: 'hola' });
      expect(sim.state.findUser('two')).to.include({ disabled: 'true' });
      c.send(['/ip/hotspot/user/remove', '=numbers=*1,two']);
      await c.untilDone();
      expect(sim.state.userList).to.deep.equal([]);
    });

    it('rejects a bad login like RouterOS (trap then done) and refuses commands before login', async () => {
      const sim = await fx.sim({ tls });
      const c = await connect(sim, false);
      c.send(['/system/identity/print', '.tag=1']);
      expect((await c.untilDone())[0]).to.deep.equal(['!trap', '.tag=1', '=message=not logged in']);
      c.send(['/login', '=name=admin', '=password=nope', '.tag=2']);
      expect(await c.untilDone()).to.deep.equal([
        ['!trap', '.tag=2', '=message=invalid user name or password (6)'],
        ['!done', '.tag=2'],
      ]);
      expect(sim.state.counters.loginsFailed).to.equal(1);
    });

    it('implements the pre-6.43 MD5 challenge login', async () => {
      const sim = await fx.sim({ tls, version: '6.40' });
      const c = await connect(sim, false);
      c.send(['/login']);
      const [challenge] = await c.untilDone();
      const ret = challenge!.find((w) => w.startsWith('=ret='))!.slice(5);
      expect(ret).to.match(/^[0-9a-f]{32}$/);
      const response = '00' + createHash('md5').update(Buffer.concat([Buffer.from([0]), Buffer.from(PASSWORD), Buffer.from(ret, 'hex')])).digest('hex');
      c.send(['/login', '=name=admin', `=response=${response}`]);
      expect(await c.untilDone()).to.deep.equal([['!done']]);
      c.send(['/system/identity/print']);
      expect((await c.untilDone())[0]).to.deep.equal(['!re', '=name=MikroTik']);
      // a replayed response against a new challenge fails
      const c2 = await connect(sim, false);
      c2.send(['/login']);
      await c2.untilDone();
      c2.send(['/login', '=name=admin', `=response=${response}`]);
      expect((await c2.untilDone())[0]).to.deep.equal(['!trap', '=message=cannot log in']);
    });

    it('/cancel interrupts a pending command; /quit answers !fatal and closes', async () => {
      const sim = await fx.sim({ tls });
      const c = await connect(sim);
      await sim.faults.set({ replyDelayMs: 500 });
      c.send(['/system/resource/print', '.tag=slow']);
      await sleep(20);
      c.send(['/cancel', '=tag=slow', '.tag=c']);
      const replies = [await c.next(), await c.next(), await c.next()];
      expect(replies).to.deep.include(['!trap', '.tag=slow', '=category=2', '=message=interrupted']);
      expect(replies).to.deep.include(['!done', '.tag=slow']);
      expect(replies).to.deep.include(['!done', '.tag=c']);
      expect(sim.state.counters.inFlight).to.equal(0);
      await sim.faults.clear();
      c.send(['/quit']);
      expect(await c.next()).to.deep.equal(['!fatal', 'session terminated on request']);
      await eventually(() => c.closed);
    });

    it('accepts a sentence split at every byte', async () => {
      const sim = await fx.sim({ tls });
      const c = await connect(sim);
      const bytes = encodeSentence(['/ip/hotspot/user/add', '=name=split', '=password=x', '.tag=s']);
      for (const b of bytes) { c.sendBytes(Buffer.from([b])); await sleep(0); }
      expect(await c.untilDone()).to.deep.equal([['!done', '.tag=s', '=ret=*1']]);
    });

    it('faults: hang swallows commands, dropAfterApply applies then drops, trapAll traps, delays count in flight', async () => {
      const sim = await fx.sim({ tls });
      const c = await connect(sim);
      await sim.faults.set({ dropAfterApply: '/ip/hotspot/user/add' });
      c.send(['/ip/hotspot/user/add', '=name=dropped', '=password=x']);
      await eventually(() => c.closed);
      expect(sim.state.findUser('dropped')).to.include({ name: 'dropped' });
      await sim.faults.clear();

      const c2 = await connect(sim);
      await sim.faults.set({ trapAll: 'failure: busy' });
      c2.send(['/system/identity/print']);
      expect((await c2.untilDone())[0]).to.deep.equal(['!trap', '=message=failure: busy']);
      await sim.faults.set({ trapAll: undefined, acceptAndHang: true });
      c2.send(['/system/identity/print']);
      await new Promise((r) => setTimeout(r, 100));
      let answered = true;
      await c2.next(100).catch(() => { answered = false; });
      expect(answered).to.equal(false);
      await sim.faults.clear();

      const c3 = await connect(sim);
      sim.state.resetCounters();
      await sim.faults.set({ replyDelayMs: 60 });
      for (let i = 0; i < 5; i++) c3.send(['/system/identity/print', `.tag=${i}`]);
      await eventually(() => sim.state.counters.maxInFlight === 5);
      for (let i = 0; i < 10; i++) await c3.next();
      expect(sim.state.counters.inFlight).to.equal(0);
    });

    it('refuseConnections makes connecting fail with ECONNREFUSED on the same port, then listens again', async () => {
      const sim = await fx.sim({ tls });
      const port = sim.port;
      await sim.faults.set({ refuseConnections: true });
      const code = await new Promise<string | undefined>((resolve) => {
        const s = net.connect({ host: sim.host, port }, () => { s.destroy(); resolve(undefined); });
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code));
      });
      expect(code).to.equal('ECONNREFUSED');
      await sim.faults.clear();
      expect(sim.port).to.equal(port);
      await connect(sim);
    });
  });
}

describe('RouterOS simulator: many routers and the CLI', () => {
  it('starts and serves 40 routers at once (plain and TLS), each with its own identity', async () => {
    const sims = await Promise.all(Array.from({ length: 40 }, (_, i) => startRouterOsSimulator({ identity: `R${i}`, tls: i % 2 === 1 })));
    try {
      expect(new Set(sims.map((s) => s.port)).size).to.equal(40);
      const identities = await Promise.all(sims.map(async (sim) => {
        const c = await RawClient.connect(sim);
        await c.login('admin', '');
        c.send(['/system/identity/print']);
        const [re] = await c.untilDone();
        c.close();
        return re![1];
      }));
      expect(identities).to.deep.equal(sims.map((_, i) => `=name=R${i}`));
    } finally {
      await Promise.all(sims.map((s) => s.close()));
    }
  });

  it('npm run sim:routeros: listens, logs its address and closes on SIGINT', async function () {
    this.timeout(15_000);
    const root = path.resolve(__dirname, '../../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'sim/routeros/cli.ts', '--port', '0', '--user', 'api', '--password', 'pw', '--version', '6.49', '--profiles', '1h:rate-limit=1M/1M,1d'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      await eventually(() => /listening on/.test(out), 12_000);
      const m = /listening on ([\d.]+):(\d+) \(API, RouterOS 6\.49, user "api", profiles: default, 1h, 1d\)/.exec(out);
      expect(m, out).to.not.equal(null);
      const c = await RawClient.connect({ host: m![1]!, port: Number(m![2]), tls: false } as RouterOsSimulator);
      await c.login('api', 'pw');
      c.send(['/ip/hotspot/user/profile/print', '=.proplist=name,rate-limit', '?name=1h']);
      expect((await c.untilDone())[0]).to.deep.equal(['!re', '=name=1h', '=rate-limit=1M/1M']);
      c.close();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
