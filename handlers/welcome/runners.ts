/**
 * One queue record, from its body to its logged outcome: read once into a
 * request (core/request.ts) and run by the runner its kind names. What a
 * runner returns is both the record's result and its "event done" (or
 * "event skipped") line. A runner that throws fails just this record, for
 * SQS to deliver again; so does an unreadable body, which a retry cannot
 * help but which the dead-letter queue then keeps, where the alarm tells someone.
 */
import { type InboundRequest, readRecord, type RecordKeys } from './core/request';
import { errorName, RecordError } from './core/errors';
import { type ExpiryRunResult, runExpiry } from './expiry';
import type { RunContext } from './run-context';
import { eventLog, type EventLog } from './log';
import { type FeedbackOutcome, handleSesFeedback, lastTryNotice, welcomedNotice } from './notices';
import { type LifecycleEventResult, runLifecycleEvent } from './lifecycle-event';
import { type ReconcileOutcome, runReconcile } from './reconcile';
import { type ResendOutcome, resendWelcome } from './resend';
import { type UserOutcome, welcomeUser } from './welcome';

type Ids = Omit<RecordKeys, 'snsMessageId'>;

/** What one record's run did: the fields of its "event done" or "event skipped" line. */
export type RecordOutcome = Ids &
  (
    | UserOutcome
    | ResendOutcome
    | ReconcileOutcome
    | LifecycleEventResult
    | ExpiryRunResult
    | FeedbackOutcome
    | { outcome: 'skipped'; reason: string; detail: string }
  );

/** A record's end: its outcome, or the error that fails it. */
export type RecordResult = RecordOutcome | { outcome: 'failed'; error: RecordError };

type Runner<K extends InboundRequest['kind']> = (
  run: RunContext,
  request: Extract<InboundRequest, { kind: K }>,
  log: EventLog,
) => Promise<RecordOutcome>;

const RUNNERS: { [K in InboundRequest['kind']]: Runner<K> } = {
  welcome: async (run, { event }, log) => {
    const result = await welcomeUser(run, event, log);
    if (result.outcome === 'welcomed') await run.notifyAdmins(welcomedNotice(event, result));
    return result;
  },
  resend: (run, { event }, log) => resendWelcome(run, event, log),
  reconcile: (run, _request, log) => runReconcile(run, log),
  lifecycle: (run, { event }, log) => runLifecycleEvent(run, event, log),
  expire: (run, request, log) => runExpiry(run, request, log),
  'ses-feedback': (run, { event }, log) => handleSesFeedback(run, event, log),
  skip: (_run, { reason, detail }) => Promise.resolve({ outcome: 'skipped', reason, detail }),
  unreadable: (_run, { reason, detail }) => {
    const action = `${detail}; no writer of the queue sends this body, the dead-letter queue keeps it`;
    return Promise.reject(new RecordError({ step: 'read-message', errorName: reason, action }));
  },
};

/** One SQS record: its result, never thrown (handler.ts reports a failure to SQS). */
export async function runRecord(run: RunContext, record: unknown): Promise<RecordResult> {
  const { messageId, receiveCount, keys, request } = readRecord(record);
  const { snsMessageId: _sns, ...ids } = keys;
  const sqsMessageId = messageId === '' ? {} : { sqsMessageId: messageId };
  const log = eventLog(run.deps.logger, { ...sqsMessageId, receiveCount, ...keys });
  try {
    const runner = RUNNERS[request.kind] as Runner<typeof request.kind>;
    const outcome = await runner(run, request, log);
    log.info(outcome.outcome === 'skipped' ? 'event skipped' : 'event done', outcome);
    return { ...outcome, ...ids };
  } catch (error) {
    // Of an error that is not a RecordError only the name is kept: an unknown
    // error's message may carry values that must not reach the logs.
    const { kind } = request;
    const step =
      kind === 'reconcile' || kind === 'expire' || kind === 'lifecycle' ? kind : 'unexpected';
    const failure =
      error instanceof RecordError
        ? error
        : new RecordError({ ...ids, step, errorName: errorName(error) });
    const outcome = failure.deferred ? 'deferred' : 'failed';
    const { step: failedAt, errorName: name, message: reason } = failure;
    const line = { outcome, step: failedAt, errorName: name, reason };
    log[failure.deferred ? 'warn' : 'error'](`event ${outcome}`, line);
    // The queue's last receive: the admins hear of the person it leaves without an email.
    const last = lastTryNotice(request, receiveCount, failure);
    if (last) await run.notifyAdmins(last);
    return { outcome: 'failed', error: failure };
  }
}
