/**
 * The welcome flow for one CreateUser event, wired to injected dependencies so
 * that tests can pass fast sleeps, a fake clock and seeded jitter while using
 * the real SDK clients (intercepted in process).
 *
 * Exactly-once email rests on IAM: CreateLoginProfile succeeds for one run
 * only. That run sends the email, then tags the user as welcomed; if sending
 * fails it deletes the profile again and fails, so that the next delivery
 * starts from scratch. A profile found without the welcomed tag is judged by
 * its age and by whether the person has signed in (core/consistency.ts):
 * it may belong to a run still sending, or be an orphan that a failed
 * rollback (or a run that died) left, which is replaced.
 *
 * Right after CreateUser, IAM may not show the user yet
 * (docs/design.md, "IAM is eventually consistent"):
 * inside the grace period, "no such user" is waited for in process, then the
 * record fails so that SQS delivers it again; only later is it final.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import type { NotifyAdmins } from './core/admin-notice';
import {
  createLoginProfile,
  type CreateProfileOutcome,
  deleteLoginProfile,
  getLoginProfile,
  getPasswordPolicy,
  getUser,
  listUserTags,
  tagUserWith,
} from './aws/iam';
import { isTemporarilyUnmodifiable, isThrottlingError, mayHaveSucceeded } from './aws/faults';
import { isSendThrottled, sendEmail } from './aws/ses';
import type { WelcomeConfig } from './core/config';
import { IN_FLIGHT_WINDOW_MS, judgeExistingProfile, withinGrace } from './core/consistency';
import { describeError, errorName, WelcomeError, type WelcomeStep } from './core/errors';
import type { CreatedUser } from './core/event';
import { renderWelcomeEmail, type WelcomeEmail } from './core/message';
import { generatePassword, type PasswordRules, rulesFromIamPolicy } from './core/password';
import {
  decide,
  hasManagedByTag,
  isManagedPath,
  WELCOMED_TAG_KEY,
  welcomedAt,
} from './core/policy';
import { lastSentTo, resendToCover } from './core/resend';
import { type RetryOptions, type Sleep, withRetries } from './core/retry';
import { signInUrl } from './core/signin';
import { singleLine } from './core/text';
import { RESENT_TAG_KEY, SENT_TO_TAG_KEY } from '../../shared/contract';
import type { EventLog } from './log';

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time kept free at the end of the invocation for the rollback. */
  reserveMs: number;
}

/**
 * For throttled SES sends and IAM creates: at most ~8 s of waiting per step
 * (the sum of the back-off ceilings), so a Lambda timeout of 30 s leaves room.
 */
export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  reserveMs: 5_000,
};

/**
 * Waiting in process for IAM to show a user created moments ago: waits of
 * 0.25-0.5 s, 0.5-1 s and 1-2 s (equal jitter: never a useless near-zero
 * wait), at most 3.5 s per read. IAM usually catches up within that; when it
 * does not, the record fails and the next delivery reads again.
 */
export const VISIBILITY_RETRY = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 2_000 } as const;

/**
 * DeleteLoginProfile answering EntityTemporarilyUnmodifiable (409) right after
 * the profile was created: at most ~3.75 s of waiting, within the reserve kept
 * for it, leaving 1 s to report.
 */
export const DELETE_RETRY = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 2_000,
  reserveMs: 1_000,
} as const;

export interface WelcomeDeps {
  /** IAM reads, tagging and deletes (SDK retries are fine). */
  iam: IAMClient;
  /** IAM CreateLoginProfile (no SDK retries, see aws/clients.ts). */
  iamCreate: IAMClient;
  ses: SESClient;
  /** The reconcile run queues welcomes with it. */
  sqs: SQSClient;
  /** Admin notices by email (the admins' topic); without it they are logged as not delivered. */
  sns?: SNSClient;
  /** Reads the Slack webhook's SecureString; without it Slack notices are logged as not delivered. */
  ssm?: SSMClient;
  /** Posts to Slack. @default the runtime's fetch */
  fetch?: typeof fetch;
  logger: Logger;
  env: () => NodeJS.ProcessEnv;
  sleep: Sleep;
  random: () => number;
  /** Wall clock, epoch ms (grace period, profile age, the welcomed tag's value). */
  now: () => number;
  retry?: RetrySettings;
}

