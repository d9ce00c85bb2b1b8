/**
 * The captive portal's one polling loop (portal/src/poll.ts), on a fake clock: when it asks, how it backs
 * off after answers and after failures (Retry-After), when it gives up, and that a stopped or replaced
 * loop neither asks again nor acts on a late answer.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { nextDelay, Poller, type PollNext, type PollPolicy } from '../../portal/src/poll';

const CARD: PollPolicy = { startMs: 1000, maxMs: 5000, limitMs: 180_000 };

describe('portal: the polling loop', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => { clock = sinon.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
  afterEach(() => { clock.restore(); });

  /** A loop whose checks answer `next(n)` (n = 1, 2, …), recording when each check was made. */
  function run(policy: PollPolicy, next: (n: number) => PollNext | Error, opts?: { immediate?: boolean }) {
    const at: number[] = [];
    const failures: unknown[] = [];
    let gaveUp = 0;
    const poller = new Poller(policy);
    poller.start({
      check: () => {
        at.push(Date.now());
        const answer = next(at.length);
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
      onAnswer: (value) => value,
      onFailure: (err) => { failures.push(err); return 'again'; },
      onGiveUp: () => { gaveUp += 1; },
    }, opts);
    return { at, failures, poller, gaveUp: () => gaveUp };
  }

  it('waits 1.5 times longer after each answer, up to maxMs', async () => {
    const loop = run(CARD, () => 'again');
    await clock.tickAsync(30_000);
    const gaps = loop.at.map((t, i) => t - (i ? loop.at[i - 1]! : 0));
    expect(gaps.slice(0, 7)).to.deep.equal([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
    loop.poller.stop();
  });

  it('after a failure waits at least what Retry-After asked, never more than twice maxMs', async () => {
    const busy = Object.assign(new Error('429'), { retryAfter: 4 });
    const longer = Object.assign(new Error('503'), { retryAfter: 60 });
    const loop = run(CARD, (n) => (n === 1 ? busy : n === 2 ? longer : n === 3 ? new Error('no answer') : 'again'));
    await clock.tickAsync(40_000);
    const gaps = loop.at.map((t, i) => t - (i ? loop.at[i - 1]! : 0));
    // 1 s; Retry-After 4 s (more than 1.5 s); Retry-After 60 s capped at 10 s; a failure without it: 1.5 × 10 s capped at 10 s;
    // then answers again: 1.5 × 10 s capped at maxMs.
    expect(gaps.slice(0, 5)).to.deep.equal([1000, 4000, 10_000, 10_000, 5000]);
    expect(loop.failures).to.have.length(3);
    loop.poller.stop();
  });

  it('gives up once limitMs has passed, and asks no more', async () => {
    const loop = run({ startMs: 1000, maxMs: 5000, limitMs: 20_000 }, () => 'again');
    await clock.tickAsync(60_000);
    expect(loop.gaveUp()).to.equal(1);
    expect(loop.at[loop.at.length - 1]).to.be.at.most(20_000 + 5000);
    const asked = loop.at.length;
    await clock.tickAsync(60_000);
    expect(loop.at).to.have.length(asked);
  });

  it("'stop' ends it; 'restart' starts the waits over; immediate asks at once", async () => {
    const stopped = run(CARD, (n) => (n === 3 ? 'stop' : 'again'));
    await clock.tickAsync(60_000);
    expect(stopped.at).to.deep.equal([1000, 2500, 4750]);

    const restarted = run({ startMs: 1500, maxMs: 8000 }, (n) => (n === 4 ? 'restart' : 'again'), { immediate: true });
    await clock.tickAsync(20_000);
    const gaps = restarted.at.map((t, i) => t - (i ? restarted.at[i - 1]! : t));
    expect(restarted.at[0]).to.equal(60_000);
    expect(gaps.slice(1, 6)).to.deep.equal([1500, 2250, 3375, 1500, 2250]);
    restarted.poller.stop();
  });

  it('a stopped or replaced loop drops its late answer and asks no more', async () => {
    let release: (v: string) => void = () => {};
    const answers: string[] = [];
    const poller = new Poller(CARD);
    poller.start({
      check: () => new Promise<string>((resolve) => { release = resolve; }),
      onAnswer: (v) => { answers.push(v); return 'again'; },
      onFailure: () => 'again',
    });
    await clock.tickAsync(1000); // the first check is in flight
    let second = 0;
    poller.start({ check: () => { second += 1; return Promise.resolve('new'); }, onAnswer: (v) => { answers.push(v); return 'stop'; }, onFailure: () => 'stop' });
    release('old');
    await clock.tickAsync(10_000);
    expect(answers).to.deep.equal(['new']);
    expect(second).to.equal(1);

    const checks: number[] = [];
    poller.start({ check: () => { checks.push(Date.now()); return Promise.resolve(1); }, onAnswer: () => 'again', onFailure: () => 'again' });
    await clock.tickAsync(2500);
    poller.stop();
    await clock.tickAsync(60_000);
    expect(checks).to.have.length(2);
  });

  it('nextDelay is the one policy', () => {
    expect(nextDelay(CARD, 1000)).to.equal(1500);
    expect(nextDelay(CARD, 4000)).to.equal(5000);
    expect(nextDelay(CARD, 1000, { retryAfterMs: 0 })).to.equal(1500);
    expect(nextDelay(CARD, 1000, { retryAfterMs: 7000 })).to.equal(7000);
    expect(nextDelay(CARD, 9000, { retryAfterMs: 0 })).to.equal(10_000);
    // After a check made at once: the first wait.
    expect(nextDelay(CARD, 0)).to.equal(1000);
    expect(nextDelay(CARD, 0, { retryAfterMs: 3000 })).to.equal(3000);
  });
});
