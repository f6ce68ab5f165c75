/**
 * One queue record, from its body to its logged outcome: read once into a
 * request (core/request.ts), run by the runner its kind names in RUNNERS, and
 * logged as "event done", "event skipped", "event deferred" or "event
 * failed" (the failure alarm counts the last). A runner returns what it did
 * or throws; a throw fails just this record, which the batch processor
 * reports for SQS to deliver again (handler.ts).
 *
 * A body that is none of the requests fails too, on purpose: it cannot
 * succeed on a retry, but acknowledging it would lose it, while failing it
 * keeps it in the dead-letter queue after the queue's last receive, where the
 * dead-letter alarm tells someone to read it. No writer of the queue sends
 * one, so this costs a few receives of a message that should never exist.
 */
import type { CreatedUser, InboundRequest } from './core/request';
import { readRecord } from './core/request';
import { errorName, RecordError, type RecordStep } from './core/errors';
import type { ResendEvent } from './core/resend-event';
import type { ExpiryRunResult } from './expiry';
import { runExpiry } from './expiry';
import type { RunContext } from './flow';
import { welcomeUser } from './welcome';
import { eventLog, type EventLog, type LogKeys } from './log';
import { handleSesFeedback, lastTryNotice, welcomedNotice } from './notices';
import { runReconcile } from './reconcile';
import { resendWelcome } from './resend';

/** What one record's run did: what the batch's observer and the logs see. */
export type RecordOutcome =
  | {
      outcome: 'welcomed';
      eventId: string;
      userName: string;
      messageId?: string;
      replacesEarlier: boolean;
    }
  | { outcome: 'resent'; eventId: string; userName: string; resend: number; messageId?: string }
  | { outcome: 'reconciled'; eventId: string; queued: number }
  | {
      outcome: 'expiry-done' | 'expiry-continued';
      eventId: string;
      counts: Extract<ExpiryRunResult, { counts: unknown }>['counts'];
    }
  /** SES's word on a sent email, logged (and told to the admins when someone must act). */
  | { outcome: 'feedback'; reason: string; userName?: string }
  | { outcome: 'skipped'; reason: string; eventId?: string; userName?: string };

/** A record's end: its outcome, or the error that fails it. */
export type RecordResult = RecordOutcome | { outcome: 'failed'; error: RecordError };

type Request<K extends InboundRequest['kind']> = Extract<InboundRequest, { kind: K }>;
type Runner<K extends InboundRequest['kind']> = (
  run: RunContext,
  request: Request<K>,
  keys: LogKeys,
) => { log: EventLog; step: RecordStep; outcome: () => Promise<RecordOutcome> };

function who(event: CreatedUser | ResendEvent) {
  return { eventId: event.eventId, userName: event.userName };
}

function keysOf(event: CreatedUser | ResendEvent): LogKeys {
  return { ...who(event), snsMessageId: event.snsMessageId };
}