export interface RunContext {
  deps: WelcomeDeps;
  config: WelcomeConfig;
  context: Context;
  signInHost: () => Promise<string>;
  /** Tells the admins about an outcome; best effort, never throws. */
  notifyAdmins: NotifyAdmins;
}

/**
 * What this delivery knows about earlier attempts. Not whether an email went
 * out: a receive after a deferral or throttling sent nothing (IAM's tags and
 * profile say that, see welcomeUser).
 */
export interface Attempt {
  /** SQS ApproximateReceiveCount; 1 for the first delivery and for SNS. */
  receiveCount: number;
}

/** What became of one CreateUser event, before it is logged and summarised. */
export type UserOutcome =
  | { outcome: 'welcomed'; messageId?: string; replacesEarlier: boolean }
  | { outcome: 'skipped'; reason: string; detail: string };

const skip = (reason: string, detail: string): UserOutcome => ({
  outcome: 'skipped',
  reason,
  detail,
});

/** Everything one event's steps share (the resend flow, resend.ts, runs on the same steps). */
export interface EventRun extends RunContext {
  event: CreatedUser;
  log: EventLog;
  inGrace: () => boolean;
  /**
   * The user's resend counter when the welcome started: the first email is
   * newer than that request, so sending it serves the request too.
   */
  resendToCover?: number;
}

export function remainingMs(context: Context): number {
  return typeof context.getRemainingTimeInMillis === 'function'
    ? context.getRemainingTimeInMillis()
    : Number.POSITIVE_INFINITY;
}

/** Runs one step; a failure becomes a WelcomeError (logged without secrets). */
export async function step<T>(
  r: EventRun,
  name: WelcomeStep,
  run: () => Promise<T>,
  secrets: readonly string[] = [],
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WelcomeError) throw error;
    r.log.error('step failed', {
      step: name,
      outcome: 'error',
      error: describeError(error, secrets),
    });
    throw new WelcomeError({
      step: name,
      errorName: errorName(error),
      userName: r.event.userName,
      eventId: r.event.eventId,
    });
  }
}

export function deferred(
  r: EventRun,
  stepName: WelcomeStep,
  name: string,
  action: string,
): WelcomeError {
  return new WelcomeError({
    step: stepName,
    errorName: name,
    userName: r.event.userName,
    eventId: r.event.eventId,
    action,
    deferred: true,
  });
}

class NotVisible extends Error {}

/**
 * Reads until `visible` holds. Inside the grace period a read that is not
 * visible is retried in process, then becomes a deferred failure; after it,
 * the last read is returned as IAM's final word.
 */
async function untilVisible<T>(
  r: EventRun,
  stepName: WelcomeStep,
  read: () => Promise<T>,
  visible: (value: T) => boolean,
): Promise<T> {
  const { deps, context } = r;
  let last: T | undefined;
  try {
    return await withRetries(
      async () => {
        last = await read();
        if (!visible(last)) throw new NotVisible();
        return last;
      },
      {
        ...VISIBILITY_RETRY,
        reserveMs: (deps.retry ?? DEFAULT_RETRY).reserveMs,
        sleep: deps.sleep,
        random: () => 0.5 + deps.random() / 2,
        remainingMs: () => remainingMs(context),
        isRetryable: (error) => error instanceof NotVisible && r.inGrace(),
        onRetry: ({ attempt, delayMs }) =>
          r.log.warn('not visible in IAM yet, retrying', {
            step: stepName,
            outcome: 'not-visible',
            attempt,
            delayMs,
          }),
      },
    );
  } catch (error) {
    if (!(error instanceof NotVisible)) throw error;
    if (!r.inGrace()) return last as T;
    throw deferred(
      r,
      stepName,
      'NotVisibleYet',
      'IAM does not show the user (or its managed-by tag) yet, inside the grace period ' +
        'after CreateUser; the next delivery tries again',
    );
  }
}

