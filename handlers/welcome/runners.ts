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
import { type InboundRequest, readRecord } from './core/request';
import { errorName, RecordError, type RecordStep } from './core/errors';
import { type ExpiryRunResult, runExpiry } from './expiry';
import type { RunContext } from './run-context';
import { eventLog, type EventLog, type LogKeys } from './log';
import { handleSesFeedback, lastTryNotice, welcomedNotice } from './notices';
import { type LifecycleEventResult, runLifecycleEvent } from './lifecycle-event';
import { type LifecycleCounts, runReconcile } from './reconcile';
import { resendWelcome } from './resend';
import { welcomeUser } from './welcome';

type Ids = { eventId?: string; userName?: string };

/** What one record's run did (the logs say the same). */
export type RecordOutcome =
  | ({ outcome: 'welcomed'; messageId?: string; replacesEarlier: boolean } & Ids)
  | ({ outcome: 'resent'; resend: number; messageId?: string } & Ids)
  | ({ outcome: 'reconciled'; queued: number; lifecycle: LifecycleCounts } & Ids)
  /** The `suspended` tag changed: what was done (lifecycle-event.ts). */
  | ({ outcome: 'lifecycle'; lifecycle: LifecycleEventResult['lifecycle']; detail: string } & Ids)
  | ({ outcome: 'expiry-done' | 'expiry-continued' } & Ids & Pick<Counted, 'counts'>)
  /** SES's word on a sent email, logged (and told to the admins when someone must act). */
  | ({ outcome: 'feedback'; reason: string } & Ids)
  | ({ outcome: 'skipped'; reason: string } & Ids);

type Counted = Extract<ExpiryRunResult, { counts: unknown }>;

/** A record's end: its outcome, or the error that fails it. */
export type RecordResult = RecordOutcome | { outcome: 'failed'; error: RecordError };

type Runner<K extends InboundRequest['kind']> = (
  run: RunContext,
  request: Extract<InboundRequest, { kind: K }>,
  log: EventLog,
  ids: Ids,
) => Promise<RecordOutcome>;

function skipped(log: EventLog, why: { reason: string; detail: string }, ids: Ids): RecordOutcome {
  log.info('event skipped', { outcome: 'skipped', ...why });
  return { outcome: 'skipped', reason: why.reason, ...ids };
}

/** Each request kind and what runs it. */
const RUNNERS: { [K in InboundRequest['kind']]: Runner<K> } = {
  welcome: async (run, { event }, log, ids) => {
    const result = await welcomeUser(run, event, log);
    if (result.outcome === 'skipped') return skipped(log, result, ids);
    log.info('event done', { outcome: 'welcomed', replacesEarlier: result.replacesEarlier });
    await run.notifyAdmins(welcomedNotice(event, result));
    return { ...result, ...ids };
  },
  resend: async (run, { event }, log, ids) => {
    const result = await resendWelcome(run, event, log);
    if (result.outcome === 'skipped') return skipped(log, result, ids);
    log.info('event done', { outcome: 'resent', resend: result.resend });
    return { ...result, ...ids };
  },
  reconcile: async (run, _request, log, ids) => {
    const { queued, lifecycle } = await runReconcile(run, log);
    log.info('event done', { outcome: 'reconciled', queued, ...lifecycle });
    return { outcome: 'reconciled', queued, lifecycle, ...ids };
  },
  lifecycle: async (run, { event }, log, ids) => {
    const { lifecycle, detail } = await runLifecycleEvent(run, event, log);
    log.info('event done', { outcome: 'lifecycle', lifecycle, detail });
    return { outcome: 'lifecycle', lifecycle, detail, ...ids };
  },
  expire: async (run, request, log, ids) => {
    const result = await runExpiry(run, request, log);
    if (result.outcome === 'off') {
      const detail = 'UNUSED_PASSWORD_DAYS is not set: expiry is turned off in the settings';
      return skipped(log, { reason: 'expiry-off', detail }, ids);
    }
    log.info('event done', { outcome: result.outcome, ...result.counts });
    return { outcome: `expiry-${result.outcome}`, counts: result.counts, ...ids };
  },
  'ses-feedback': async (run, { event }, log, ids) => {
    const { reason } = await handleSesFeedback(run, event, log);
    log.info('event done', { outcome: 'feedback', reason });
    return { outcome: 'feedback', reason, ...ids };
  },
  skip: (_run, request, log, ids) => Promise.resolve(skipped(log, request, ids)),
  unreadable: (_run, { reason, detail }) => {
    const action = `${detail}; no writer of the queue sends this body, the dead-letter queue keeps it`;
    return Promise.reject(new RecordError({ step: 'read-message', errorName: reason, action }));
  },
};

/** Who a record is about, for its log lines and its failure. */
function keysOf(request: InboundRequest): LogKeys {
  switch (request.kind) {
    case 'welcome':
    case 'resend':
    case 'lifecycle': {
      const { eventId, snsMessageId, userName } = request.event;
      return { eventId, snsMessageId, userName };
    }
    case 'reconcile':
    case 'expire':
      return { eventId: `${request.kind}-request` };
    case 'ses-feedback': {
      const { userName } = request.event;
      return {
        snsMessageId: request.snsMessageId,
        ...(userName === undefined ? {} : { userName }),
      };
    }
    case 'skip':
    case 'unreadable': {
      const { kind: _k, reason: _r, detail: _d, ...ids } = request;
      return ids;
    }
  }
}

/** Where an error that is not a RecordError is reported. */
const STEP: Partial<Record<InboundRequest['kind'], RecordStep>> = {
  reconcile: 'reconcile',
  expire: 'expire',
  lifecycle: 'lifecycle',
};

/**
 * How a record whose run threw ends: a passing condition is logged as "event
 * deferred" (a warning), anything else as "event failed". An error that is
 * not a RecordError becomes one, keeping only its name: messages of unknown
 * errors may carry values that must not reach the logs.
 */
function recordFailure(log: EventLog, error: unknown, step: RecordStep, ids: Ids): RecordError {
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
  const keys = keysOf(request);
  const log = eventLog(run.deps.logger, {
    ...(messageId ? { sqsMessageId: messageId } : {}),
    receiveCount,
    ...keys,
  });
  const ids: Ids = {
    ...(keys.eventId === undefined ? {} : { eventId: keys.eventId }),
    ...(keys.userName === undefined ? {} : { userName: keys.userName }),
  };
  try {
    const runner = RUNNERS[request.kind] as Runner<typeof request.kind>;
    return await runner(run, request, log, ids);
  } catch (error) {
    const failure = recordFailure(log, error, STEP[request.kind] ?? 'unexpected', ids);
    // The queue's last receive: the admins hear of the person it leaves without an email.
    const last = lastTryNotice(request, receiveCount, failure);
    if (last) await run.notifyAdmins(last);
    return { outcome: 'failed', error: failure };
  }
}
