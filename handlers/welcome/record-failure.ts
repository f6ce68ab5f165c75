/**
 * How a record whose run threw ends, whatever kind it is: a passing
 * condition is logged as "event deferred" (a warning), anything else as
 * "event failed" (what the failure alarm counts), and the failure is
 * returned for SQS to deliver the record again. An error that is not a
 * WelcomeError becomes one at `step`, keeping only its name: messages of
 * unknown errors may carry values that must not reach the logs.
 */
import { errorName, WelcomeError, type WelcomeErrorContext } from './core/errors';
import type { EventLog } from './log';

export interface RecordFailure {
  outcome: 'failed';
  error: WelcomeError;
}

export function recordFailure(
  log: EventLog,
  error: unknown,
  fallback: Omit<WelcomeErrorContext, 'errorName'>,
): RecordFailure {
  const failure =
    error instanceof WelcomeError
      ? error
      : new WelcomeError({ ...fallback, errorName: errorName(error) });
  const attributes = {
    outcome: failure.deferred ? 'deferred' : 'failed',
    step: failure.step,
    errorName: failure.errorName,
    reason: failure.message,
  };
  if (failure.deferred) log.warn('event deferred', attributes);
  else log.error('event failed', attributes);
  return { outcome: 'failed', error: failure };
}
