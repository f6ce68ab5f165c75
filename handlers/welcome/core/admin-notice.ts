/**
 * What the admins are told, and when: after each welcome, and after each
 * failure that needs a person. A notice carries the user name, the outcome
 * and what to do; never a password, and never anything from a secret.
 *
 * Delivery (the admins' SNS topic, Slack) is best effort: a notice that
 * cannot be delivered is logged and never fails the welcome it reports.
 */

export type AdminNoticeKind =
  /** A first welcome email went out. */
  | 'welcomed'
  /** A new password and email went out because the roster raised `resend`. */
  | 'resent'
  /** A raised `resend` was not served: not the deploy role's, or a password in use (core/resend.ts). */
  | 'resend-held'
  /** A welcome failed in a way retries will not fix: a person must act. */
  | 'failed'
  /** SES reported that the welcome email bounced (permanently). */
  | 'bounced'
  /**
   * SES reported the welcome email bounced because the address is on the
   * account-level suppression list (bounceSubType OnAccountSuppressionList):
   * SES accepted it and never tried to deliver it.
   */
  | 'bounced-suppressed'
  /** The address is on SES's suppression list: no password was issued (flow.ts holdIfSuppressed). */
  | 'suppressed'
  /** The recipient marked the welcome email as spam. */
  | 'complained'
  /** SES refused to send the welcome email. */
  | 'rejected'
  /** An unused temporary password expired: its login profile was deleted. */
  | 'expired'
  /** A suspension (the roster's, or an end date passed) was applied: sign-in and keys off. */
  | 'suspended'
  /** A suspension was lifted: a fresh temporary password went out. */
  | 'reinstated'
  /** A person's last day of access (`accessUntil`) is near. */
  | 'access-ending'
  /** Slack could not take a person's welcome DM: the email went instead (`fix` says what to mend). */
  | 'slack-fallback'
  /** The welcome email went, but the Slack DM beside it did not (channel `email-and-slack`). */
  | 'slack-not-delivered';

export interface AdminNotice {
  readonly kind: AdminNoticeKind;
  /** The IAM user the notice is about. */
  readonly userName: string;
  /** The person's email address, when it matters to the notice (bounces, where a resend went or would have gone). */
  readonly address?: string;
  /** One line on what happened, for people (no secrets, no stack traces). */
  readonly detail?: string;
  /** What to mend, when the kind's own advice is not enough (the Slack kinds: the app, the token, the person). */
  readonly fix?: string;
  /** SES's account-level suppression list holds the address (kinds `suppressed`, `bounced-suppressed`). */
  readonly suppression?: SuppressionFacts;
}

/** What the admins need to lift a suppression, and what happens after. */
export interface SuppressionFacts {
  /** The suppressed addresses: each gets its own lift command. */
  readonly addresses: readonly string[];
  /** `BOUNCE` or `COMPLAINT` (GetSuppressedDestination); unknown from a bounce event. */
  readonly reason?: string;
  /** When SES put the address on the list (or last updated it), ISO 8601. */
  readonly since?: string;
  /**
   * Who serves the person once it is lifted: the reconcile run by itself
   * (a first welcome; a resend it may serve, core/reconcile.ts), or nobody
   * until the roster raises `resend` again.
   */
  readonly onceLifted: 'reconcile' | 'raise-resend';
}

/** Sends a notice to every configured admin destination; never throws. */
export type NotifyAdmins = (notice: AdminNotice) => Promise<void>;

/** For runs with no admin destination configured. */
export const notifyNobody: NotifyAdmins = () => Promise.resolve();