function retryOptions(
  r: EventRun,
  stepName: WelcomeStep,
  isRetryable: (error: unknown) => boolean,
  secrets: readonly string[],
  settings: Partial<RetrySettings> = {},
): RetryOptions {
  const { deps, context } = r;
  return {
    ...(deps.retry ?? DEFAULT_RETRY),
    ...settings,
    sleep: deps.sleep,
    random: deps.random,
    remainingMs: () => remainingMs(context),
    isRetryable,
    onRetry: ({ attempt, delayMs, error }) =>
      r.log.warn('refused for now, retrying', {
        step: stepName,
        outcome: isThrottlingError(error) ? 'throttled' : 'temporarily-refused',
        attempt,
        delayMs,
        error: describeError(error, secrets),
      }),
  };
}

export async function welcomeUser(
  run: RunContext,
  event: CreatedUser,
  log: EventLog,
  _attempt: Attempt,
): Promise<UserOutcome> {
  const { deps } = run;
  const r: EventRun = {
    ...run,
    event,
    log,
    inGrace: () => withinGrace(event.eventTimeMs, deps.now()),
  };
  if (!isManagedPath(event.path)) {
    return skip('not-managed-path', `created with path ${event.path}`);
  }

  const user = await step(r, 'get-user', () =>
    untilVisible(
      r,
      'get-user',
      () => getUser(deps.iam, event.userName),
      (found) => found !== undefined,
    ),
  );
  if (!user) return skip('user-deleted', 'GetUser: NoSuchEntity');
  log.info('step done', { step: 'get-user', outcome: 'found', path: user.path });

  const tags = await step(r, 'list-user-tags', () =>
    untilVisible(
      r,
      'list-user-tags',
      () => listUserTags(deps.iam, event.userName),
      (found) => found !== undefined && hasManagedByTag(found),
    ),
  );
  if (!tags) return skip('user-deleted', 'ListUserTags: NoSuchEntity');
  log.info('step done', { step: 'list-user-tags', outcome: 'found', tagCount: tags.length });
  const covers = resendToCover(tags);
  if (covers !== undefined) r.resendToCover = covers;

  const decision = decide(event.userId, { ...user, tags });
  if (decision.kind === 'skip') return skip(decision.reason, decision.detail);
  log.info('step done', { step: 'decide', outcome: 'managed' });

  // Checked before CreateLoginProfile, not only when it finds a profile: if
  // someone removed a welcomed person's console access on purpose, a replayed
  // event must not give it back.
  const welcomed = welcomedAt(tags);
  if (welcomed !== undefined) {
    return skip('already-welcomed', `tag ${WELCOMED_TAG_KEY} is ${singleLine(welcomed, 40)}`);
  }

  const policy = await step(r, 'get-password-policy', () => getPasswordPolicy(deps.iam));
  const rules = rulesFromIamPolicy(policy);
  log.info('step done', {
    step: 'get-password-policy',
    outcome: policy ? 'account-policy' : 'iam-default',
    minimumLength: rules.minimumLength,
  });
  const url = await step(r, 'resolve-sign-in-url', async () => signInUrl(await run.signInHost()));
  const recipient: Recipient = {
    to: decision.email,
    ...(decision.displayName === undefined ? {} : { displayName: decision.displayName }),
    ...(decision.renamedFrom === undefined ? {} : { renamedFrom: decision.renamedFrom }),
    signInUrl: url,
    rules,
  };

  // The profile could be created, so no earlier one is left; an earlier email
  // went out only if a run recorded where it (may have) sent one, never
  // because this is a later receive (issue 21).
  const first = await createAndSend(r, recipient, lastSentTo(tags) !== undefined);
  if (first !== 'already-exists') return first;
  return handleExistingProfile(r, recipient);
}

