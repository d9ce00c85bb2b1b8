/** The small pieces of the MikroTik client on their own: semaphore, breaker, errors, ASCII, mapping. */
import { expect } from 'chai';
import sinon from 'sinon';
import { AppError, UpstreamError, ValidationError } from '../../../src/platform/errors';
import {
  assertRouterAscii, formatRouterDuration, RouterAuthError, RouterCircuitOpenError, RouterDuplicateUserError,
  RouterNoSuchItemError, RouterTimeoutError, RouterTrapError, RouterUnknownProfileError, RouterUnreachableError,
  toRouterAscii, trapError,
} from '../../../src/integrations/mikrotik';
import { CircuitBreaker } from '../../../src/integrations/mikrotik/circuit-breaker';
import { networkReason } from '../../../src/integrations/mikrotik/errors';
import { toProfile } from '../../../src/integrations/mikrotik/mapping';
import { Semaphore } from '../../../src/integrations/mikrotik/semaphore';

describe('mikrotik building blocks', () => {
  describe('Semaphore', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => { clock = sinon.useFakeTimers(); });
    afterEach(() => clock.restore());

    it('bounds holders, serves waiters in order and times them out at their deadline', async () => {
      const sem = new Semaphore(2);
      const timeout = () => new Error('timeout');
      const r1 = await sem.acquire(Date.now() + 100, timeout);
      const r2 = await sem.acquire(Date.now() + 100, timeout);
      expect(sem.inUse).to.equal(2);
      const order: number[] = [];
      const w3 = sem.acquire(Date.now() + 100, timeout).then((r) => { order.push(3); return r; });
      const w4 = sem.acquire(Date.now() + 100, timeout).then((r) => { order.push(4); return r; });
      const w5 = sem.acquire(Date.now() + 50, timeout).catch((e: Error) => e.message);
      expect(sem.waiting).to.equal(3);
      await clock.tickAsync(60);
      expect(await w5).to.equal('timeout');
      r1();
      r1(); // a second release is ignored
      const r3 = await w3;
      expect(sem.inUse).to.equal(2);
      r2();
      (await w4)();
      r3();
      expect(order).to.deep.equal([3, 4]);
      expect(sem.inUse).to.equal(0);
      expect(sem.waiting).to.equal(0);
    });

    it('background holders take at most their share, and a freed permit goes to a foreground waiter first', async () => {
      const sem = new Semaphore(4, 2);
      const timeout = () => new Error('timeout');
      const deadline = () => Date.now() + 1000;
      const b1 = await sem.acquire(deadline(), timeout, 'background');
      const b2 = await sem.acquire(deadline(), timeout, 'background');
      const order: string[] = [];
      const b3 = sem.acquire(deadline(), timeout, 'background').then((r) => { order.push('b3'); return r; });
      await clock.tickAsync(1);
      expect(sem.backgroundInUse).to.equal(2);
      expect(sem.waiting).to.equal(1); // two permits free, but not for background work
      const f1 = await sem.acquire(deadline(), timeout);
      const f2 = await sem.acquire(deadline(), timeout);
      expect(sem.inUse).to.equal(4);
      const f3 = sem.acquire(deadline(), timeout).then((r) => { order.push('f3'); return r; });
      b1(); // b3 queued first, but the foreground waiter gets the permit
      await clock.tickAsync(1);
      expect(order).to.deep.equal(['f3']);
      f1(); // a permit freed and room in the background share (only b2 holds one): b3 at last
      await clock.tickAsync(1);
      expect(order).to.deep.equal(['f3', 'b3']);
      b2(); f2(); (await f3)(); (await b3)();
      expect(sem.inUse).to.equal(0);
      expect(sem.backgroundInUse).to.equal(0);
    });

    it('rejectAll fails every waiter', async () => {
      const sem = new Semaphore(1);
      await sem.acquire(Date.now() + 1000, () => new Error('t'));
      const waiting = sem.acquire(Date.now() + 1000, () => new Error('t')).catch((e: Error) => e.message);
      sem.rejectAll(new Error('closed'));
      expect(await waiting).to.equal('closed');
    });
  });

  describe('CircuitBreaker', () => {
    it('opens after N consecutive failures, fails fast, then allows one trial', () => {
      let now = 1_000;
      const states: string[] = [];
      const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 5_000, now: () => now, onStateChange: (s) => states.push(s) });
      breaker.onFailure(breaker.tryAcquire()!);
      breaker.onSuccess(breaker.tryAcquire()!); // a success resets the count
      for (let i = 0; i < 3; i++) breaker.onFailure(breaker.tryAcquire()!);
      expect(breaker.state).to.equal('open');
      expect(breaker.tryAcquire()).to.equal(null);
      expect(breaker.retryAfterMs()).to.equal(5_000);
      now += 5_000;
      expect(breaker.state).to.equal('half-open');
      expect(breaker.isRejecting()).to.equal(false);
      const trial = breaker.tryAcquire();
      expect(trial).to.equal('trial');
      expect(breaker.tryAcquire()).to.equal(null); // one trial at a time
      breaker.onFailure(trial!);
      expect(breaker.state).to.equal('open');
      now += 5_000;
      const second = breaker.tryAcquire()!;
      breaker.onNeutral(second); // says nothing about the router: the next caller gets the trial
      const third = breaker.tryAcquire()!;
      expect(third).to.equal('trial');
      breaker.onSuccess(third);
      expect(breaker.state).to.equal('closed');
      expect(states).to.deep.equal(['open', 'half-open', 'open', 'half-open', 'closed']);
    });
  });

  describe('errors', () => {
    it('maps RouterOS trap messages to typed errors with Spanish details', () => {
      expect(trapError('failure: already have user with this name')).to.be.instanceOf(RouterDuplicateUserError);
      expect(trapError('no such item')).to.be.instanceOf(RouterNoSuchItemError);
      expect(trapError('input does not match any value of profile')).to.be.instanceOf(RouterUnknownProfileError);
      const other = trapError('failure: something else', 'RTR_1');
      expect(other).to.be.instanceOf(RouterTrapError).and.not.instanceOf(RouterDuplicateUserError);
      expect(other).to.include({ routerId: 'RTR_1', status: 502, detail: 'El router rechazó la operación: failure: something else' });
    });

    it('are AppErrors the HTTP layer can map', () => {
      const errors = [
        new RouterUnreachableError('conexión rechazada'), new RouterTimeoutError('tiempo de espera agotado'),
        new RouterAuthError(), new RouterCircuitOpenError(12_300), trapError('x'),
      ];
      for (const e of errors) expect(e).to.be.instanceOf(UpstreamError).and.instanceOf(AppError);
      expect(errors.map((e) => e.status)).to.deep.equal([502, 504, 502, 503, 502]);
      expect(errors[1]!.detail).to.equal('No se pudo conectar con el router: tiempo de espera agotado');
      expect(errors[3]!.headers).to.deep.equal({ 'Retry-After': '13' });
    });

    it('explains socket and TLS failures in Spanish', () => {
      expect(networkReason('ECONNREFUSED')).to.equal('conexión rechazada');
      expect(networkReason('ENOTFOUND')).to.equal('no se pudo resolver el nombre del host');
      expect(networkReason('DEPTH_ZERO_SELF_SIGNED_CERT')).to.equal('certificado TLS no válido');
      expect(networkReason('ERR_SSL_WRONG_VERSION_NUMBER')).to.equal('error en la negociación TLS');
      expect(networkReason(undefined)).to.equal('error de red');
    });
  });

  describe('ASCII', () => {
    it('rejects non-ASCII names and control characters, normalizes accents in free text', () => {
      expect(assertRouterAscii('hs-123_A.b', 'name')).to.equal('hs-123_A.b');
      for (const bad of ['josé', 'a\tb', 'x\u0000', 'ü']) expect(() => assertRouterAscii(bad, 'name')).to.throw(ValidationError);
      expect(() => assertRouterAscii('a'.repeat(65), 'name')).to.throw(ValidationError);
      expect(toRouterAscii('Compra Señor Pérez ÁÉÍÓÚ', 'comment')).to.equal('Compra Senor Perez AEIOU');
      expect(() => toRouterAscii('pago ✓', 'comment')).to.throw(ValidationError);
    });
  });

  describe('mapping', () => {
    it('formats intervals like RouterOS and maps unlimited shared users to null', () => {
      expect(formatRouterDuration(90061)).to.equal('1d1h1m1s');
      expect(formatRouterDuration(604800)).to.equal('1w');
      const p = toProfile({ '.id': '*3', name: 'vip', 'shared-users': 'unlimited', 'address-list': '', 'transparent-proxy': 'yes' });
      expect(p).to.include({ id: '*3', name: 'vip', shared_users: null, address_list: null, transparent_proxy: true, session_timeout: null, is_default: false });
    });
  });
});
