/**
 * What the users half (Terraform) and the welcome function agree on.
 *
 * Both halves import this module, so a rename here changes both at once: the
 * function only acts on users the stack marked as managed, and it finds the
 * person's address in the tag the stack wrote.
 */
import * as z from 'zod/mini';

/** IAM path of every user this project manages; IAM permissions are scoped to it. */
export const MANAGED_USER_PATH = '/iam-onboarding/';

/** Tag that marks a user as managed by this project. */
export const MANAGED_BY_TAG_KEY = 'managed-by';
export const MANAGED_BY_TAG_VALUE = 'iam-onboarding';

/** Tag holding the person's email address: where the welcome email goes. */
export const EMAIL_TAG_KEY = 'email';

/** Tag holding the person's display name, when the roster gives one. */
export const DISPLAY_NAME_TAG_KEY = 'display-name';

/** Longest display name: an IAM tag value's limit; the roster allows it and the email carries it whole. */
export const DISPLAY_NAME_MAX = 256;

/**
 * Tag holding the person's previous user name, when the roster says this
 * user replaces it (`renamedFrom`). A rename deletes the old IAM user, with
 * its password and MFA devices, and the function sees only the new user's
 * CreateUser: this tag is how the email can tell the person so.
 */
export const RENAMED_FROM_TAG_KEY = 'renamed-from';

/**
 * How a person receives their sign-in: the welcome email, a Slack direct
 * message (the Slack user found by the email address), or both. Settings
 * `delivery.channel` is everyone's default; a person's own `channel` in the
 * roster is written to DELIVERY_CHANNEL_TAG_KEY.
 */
