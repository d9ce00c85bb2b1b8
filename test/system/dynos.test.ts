import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { TEST_ENV, TEST_REDIS_URL } from '../support/env';
import { conektaBody, eventually, startStack, type Stack } from '../support/stack';

const ROOT = path.resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs an entry point the way the Procfile does (node itself, so signals reach it). */
function run(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...TEST_ENV, REDIS_URL: TEST_REDIS_URL, ...env }, stdio: process.env.DYNO_DEBUG ? 'inherit' : 'ignore',
  });
}

function get(port: number, pathName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathName, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

describe('dynos: graceful shutdown on SIGTERM', function () {
  this.timeout(60_000);

  it('the web process stops accepting, finishes in-flight requests, and exits 0 (no failed request)', async () => {
    const port = await freePort();
    const web = run('src/server.ts', { PORT: String(port), LOG_LEVEL: process.env.DYNO_DEBUG ? 'info' : 'silent' });
    try {
      await eventually(async () => (await get(port, '/health').catch(() => 0)) === 200, 20_000, 'web ready');
      let stop = false;
      const outcomes = { ok: 0, failed: [] as string[] };
      // Steady load; when SIGTERM lands the router stops sending new requests
      // (that is the platform's part), and every request already sent must succeed.
      const loops = Array.from({ length: 16 }, async () => {
        while (!stop) {
          try {
            const status = await get(port, '/health');
            if (status === 200) outcomes.ok++;
            else outcomes.failed.push(`status ${status}`);
          } catch (error) {
            outcomes.failed.push(String((error as NodeJS.ErrnoException).code ?? error));
          }
        }
      });
      await new Promise((r) => setTimeout(r, 800));
      const exited = new Promise<number | null>((resolve) => web.once('exit', (code) => resolve(code)));
      stop = true;
      web.kill('SIGTERM');
      await Promise.all(loops);
      const code = await exited;
      expect(code).to.equal(0);
      expect(outcomes.failed).to.deep.equal([]);
      expect(outcomes.ok).to.be.greaterThan(20);
      // And it no longer accepts connections.
      const after = await get(port, '/health').then(() => 'accepted', (e: NodeJS.ErrnoException) => e.code);
      expect(after).to.equal('ECONNREFUSED');
    } finally {
      if (web.exitCode === null) web.kill('SIGKILL');
    }
  });

  describe('the worker', () => {
    let s: Stack;
    before(async () => { s = await startStack({ worker: false }); });
    after(async () => { await s.close(); });

    it('finishes its active job before exiting', async () => {
      const worker = run('workers/index.ts', { ...s.env, LOG_LEVEL: process.env.DYNO_DEBUG ? 'info' : 'silent' });
      try {
        await s.sim.faults.set({ replyDelayMs: 500 }); // slow but within the timeouts: the job is mid-command when SIGTERM lands
        const res = await s.t.request.post('/api/v1/payments/pagar-conekta').set('X-API-Key', s.escenario.apiKey).set('Idempotency-Key', 'sigterm-worker-001')
          .send(conektaBody(s.escenario.productoId, s.conekta.token('visa_4242')));
        expect(res.body.estado_pago).to.equal('paid');
        const id = res.body.transaccion_id as string;
        const row = () => s.t.container.knex('transacciones').where({ id }).first();
        if ((await row()).estado_hotspot !== 'active') {
          await eventually(async () => (await row()).estado_hotspot === 'provisioning', 10_000, 'job started');
          const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
          worker.kill('SIGTERM');
          expect(await exited).to.equal(0);
        }
        expect((await row()).estado_hotspot).to.equal('active');
        expect(s.sim.state.userList.filter((u) => u.comment === id)).to.have.length(1);
      } finally {
        await s.sim.faults.clear();
        if (worker.exitCode === null) worker.kill('SIGKILL');
      }
    });
  });
});
