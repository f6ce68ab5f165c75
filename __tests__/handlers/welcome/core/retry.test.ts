import fc from 'fast-check';
import {
  backoffDelay,
  withRetries,
  type RetryOptions,
} from '../../../../handlers/welcome/core/retry';

function options(overrides: Partial<RetryOptions> = {}): RetryOptions & { waits: number[] } {
  const waits: number[] = [];
  return {
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 250,
    reserveMs: 1_000,
    remainingMs: () => 60_000,
    random: () => 0.999,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    isRetryable: (error) => error instanceof Error && error.name === 'Throttling',
    ...overrides,
    waits,
  };
}

const throttling = Object.assign(new Error('Maximum sending rate exceeded.'), {
  name: 'Throttling',
});

describe('withRetries', () => {
  it('retries retryable errors until success', async () => {
    const o = options();
    let calls = 0;
    const result = await withRetries(() => {
      calls += 1;
      return calls < 3 ? Promise.reject(throttling) : Promise.resolve('sent');
    }, o);
    expect(result).toBe('sent');
    expect(calls).toBe(3);
    expect(o.waits).toEqual([100, 200]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const o = options();
    let calls = 0;
    await expect(
      withRetries(() => {
        calls += 1;
        return Promise.reject(throttling);
      }, o),
    ).rejects.toBe(throttling);
    expect(calls).toBe(4);
    expect(o.waits).toEqual([100, 200, 250]);
  });

  it('does not retry other errors', async () => {
    const o = options();
    const other = new Error('MessageRejected');
    let calls = 0;
    await expect(
      withRetries(() => {
        calls += 1;
        return Promise.reject(other);
      }, o),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
  });

  it('does not wait into the time reserved for the rollback', async () => {
    const o = options({ remainingMs: () => 1_150 });
    let calls = 0;
    await expect(
      withRetries(() => {
        calls += 1;
        return Promise.reject(throttling);
      }, o),
    ).rejects.toBe(throttling);
    // 1150 - 100 >= 1000 allows the first wait; the fake clock does not move, so
    // 1150 - 200 < 1000 stops before the second.
    expect(o.waits).toEqual([100]);
    expect(calls).toBe(2);
  });
});

describe('backoffDelay', () => {
  it('stays within [0, min(max, base * 2^(n-1))]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelay(attempt, {
            baseDelayMs: 250,
            maxDelayMs: 4_000,
            random: () => r,
          });
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(4_000, 250 * 2 ** (attempt - 1)));
        },
      ),
    );
  });
});
