/**
 * When the admins are told, and what (core/admin-notice.ts). Decided here so
 * that runners.ts only says where:
 *
 * - every welcome that sent an email (`welcomed`, noting a replacement or
 *   who queued it);
 * - a welcome that failed on the message's last receive, when SQS is about
 *   to move it to the dead-letter queue (`failed`): earlier failures are
 *   retried by the queue and need nobody, and the dead-letter alarm already
 *   tells the alerts list; the notice names the person and the fix;
 * - SES's word on a sent email (core/ses-event.ts): a permanent bounce,
 *   a complaint or a reject; a bounce because the address is on the
 *   account's suppression list (`bounced-suppressed`, with the command that
 *   lifts it); a transient (or undetermined) bounce is only logged, SES
 *   keeps retrying those itself.
 *
 * Each SES problem is also logged as an ERROR `welcome email problem`, which
 * the `welcome-email-problems` alarm counts: someone hears of it even when no
 * admin destination is configured.
 */
import { WELCOME_QUEUE_MAX_RECEIVES } from '../../shared/contract';
import type { AdminNotice } from './core/admin-notice';
import type { RecordError } from './core/errors';
import type { CreatedUser, InboundRequest } from './core/request';
import { ON_SUPPRESSION_LIST, type SesFeedback } from './core/ses-event';
import type { RunContext } from './run-context';
import type { UserOutcome } from './welcome';
import type { EventLog } from './log';

/** The log message the welcome-email-problems alarm counts (at level ERROR). */
export const EMAIL_PROBLEM_MESSAGE = 'welcome email problem';

/** Stands for the user when an SES event carries no user tag (an email not sent by the function). */
export const UNTAGGED_USER = '(no user tag)';

export function welcomedNotice(
  event: CreatedUser,
  outcome: Extract<UserOutcome, { outcome: 'welcomed' }>,
): AdminNotice {
  const details = [
    ...(outcome.replacesEarlier
      ? [
          'It replaces an earlier email that went (or may have gone) to them: only the new password works.',
        ]
      : []),
    ...(event.requested ? [`Queued by the ${event.requested} run.`] : []),
    ...(outcome.via === 'slack'
      ? ['Sent as a Slack direct message, not by email.']
      : outcome.via === 'email-and-slack'
        ? ['Also sent as a Slack direct message.']
        : []),
  ];
  return {
    kind: 'welcomed',
    userName: event.userName,
    ...(details.length > 0 ? { detail: details.join(' ') } : {}),
  };
}

/** The `failed` notice, when this was the message's last receive; undefined otherwise. */
export function lastTryNotice(
  request: InboundRequest,
  receiveCount: number,
  failure: Pick<RecordError, 'step' | 'errorName'>,
): AdminNotice | undefined {
  if (request.kind !== 'welcome' || receiveCount < WELCOME_QUEUE_MAX_RECEIVES) return undefined;
  return {
    kind: 'failed',
    userName: request.event.userName,
    detail: `failed ${receiveCount} times; last at step ${failure.step} (${failure.errorName})`,
  };
}

/** How SES's report on a welcome email was taken (`reason`: what it said). */
export type FeedbackOutcome = { outcome: 'feedback'; reason: string };

/** Logs SES's report on a welcome email and tells the admins when a person must act. */
export async function handleSesFeedback(
  run: RunContext,
  feedback: SesFeedback,
  log: EventLog,
): Promise<FeedbackOutcome> {
  const userName = feedback.userName ?? UNTAGGED_USER;
  const facts = {
    feedback: feedback.feedback,
    ...(feedback.bounceType ? { bounceType: feedback.bounceType } : {}),
    ...(feedback.bounceSubType ? { bounceSubType: feedback.bounceSubType } : {}),
    sesMessageId: feedback.sesMessageId,
    recipientCount: feedback.addresses.length,
  };
  if (feedback.feedback === 'bounce' && feedback.bounceSubType === ON_SUPPRESSION_LIST) {
    // Told apart from a bounce: nothing reached a mail server, and fixing the
    // address is not the only way out (lifting the suppression is).
    log.error(EMAIL_PROBLEM_MESSAGE, { ...facts, outcome: 'suppressed' });
    await run.notifyAdmins({
      kind: 'bounced-suppressed',
      userName,
      ...(feedback.addresses.length > 0 ? { address: feedback.addresses.join(', ') } : {}),
      suppression: { addresses: feedback.addresses, onceLifted: 'raise-resend' },
    });
    return { outcome: 'feedback', reason: 'ses-bounce-suppressed' };
  }
  if (feedback.feedback === 'bounce' && feedback.bounceType !== 'Permanent') {
    log.warn(EMAIL_PROBLEM_MESSAGE, { ...facts, outcome: 'transient-bounce' });
    return { outcome: 'feedback', reason: 'ses-transient-bounce' };
  }
  log.error(EMAIL_PROBLEM_MESSAGE, { ...facts, outcome: feedback.feedback });
  const kind =
    feedback.feedback === 'bounce'
      ? 'bounced'
      : feedback.feedback === 'complaint'
        ? 'complained'
        : 'rejected';
  await run.notifyAdmins({
    kind,
    userName,
    ...(feedback.addresses.length > 0 ? { address: feedback.addresses.join(', ') } : {}),
    ...(feedback.detail ? { detail: feedback.detail } : {}),
  });
  return { outcome: 'feedback', reason: `ses-${feedback.feedback}` };
}
