import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../server/auth/login-throttle.js';

const MIN = 60_000;

function clocked(opts: Parameters<typeof createLoginThrottle>[0] = {}) {
  let now = Date.parse('2026-11-21T08:00:00Z');
  const throttle = createLoginThrottle({ now: () => now, ...opts });
  return { throttle, advance: (ms: number) => (now += ms) };
}

describe('login throttle', () => {
  it('allows four wrong passwords, refuses the sixth try until the first failure is 15 minutes old', () => {
    const { throttle, advance } = clocked();
    for (let i = 0; i < 4; i++) {
      expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(0);
      throttle.failed('wangfang', '10.0.0.7');
      advance(MIN);
    }
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(0);
    throttle.failed('wangfang', '10.0.0.7'); // the fifth, at 08:04
    // The first failure was at 08:00: locked until 08:15, i.e. 11 minutes from 08:04.
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(11 * MIN);
    advance(11 * MIN - 1);
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(1);
    advance(1);
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(0);
  });

  it('locks only that username from that address: another user at the same gatehouse still signs in', () => {
    const { throttle } = clocked();
    for (let i = 0; i < 5; i++) throttle.failed('wangfang', '10.0.0.7');
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBeGreaterThan(0);
    expect(throttle.retryAfterMs('lijun', '10.0.0.7')).toBe(0);
    expect(throttle.retryAfterMs('wangfang', '10.0.0.8')).toBe(0);
    expect(throttle.retryAfterMs('WangFang', '10.0.0.7')).toBeGreaterThan(0); // usernames are not case-sensitive here
  });

  it('a success clears that username’s failures', () => {
    const { throttle } = clocked();
    for (let i = 0; i < 4; i++) throttle.failed('wangfang', '10.0.0.7');
    throttle.succeeded('wangfang', '10.0.0.7');
    for (let i = 0; i < 4; i++) throttle.failed('wangfang', '10.0.0.7');
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(0);
  });

  it('caps one address cycling through usernames', () => {
    const { throttle } = clocked({ maxPerAddress: 30 });
    for (let i = 0; i < 30; i++) throttle.failed(`user${i}`, '10.0.0.9');
    expect(throttle.retryAfterMs('someone-new', '10.0.0.9')).toBeGreaterThan(0);
    expect(throttle.retryAfterMs('someone-new', '10.0.0.10')).toBe(0);
  });

  it('never holds more than maxKeys entries', () => {
    const { throttle } = clocked({ maxKeys: 10 });
    for (let i = 0; i < 100; i++) throttle.failed(`user${i}`, `10.0.${i}.1`);
    // The oldest pairs were forgotten: user0 may try again; the newest is still counted.
    expect(throttle.retryAfterMs('user0', '10.0.0.1')).toBe(0);
    for (let i = 0; i < 4; i++) throttle.failed('user99', '10.0.99.1');
    expect(throttle.retryAfterMs('user99', '10.0.99.1')).toBeGreaterThan(0);
  });
});
