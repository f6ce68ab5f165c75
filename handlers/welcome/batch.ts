/**
 * The records of one invocation: each is logged with its outcome, and a
 * failure is reported the way the trigger expects.
 *
 * - SQS (the trigger): failures become batch item failures, so SQS delivers
 *   just those records again after the visibility timeout (and moves one to
 *   the dead-letter queue after its last receive). Nothing is thrown for a
 *   record: a throw would fail the whole batch, welcomed records included.
 * - SNS (the old trigger, for events in flight during the switch): failures
 *   are thrown, as before, for Lambda's asynchronous retries and on-failure
 *   destination.
 *
 * Records that can never succeed (malformed, not a CreateUser) are logged
 * skips either way: retrying them would only fill the dead-letter queue.
 */
import type { SQSBatchResponse } from 'aws-lambda';
import { WelcomeError } from './core/errors';
import type { CreatedUser, ParsedRecord, SqsItem } from './core/event';
import type { ResendEvent } from './core/resend-event';
import { type Attempt, remainingMs, type RunContext, welcomeUser } from './flow';
import { runReconcile } from './reconcile';
import { resendWelcome } from './resend';
import { runExpiryRecord } from './expiry-record';
import { eventLog, type LogKeys } from './log';
import { recordFailure } from './record-failure';
import { handleSesFeedback, lastTryNotice, welcomedNotice } from './notices';

export type RecordOutcome =
  | {
      outcome: 'welcomed';
      eventId: string;
      userName: string;
      messageId?: string;
      replacesEarlier: boolean;
    }
  | { outcome: 'skipped'; reason: string; eventId?: string; userName?: string }
  | { outcome: 'resent'; eventId: string; userName: string; resend: number; messageId?: string };

export interface WelcomeSummary {
  records: RecordOutcome[];
}

/** Thrown when several records of one invocation failed; each is also logged. */
export class WelcomeBatchError extends Error {
  constructor(errors: readonly WelcomeError[]) {
    super(`${errors.length} records failed: ${errors.map((e) => e.message).join(' | ')}`);
    this.name = 'WelcomeBatchError';
  }
}

/**
 * A record is not started with less time left than this: one record can
 * spend ~3.5 s per IAM read waiting for visibility, ~8 s on SES throttling
 * and the rollback reserve. If the invocation timed out mid-record, SQS would
 * deliver the whole batch again; deferring the rest is cleaner.
 */
export const MIN_RECORD_START_MS = 20_000;

type RecordResult = RecordOutcome | { outcome: 'failed'; error: WelcomeError };

/** One record, from parsed message to logged outcome; never throws. */
async function runRecord(
  run: RunContext,
  parsed: ParsedRecord,
  keys: LogKeys,
  attempt: Attempt,
): Promise<RecordResult> {
  const { deps } = run;
  if (parsed.kind === 'reconcile') {
    const log = eventLog(deps.logger, { ...keys, eventId: 'reconcile-request' });
    try {
      const { queued } = await runReconcile(run, log);
      log.info('event done', { outcome: 'reconciled', queued });
      return { outcome: 'skipped', reason: 'reconciled', eventId: 'reconcile-request' };
    } catch (error) {
      return recordFailure(log, error, { step: 'reconcile' });
    }
  }
  if (parsed.kind === 'expire') return runExpiryRecord(run, parsed, keys);
  if (parsed.kind === 'skip') {
    const { kind: _kind, reason, detail, ...parsedKeys } = parsed;
    const all = { ...keys, ...parsedKeys };
    eventLog(deps.logger, all).info('event skipped', { outcome: 'skipped', reason, detail });
    return {
      outcome: 'skipped',
      reason,
      ...(all.eventId === undefined ? {} : { eventId: all.eventId }),
      ...(all.userName === undefined ? {} : { userName: all.userName }),
    };
  }
  if (parsed.kind === 'ses-feedback') {
    const who = parsed.event.userName === undefined ? {} : { userName: parsed.event.userName };
    const log = eventLog(deps.logger, { ...keys, snsMessageId: parsed.snsMessageId, ...who });
    const { reason } = await handleSesFeedback(run, parsed.event, log);
    return { outcome: 'skipped', reason, ...who };
  }
  const created = parsed.event;
  const log = eventLog(deps.logger, { ...keys, ...eventKeys(created) });
  const who = { eventId: created.eventId, userName: created.userName };
  try {
    if (parsed.kind === 'resend') {
      const resent = await resendWelcome(run, parsed.event, log, attempt);
      if (resent.outcome === 'skipped') {
        const { reason, detail } = resent;
        log.info('event skipped', { outcome: 'skipped', reason, detail });
        return { outcome: 'skipped', reason, ...who };
      }
      log.info('event done', { outcome: 'resent', resend: resent.resend });
      return { ...resent, ...who };
    }
    const result = await welcomeUser(run, parsed.event, log, attempt);
    if (result.outcome === 'skipped') {
      const { reason, detail } = result;
      log.info('event skipped', { outcome: 'skipped', reason, detail });
      return { outcome: 'skipped', reason, ...who };
    }
    log.info('event done', { outcome: 'welcomed', replacesEarlier: result.replacesEarlier });
    await run.notifyAdmins(welcomedNotice(parsed.event, result));
    return { ...result, ...who };
  } catch (error) {
    return recordFailure(log, error, { step: 'unexpected', ...who });
  }
}

function eventKeys(event: CreatedUser | ResendEvent): LogKeys {
  return { eventId: event.eventId, snsMessageId: event.snsMessageId, userName: event.userName };
}

/** SQS: every record in order; the failed ones are returned for SQS to deliver again. */
export async function runSqsBatch(run: RunContext, items: SqsItem[]): Promise<SQSBatchResponse> {
  const failed = new Set<string>();
  for (const item of items) {
    const keys: LogKeys = {
      ...(item.messageId === undefined ? {} : { sqsMessageId: item.messageId }),
      receiveCount: item.receiveCount,
    };
    const { parsed } = item;
    if (
      (parsed.kind === 'create-user' || parsed.kind === 'resend') &&
      remainingMs(run.context) < MIN_RECORD_START_MS
    ) {
      eventLog(run.deps.logger, { ...keys, ...eventKeys(parsed.event) }).warn('event deferred', {
        outcome: 'deferred',
        step: 'deadline',
        reason: 'too little time left in this invocation to start; the next delivery runs it',
      });
      if (item.messageId !== undefined) failed.add(item.messageId);
      const last = lastTryNotice(parsed, item.receiveCount, {
        step: 'deadline',
        errorName: 'NoTimeLeft',
      });
      if (last) await run.notifyAdmins(last);
      continue;
    }
    const result = await runRecord(run, parsed, keys, { receiveCount: item.receiveCount });
    if (result.outcome === 'failed') {
      const last = lastTryNotice(parsed, item.receiveCount, result.error);
      if (last) await run.notifyAdmins(last);
    }
    // A record without a message ID cannot be named as failed; it was parsed as a skip.
    if (result.outcome === 'failed' && item.messageId !== undefined) failed.add(item.messageId);
  }
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}

/** SNS: every record in order; failures are thrown after all records ran. */
export async function runSnsRecords(
  run: RunContext,
  records: ParsedRecord[],
): Promise<WelcomeSummary> {
  const outcomes: RecordOutcome[] = [];
  const failures: WelcomeError[] = [];
  for (const parsed of records) {
    const result = await runRecord(run, parsed, {}, { receiveCount: 1 });
    if (result.outcome === 'failed') failures.push(result.error);
    else outcomes.push(result);
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new WelcomeBatchError(failures);
  return { records: outcomes };
}