/** Each request kind and what runs it. */
const RUNNERS: { [K in InboundRequest['kind']]: Runner<K> } = {
  welcome: (run, { event }, keys) => {
    const log = eventLog(run.deps.logger, { ...keys, ...keysOf(event) });
    return {
      log,
      step: 'unexpected',
      outcome: async () => {
        const result = await welcomeUser(run, event, log);
        if (result.outcome === 'skipped') return skipped(log, result, who(event));
        log.info('event done', { outcome: 'welcomed', replacesEarlier: result.replacesEarlier });
        await run.notifyAdmins(welcomedNotice(event, result));
        return { ...result, ...who(event) };
      },
    };
  },
  resend: (run, { event }, keys) => {
    const log = eventLog(run.deps.logger, { ...keys, ...keysOf(event) });
    return {
      log,
      step: 'unexpected',
      outcome: async () => {
        const result = await resendWelcome(run, event, log);
        if (result.outcome === 'skipped') return skipped(log, result, who(event));
        log.info('event done', { outcome: 'resent', resend: result.resend });
        return { ...result, ...who(event) };
      },
    };
  },
  reconcile: (run, _request, keys) => {
    const eventId = 'reconcile-request';
    const log = eventLog(run.deps.logger, { ...keys, eventId });
    return {
      log,
      step: 'reconcile',
      outcome: async () => {
        const { queued } = await runReconcile(run, log);
        log.info('event done', { outcome: 'reconciled', queued });
        return { outcome: 'reconciled', eventId, queued };
      },
    };
  },
  expire: (run, request, keys) => {
    const eventId = 'expire-request';
    const log = eventLog(run.deps.logger, { ...keys, eventId });
    return {
      log,
      step: 'expire',
      outcome: async () => {
        const result = await runExpiry(run, request, log);
        if (result.outcome === 'off') {
          const detail = 'UNUSED_PASSWORD_DAYS is not set: expiry is turned off in the settings';
          return skipped(log, { reason: 'expiry-off', detail }, { eventId });
        }
        log.info('event done', { outcome: result.outcome, ...result.counts });
        return { outcome: `expiry-${result.outcome}`, eventId, counts: result.counts };
      },
    };
  },
  'ses-feedback': (run, { event, snsMessageId }, keys) => {
    const userName = event.userName === undefined ? {} : { userName: event.userName };
    const log = eventLog(run.deps.logger, { ...keys, snsMessageId, ...userName });
    return {
      log,
      step: 'unexpected',
      outcome: async () => {
        const { reason } = await handleSesFeedback(run, event, log);
        log.info('event done', { outcome: 'feedback', reason });
        return { outcome: 'feedback', reason, ...userName };
      },
    };
  },
  skip: (run, { kind: _kind, reason, detail, ...ids }, keys) => {
    const log = eventLog(run.deps.logger, { ...keys, ...ids });
    const { eventId, userName } = ids;
    return {
      log,
      step: 'unexpected',
      outcome: () =>
        Promise.resolve(
          skipped(
            log,
            { reason, detail },
            { ...(eventId ? { eventId } : {}), ...(userName ? { userName } : {}) },
          ),
        ),
    };
  },
  unreadable: (run, { reason, detail, snsMessageId }, keys) => {
    const log = eventLog(run.deps.logger, { ...keys, ...(snsMessageId ? { snsMessageId } : {}) });
    return {
      log,
      step: 'read-message',
      outcome: () =>
        Promise.reject(
          new RecordError({
            step: 'read-message',
            errorName: reason,
            action: `${detail}; no writer of the queue sends this body, the dead-letter queue keeps it`,
          }),
        ),
    };
  },
};

function skipped(
  log: EventLog,
  { reason, detail }: { reason: string; detail: string },
  ids: { eventId?: string; userName?: string },
): RecordOutcome {
  log.info('event skipped', { outcome: 'skipped', reason, detail });
  return { outcome: 'skipped', reason, ...ids };
}

/**
 * How a record whose run threw ends: a passing condition is logged as "event
 * deferred" (a warning), anything else as "event failed". An error that is
 * not a RecordError becomes one at `step`, keeping only its name: messages of
 * unknown errors may carry values that must not reach the logs.
 */
function recordFailure(log: EventLog, error: unknown, step: RecordStep, ids: object): RecordError {
  const failure =
    error instanceof RecordError
      ? error
      : new RecordError({ ...ids, step, errorName: errorName(error) });
  const attributes = {
    outcome: failure.deferred ? 'deferred' : 'failed',
    step: failure.step,
    errorName: failure.errorName,
    reason: failure.message,
  };
  if (failure.deferred) log.warn('event deferred', attributes);
  else log.error('event failed', attributes);
  return failure;
}

/** One SQS record: its result, never thrown (handler.ts turns a failure into a throw). */
export async function runRecord(run: RunContext, record: unknown): Promise<RecordResult> {
  const { messageId, receiveCount, request } = readRecord(record);
  const keys: LogKeys = { ...(messageId ? { sqsMessageId: messageId } : {}), receiveCount };
  const runner = RUNNERS[request.kind] as Runner<typeof request.kind>;
  const { log, step, outcome } = runner(run, request, keys);
  try {
    return await outcome();
  } catch (error) {
    const ids = request.kind === 'welcome' || request.kind === 'resend' ? who(request.event) : {};
    const failure = recordFailure(log, error, step, ids);
    // The queue's last receive: the admins hear of the person it leaves without an email.
    const last = lastTryNotice(request, receiveCount, failure);
    if (last) await run.notifyAdmins(last);
    return { outcome: 'failed', error: failure };
  }
}
