/**
 * The expiry request as one record of a batch: logged like the others
 * ("event done", "event skipped", "event deferred", "event failed"), and a
 * failure returned for SQS to deliver the request again.
 */
import type { RecordOutcome } from './batch';
import type { WelcomeError } from './core/errors';
import { runExpiry } from './expiry';
import type { RunContext } from './flow';
import { eventLog, type LogKeys } from './log';
import { recordFailure } from './record-failure';

const EVENT_ID = 'expire-request';

export async function runExpiryRecord(
  run: RunContext,
  request: { readonly startAfter?: string },
  keys: LogKeys,
): Promise<RecordOutcome | { outcome: 'failed'; error: WelcomeError }> {
  const log = eventLog(run.deps.logger, { ...keys, eventId: EVENT_ID });
  try {
    const result = await runExpiry(run, request, log);
    if (result.outcome === 'off') {
      const detail = 'UNUSED_PASSWORD_DAYS is not set: expiry is turned off in the settings';
      log.info('event skipped', { outcome: 'skipped', reason: 'expiry-off', detail });
      return { outcome: 'skipped', reason: 'expiry-off', eventId: EVENT_ID };
    }
    log.info('event done', { outcome: result.outcome, ...result.counts });
    return { outcome: 'skipped', reason: 'expiry-run', eventId: EVENT_ID };
  } catch (error) {
    return recordFailure(log, error, { step: 'expire' });
  }
}
