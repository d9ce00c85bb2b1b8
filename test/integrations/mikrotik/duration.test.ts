/** RouterOS durations: one parser and one formatter (shared/) for the server, the simulator and the portal. */
import { expect } from 'chai';
import { formatRouterDuration, parseRouterDuration } from '../../../src/integrations/mikrotik';

describe('RouterOS durations', () => {
  it('reads every form RouterOS prints or accepts, and refuses what it does not', () => {
    expect(parseRouterDuration('1h30m')).to.equal(5400);
    expect(parseRouterDuration('1w2d3h4m5s')).to.equal(604_800 + 2 * 86_400 + 3 * 3600 + 4 * 60 + 5);
    expect(parseRouterDuration('02:03:04')).to.equal(7384);
    expect(parseRouterDuration('01:30:00')).to.equal(5400);
    expect(parseRouterDuration('1d02:00:00')).to.equal(93_600);
    expect(parseRouterDuration(' 1d 02:00:00 ')).to.equal(93_600);
    expect(parseRouterDuration('1w1d00:00:01')).to.equal(691_201);
    // A bare number is seconds, as RouterOS reads it (the simulator takes such input).
    expect(parseRouterDuration('3600')).to.equal(3600);
    expect(parseRouterDuration('0s')).to.equal(0);
    for (const bad of [null, undefined, '', 'none', '1x', '1h 30m', '25:00', '1.5h', '-5']) expect(parseRouterDuration(bad), String(bad)).to.equal(null);
  });

  it('writes seconds as RouterOS does, and reads its own output back', () => {
    expect(formatRouterDuration(0)).to.equal('0s');
    expect(formatRouterDuration(-5)).to.equal('0s');
    expect(formatRouterDuration(Number.NaN)).to.equal('0s');
    expect(formatRouterDuration(93_784)).to.equal('1d2h3m4s');
    expect(formatRouterDuration(694_861)).to.equal('1w1d1h1m1s');
    expect(formatRouterDuration(90.9)).to.equal('1m30s');
    for (const seconds of [1, 59, 3600, 86_399, 700_000]) expect(parseRouterDuration(formatRouterDuration(seconds))).to.equal(seconds);
  });
});