export interface Recipient {
  to: string;
  displayName?: string;
  /** The previous user name this user replaces (tag renamed-from): the email says so. */
  renamedFrom?: string;
  signInUrl: string;
  rules: PasswordRules;
}

/** A new password, the login profile, the email, the welcomed tag; or why not. */
async function createAndSend(
  r: EventRun,
  recipient: Recipient,
  replacesEarlier: boolean,
): Promise<UserOutcome | 'already-exists'> {
  const { deps, config, event, log } = r;
  const password = await step(r, 'generate-password', () =>
    Promise.resolve(generatePassword(recipient.rules)),
  );
  const secrets = [password];
  const message = renderWelcomeEmail({
    userName: event.userName,
    ...(recipient.displayName === undefined ? {} : { displayName: recipient.displayName }),
    ...(recipient.renamedFrom === undefined ? {} : { renamedFrom: recipient.renamedFrom }),
    email: recipient.to,
    signInUrl: recipient.signInUrl,
    organisationName: config.organisationName,
    helpContact: config.helpContact,
    password,
    // Read just before CreateLoginProfile: never after the profile's
    // CreateDate, from which the expiry run counts.
    issuedAtMs: deps.now(),
    ...(config.unusedPasswordDays === undefined
      ? {}
      : { unusedPasswordDays: config.unusedPasswordDays }),
    replacesEarlier,
    mfaRequired: config.mfaRequired,
  });

  const created = await step(
    r,
    'create-login-profile',
    () =>
      untilVisible(
        r,
        'create-login-profile',
        () => createOnce(r, password, secrets),
        (outcome) => outcome !== 'no-such-user',
      ),
    secrets,
  );
  if (created === 'already-exists') {
    log.info('step done', { step: 'create-login-profile', outcome: 'already-exists' });
    return 'already-exists';
  }
  if (created === 'no-such-user') return skip('user-deleted', 'CreateLoginProfile: NoSuchEntity');
  log.info('step done', { step: 'create-login-profile', outcome: 'created' });

  const messageId = await send(r, {
    to: recipient.to,
    message,
    secrets,
    // SES's answer was lost: the email may have gone. The next delivery's
    // email then says it replaces it, and a later change of address tells this one.
    onMaybeSent: () => recordSentTo(r, recipient.to),
  });
  log.info('step done', { step: 'send-email', outcome: 'sent', messageId, replacesEarlier });
  await markWelcomed(r, new Date(deps.now()).toISOString(), secrets, {
    sentTo: recipient.to,
    ...(r.resendToCover === undefined ? {} : { resent: r.resendToCover }),
  });
  return {
    outcome: 'welcomed',
    replacesEarlier,
    ...(messageId === undefined ? {} : { messageId }),
  };
}

/** CreateLoginProfile with throttling retries; a maybe-created profile is rolled back. */
export async function createOnce(
  r: EventRun,
  password: string,
  secrets: readonly string[],
): Promise<CreateProfileOutcome> {
  try {
    return await withRetries(
      () => createLoginProfile(r.deps.iamCreate, r.event.userName, password),
      retryOptions(r, 'create-login-profile', isThrottlingError, secrets),
    );
  } catch (error) {
    // No answer, or a server fault: the profile may exist now. Remove it so
    // that the retry can create one and send. A refusal (4xx) created
    // nothing, and deleting then could remove a profile an earlier run
    // created and emailed (a duplicate event), so it is left alone.
    if (mayHaveSucceeded(error)) await rollback(r, 'create-login-profile');
    throw error;
  }
}

/**
 * CreateLoginProfile found a profile. Read again, fresh (the tags read before
 * may predate a concurrent run's tag), and judge it.
 */
