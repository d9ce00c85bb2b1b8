/**
 * The MikroTik client against the RouterOS simulator, over real TCP through
 * node-routeros: every operation and every fault, once on the plain API and
 * once on API-SSL.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { ValidationError } from '../../../src/platform/errors';
import {
  HotspotClient, RouterAuthError, RouterCircuitOpenError, RouterDuplicateUserError, RouterNoSuchItemError,
  RouterTimeoutError, RouterTrapError, RouterUnknownProfileError, RouterUnreachableError,
} from '../../../src/integrations/mikrotik';
import { testCertificate } from '../../../sim/routeros';
import { eventually, Fixtures, PASSWORD, rejectsWith, sleep, target, timed, withoutUncaught } from './helpers';

for (const mode of ['plain', 'tls'] as const) {
  const tls = mode === 'tls';

  describe(`mikrotik client over ${mode === 'tls' ? 'API-SSL' : 'the plain API'}`, () => {
    const fx = new Fixtures();
    afterEach(() => fx.closeAll());

    async function setup(simOptions: Parameters<Fixtures['sim']>[0] = {}, poolOptions: Parameters<Fixtures['pool']>[0] = {}) {
      const sim = await fx.sim({ tls, ...simOptions });
      const pool = fx.pool(poolOptions);
      return { sim, pool, hotspot: new HotspotClient(pool), router: target(sim) };
    }

    describe('operations', () => {
      it('lists profiles with every RouterOS field mapped to snake_case', async () => {
        const { hotspot, router } = await setup();
        const profiles = await hotspot.listProfiles(router);
        expect(profiles.map((p) => p.name)).to.deep.equal(['default', '1h', '1d']);
        const day = profiles.find((p) => p.name === '1d')!;
        expect(day).to.include({
          session_timeout: '1d', idle_timeout: '10m', keepalive_timeout: '2m', shared_users: 2, rate_limit: null,
          address_list: 'pagados', mac_cookie_timeout: '1d', add_mac_cookie: true, status_autorefresh: '1m',
          transparent_proxy: false, open_status_page: 'always', is_default: false,
        });
        expect(profiles.find((p) => p.name === '1h')).to.include({ rate_limit: '2M/2M', shared_users: 1 });
        expect(profiles[0]).to.include({ is_default: true, idle_timeout: 'none', session_timeout: null });
      });

      it('creates a user with every field and finds it by name', async () => {
        const { sim, hotspot, router } = await setup();
        const { id } = await hotspot.createUser(router, {
          name: 'hs-7F3A', password: 'k9x2', profile: '1h', comment: 'TRX_0123456789AB',
          limitUptime: 5400, limitBytesTotal: 1_073_741_824, macAddress: 'aa-bb-cc-dd-ee-01', server: 'hotspot1',
        });
        expect(id).to.match(/^\*[0-9A-F]+$/);
        const user = await hotspot.findUserByName(router, 'hs-7F3A');
        expect(user).to.deep.include({
          id, name: 'hs-7F3A', profile: '1h', comment: 'TRX_0123456789AB', limit_uptime: '1h30m',
          limit_bytes_total: 1_073_741_824, mac_address: 'AA:BB:CC:DD:EE:01', server: 'hotspot1', disabled: false,
        });
        expect(user).not.to.have.property('password');
        expect(sim.state.findUser('hs-7F3A')).to.include({ password: 'k9x2' });
      });

      it('returns null for a user that does not exist', async () => {
        const { hotspot, router } = await setup({ version: '6.49' });
        expect(await hotspot.findUserByName(router, 'nobody')).to.equal(null);
      });

      it('maps the duplicate-name trap to RouterDuplicateUserError (409)', async () => {
        const { hotspot, router } = await setup();
        await hotspot.createUser(router, { name: 'dup', password: 'a', profile: 'default' });
        const err = await rejectsWith(hotspot.createUser(router, { name: 'dup', password: 'b', profile: 'default' }), RouterDuplicateUserError);
        expect(err.routerMessage).to.equal('failure: already have user with this name');
        expect(err.status).to.equal(409);
        expect(err.detail).to.match(/Ya existe/);
      });

      it('maps an unknown profile to RouterUnknownProfileError', async () => {
        const { hotspot, router } = await setup();
        const err = await rejectsWith(hotspot.createUser(router, { name: 'u', password: 'a', profile: 'nope' }), RouterUnknownProfileError);
        expect(err.routerMessage).to.equal('input does not match any value of profile');
      });

      it('disables, enables and removes a user; a missing one is RouterNoSuchItemError', async () => {
        const { sim, hotspot, router } = await setup();
        const { id } = await hotspot.createUser(router, { name: 'cycle', password: 'a', profile: '1h' });
        await hotspot.disableUser(router, 'cycle');
        expect(sim.state.findUser('cycle')!.disabled).to.equal('true');
        expect((await hotspot.findUserByName(router, 'cycle'))!.disabled).to.equal(true);
        await hotspot.enableUser(router, id);
        expect(sim.state.findUser('cycle')!.disabled).to.equal('false');
        await hotspot.removeUser(router, 'cycle');
        expect(sim.state.findUser('cycle')).to.equal(undefined);
        await rejectsWith(hotspot.removeUser(router, 'cycle'), RouterNoSuchItemError);
        await rejectsWith(hotspot.removeUser(router, '*FF'), RouterNoSuchItemError);
      });

      it('logs a device in, lists and removes active sessions', async () => {
        const { hotspot, router } = await setup();
        await hotspot.createUser(router, { name: 'dev1', password: 'pw1', profile: '1h', limitUptime: '2h' });
        await hotspot.loginActive(router, { user: 'dev1', password: 'pw1', ip: '10.5.50.23', mac: 'AA:BB:CC:00:11:22' });
        const active = await hotspot.listActive(router);
        expect(active).to.have.length(1);
        expect(active[0]).to.include({ user: 'dev1', address: '10.5.50.23', mac_address: 'AA:BB:CC:00:11:22', session_time_left: '2h' });
        expect(await hotspot.listActive(router, { user: 'other' })).to.deep.equal([]);
        await hotspot.removeActive(router, active[0]!.id);
        expect(await hotspot.listActive(router)).to.deep.equal([]);
        await rejectsWith(hotspot.removeActive(router, active[0]!.id), RouterNoSuchItemError);

        await hotspot.loginActive(router, { user: 'dev1', password: 'pw1', ip: '10.5.50.24', mac: 'AA:BB:CC:00:11:23' });
        expect(await hotspot.removeActiveByUser(router, 'dev1')).to.equal(1);
      });

      it('a refused device login is a RouterTrapError with the router reason', async () => {
        const { hotspot, router } = await setup();
        await hotspot.createUser(router, { name: 'dev2', password: 'right', profile: '1h' });
        const err = await rejectsWith(hotspot.loginActive(router, { user: 'dev2', password: 'wrong', ip: '10.5.50.9', mac: 'AA:BB:CC:00:11:29' }), RouterTrapError);
        expect(err.routerMessage).to.equal('invalid username or password');
      });

      it('reads system resource and identity, and tests the connection', async () => {
        const { hotspot, router } = await setup({ identity: 'Cafe-Centro', version: '6.49.10' });
        expect(await hotspot.identity(router)).to.equal('Cafe-Centro');
        const resource = await hotspot.systemResource(router);
        expect(resource).to.include({ version: '6.49.10 (long-term)', board_name: 'hAP ac^2', cpu_count: 4, platform: 'MikroTik' });
        expect(resource.total_memory).to.be.a('number');
        const test = await hotspot.testConnection(router);
        expect(test).to.include({ ok: true, identity: 'Cafe-Centro', version: '6.49.10 (long-term)' });
        expect(test.latency_ms).to.be.a('number').and.at.least(0);
      });

      it('rejects non-ASCII names before anything reaches the router and normalizes comments', async () => {
        const { sim, hotspot, router } = await setup();
        await hotspot.identity(router);
        const before = sim.state.counters.commandsTotal;
        const err = await rejectsWith(hotspot.createUser(router, { name: 'josé', password: 'a', profile: '1h' }), ValidationError);
        expect(err.field).to.equal('name');
        await rejectsWith(hotspot.createUser(router, { name: 'ok', password: 'contraseña', profile: '1h' }), ValidationError);
        await rejectsWith(hotspot.createUser(router, { name: 'a\nb', password: 'x', profile: '1h' }), ValidationError);
        await rejectsWith(hotspot.loginActive(router, { user: 'ok', password: 'x', ip: '10.0.0.300', mac: 'AA:BB:CC:00:11:22' }), ValidationError);
        await rejectsWith(hotspot.loginActive(router, { user: 'ok', password: 'x', ip: '10.0.0.3', mac: 'AA:BB:CC:00:11' }), ValidationError);
        expect(sim.state.counters.commandsTotal).to.equal(before);
        await hotspot.createUser(router, { name: 'acentos', password: 'x', profile: '1h', comment: 'Pagó Peña' });
        expect(sim.state.findUser('acentos')!.comment).to.equal('Pago Pena');
      });
    });

    describe('RouterOS versions and login', () => {
      it('an empty print on RouterOS 7.18 (!empty) resolves [] and the process survives', async () => {
        const { sim, hotspot, router } = await setup({ version: '7.18' });
        await withoutUncaught(async () => {
          expect(await hotspot.findUserByName(router, 'ghost')).to.equal(null);
          expect(await hotspot.listActive(router)).to.deep.equal([]);
          expect(await hotspot.removeActiveByUser(router, 'ghost')).to.equal(0);
          await rejectsWith(hotspot.disableUser(router, 'ghost'), RouterNoSuchItemError);
          // the same connection still works afterwards
          await hotspot.createUser(router, { name: 'after-empty', password: 'a', profile: '1h' });
          expect((await hotspot.findUserByName(router, 'after-empty'))!.name).to.equal('after-empty');
        });
        expect(sim.state.counters.connectionsAccepted).to.equal(1);
      });

      it('logs in with the pre-6.43 MD5 challenge', async () => {
        const { sim, hotspot, router } = await setup({ version: '6.40', legacyLogin: true });
        expect(await hotspot.identity(router)).to.equal('MikroTik');
        expect(sim.state.counters.loginsSucceeded).to.equal(1);
        expect(sim.state.counters.commands['/login']).to.equal(2);
      });

      it('a wrong password is RouterAuthError (6.43+ and legacy) and never shows the password', async () => {
        for (const legacyLogin of [false, true]) {
          const { sim, hotspot } = await setup({ legacyLogin });
          const wrong = 'Wr0ng-pa55word';
          const err = await rejectsWith(hotspot.identity(target(sim, { password: wrong })), RouterAuthError);
          expect(err.status).to.equal(502);
          expect(err.detail).to.match(/usuario o la contraseña/);
          const text = `${err.message} ${err.detail} ${String(err.cause ?? '')} ${JSON.stringify(err)}`;
          expect(text).not.to.include(wrong);
          expect(text).not.to.include(PASSWORD);
          expect(sim.state.counters.loginsFailed).to.equal(1);
        }
      });

      if (tls) {
        it('refuses an unverifiable certificate unless told to trust it', async () => {
          const { sim, hotspot } = await setup();
          const err = await rejectsWith(hotspot.identity(target(sim, { tlsInsecure: false })), RouterUnreachableError);
          expect(err.reason).to.equal('certificado TLS no válido');
          const trusting = new HotspotClient(fx.pool({ tlsCa: testCertificate().cert }));
          expect(await trusting.identity(target(sim, { tlsInsecure: false, id: 'trusting' }))).to.equal('MikroTik');
        });

        it('talks to an API-SSL service without a certificate (anonymous DH) when insecure', async () => {
          const { hotspot, sim } = await setup({ tls: 'anonymous' });
          expect(await hotspot.identity(target(sim))).to.equal('MikroTik');
        });
      }
    });

    describe('faults', () => {
      it('a router that accepts and never answers fails within the connect timeout; the next call works', async () => {
        // Every other timeout is out of any test's reach: an answer at all is the 300 ms connect timeout firing.
        const { sim, hotspot, router } = await setup({}, { connectTimeoutMs: 300, commandTimeoutMs: 600_000, idleTimeoutMs: 600_000 });
        await sim.faults.set({ acceptAndHang: true });
        const hung = await timed(() => hotspot.identity(router));
        expect(hung.error).to.be.instanceOf(RouterTimeoutError);
        expect((hung.error as RouterTimeoutError).detail).to.equal('No se pudo conectar con el router: tiempo de espera agotado');
        expect(hung.ms).to.be.at.least(250); // it waited for the timeout
        await sim.faults.clear();
        expect(await hotspot.identity(router)).to.equal('MikroTik');
      });

      it('a pooled connection whose router hangs fails within the command timeout; the next call reconnects', async () => {
        // Every other timeout is out of any test's reach: an answer at all is the hung command's own 300 ms
        // timeout firing (a per-command override; the calls around it keep the pool's, so load cannot fail them).
        const { sim, pool, hotspot, router } = await setup({}, { connectTimeoutMs: 600_000, idleTimeoutMs: 600_000 });
        await hotspot.identity(router);
        await sim.faults.set({ acceptAndHang: true });
        const hung = await timed(() => pool.run(router, ['/ip/hotspot/user/profile/print'], { timeoutMs: 300 }));
        expect(hung.error).to.be.instanceOf(RouterTimeoutError);
        expect((hung.error as RouterTimeoutError).mayHaveApplied).to.equal(true);
        expect(hung.ms).to.be.at.least(250); // it waited for the timeout
        await sim.faults.clear();
        expect(await hotspot.listProfiles(router)).to.have.length(3);
        expect(sim.state.counters.connectionsAccepted).to.equal(2);
      });

      it('a refused connection fails fast with the reason', async () => {
        // A connect timeout out of any test's reach: the refusal is read from the socket, not waited for.
        const { sim, hotspot, router } = await setup({}, { connectTimeoutMs: 600_000, idleTimeoutMs: 600_000 });
        await sim.faults.set({ refuseConnections: true });
        const refused = await timed(() => hotspot.identity(router));
        expect(refused.error).to.be.instanceOf(RouterUnreachableError);
        expect((refused.error as RouterUnreachableError).reason).to.equal('conexión rechazada');
        expect((refused.error as RouterUnreachableError).detail).to.equal('No se pudo conectar con el router: conexión rechazada');
        await sim.faults.clear();
        expect(await hotspot.identity(router)).to.equal('MikroTik');
      });

      it('a connection dropped right after add is detected, and the follow-up lookup finds the user', async () => {
        // A command timeout out of any test's reach: the drop is read from the socket, not waited for.
        const { sim, hotspot, router } = await setup({}, { commandTimeoutMs: 600_000, idleTimeoutMs: 600_000 });
        await hotspot.identity(router);
        await sim.faults.set({ dropAfterApply: '/ip/hotspot/user/add' });
        const dropped = await timed(() => hotspot.createUser(router, { name: 'maybe', password: 'a', profile: '1h', comment: 'TRX_AAAABBBBCCCC' }));
        expect(dropped.error).to.be.instanceOf(RouterUnreachableError);
        expect((dropped.error as RouterUnreachableError).mayHaveApplied).to.equal(true);
        expect(sim.state.counters.droppedAfterApply).to.equal(1);
        const found = await hotspot.findUserByName(router, 'maybe');
        expect(found).to.include({ name: 'maybe', comment: 'TRX_AAAABBBBCCCC' });
        // retrying the add is what a provisioning job does: the duplicate tells it the user exists
        await rejectsWith(hotspot.createUser(router, { name: 'maybe', password: 'a', profile: '1h' }), RouterDuplicateUserError);
      });

      it('a reply slower than the command timeout is RouterTimeoutError, and the connection recovers', async () => {
        // Only the slow command has the short timeout (a per-command override): the calls around it keep
        // the pool's default, so a loaded machine cannot time them out and fail the test for the wrong reason.
        const { sim, pool, hotspot, router } = await setup();
        await hotspot.identity(router);
        await sim.faults.set({ replyDelayMs: 3_000 });
        const slow = await timed(() => pool.run(router, ['/ip/hotspot/user/profile/print'], { timeoutMs: 200 }));
        // The 3 s reply would have been the profiles: a timeout error shows the 200 ms timeout came first.
        expect(slow.error).to.be.instanceOf(RouterTimeoutError);
        expect(slow.ms).to.be.at.least(150);
        await sim.faults.clear();
        expect(await hotspot.identity(router)).to.equal('MikroTik');
        await eventually(() => sim.state.counters.connectionsOpen === 1);
      });

      it('trapAll turns every command into RouterTrapError without breaking the connection', async () => {
        const { sim, hotspot, router } = await setup();
        await sim.faults.set({ trapAll: 'failure: router busy' });
        const err = await rejectsWith(hotspot.identity(router), RouterTrapError);
        expect(err.routerMessage).to.equal('failure: router busy');
        await sim.faults.clear();
        expect(await hotspot.identity(router)).to.equal('MikroTik');
        expect(sim.state.counters.connectionsAccepted).to.equal(1);
      });

      it('a router that closes its connections is reconnected on the next call', async () => {
        const { sim, hotspot, router } = await setup();
        await hotspot.identity(router);
        sim.dropConnections();
        await eventually(() => sim.state.counters.connectionsOpen === 0);
        await sleep(20);
        expect(await hotspot.identity(router)).to.equal('MikroTik');
        expect(sim.state.counters.connectionsAccepted).to.equal(2);
      });
    });

    describe('per-router connection handling', () => {
      it('50 concurrent operations on one router reuse one connection and never exceed the bound', async () => {
        const { sim, hotspot, router } = await setup({}, { maxConcurrentPerRouter: 4, commandTimeoutMs: 5000 });
        await sim.faults.set({ replyDelayMs: 5 });
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0
          ? hotspot.createUser(router, { name: `c${i}`, password: 'p', profile: '1h' }).then(() => 'ok')
          : hotspot.findUserByName(router, `c${i - 1}`).then(() => 'ok'))));
        expect(results.every((r) => r === 'ok')).to.equal(true);
        expect(sim.state.counters.maxInFlight).to.equal(4);
        expect(sim.state.counters.connectionsAccepted).to.equal(1);
        expect(sim.state.userList).to.have.length(25);
      });

      it('queue wait counts against the command timeout', async () => {
        // Deterministic, whatever the machine's load: the first command holds the only
        // permit until the router answers it (1 s, with its own 5 s timeout), so the
        // commands queued behind it (250 ms) reach their deadline while still queued:
        // their timers are due long before the simulator's reply timer can fire.
        const { sim, pool, hotspot, router } = await setup({}, { maxConcurrentPerRouter: 1, commandTimeoutMs: 250 });
        await hotspot.identity(router);
        await sim.faults.set({ replyDelayMs: 1000 });
        const holder = pool.run(router, ['/system/identity/print'], { timeoutMs: 5000 });
        const outcomes = await Promise.allSettled([1, 2].map(() => hotspot.identity(router)));
        for (const queued of outcomes as PromiseRejectedResult[]) {
          expect(queued.status).to.equal('rejected');
          expect(queued.reason).to.be.instanceOf(RouterTimeoutError);
          expect(queued.reason.mayHaveApplied).to.equal(false);
        }
        expect(await holder).to.deep.equal([{ name: 'MikroTik' }]);
        expect(sim.state.counters.commands['/system/identity/print']).to.equal(2); // the queued ones were never sent
      });

      it('a failing router trips its breaker while a healthy router keeps answering', async () => {
        const dead = await fx.sim({ tls });
        const healthy = await fx.sim({ tls });
        const deadRouter = target(dead);
        const healthyRouter = target(healthy);
        await dead.faults.set({ acceptAndHang: true });

        // Isolation: the dead router's connects hang (a timeout no test waits for) while the healthy router
        // answers 20 calls. A healthy call queued behind a dead router's connect would never answer.
        const waiting = fx.pool({ connectTimeoutMs: 600_000, commandTimeoutMs: 600_000, idleTimeoutMs: 600_000, breakerFailureThreshold: 3 });
        const isolated = new HotspotClient(waiting);
        let deadSettled = 0;
        const hanging = Array.from({ length: 6 }, () => isolated.identity(deadRouter).catch((e: unknown) => e).finally(() => { deadSettled += 1; }));
        for (let i = 0; i < 20; i++) expect(await isolated.identity(healthyRouter)).to.equal('MikroTik');
        expect(deadSettled, 'dead-router calls settled before the healthy calls were done').to.equal(0);
        await waiting.close();
        await Promise.all(hanging);

        // The breaker: dead-router calls fail on a connect timeout until it opens. 1 s, not less: the
        // healthy router's TLS connects share it, and they must not time out on a loaded machine.
        const pool = fx.pool({ connectTimeoutMs: 1_000, breakerFailureThreshold: 3, breakerCooldownMs: 10_000 });
        const hotspot = new HotspotClient(pool);
        await hotspot.identity(healthyRouter);
        const deadErrors = await Promise.all(Array.from({ length: 6 }, () => hotspot.identity(deadRouter).catch((e: unknown) => e)));
        expect(deadErrors.every((e) => e instanceof RouterTimeoutError || e instanceof RouterCircuitOpenError)).to.equal(true);

        // Open: fail fast, without touching the router (no connection accepted; the call does not wait for a connect).
        const before = dead.state.counters.connectionsAccepted;
        const fast = await timed(() => hotspot.identity(deadRouter));
        expect(fast.error).to.be.instanceOf(RouterCircuitOpenError);
        expect((fast.error as RouterCircuitOpenError).headers['Retry-After']).to.match(/^\d+$/);
        expect(dead.state.counters.connectionsAccepted).to.equal(before);
        expect(pool.stats().find((s) => s.routerId === deadRouter.id)!.breaker).to.equal('open');
        expect(pool.stats().find((s) => s.routerId === healthyRouter.id)!.breaker).to.equal('closed');

        // After the cool-down one trial goes through; it fails, so the circuit opens again.
        const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
        try {
          clock.tick(10_001);
          const trial = hotspot.identity(deadRouter).catch((e: unknown) => e);
          const concurrent = await hotspot.identity(deadRouter).catch((e: unknown) => e);
          expect(concurrent).to.be.instanceOf(RouterCircuitOpenError); // only one trial at a time
          expect(await trial).to.be.instanceOf(RouterTimeoutError);
          expect(pool.stats().find((s) => s.routerId === deadRouter.id)!.breaker).to.equal('open');

          // Router back; next trial after the cool-down closes the circuit.
          await dead.faults.clear();
          clock.tick(10_001);
          expect(await hotspot.identity(deadRouter)).to.equal('MikroTik');
          expect(pool.stats().find((s) => s.routerId === deadRouter.id)!.breaker).to.equal('closed');
        } finally {
          clock.restore();
        }
      });

      it('testConnection bypasses an open circuit and closes it when the router answers', async () => {
        const { sim, pool, hotspot, router } = await setup({}, { breakerFailureThreshold: 1 });
        await sim.faults.set({ refuseConnections: true });
        await rejectsWith(hotspot.identity(router), RouterUnreachableError);
        await rejectsWith(hotspot.identity(router), RouterCircuitOpenError);
        await sim.faults.clear();
        expect((await hotspot.testConnection(router)).identity).to.equal('MikroTik');
        expect(pool.stats()[0]!.breaker).to.equal('closed');
      });

      it('changed credentials get a new connection; close() closes every connection', async () => {
        const { sim, pool, hotspot, router } = await setup();
        await hotspot.identity(router);
        await rejectsWith(hotspot.identity({ ...router, password: 'changed' }), RouterAuthError);
        expect(await hotspot.identity(router)).to.equal('MikroTik');
        expect(sim.state.counters.connectionsAccepted).to.equal(3);
        await pool.close();
        await eventually(() => sim.state.counters.connectionsOpen === 0);
        await rejectsWith(hotspot.identity(router), RouterUnreachableError);
      });

      it('an idle connection is closed after idleTimeoutMs and reopened on demand', async () => {
        // The idle timeout is also the socket's during connect and login: under 1 s, a TLS handshake on a busy machine could trip it.
        const { sim, pool, hotspot, router } = await setup({}, { idleTimeoutMs: 1_000 });
        await hotspot.identity(router);
        expect(pool.stats()[0]).to.include({ connected: true, inFlight: 0, queued: 0, breaker: 'closed' });
        await eventually(() => sim.state.counters.connectionsOpen === 0, 5_000);
        expect(pool.stats()[0]!.connected).to.equal(false);
        expect(await hotspot.identity(router)).to.equal('MikroTik');
        expect(sim.state.counters.connectionsAccepted).to.equal(2);
        expect(pool.stats()[0]!.breaker).to.equal('closed');
      });

      it('close() settles commands in flight and connects in progress', async () => {
        // Timeouts out of any test's reach: close() settling at all shows it does not wait for them.
        const { sim, pool, hotspot, router } = await setup({}, { connectTimeoutMs: 600_000, commandTimeoutMs: 600_000, idleTimeoutMs: 600_000 });
        await sim.faults.set({ acceptAndHang: true });
        const pending = hotspot.identity(router).catch((e: unknown) => e);
        await sleep(50);
        await pool.close();
        expect(await pending).to.be.instanceOf(RouterUnreachableError);
      });
    });
  });
}