export const DELIVERY_CHANNELS = ['email', 'slack', 'email-and-slack'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const DEFAULT_DELIVERY_CHANNEL: DeliveryChannel = 'email';

/** Whether a channel includes a Slack direct message. */
export function usesSlack(channel: DeliveryChannel): boolean {
  return channel !== 'email';
}

/**
 * Tag holding the person's own delivery channel, when the roster gives one
 * (`channel`); absent, the function uses the settings' default
 * (WELCOME_ENV.deliveryChannel). It steers where a password goes, so the
 * tagging guard keeps it to the deploy role like the address.
 */
export const DELIVERY_CHANNEL_TAG_KEY = 'delivery-channel';

/**
 * Prefix of the tags the welcome function writes itself (e.g. the moment it
 * sent the email). The provider is told to ignore these keys, so a deploy
 * never strips them, and the roster may not use the prefix.
 */
export const FUNCTION_TAG_PREFIX = 'iam-onboarding:';

/** Set by the function after a successful send: ISO-8601 time of the welcome. */
export const WELCOMED_TAG_KEY = `${FUNCTION_TAG_PREFIX}welcomed`;

/**
 * Tag the stack writes from the roster's `resend` counter (absent when the
 * roster gives none). Raising the counter changes the tag (IAM TagUser), and
 * the pipeline answers with a new temporary password and a new email.
 */
export const RESEND_TAG_KEY = 'resend-welcome';

/**
 * Set by the function after it served a resend: the counter value it served,
 * so each value is handled exactly once, however often its event arrives.
 */
export const RESENT_TAG_KEY = `${FUNCTION_TAG_PREFIX}resent`;

/**
 * Set by the function with every welcome or resend email it sends (and when
 * SES's answer was lost, so the email may have gone): the address it went
 * to. A later resend to another address then tells this one (old -> new),
 * and a resend nobody can attribute to the deploy role goes only here.
 */
export const SENT_TO_TAG_KEY = `${FUNCTION_TAG_PREFIX}sent-to`;

/**
 * Tag the stack writes ("true") from the roster's `resendAfterSignIn`: the
 * explicit ask that a raised counter also replaces the password of a person
 * who has signed in with it. Honoured only on a TagUser by the deploy role.
 */
export const RESEND_AFTER_SIGN_IN_TAG_KEY = 'resend-after-sign-in';

/**
 * Tag the stack writes ("true") while the roster says `"suspended": true`, or
 * once the person's `accessUntil` has passed at synthesis. A suspended user
 * keeps its name, ID, groups, tags and history, and carries the AWS-managed
 * deny-all policy (DENY_ALL_POLICY_ARN); the function answers the tag's
 * TagUser by deleting the login profile and deactivating access keys, and
 * its removal (reinstating) with a fresh password through the resend path.
 */
export const SUSPENDED_TAG_KEY = 'suspended';

/**
 * Tag the stack writes from the roster's `accessUntil` (`YYYY-MM-DD`): the
 * last day, in UTC, the person has access. The hourly reconcile run
 * suspends a person whose day has passed, and warns the admins a week
 * before.
 */
export const ACCESS_UNTIL_TAG_KEY = 'access-until';

/**
 * Set by the function when it has turned a suspended person's sign-in and
 * keys off (login profile deleted, access keys deactivated): ISO-8601 time.
 * A later REINSTATED_AT_TAG_KEY tells that the suspension was lifted since.
 */
export const SUSPENDED_AT_TAG_KEY = `${FUNCTION_TAG_PREFIX}suspended-at`;

/** Set by the function when it issued a reinstated person a fresh password: ISO-8601 time. */
export const REINSTATED_AT_TAG_KEY = `${FUNCTION_TAG_PREFIX}reinstated-at`;

/** Set by the reconcile run when it warned the admins of an end date: the day it warned of. */
export const END_WARNED_TAG_KEY = `${FUNCTION_TAG_PREFIX}end-warned`;

/** Days before an `accessUntil` day the reconcile run warns the admins. */
export const END_WARNING_DAYS = 7;

/**
 * Attached to every suspended user: AWS's managed policy that denies every
 * action. A Deny no grant can lift, effective at once, whatever groups the
 * user is still in (they are kept, so reinstating restores them untouched).
 */
export const DENY_ALL_POLICY_ARN = 'arn:aws:iam::aws:policy/AWSDenyAll';

/**
 * Set by the function when it deleted a login profile never used within the
 * configured days: ISO-8601 time of the expiry. Kept after a resend, so
 * compare it with the resent tag to tell whether access came back.
 */
export const EXPIRED_TAG_KEY = `${FUNCTION_TAG_PREFIX}expired`;

/**
 * Days an unused temporary password may stay (settings `expiry.unusedPasswordDays`,
 * env UNUSED_PASSWORD_DAYS). At least one day: a person told on a Friday
 * evening must find the password working on Monday morning at 7 days, and
 * anything under a day races the email itself. At most 45: CIS AWS
 * Foundations (1.12) and Security Hub IAM.22 flag console passwords unused
 * for 45 days, so a longer limit would only ever be reached after the
 * account's own checks complained.
 */
export const UNUSED_PASSWORD_DAYS = { min: 1, max: 45, default: 7 } as const;

/**
 * The IAM group every managed person belongs to; it grants
 * IAMUserChangePassword. The roster may not define a group of this name.
 */
export const EVERYONE_GROUP_NAME = 'iam-onboarding-users';

/**
 * AWS-managed policy that lets a user change their own password
 * (docs/design.md, "A forced password reset needs iam:ChangePassword").
 */
export const CHANGE_PASSWORD_POLICY_ARN = 'arn:aws:iam::aws:policy/IAMUserChangePassword';

/**
 * Environment variables the pipeline sets on the welcome function. Only
 * non-secret settings travel this way.
 */
export const WELCOME_ENV = {
  /** The From address, e.g. `Example IT <onboarding@example.com>`. */
  senderAddress: 'SENDER_ADDRESS',
  /** SES identity ARN the sender belongs to (for logging and checks). */
  senderIdentityArn: 'SENDER_IDENTITY_ARN',
  /** Optional account alias for the sign-in address; IAM is asked when unset. */
  accountAlias: 'ACCOUNT_ALIAS',
  /** Organisation name shown in the email ("your Example Corp AWS account"). */
  organisationName: 'ORGANISATION_NAME',
  /** Whom the new person asks for help (free text, e.g. an address or a channel). */
  helpContact: 'HELP_CONTACT',
  /** "true" when managed people must set up MFA (settings security.requireMfa): the email explains how. */
  requireMfa: 'REQUIRE_MFA',
  /** URL of the welcome queue: the reconcile run queues one welcome per user there. */
  welcomeQueueUrl: 'WELCOME_QUEUE_URL',
  /** ARN of the admins' SNS topic (settings notifications.adminEmails); unset: no email notices. */
  adminTopicArn: 'ADMIN_TOPIC_ARN',
  /**
   * NAME of the SSM SecureString holding the Slack incoming-webhook URL
   * (never the URL itself); unset: no Slack notices.
   */
  slackWebhookParameter: 'SLACK_WEBHOOK_PARAMETER',
  /** Everyone's delivery channel (settings `delivery.channel`); unset: `email`. */
  deliveryChannel: 'DELIVERY_CHANNEL',
  /**
   * NAME of the SSM SecureString holding the Slack bot token (`xoxb-…`,
   * never the token itself), for welcome direct messages; unset: no DMs.
   */
  slackBotTokenParameter: 'SLACK_BOT_TOKEN_PARAMETER',
  /**
   * Base URL of Slack's Web API, for tests against a local stand-in only;
   * the stack never sets it. @default https://slack.com/api
   */
  slackApiUrl: 'SLACK_API_URL',
  /** SES configuration set every welcome email is sent with (bounces, complaints, rejects). */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Days an unused temporary password stays valid before the expiry run deletes it. */
  unusedPasswordDays: 'UNUSED_PASSWORD_DAYS',
  /**
   * ARN of the deploy role (settings `security.deployRoleArn`): only its
   * TagUser calls may send a resend to a new address or to a signed-in person.
   */
  deployRoleArn: 'DEPLOY_ROLE_ARN',
} as const;

/**
 * The body the reconcile schedule puts into the welcome queue: the function
 * then lists the managed users and queues a welcome for each one not yet
 * welcomed (stacks/reconcile-schedule.ts).
 */
export const RECONCILE_REQUEST = { 'iam-onboarding': 'reconcile' } as const;

/**
 * The body the daily expiry schedule puts into the welcome queue: the
 * function then deletes the login profiles of managed users that were never
 * used within the configured number of days, and tells the admins.
 */
export const EXPIRE_REQUEST = { 'iam-onboarding': 'expire' } as const;

/** IAM's longest user name (the IAM quotas); the roster and the queue's messages check it. */
export const IAM_USER_NAME_MAX = 64;

/** An IAM user name as the queue's writers and reader check it. */
export const IamUserName = z.string().check(z.minLength(1), z.maxLength(IAM_USER_NAME_MAX));

/** Why a welcome was queued by something other than a CreateUser event. */
const RequestReason = z.enum(['reconcile', 'redrive', 'operator']);
export type WelcomeRequestReason = z.infer<typeof RequestReason>;

const userRequest = <K extends 'welcome' | 'resend'>(kind: K) =>
  z.object({
    'iam-onboarding': z.literal(kind),
    userName: IamUserName,
    /**
     * IAM's user ID when queued, when known: a user deleted and created again
     * since is then left alone (its own CreateUser event welcomes it).
     */
    userId: z.optional(z.string().check(z.minLength(1))),
    reason: RequestReason,
  });

/**
 * Every body the pipeline queues itself, as one schema: the writers' types
 * below and the function's reader (handlers/welcome/core/request.ts) both
 * come from it, so the two cannot drift.
 *
 * - `expire` with `startAfter`: an expiry run that ran short of time queues
 *   this continuation of itself; the next run skips the users up to and
 *   including that one in the listing (from the start when that user is
 *   gone). Repeating users is safe.
 * - `welcome`: queued for one user by the reconcile run, the redrive tool or
 *   an operator (`npm run reconcile -- --apply`). The function treats it like
 *   a CreateUser event for that user: the same checks (managed path and tag)
 *   and the same exactly-once path.
 * - `resend`: queued by the reconcile run (a TagUser event that never arrived
 *   must not lose the resend). The function treats it like that TagUser
 *   event: it reads the counter from IAM and serves it at most once.
 */
export const QueuedRequestSchema = z.discriminatedUnion('iam-onboarding', [
  z.object({ 'iam-onboarding': z.literal('reconcile') }),
  z.object({ 'iam-onboarding': z.literal('expire'), startAfter: z.optional(IamUserName) }),
  userRequest('welcome'),
  userRequest('resend'),
]);
export type QueuedRequest = z.infer<typeof QueuedRequestSchema>;
type Queued<K extends QueuedRequest['iam-onboarding']> = Extract<
  QueuedRequest,
  Record<'iam-onboarding', K>
>;
export type ExpireRequest = Queued<'expire'>;
export type WelcomeRequest = Queued<'welcome'>;
export type ResendRequest = Queued<'resend'>;

export function expireRequest(startAfter?: string): ExpireRequest {
  return startAfter === undefined ? EXPIRE_REQUEST : { ...EXPIRE_REQUEST, startAfter };
}

/**
 * Receives of one welcome-queue message before SQS moves it to the
 * dead-letter queue. The stack sets the queue's redrive policy from it; the
 * function tells the admins when a message fails its last receive.
 */
export const WELCOME_QUEUE_MAX_RECEIVES = 5;

/**
 * SES message tag on every welcome email naming the IAM user it welcomes
 * (encoded: SES tag values allow only letters, digits, `_` and `-`), so a
 * bounce or complaint event can name the person.
 */
export const SES_USER_TAG = 'iam-onboarding-user';

export function welcomeRequest(
  user: { readonly userName: string; readonly userId?: string },
  reason: WelcomeRequestReason,
): WelcomeRequest {
  return {
    'iam-onboarding': 'welcome',
    userName: user.userName,
    ...(user.userId ? { userId: user.userId } : {}),
    reason,
  };
}

export function resendRequest(
  user: { readonly userName: string; readonly userId?: string },
  reason: WelcomeRequestReason,
): ResendRequest {
  return {
    'iam-onboarding': 'resend',
    userName: user.userName,
    ...(user.userId ? { userId: user.userId } : {}),
    reason,
  };
}
