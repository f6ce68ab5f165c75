/**
 * One queue record, from its body to its logged outcome: read once into a
 * request (core/request.ts), run by the runner its kind names, and logged as
 * "event done", "event skipped", "event deferred" or "event failed" (the
 * failure alarm counts the last). A runner returns what it did or throws; a
 * throw fails just this record, for SQS to deliver again (handler.ts).
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
import { resendWelcome } from './resend';
import { welcomeUser } from './welcome';

type Ids = Omit<RecordKeys, 'snsMessageId'>;
type Counted = Extract<ExpiryRunResult, { counts: unknown }>;

/** What one record's run did (the logs say the same). */
export type RecordOutcome = Ids &
  (
    | { outcome: 'welcomed'; messageId?: string; replacesEarlier: boolean }
    | { outcome: 'resent'; resend: number; messageId?: string }
    | { outcome: 'reconciled'; queued: number; lifecycle: LifecycleCounts }
    /** The `suspended` tag changed: what was done (lifecycle-event.ts). */
    | { outcome: 'lifecycle'; lifecycle: LifecycleEventResult['lifecycle']; detail: string }
    | ({ outcome: 'expiry-done' | 'expiry-continued' } & Pick<Counted, 'counts'>)
    /** SES's word on a sent email, logged (and told to the admins when someone must act). */
    | { outcome: 'feedback'; reason: string }
    | { outcome: 'skipped'; reason: string }
  );

/** A record's end: its outcome, or the error that fails it. */
export type RecordResult = RecordOutcome | { outcome: 'failed'; error: RecordError };

type Runner<K extends InboundRequest['kind']> = (
  run: RunContext,
  request: Extract<InboundRequest, { kind: K }>,
  log: EventLog,
  ids: Ids,
) => Promise<RecordOutcome>;

type Why = { reason: string; detail: string };

function skipped(log: EventLog, { reason, detail }: Why, ids: Ids): RecordOutcome {
  log.info('event skipped', { outcome: 'skipped', reason, detail });
  return { outcome: 'skipped', reason, ...ids };
}

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

/**
 * A run that threw: a passing condition is logged as "event deferred" (a
 * warning), anything else as "event failed". Of an error that is not a
 * RecordError only the name is kept: an unknown error's message may carry
 * values that must not reach the logs.
 */
function recordFailure(log: EventLog, error: unknown, kind: string, ids: Ids): RecordError {
  const step =
    kind === 'reconcile' || kind === 'expire' || kind === 'lifecycle' ? kind : 'unexpected';
  const failure =
    error instanceof RecordError
      ? error
      : new RecordError({ ...ids, step, errorName: errorName(error) });
  const { deferred, step: failedAt, errorName: name, message: reason } = failure;
  const outcome = deferred ? 'deferred' : 'failed';
  log[deferred ? 'warn' : 'error'](`event ${outcome}`, {
    outcome,
    step: failedAt,
    errorName: name,
    reason,
  });
  return failure;
}

/** One SQS record: its result, never thrown (handler.ts turns a failure into a throw). */
export async function runRecord(run: RunContext, record: unknown): Promise<RecordResult> {
  const { messageId, receiveCount, request } = readRecord(record);
  const { snsMessageId: _sns, ...ids } = request.keys;
  const sqsMessageId = messageId === '' ? {} : { sqsMessageId: messageId };
  const log = eventLog(run.deps.logger, { ...sqsMessageId, receiveCount, ...request.keys });
  try {
    const runner = RUNNERS[request.kind] as Runner<typeof request.kind>;
    return await runner(run, request, log, ids);
  } catch (error) {
    const failure = recordFailure(log, error, request.kind, ids);
    // The queue's last receive: the admins hear of the person it leaves without an email.
    const last = lastTryNotice(request, receiveCount, failure);
    if (last) await run.notifyAdmins(last);
    return { outcome: 'failed', error: failure };
  }
}
