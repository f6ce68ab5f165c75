/**
 * Bounded, jittered retries for errors that are known to mean "nothing
 * happened, try later" (SES throttling). Sleep, randomness and the time left
 * are injected so tests run instantly and deterministically.
 */

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: Sleep;
  /** Uniform in [0, 1); jitter spreads concurrent senders apart. */
  random: () => number;
  /** Time left for the whole invocation; no wait may eat into `reserveMs`. */
  remainingMs: () => number;
  /** Kept free for what follows a final failure (the rollback). */
  reserveMs: number;
  isRetryable: (error: unknown) => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** "Full jitter" back-off: a uniform wait in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(options.random() * ceiling);
}

/** Runs `operation` until it succeeds, fails for good, or the budget is spent; rethrows the last error. */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= options.maxAttempts || !options.isRetryable(error)) throw error;
      const delayMs = backoffDelay(attempt, options);
      if (options.remainingMs() - delayMs < options.reserveMs) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      await options.sleep(delayMs);
    }
  }
}