async function handleExistingProfile(r: EventRun, recipient: Recipient): Promise<UserOutcome> {
  const { deps, event, log } = r;
  const tags = await step(r, 'list-user-tags', () => listUserTags(deps.iam, event.userName));
  const user = await step(r, 'get-user', () => getUser(deps.iam, event.userName));
  const profile = await step(r, 'get-login-profile', () =>
    getLoginProfile(deps.iam, event.userName),
  );
  if (!tags || !user || !profile) {
    // CreateLoginProfile just said both exist: this is a lagging replica or a
    // concurrent delete; either way the next delivery sees it settled.
    throw deferred(
      r,
      'check-existing-profile',
      'NotVisibleYet',
      'CreateLoginProfile found a login profile that IAM does not show; the next delivery tries again',
    );
  }
  const welcomed = welcomedAt(tags);
  const verdict = judgeExistingProfile({
    ...(welcomed === undefined ? {} : { welcomedAt: welcomed }),
    ...(user.passwordLastUsed ? { passwordLastUsed: user.passwordLastUsed } : {}),
    ...(profile.createDate ? { profileCreatedMs: profile.createDate.getTime() } : {}),
    nowMs: deps.now(),
  });
  log.info('step done', { step: 'check-existing-profile', outcome: verdict.kind });

  switch (verdict.kind) {
    case 'welcomed':
      return skip(
        'already-welcomed',
        `tag ${WELCOMED_TAG_KEY} is ${singleLine(welcomed ?? '', 40)}`,
      );
    case 'signed-in': {
      // Welcomed before the tag existed (or the tagging failed): record it,
      // with the profile's creation time as the best known time of the email.
      const at = (profile.createDate ?? new Date(deps.now())).toISOString();
      await markWelcomed(r, at, []);
      return skip('already-welcomed', 'the user has a login profile and has signed in with it');
    }
    case 'in-flight':
      throw deferred(
        r,
        'check-existing-profile',
        'ProfileInFlight',
        `a login profile ${Math.round(verdict.ageMs / 1000)} s old and no ${WELCOMED_TAG_KEY} tag: ` +
          'another delivery may still be sending; the next delivery looks again',
      );
    case 'orphaned': {
      log.warn('orphaned login profile, replacing it', {
        step: 'check-existing-profile',
        outcome: 'orphaned',
        profileAgeSeconds: Math.round(verdict.ageMs / 1000),
      });
      await step(r, 'delete-login-profile', () =>
        removeProfile(r, { replacing: 'orphaned-profile' }),
      );
      const again = await createAndSend(r, recipient, true);
      if (again !== 'already-exists') return again;
      // Someone else created one in between: theirs to send.
      throw deferred(
        r,
        'create-login-profile',
        'EntityAlreadyExists',
        'another delivery created a login profile while this one replaced an orphaned one; ' +
          'the next delivery looks again',
      );
    }
  }
}

/**
 * Tags the user as welcomed after SES accepted the email.
 *
 * A failure here is logged as an error but does NOT fail the record, on
 * purpose. The email went out: the person holds the one working password.
 * Failing the record would make SQS deliver it again, and that delivery would
 * find a profile without the tag: inside IN_FLIGHT_WINDOW_MS it would fail
 * again, after it would judge the profile orphaned and replace it, killing
 * the password just sent. Acknowledging sends nothing more. What is left is
 * narrow: a later duplicate or replay of this event, before the person signs
 * in, would replace the profile and send again (with the "replaces" notice);
 * once they have signed in, PasswordLastUsed marks them welcomed. The log
 * line carries the command that writes the tag by hand. (The client's own
 * SDK retries already cover throttling and server faults: TagUser is
 * idempotent.)
 */
async function markWelcomed(
  r: EventRun,
  at: string,
  secrets: readonly string[],
  sent: { sentTo?: string; resent?: number } = {},
): Promise<void> {
  const { sentTo, resent } = sent;
  try {
    // With the resend value this email also serves, in the same call: the
    // reconcile must never see "welcomed" without it and mail a second password.
    await tagUserWith(r.deps.iam, r.event.userName, [
      { key: WELCOMED_TAG_KEY, value: at },
      ...(resent === undefined ? [] : [{ key: RESENT_TAG_KEY, value: String(resent) }]),
      ...(sentTo === undefined ? [] : [{ key: SENT_TO_TAG_KEY, value: sentTo }]),
    ]);
    r.log.info('step done', {
      step: 'tag-user',
      outcome: 'tagged',
      welcomedAt: at,
      ...(resent === undefined ? {} : { resent }),
    });
  } catch (error) {
    r.log.error('welcomed tag not written', {
      step: 'tag-user',
      outcome: 'error',
      error: describeError(error, secrets),
      action:
        `tag the user by hand: aws iam tag-user --user-name ${r.event.userName} ` +
        `--tags Key=${WELCOMED_TAG_KEY},Value=${at}`,
    });
  }
}

