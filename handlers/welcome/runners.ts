/**
 * One queue record, from its body to its logged outcome: read once into a
 * request (core/request.ts) and run by the runner its kind names. A runner
 * returns what it did, and that one object is both the record's result and
 * its "event done" (or "event skipped") log line; or it throws, and just this
 * record fails ("event deferred" or "event failed": the failure alarm counts
 * the last), for SQS to deliver again (handler.ts).
 *
 * An unreadable body fails too, on purpose: a retry cannot help, but
 * acknowledging it would lose it, while failing it leaves it in the
 * dead-letter queue after the last receive, where the alarm tells someone.
 */
import { type InboundRequest, readRecord, type RecordKeys } from './core/request';
import { errorName, RecordError } from './core/errors';
import { type ExpiryRunResult, runExpiry } from './expiry';
import type { RunContext } from './run-context';
import { eventLog, type EventLog } from './log';
import { handleSesFeedback, lastTryNotice, welcomedNotice } from './notices';
import { type LifecycleEventResult, runLifecycleEvent } from './lifecycle-event';
import { type LifecycleCounts, runReconcile } from './reconcile';
import { type ResendOutcome, resendWelcome } from './resend';
import { type UserOutcome, welcomeUser } from './welcome';

type Ids = Omit<RecordKeys, 'snsMessageId'>;
type Skipped = { outcome: 'skipped'; reason: string; detail: string };

/** What one record's run did: the fields of its "event done" or "event skipped" line. */
export type RecordOutcome = Ids &
  (
    | UserOutcome
    | ResendOutcome
    | { outcome: 'reconciled'; queued: number; lifecycle: LifecycleCounts }
    /** The `suspended` tag changed: what was done (lifecycle-event.ts). */
    | { outcome: 'lifecycle'; lifecycle: LifecycleEventResult['lifecycle']; detail: string }
    | (Omit<Extract<ExpiryRunResult, { counts: unknown }>, 'outcome'> & {
        outcome: 'expiry-done' | 'expiry-continued';
      })
    /** SES's word on a sent email, logged (and told to the admins when someone must act). */
    | { outcome: 'feedback'; reason: string }
    | Skipped
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
  reconcile: async (run, _request, log) => ({
    outcome: 'reconciled',
    ...(await runReconcile(run, log)),
  }),
  lifecycle: async (run, { event }, log) => ({
    outcome: 'lifecycle',
    ...(await runLifecycleEvent(run, event, log)),
  }),
  expire: async (run, request, log) => {
    const result = await runExpiry(run, request, log);
    if (result.outcome === 'off') {
      const detail = 'UNUSED_PASSWORD_DAYS is not set: expiry is turned off in the settings';
      return { outcome: 'skipped', reason: 'expiry-off', detail };
    }
    return { ...result, outcome: `expiry-${result.outcome}` };
  },
  'ses-feedback': async (run, { event }, log) => ({
    outcome: 'feedback',
    ...(await handleSesFeedback(run, event, log)),
  }),
  skip: (_run, { reason, detail }) => Promise.resolve({ outcome: 'skipped', reason, detail }),
  unreadable: (_run, { reason, detail }) => {
    const action = `${detail}; no writer of the queue sends this body, the dead-letter queue keeps it`;
    return Promise.reject(new RecordError({ step: 'read-message', errorName: reason, action }));
  },
};

/** One SQS record: its result, never thrown (handler.ts turns a failure into a throw). */
export async function runRecord(run: RunContext, record: unknown): Promise<RecordResult> {
  const { messageId, receiveCount, request } = readRecord(record);
  const { snsMessageId: _sns, ...ids } = request.keys;
  const sqsMessageId = messageId === '' ? {} : { sqsMessageId: messageId };
  const log = eventLog(run.deps.logger, { ...sqsMessageId, receiveCount, ...request.keys });
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