/** Best effort: where an email may have gone when SES's answer was lost (see send). */
async function recordSentTo(r: EventRun, to: string): Promise<void> {
  try {
    await tagUserWith(r.deps.iam, r.event.userName, [{ key: SENT_TO_TAG_KEY, value: to }]);
    r.log.info('step done', { step: 'tag-user', outcome: 'tagged', sentTo: 'maybe-sent' });
  } catch (error) {
    r.log.error('step failed', { step: 'tag-user', outcome: 'error', error: describeError(error) });
  }
}

export async function send(
  r: EventRun,
  email: {
    to: string;
    message: WelcomeEmail;
    secrets: readonly string[];
    /** Called before the rollback when SES may have sent the email though the call failed. */
    onMaybeSent?: () => Promise<void>;
  },
): Promise<string | undefined> {
  const { deps, config, event, log } = r;
  try {
    return await withRetries(
      () =>
        sendEmail(deps.ses, {
          source: config.source,
          to: email.to,
          message: email.message,
          userName: event.userName,
          ...(config.sesConfigurationSet ? { configurationSet: config.sesConfigurationSet } : {}),
        }),
      retryOptions(r, 'send-email', isSendThrottled, email.secrets),
    );
  } catch (error) {
    log.error('step failed', {
      step: 'send-email',
      outcome: 'error',
      error: describeError(error, email.secrets),
    });
    if (email.onMaybeSent && mayHaveSucceeded(error)) await email.onMaybeSent();
    await rollback(r, 'send-email');
    throw new WelcomeError({
      step: 'send-email',
      errorName: errorName(error),
      userName: event.userName,
      eventId: event.eventId,
    });
  }
}

/**
 * DeleteLoginProfile, retried while IAM answers EntityTemporarilyUnmodifiable
 * (common right after the profile was created) or throttles.
 */
export async function removeProfile(
  r: EventRun,
  why: { failedStep: WelcomeStep } | { replacing: 'orphaned-profile' | 'resend' },
): Promise<'deleted' | 'absent'> {
  const outcome = await withRetries(
    () => deleteLoginProfile(r.deps.iam, r.event.userName),
    retryOptions(
      r,
      'delete-login-profile',
      (error) => isTemporarilyUnmodifiable(error) || isThrottlingError(error),
      [],
      DELETE_RETRY,
    ),
  );
  r.log.info('step done', { step: 'delete-login-profile', outcome, ...why });
  return outcome;
}

/** Deletes the profile this run created, so that a retry can create it and send. */
async function rollback(r: EventRun, failedStep: WelcomeStep): Promise<void> {
  try {
    await removeProfile(r, { failedStep });
  } catch (error) {
    r.log.error('step failed', {
      step: 'delete-login-profile',
      outcome: 'error',
      failedStep,
      error: describeError(error),
    });
    // Left as is, the profile has a password nobody received and no welcomed
    // tag: a later delivery finds it older than the in-flight window, judges
    // it orphaned and replaces it. A person can also clear it at once.
    throw new WelcomeError({
      step: 'delete-login-profile',
      errorName: errorName(error),
      userName: r.event.userName,
      eventId: r.event.eventId,
      action:
        `The user has a login profile but no email. A delivery of this event more than ` +
        `${IN_FLIGHT_WINDOW_MS / 60_000} minutes from now replaces it; if none is left, delete it ` +
        `(aws iam delete-login-profile --user-name ${r.event.userName}) and replay the event`,
    });
  }
}
